// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/v0006_scheduler.hpp>:
// included at its end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/v0006_scheduler.hpp>

#include <taskstore/domain/schedule.hpp>
#include <taskstore/sql/ddl.hpp>

namespace taskstore::migrations::v0006 {

// The text is part of the migration's checksum: it must stay byte for byte
// what it was when released. It is built from the two tables' traits, so a
// change to them changes it; the checksum pins (tests/unit/
// migration_files_test.cpp) catch that, and the change belongs in a new
// migration.
std::vector<std::string> up(sql::dialect const& d) {
  auto out = sql::create_table_sql<task_leader>(d);
  for (auto& statement : sql::create_table_sql<task_periodic_run>(d)) out.push_back(std::move(statement));
  return out;
}

std::vector<std::string> down(sql::dialect const& d) {
  return {sql::drop_table_sql<task_periodic_run>(d), sql::drop_table_sql<task_leader>(d)};
}

}  // namespace taskstore::migrations::v0006
