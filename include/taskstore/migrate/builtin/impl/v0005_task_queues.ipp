// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/v0005_task_queues.hpp>:
// included at its end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/v0005_task_queues.hpp>

#include <taskstore/domain/task_queue.hpp>
#include <taskstore/sql/ddl.hpp>

namespace taskstore::migrations::v0005 {

// The text is part of the migration's checksum: it must stay byte for byte
// what it was when released. It is written from the three tables' traits,
// so a later change to them shows as a changed checksum
// (tests/unit/migration_files_test.cpp) and belongs in a later migration.
std::vector<std::string> up(sql::dialect const& d) {
  std::vector<std::string> out;
  for (auto& s : sql::create_table_sql<task_queue>(d)) out.push_back(std::move(s));
  for (auto& s : sql::create_table_sql<task_user_limit>(d)) out.push_back(std::move(s));
  for (auto& s : sql::create_table_sql<task_limit_gate>(d)) out.push_back(std::move(s));
  std::string gates = "INSERT INTO " + d.quote("task_limit_gates") + " (" + d.quote("slot") + ") VALUES ";
  for (std::int32_t slot = 0; slot < 256; ++slot) gates += (slot ? ",(" : "(") + std::to_string(slot) + ")";
  out.push_back(std::move(gates));
  return out;
}

std::vector<std::string> down(sql::dialect const& d) {
  return {sql::drop_table_sql<task_limit_gate>(d), sql::drop_table_sql<task_user_limit>(d),
          sql::drop_table_sql<task_queue>(d)};
}

}  // namespace taskstore::migrations::v0005
