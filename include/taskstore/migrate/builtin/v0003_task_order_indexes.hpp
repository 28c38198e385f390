// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 3: indexes in the order two hot queries read tasks, found by the
/// benchmarks (issue 9): a user's tasks newest first (lists and keyset pages,
/// which otherwise sort every task of the user per page) and the queue oldest
/// first (claims, which otherwise sort every queued task per claim). Frozen
/// like every migration.

#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore::migrations::v0003 {

inline std::vector<std::string> up(sql::dialect d) {
  if (d == sql::dialect::mysql)
    return {"CREATE INDEX `idx_tasks_user_created` ON `tasks` (`user_id`, `created_at`, `task_id`)",
            "CREATE INDEX `idx_tasks_queue_order` ON `tasks` (`status`, `created_at`, `task_id`)"};
  return {
      R"sql(CREATE INDEX IF NOT EXISTS "idx_tasks_user_created" ON "tasks" ("user_id", "created_at", "task_id"))sql",
      R"sql(CREATE INDEX IF NOT EXISTS "idx_tasks_queue_order" ON "tasks" ("status", "created_at", "task_id"))sql"};
}

inline std::vector<std::string> down(sql::dialect d) {
  if (d == sql::dialect::mysql)
    return {"DROP INDEX `idx_tasks_queue_order` ON `tasks`", "DROP INDEX `idx_tasks_user_created` ON `tasks`"};
  return {R"sql(DROP INDEX IF EXISTS "idx_tasks_queue_order")sql",
          R"sql(DROP INDEX IF EXISTS "idx_tasks_user_created")sql"};
}

}  // namespace taskstore::migrations::v0003
