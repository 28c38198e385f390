// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/v0007_task_status_tool_index.hpp>:
// included at its end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/v0007_task_status_tool_index.hpp>

namespace taskstore::migrations::v0007 {

// The text is part of the migration's checksum: it must stay byte for byte
// what it was when released.
std::vector<std::string> up(sql::dialect const& d) {
  return {d.create_index("idx_tasks_status_tool", "tasks", {"status", "tool_id", "created_at", "task_id"})};
}

std::vector<std::string> down(sql::dialect const& d) { return {d.drop_index("idx_tasks_status_tool", "tasks")}; }

}  // namespace taskstore::migrations::v0007
