// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Each file here compiles cleanly without TASKSTORE_COMPILE_FAIL (the control)
// and must fail with a named message when it is defined.

#include <taskstore/reflect/table_model.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/describe.hpp>

#include <cstdint>
#include <string>
#include <tuple>

namespace cf {
struct note {
  std::int64_t id = 0;
  std::string text;
  std::string hidden;  // not described
};
BOOST_DESCRIBE_STRUCT(note, (), (id, text))

struct plain {  // not described at all
  std::int64_t id = 0;
};
}  // namespace cf
