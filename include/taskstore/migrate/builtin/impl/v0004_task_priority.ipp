// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/v0004_task_priority.hpp>:
// included at its end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/v0004_task_priority.hpp>

namespace taskstore::migrations::v0004 {

// The text is part of the migration's checksum: it must stay byte for byte
// what it was when released. The range of a priority is checked where values
// are bound (limits::min_priority), not by the database.
std::vector<std::string> up(sql::dialect const& d) {
  column_info priority{};
  priority.type = column_type::int32;
  return {"ALTER TABLE " + d.quote("tasks") + " ADD COLUMN " + d.quote("priority") + " " + d.sql_type(priority) +
              " NOT NULL DEFAULT 0",
          d.drop_index("idx_tasks_queue_order", "tasks"),
          d.create_index("idx_tasks_claim_order", "tasks", {"status", "priority", "created_at", "task_id"})};
}

// SQLite drops no column an index names: the index goes first.
std::vector<std::string> down(sql::dialect const& d) {
  return {d.drop_index("idx_tasks_claim_order", "tasks"),
          d.create_index("idx_tasks_queue_order", "tasks", {"status", "created_at", "task_id"}),
          "ALTER TABLE " + d.quote("tasks") + " DROP COLUMN " + d.quote("priority")};
}

}  // namespace taskstore::migrations::v0004
