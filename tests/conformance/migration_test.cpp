// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Versioned migrations on every backend: the ledger, status, up / down / to a
// version, checksums, failures mid-migration, two migrators at once, and the
// built-in migrations agreeing with the domain types.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/migrate/sql_files.hpp>
#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/catalog.hpp"
#include "support/isolated_db.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <latch>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;

/// A migration creating `table`, with a down dropping it.
migration create_table(std::int64_t version, std::string table, std::string column = "x") {
  return {.version = version,
          .name = "create_" + table,
          .up =
              [=](sql::dialect const&) {
                return std::vector<std::string>{"CREATE TABLE " + table + " (" + column + " INT)"};
              },
          .down = [=](sql::dialect const&) { return std::vector<std::string>{"DROP TABLE " + table}; }};
}

class migration_test : public backend_test {
 protected:
  bool has_table(std::string const& table) {
    auto lease = detail::session_of(db());
    return detail::table_exists(lease, db().backend(), table);
  }
  std::vector<std::vector<std::string>> ledger() {
    return query_text(db(), "SELECT version, name FROM schema_migrations ORDER BY version");
  }
  template <class F>
  static error error_of(F&& f) {
    try {
      f();
    } catch (error const& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return error(errc::database_error, "none");
  }
};

TEST_P(migration_test, up_applies_pending_migrations_once_and_records_them) {
  migrator m(db(), builtin_migrations());
  auto st = m.status();
  EXPECT_EQ(st.count(migration_state::pending), static_cast<std::size_t>(latest_version()));
  EXPECT_EQ(st.current_version, 0);
  EXPECT_EQ(st.latest_version, 7);
  EXPECT_EQ(m.up(), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_TRUE(m.up().empty());
  st = m.status();
  EXPECT_EQ(st.count(migration_state::applied), static_cast<std::size_t>(latest_version()));
  EXPECT_EQ(st.current_version, latest_version());
  ASSERT_TRUE(st.migrations[0].applied_at);
  EXPECT_GE(*st.migrations[0].execution_ms, 0);
  auto const rows = query_text(db(), "SELECT checksum FROM schema_migrations WHERE version = 1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], builtin_migrations()[0].checksum(db().dialect()));
}

TEST_P(migration_test, all_migrations_produce_exactly_the_schema_the_types_describe) {
  migrate_to_latest(db());
  isolated_db direct(GetParam());
  auto const other = direct.open();
  for (auto const& s : canonical_schema_sql(other.dialect())) other.execute(s);
  std::vector<std::string_view> tables(std::begin(migrations::v0001::tables), std::end(migrations::v0001::tables));
  tables.insert(tables.end(), {"task_queues", "task_user_limits", "task_limit_gates"});  // migration 5
  tables.insert(tables.end(), {"task_leaders", "task_periodic_runs"});                   // migration 6
  for (auto const table : tables) {
    SCOPED_TRACE(std::string(table));
    auto const migrated = read_catalog(db(), std::string(table));
    auto const expected = read_catalog(other, std::string(table));
    ASSERT_EQ(migrated.columns.size(), expected.columns.size());
    for (std::size_t i = 0; i < expected.columns.size(); ++i) {
      EXPECT_EQ(migrated.columns[i].name, expected.columns[i].name);
      EXPECT_EQ(migrated.columns[i].type, expected.columns[i].type) << expected.columns[i].name;
      EXPECT_EQ(migrated.columns[i].nullable, expected.columns[i].nullable) << expected.columns[i].name;
    }
    EXPECT_EQ(migrated.indexes, expected.indexes);
    EXPECT_EQ(migrated.constraints, expected.constraints);
    EXPECT_EQ(migrated.fk_delete_rules, expected.fk_delete_rules);
  }
}

TEST_P(migration_test, up_down_up_keeps_schema_and_data_and_backfills) {
  migrate_to_latest(db());
  auto const ada = user_service(db()).create("ada@example.com", "Ada");
  task_service tasks(db());
  auto const t = tasks.create({.user_id = ada.id, .tool_id = "t", .agents = {"a", "b", "c"}, .title = "Zürich ✓"});
  auto const before = *tasks.find(t.task_id);
  EXPECT_EQ(before.agents_total, 3);

  auto const columns_at_4 = read_catalog(db(), "tasks").columns.size();
  migrator m(db(), builtin_migrations());
  auto const indexes_at_latest = read_catalog(db(), "tasks").indexes.size();
  queue_control(db()).set_limit("t", 2);
  EXPECT_EQ(m.rollback(), std::vector<std::int64_t>{7});  // the status and tool index goes
  EXPECT_FALSE(read_catalog(db(), "tasks").indexes.count("idx_tasks_status_tool"));
  EXPECT_EQ(read_catalog(db(), "tasks").indexes.size(), indexes_at_latest - 1);
  auto const indexes_at_4 = indexes_at_latest - 1;
  EXPECT_EQ(m.rollback(), std::vector<std::int64_t>{6});  // the scheduler's tables go
  EXPECT_FALSE(has_table("task_leaders"));
  EXPECT_FALSE(has_table("task_periodic_runs"));
  EXPECT_EQ(m.rollback(), std::vector<std::int64_t>{5});  // the queue control tables go
  EXPECT_FALSE(has_table("task_queues"));
  EXPECT_FALSE(has_table("task_user_limits"));
  EXPECT_FALSE(has_table("task_limit_gates"));
  EXPECT_EQ(m.rollback(), std::vector<std::int64_t>{4});  // the priority goes; the claim's index is the old one
  EXPECT_EQ(read_catalog(db(), "tasks").columns.size(), columns_at_4 - 1);
  EXPECT_EQ(read_catalog(db(), "tasks").indexes.size(), indexes_at_4);
  EXPECT_TRUE(read_catalog(db(), "tasks").indexes.count("idx_tasks_queue_order"));
  EXPECT_EQ(m.rollback(), std::vector<std::int64_t>{3});
  EXPECT_EQ(read_catalog(db(), "tasks").indexes.size(), indexes_at_4 - 2);
  EXPECT_EQ(m.rollback(), std::vector<std::int64_t>{2});
  EXPECT_EQ(read_catalog(db(), "tasks").columns.size(), columns_at_4 - 2);
  EXPECT_EQ(query_text(db(), "SELECT title FROM tasks")[0][0], "Zürich ✓");
  EXPECT_EQ(m.status().current_version, 1);

  EXPECT_EQ(m.up(), (std::vector<std::int64_t>{2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(query_text(db(), "SELECT COUNT(*) FROM task_limit_gates")[0][0], "256");
  EXPECT_TRUE(has_table("task_leaders"));
  EXPECT_TRUE(has_table("task_periodic_runs"));
  auto const after = *tasks.find(t.task_id);  // agents_total backfilled from agents, priority 0
  EXPECT_EQ(to_json(after), to_json(before));
  EXPECT_EQ(read_catalog(db(), "tasks").indexes.size(), indexes_at_latest);
  EXPECT_EQ(m.migrate_to(0), (std::vector<std::int64_t>{7, 6, 5, 4, 3, 2, 1}));
  EXPECT_FALSE(has_table("tasks"));
  EXPECT_TRUE(ledger().empty());
  EXPECT_EQ(m.migrate_to(1), std::vector<std::int64_t>{1});
  EXPECT_EQ(m.status().count(migration_state::pending), static_cast<std::size_t>(latest_version() - 1));
}

TEST_P(migration_test, a_changed_migration_stops_every_run) {
  migrator(db(), {create_table(1, "notes")}).up();
  migrator changed(db(), {create_table(1, "notes", "y"), create_table(2, "tags")});
  EXPECT_EQ(changed.status().migrations[0].state, migration_state::changed);
  auto const e = error_of([&] { changed.up(); });
  EXPECT_EQ(e.code(), errc::schema_mismatch);
  EXPECT_EQ(e.category(), error_category::admin_required);
  EXPECT_FALSE(has_table("tags"));
  EXPECT_EQ(error_of([&] { changed.rollback(); }).code(), errc::schema_mismatch);
  EXPECT_TRUE(has_table("notes"));
}

TEST_P(migration_test, a_database_newer_than_the_build_is_refused) {
  migrator(db(), {create_table(1, "notes"), create_table(2, "tags")}).up();
  migrator older(db(), {create_table(1, "notes")});
  EXPECT_EQ(older.status().migrations[1].state, migration_state::unknown);
  EXPECT_EQ(error_of([&] { older.up(); }).code(), errc::schema_mismatch);
  EXPECT_EQ(error_of([&] { older.rollback(2); }).code(), errc::schema_mismatch);
}

TEST_P(migration_test, bad_requests_are_clear_errors) {
  EXPECT_EQ(error_of([&] { migrator(db(), {create_table(1, "a"), create_table(1, "b")}); }).code(), errc::bad_config);
  migrator m(db(), {create_table(1, "notes"), {.version = 2, .name = "no_down", .up = [](sql::dialect const&) {
                                                 return std::vector<std::string>{"CREATE TABLE irreversible (x INT)"};
                                               }}});
  EXPECT_EQ(error_of([&] { m.migrate_to(7); }).code(), errc::bad_config);
  m.up();
  EXPECT_EQ(error_of([&] { m.rollback(); }).code(), errc::unsupported);
  EXPECT_TRUE(has_table("irreversible"));
}

TEST_P(migration_test, a_failing_statement_is_reported_precisely_and_the_ledger_stays_true) {
  migrator m(db(), {create_table(1, "notes"),
                    {.version = 2, .name = "broken", .up = [](sql::dialect const&) {
                       return std::vector<std::string>{"CREATE TABLE half (x INT)", "CREATE TABLE notes (x INT)"};
                     }}});
  auto const e = error_of([&] { m.up(); });
  std::string const what = e.what();
  EXPECT_NE(what.find("migration 2 (broken) up failed at statement 2 of 2"), std::string::npos) << what;
  EXPECT_EQ(ledger().size(), 1u);  // migration 1 only
  EXPECT_EQ(m.status().current_version, 1);
  if (db().backend().kind() == backend_kind::mysql) {
    EXPECT_TRUE(has_table("half"));  // MariaDB committed the first statement
    EXPECT_NE(what.find("statements 1 to 1 stayed applied"), std::string::npos) << what;
  } else {
    EXPECT_FALSE(has_table("half"));
    EXPECT_NE(what.find("rolled back"), std::string::npos) << what;
  }
}

TEST_P(migration_test, two_migrators_at_once_apply_each_migration_exactly_once) {
  std::vector<migration> list;
  for (int v = 1; v <= 6; ++v) list.push_back(create_table(v, "t" + std::to_string(v)));
  // Separate handles are separate connections (separate processes, as far as
  // the database can tell); an in-memory SQLite database has only one.
  bool const shared = is(test_backend::sqlite_memory);
  std::vector<database> handles{shared ? db() : env().open(), shared ? db() : env().open()};
  std::vector<std::vector<std::int64_t>> applied(2);
  std::latch start(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      applied[i] = migrator(handles[i], list).up();
    });
  for (auto& t : threads) t.join();
  std::vector<std::int64_t> all = applied[0];
  all.insert(all.end(), applied[1].begin(), applied[1].end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ledger().size(), 6u);
  EXPECT_TRUE(migrator(db(), list).up().empty());
}

TEST_P(migration_test, sql_file_migrations_run_with_dialect_overrides) {
  namespace fs = std::filesystem;
  auto const dir = fs::temp_directory_path() / ("taskstore_sqlfiles_" + uuid::generate_v4().to_string());
  fs::create_directories(dir / "mysql");
  std::ofstream(dir / "1001_notes.up.sql") << "CREATE TABLE notes (id INT, body TEXT);\n"
                                              "INSERT INTO notes VALUES (1, 'a;b');\n";
  std::ofstream(dir / "1001_notes.down.sql") << "DROP TABLE notes;\n";
  std::ofstream(dir / "mysql" / "1001_notes.up.sql") << "CREATE TABLE notes (id INT, body LONGTEXT);\n"
                                                        "INSERT INTO notes VALUES (1, 'a;b');\n";
  migrator m(db(), load_migrations(dir));
  fs::remove_all(dir);
  EXPECT_EQ(m.up(), std::vector<std::int64_t>{1001});
  EXPECT_EQ(query_text(db(), "SELECT body FROM notes")[0][0], "a;b");
  EXPECT_EQ(m.rollback(), std::vector<std::int64_t>{1001});
  EXPECT_FALSE(has_table("notes"));
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(migration_test);

}  // namespace
