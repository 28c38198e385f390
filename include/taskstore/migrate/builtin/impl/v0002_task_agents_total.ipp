// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/builtin/v0002_task_agents_total.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/builtin/v0002_task_agents_total.hpp>

namespace taskstore::migrations::v0002 {

std::vector<std::string> up(sql::dialect d) {
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

std::vector<std::string> down(sql::dialect d) {
  if (d == sql::dialect::mysql) return {R"sql(ALTER TABLE `tasks` DROP COLUMN `agents_total`)sql"};
  return {R"sql(ALTER TABLE "tasks" DROP COLUMN "agents_total")sql"};
}

}  // namespace taskstore::migrations::v0002
