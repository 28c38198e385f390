// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/migrations.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/migrations.hpp>

#include <iterator>
#include <span>

namespace taskstore {

std::vector<migration> builtin_migrations() {
  auto const schema_v1 = [](sql::dialect const& d) {
    auto const statements = migrations::v0001::statements(d);
    return std::vector<std::string>(statements.begin(), statements.end());
  };
  auto const drop_v1 = [](sql::dialect const& d) {
    std::vector<std::string> out;
    auto const& tables = migrations::v0001::tables;
    for (auto it = std::rbegin(tables); it != std::rend(tables); ++it)
      out.push_back("DROP TABLE IF EXISTS " + sql::quote(d, *it));
    return out;
  };
  return {
      {.version = 1, .name = "canonical_schema", .up = schema_v1, .down = drop_v1},
      {.version = 2, .name = "task_agents_total", .up = migrations::v0002::up, .down = migrations::v0002::down},
      {.version = 3, .name = "task_order_indexes", .up = migrations::v0003::up, .down = migrations::v0003::down},
      {.version = 4, .name = "task_priority", .up = migrations::v0004::up, .down = migrations::v0004::down},
      {.version = 5, .name = "task_queues", .up = migrations::v0005::up, .down = migrations::v0005::down},
      {.version = migrations::v0006::version,
       .name = "scheduler",
       .up = migrations::v0006::up,
       .down = migrations::v0006::down},
      {.version = migrations::v0007::version,
       .name = "task_status_tool_index",
       .up = migrations::v0007::up,
       .down = migrations::v0007::down},
  };
}

}  // namespace taskstore
