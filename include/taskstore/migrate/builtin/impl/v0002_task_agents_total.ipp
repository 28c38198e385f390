// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/v0002_task_agents_total.hpp>:
// included at its end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/v0002_task_agents_total.hpp>

namespace taskstore::migrations::v0002 {

// The text is part of the migration's checksum: it must stay byte for byte
// what it was when released.
std::vector<std::string> up(sql::dialect const& d) {
  column_info agents_total{};
  agents_total.type = column_type::int32;
  auto const tasks = d.quote("tasks"), column = d.quote("agents_total");
  return {"ALTER TABLE " + tasks + " ADD COLUMN " + column + " " + d.sql_type(agents_total) + " NOT NULL DEFAULT 0",
          "UPDATE " + tasks + " SET " + column + " = " + std::string(d.json_array_length()) + "(" + d.quote("agents") +
              ")"};
}

std::vector<std::string> down(sql::dialect const& d) {
  return {"ALTER TABLE " + d.quote("tasks") + " DROP COLUMN " + d.quote("agents_total")};
}

}  // namespace taskstore::migrations::v0002
