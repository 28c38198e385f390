// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 5: queue control (issue 33). task_queues (a tool's queue paused
/// or limited; its row with the empty tool_id holds the per-user settings),
/// task_user_limits (a user's own limit) and task_limit_gates (the fixed
/// lock rows of limited claims, slots 0 to 255). Frozen like every migration.

#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore::migrations::v0005 {

TASKSTORE_DECL std::vector<std::string> up(sql::dialect const& d);

TASKSTORE_DECL std::vector<std::string> down(sql::dialect const& d);

}  // namespace taskstore::migrations::v0005

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/builtin/impl/v0005_task_queues.ipp>
#endif
