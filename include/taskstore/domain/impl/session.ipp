// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/domain/session.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/session.hpp>

namespace taskstore {

void tag_invoke(boost::json::value_from_tag, boost::json::value& v, session_task_type t) { v = enum_to_string(t); }

}  // namespace taskstore
