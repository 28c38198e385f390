// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Adopting a database made by the task API's own migration (its `users` and
// `tasks`, with rows): rebuilt to taskstore's schema without losing a row,
// recorded as the baseline, and its rows keep working through the services.

#include <taskstore/migrate/adopt.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/catalog.hpp"
#include "support/isolated_db.hpp"

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

/// The task API's "Manual Migration SQL" (docs/seeds.md), in each dialect's types, with a users table.
std::vector<std::string> task_api_schema(backend_kind b) {
  auto const datetime = b == backend_kind::postgresql ? "TIMESTAMP" : "DATETIME";
  auto const json = b == backend_kind::sqlite ? "TEXT" : "JSON";
  auto const id = b == backend_kind::sqlite       ? "INTEGER PRIMARY KEY AUTOINCREMENT"
                  : b == backend_kind::postgresql ? "SERIAL PRIMARY KEY"
                                                  : "INTEGER AUTO_INCREMENT PRIMARY KEY";
  return {
      std::string("CREATE TABLE users (id ") + id + ", email VARCHAR(255) NOT NULL UNIQUE, created_at " + datetime +
          " NOT NULL DEFAULT CURRENT_TIMESTAMP)",
      std::string("CREATE TABLE tasks (task_id VARCHAR(36) PRIMARY KEY, user_id INTEGER NOT NULL, tool_id VARCHAR(50) "
                  "NOT NULL, agents ") +
          json +
          " NOT NULL, status VARCHAR(20) NOT NULL DEFAULT 'CREATED', progress INTEGER NOT NULL DEFAULT 0, "
          "current_agent VARCHAR(100), error_code VARCHAR(50), error_message TEXT, created_at " +
          datetime + " NOT NULL DEFAULT CURRENT_TIMESTAMP, upload_started_at " + datetime + ", processing_started_at " +
          datetime + ", completed_at " + datetime + ", failed_at " + datetime + ", cancelled_at " + datetime +
          ", expired_at " + datetime + ", updated_at " + datetime +
          " NOT NULL DEFAULT CURRENT_TIMESTAMP, s3_cleaned BOOLEAN NOT NULL DEFAULT FALSE, CONSTRAINT fk_task_user "
          "FOREIGN KEY (user_id) REFERENCES users(id))",
      "CREATE INDEX idx_tasks_user_id ON tasks(user_id)",
      "CREATE INDEX idx_tasks_status ON tasks(status)",
      "CREATE INDEX idx_tasks_user_status ON tasks(user_id, status)",
      "CREATE INDEX idx_tasks_created_at ON tasks(created_at)",
      "CREATE INDEX idx_tasks_tool_id ON tasks(tool_id)",
  };
}

class adopt_test : public backend_test {};

TEST_P(adopt_test, a_task_api_database_is_adopted_without_losing_a_row) {
  for (auto const& s : task_api_schema(db().backend().kind())) db().execute(s);
  db().execute("INSERT INTO users (email) VALUES ('ada@example.com')");
  db().execute("INSERT INTO users (email) VALUES ('bob@example.com')");
  db().execute(
      "INSERT INTO tasks (task_id, user_id, tool_id, agents, status, progress, current_agent, created_at, "
      "updated_at, completed_at, s3_cleaned) VALUES ('0192f0a4-7b1c-7def-8123-456789abcdef', 1, 'profile-my-data', "
      "'[\"profiler\", \"score-risk\"]', 'COMPLETED', 100, 'score-risk', '2025-12-19 10:00:00', "
      "'2025-12-19 10:05:00', '2025-12-19 10:05:00', TRUE)");
  db().execute(
      "INSERT INTO tasks (task_id, user_id, tool_id, agents, status, created_at, updated_at) VALUES "
      "('0192f0a4-7b1c-7def-8123-456789abcd00', 2, 'clean-my-data', '[]', 'QUEUED', '2025-12-20 09:00:00', "
      "'2025-12-20 09:00:00')");

  EXPECT_EQ(adopt(db()), 4u);
  auto const st = migrator(db(), builtin_migrations()).status();
  EXPECT_EQ(st.current_version, latest_version());
  EXPECT_EQ(st.count(migration_state::applied), static_cast<std::size_t>(latest_version()));

  task_service tasks(db());
  task_claims claims(db());
  auto const done = tasks.get(uuid::parse("0192f0a4-7b1c-7def-8123-456789abcdef"), 1);
  EXPECT_EQ(done.status, task_status::COMPLETED);
  EXPECT_EQ(done.agents_total, 2);  // migration 2's backfill ran on the carried rows
  EXPECT_EQ(done.current_agent, "score-risk");
  EXPECT_TRUE(done.s3_cleaned);
  EXPECT_EQ(done.created_at, timestamp::parse("2025-12-19 10:00:00"));
  auto const queued = tasks.get(uuid::parse("0192f0a4-7b1c-7def-8123-456789abcd00"), 2);
  auto const claim = claims.start_processing(queued.task_id, "worker-1", 1min);  // old rows keep working
  EXPECT_EQ(claims.complete(claim, {.result_summary = "ok"}).status, task_status::COMPLETED);

  auto const carol = user_service(db()).create("carol@example.com", "Carol");  // the identity goes on
  EXPECT_EQ(carol.id, 3);
  EXPECT_EQ(user_service(db()).find(1)->email, "ada@example.com");
  auto const tables = read_catalog(db(), "tasks");
  EXPECT_TRUE(tables.indexes.count("idx_tasks_claim"));
  EXPECT_TRUE(tables.constraints.count("ck_tasks_status"));
  EXPECT_TRUE(check_integrity(db()).ok());
  EXPECT_THROW(adopt(db()), error);  // already managed
}

TEST_P(adopt_test, an_empty_database_is_simply_migrated) {
  EXPECT_EQ(adopt(db()), 0u);
  EXPECT_EQ(migrator(db(), builtin_migrations()).status().current_version, latest_version());
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(adopt_test);

}  // namespace
