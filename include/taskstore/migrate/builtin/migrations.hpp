// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The list of taskstore's own migrations.

#include <taskstore/detail/config.hpp>
#include <taskstore/migrate/builtin/v0001_canonical_schema.hpp>
#include <taskstore/migrate/builtin/v0002_task_agents_total.hpp>
#include <taskstore/migrate/builtin/v0003_task_order_indexes.hpp>
#include <taskstore/migrate/builtin/v0004_task_priority.hpp>
#include <taskstore/migrate/builtin/v0005_task_queues.hpp>
#include <taskstore/migrate/builtin/v0006_scheduler.hpp>
#include <taskstore/migrate/builtin/v0007_task_status_tool_index.hpp>
#include <taskstore/migrate/migration.hpp>
#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore {

/// taskstore's own migrations, oldest first: 1 is the canonical schema
/// (docs/design.md, The schema), 2 adds tasks.agents_total, 3 two indexes
/// in task order, 4 tasks.priority and the claim's index in its order, 5 the
/// tables of queue control (pause and concurrency limits), 6 the scheduler's
/// tables (leader leases, periodic runs), 7 an index of tasks by status and
/// tool (queue statistics, the dashboard's filtered lists).
TASKSTORE_DECL std::vector<migration> builtin_migrations();

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/builtin/impl/migrations.ipp>
#endif
