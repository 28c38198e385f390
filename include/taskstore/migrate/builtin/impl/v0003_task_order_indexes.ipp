// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/v0003_task_order_indexes.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/v0003_task_order_indexes.hpp>

namespace taskstore::migrations::v0003 {

std::vector<std::string> up(sql::dialect d) {
  if (d == sql::dialect::mysql)
    return {"CREATE INDEX `idx_tasks_user_created` ON `tasks` (`user_id`, `created_at`, `task_id`)",
            "CREATE INDEX `idx_tasks_queue_order` ON `tasks` (`status`, `created_at`, `task_id`)"};
  return {
      R"sql(CREATE INDEX IF NOT EXISTS "idx_tasks_user_created" ON "tasks" ("user_id", "created_at", "task_id"))sql",
      R"sql(CREATE INDEX IF NOT EXISTS "idx_tasks_queue_order" ON "tasks" ("status", "created_at", "task_id"))sql"};
}

std::vector<std::string> down(sql::dialect d) {
  if (d == sql::dialect::mysql)
    return {"DROP INDEX `idx_tasks_queue_order` ON `tasks`", "DROP INDEX `idx_tasks_user_created` ON `tasks`"};
  return {R"sql(DROP INDEX IF EXISTS "idx_tasks_queue_order")sql",
          R"sql(DROP INDEX IF EXISTS "idx_tasks_user_created")sql"};
}

}  // namespace taskstore::migrations::v0003
