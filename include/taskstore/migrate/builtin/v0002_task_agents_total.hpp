// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 2: tasks.agents_total, the number of agents a task runs (the
/// task API's progress_detail.agents_total), as a column so lists and analytics need
/// not parse the JSON; backfilled from `agents`. Frozen like every migration.

#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore::migrations::v0002 {

TASKSTORE_DECL std::vector<std::string> up(sql::dialect const& d);

TASKSTORE_DECL std::vector<std::string> down(sql::dialect const& d);

}  // namespace taskstore::migrations::v0002

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/builtin/impl/v0002_task_agents_total.ipp>
#endif
