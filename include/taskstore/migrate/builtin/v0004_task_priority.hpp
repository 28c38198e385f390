// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 4: a priority per task (`tasks.priority`, 0 for the tasks there
/// are), and the claim's index in its new order, priority then age, in place
/// of migration 3's oldest-first queue index. Frozen like every migration.

#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore::migrations::v0004 {

TASKSTORE_DECL std::vector<std::string> up(sql::dialect const& d);

TASKSTORE_DECL std::vector<std::string> down(sql::dialect const& d);

}  // namespace taskstore::migrations::v0004

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/builtin/impl/v0004_task_priority.ipp>
#endif
