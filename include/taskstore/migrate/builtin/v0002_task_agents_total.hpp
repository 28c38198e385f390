// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 2: tasks.agents_total, the number of agents a task runs (seed
/// 003's progress_detail.agents_total), as a column so lists and analytics need
/// not parse the JSON; backfilled from `agents`. Frozen like every migration.

#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore::migrations::v0002 {

inline std::vector<std::string> up(sql::dialect d) {
  switch (d) {
    case sql::dialect::sqlite:
      return {R"sql(ALTER TABLE "tasks" ADD COLUMN "agents_total" INTEGER NOT NULL DEFAULT 0)sql",
              R"sql(UPDATE "tasks" SET "agents_total" = json_array_length("agents"))sql"};
    case sql::dialect::postgresql:
      return {R"sql(ALTER TABLE "tasks" ADD COLUMN "agents_total" INTEGER NOT NULL DEFAULT 0)sql",
              R"sql(UPDATE "tasks" SET "agents_total" = jsonb_array_length("agents"))sql"};
    case sql::dialect::mysql:
      return {R"sql(ALTER TABLE `tasks` ADD COLUMN `agents_total` INT NOT NULL DEFAULT 0)sql",
              R"sql(UPDATE `tasks` SET `agents_total` = JSON_LENGTH(`agents`))sql"};
  }
  return {};
}

inline std::vector<std::string> down(sql::dialect d) {
  if (d == sql::dialect::mysql) return {R"sql(ALTER TABLE `tasks` DROP COLUMN `agents_total`)sql"};
  return {R"sql(ALTER TABLE "tasks" DROP COLUMN "agents_total")sql"};
}

}  // namespace taskstore::migrations::v0002
