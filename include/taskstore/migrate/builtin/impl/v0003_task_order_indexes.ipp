// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/v0003_task_order_indexes.hpp>:
// included at its end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/v0003_task_order_indexes.hpp>

namespace taskstore::migrations::v0003 {

// The text is part of the migration's checksum: it must stay byte for byte
// what it was when released.
std::vector<std::string> up(sql::dialect const& d) {
  return {d.create_index("idx_tasks_user_created", "tasks", {"user_id", "created_at", "task_id"}),
          d.create_index("idx_tasks_queue_order", "tasks", {"status", "created_at", "task_id"})};
}

std::vector<std::string> down(sql::dialect const& d) {
  return {d.drop_index("idx_tasks_queue_order", "tasks"), d.drop_index("idx_tasks_user_created", "tasks")};
}

}  // namespace taskstore::migrations::v0003
