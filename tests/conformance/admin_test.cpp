// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Administration on every backend: dump → restore and copy between every
// pair of backends keep every row and value exactly; stats.

#include <taskstore/schedule/leader_lease.hpp>
#include <taskstore/schedule/periodic.hpp>
#include <taskstore/service/admin.hpp>
#include <taskstore/service/agent_run_service.hpp>
#include <taskstore/service/completion_service.hpp>
#include <taskstore/service/credit_service.hpp>
#include <taskstore/service/draft_service.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>

#include <taskstore/sql/ddl.hpp>

#include "support/domain_fixture.hpp"
#include "support/sample_types.hpp"

#include <boost/mp11/list.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

/// A little of everything: every table gets rows, with NULLs, JSON,
/// microsecond timestamps and non-ASCII text.
void workload(database const& db, std::int64_t user) {
  task_service tasks(db);
  task_claims claims(db);
  auto t = tasks.create({.user_id = user,
                         .tool_id = "profile-my-data",
                         .agents = {"profiler", "score-risk"},
                         .title = "Grüße, 世界 🚀 'quoted'",
                         .workflow_id = "wf-1"});
  tasks.queue(t.task_id, user);
  auto const claim = claims.start_processing(t.task_id, "worker-1", 5min);
  agent_run_service runs(db);
  runs.finish(runs.start(t.task_id, "profiler").id, agent_run_status::COMPLETED, "ok", 10);
  event_service(db).append({.task_id = t.task_id, .event_type = event_kind::message, .content = R"({"b":1,"a":[2]})"});
  claims.complete(claim, {.result_summary = "done", .tokens_used = 42, .execution_time = 1.25s});
  completion_service completions(db);
  completions.record(t.task_id);
  completions.update(t.task_id, {.summary_steps = "1. ✓"});
  auto const failed = tasks.create({.user_id = user, .tool_id = "x", .agents = {}});
  tasks.queue(failed.task_id, user);
  claims.fail(claims.start_processing(failed.task_id, "w", 1min), "E", "boom",
              boost::json::object{{"z", 1}, {"a", boost::json::array{1.5, nullptr, "ü"}}});
  session_service sessions(db);
  auto const s = sessions.create(user);
  sessions.start(s.id, session_task_type::export_, t.task_id);
  sessions.fail(s.id, boost::json::object{{"why", "timeout"}});
  draft_service drafts(db);
  auto const d = drafts.add(t.task_id, "Hello", draft_kind::EMAIL, "writer");
  outbox_service(db).enqueue({t.task_id, "team@example.com", "S", "B", email_priority::HIGH, d.id});
  credit_service credits(db);
  credits.purchase(user, credit_amount{100}, "pack");
  credits.charge(t.task_id, credit_amount{30});
  leader_lease(db, {.holder = "host-ü:1", .ttl = 1h}).try_acquire();
  periodic_schedule const report{.id = "daily", .every = 24h, .task = {.user_id = user, .tool_id = "report"}};
  if (auto const p = create_periodic(db, report, timestamp::parse("2026-01-02 03:04:05.123456")))
    soci_repository<task>(db).remove(p->task_id);  // the run stays, its task_id NULL; the task counts stay
}

class admin_test : public domain_test {
 protected:
  void SetUp() override {
    domain_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    workload(db(), alice_);
  }
  std::size_t total_rows() {
    std::size_t n = 0;
    for (auto const& [table, rows] : table_row_counts(db())) n += rows;
    return n;
  }
  static std::string dump_of(database const& db) {
    std::ostringstream out;
    dump(db, out);
    return out.str();
  }
};

/// A dump reads every table in one snapshot: a task committed by another
/// connection while it reads is not in it (MariaDB's CONSISTENT SNAPSHOT
/// gives none under the session's READ COMMITTED).
TEST_P(admin_test, a_read_snapshot_sees_no_commit_made_while_it_reads) {
  if (db().options().in_memory) return;  // one connection: nothing else can commit meanwhile
  std::size_t before = 0, after = 0;
  detail::in_read_snapshot(db(), [&] {
    before = task_service(db()).list(alice_).total;
    std::thread([&] { task_service(db()).create({.user_id = alice_, .tool_id = "during-the-dump"}); }).join();
    after = task_service(db()).list(alice_).total;
  });
  EXPECT_EQ(after, before);
  EXPECT_EQ(task_service(db()).list(alice_).total, before + 1);
}

TEST_P(admin_test, stats_count_rows_and_tasks_by_status) {
  auto const s = stats(db());
  EXPECT_EQ(s.rows.at("users"), 2);
  EXPECT_EQ(s.rows.at("tasks"), 2);
  EXPECT_EQ(s.rows.at("credit_transactions"), 2);
  EXPECT_EQ(s.tasks_by_status.at("COMPLETED"), 1);
  EXPECT_EQ(s.tasks_by_status.at("FAILED"), 1);
  EXPECT_EQ(s.tasks_by_status.at("QUEUED"), 0);
  EXPECT_GT(s.size_bytes, 0);
  EXPECT_EQ(s.schema_version, latest_version());
}

TEST_P(admin_test, a_dump_restores_every_row_exactly) {
  auto const text = dump_of(db());
  EXPECT_EQ(text.substr(0, 36), R"({"format":"taskstore-dump","version")");
  isolated_db target(GetParam());
  auto const to = target.open();
  std::istringstream in(text);
  EXPECT_EQ(restore(to, in), total_rows());
  EXPECT_EQ(dump_of(to), text);
  // Key generators moved past the restored keys: new rows insert fine.
  user_service(to).create("carol@example.com", "Carol");
  workload(to, alice_);
  std::istringstream again(text);
  expect_error(errc::already_exists, [&] { restore(to, again); });  // not empty any more
}

TEST_P(admin_test, a_bad_dump_changes_nothing) {
  isolated_db target(GetParam());
  auto const to = target.open();
  auto text = dump_of(db());
  text.insert(text.rfind("{\"table\""), "{\"table\":\"tasks\",\"row\":{\"task_id\":12}}\n");
  std::istringstream in(text);
  expect_error(errc::validation_failed, [&] { restore(to, in); });
  EXPECT_TRUE(detail::list_tables(to).empty());  // read whole before the first write: not even migrated
  std::istringstream not_a_dump("{\"hello\":1}\n");
  expect_error(errc::validation_failed, [&] { restore(to, not_a_dump); });
}

TEST_P(admin_test, copy_to_every_backend_keeps_every_row_exactly) {
  auto const text = dump_of(db());
  for (auto const target_backend : all_backends()) {
    TASKSTORE_REQUIRE_BACKEND(target_backend);
    SCOPED_TRACE(std::string("to ") + std::string(name(target_backend)));
    isolated_db target(target_backend);
    auto const to = target.open();
    EXPECT_EQ(copy_database(db(), to), total_rows());
    EXPECT_EQ(dump_of(to), text);
    EXPECT_EQ(stats(to).rows, stats(db()).rows);
    user_service(to).create("carol@example.com", "Carol");  // identities continue after the copied keys
    expect_error(errc::already_exists, [&] { copy_database(db(), to); });
  }
}

TEST_P(admin_test, an_sqlite_file_backup_is_consistent_while_a_writer_runs) {
  if (db().backend().kind() != backend_kind::sqlite) {
    expect_error(errc::unsupported, [&] { sqlite_backup(db(), "/tmp/never.db"); });
    return;
  }
  temp_sqlite_file file;
  std::filesystem::remove(file.path());
  std::atomic<bool> stop = false;
  std::thread writer([&] {
    event_service events(db());
    auto const t = task_service(db()).list(alice_).tasks.at(0);
    while (!stop) {
      events.append({.task_id = t.task_id, .content = "tick"});
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  sqlite_backup(db(), file.path().string());
  stop = true;
  writer.join();
  auto const copy = database::open(file.url());
  EXPECT_TRUE(check_integrity(copy).ok());
  EXPECT_EQ(stats(copy).rows.at("tasks"), 2);
  EXPECT_LE(stats(copy).rows.at("event_logs"), stats(db()).rows.at("event_logs"));
  expect_error(errc::already_exists, [&] { sqlite_backup(db(), file.path().string()); });
}

// --- Administration never destroys (issue 31) ----------------------------------

/// The tables of a database, and each one's rows: what a failed call must leave as it was.
std::vector<std::string> tables_of(database const& db) { return detail::list_tables(db); }

std::string without_last_line(std::string text) {
  text.pop_back();
  return text.substr(0, text.rfind('\n') + 1);
}

std::string with_header(std::string const& dump, std::string const& schema_version) {
  auto const at = dump.find("\"schema_version\":");
  auto const end = dump.find(',', at);
  return dump.substr(0, at) + "\"schema_version\":" + schema_version + dump.substr(end);
}

TEST_P(admin_test, a_truncated_dump_is_refused_and_changes_nothing) {
  isolated_db target(GetParam());
  auto const to = target.open();
  std::istringstream in(without_last_line(dump_of(db())));
  expect_error(errc::validation_failed, [&] { restore(to, in); });
  EXPECT_TRUE(tables_of(to).empty());  // not even migrated
}

TEST_P(admin_test, a_dump_header_that_is_not_an_integer_version_is_validation_failed) {
  isolated_db target(GetParam());
  auto const to = target.open();
  auto const text = dump_of(db());
  for (auto const* version : {"\"3\"", "1.5", "1e30", "-3", "null", "18446744073709551615"}) {
    SCOPED_TRACE(version);
    std::istringstream in(with_header(text, version));
    expect_error(errc::validation_failed, [&] { restore(to, in); });  // never boost::system::system_error
  }
  EXPECT_TRUE(tables_of(to).empty());
}

TEST_P(admin_test, a_failed_restore_leaves_the_database_as_it_was) {
  isolated_db target(GetParam());
  auto const to = target.open();
  std::istringstream not_json("this is not JSON\n");
  expect_error(errc::validation_failed, [&] { restore(to, not_json); });
  EXPECT_TRUE(tables_of(to).empty());

  // A generated key no backend can continue from is refused before any write.
  auto const text = dump_of(db());
  auto negative = text;
  auto const key = negative.find("\"id\":" + std::to_string(alice_) + ",");
  ASSERT_NE(key, std::string::npos);
  negative.replace(key, 5 + std::to_string(alice_).size(), "\"id\":-5");
  std::istringstream negative_in(negative);
  expect_error(errc::validation_failed, [&] { restore(to, negative_in); });
  EXPECT_TRUE(tables_of(to).empty());

  // A row the database refuses (a duplicate key) after other rows went in:
  // the migrations, the rows and the key generators are one transaction.
  auto duplicate = text;
  auto const users = duplicate.find("{\"table\":\"users\"");
  auto const line = duplicate.substr(users, duplicate.find('\n', users) + 1 - users);
  duplicate.insert(duplicate.find("{\"table\":\"tasks\""), line);
  auto const count = duplicate.find("\"users\":2");
  ASSERT_NE(count, std::string::npos);
  duplicate.replace(count, 9, "\"users\":3");
  std::istringstream duplicate_in(duplicate);
  expect_error(errc::already_exists, [&] { restore(to, duplicate_in); });
  if (to.backend().kind() == backend_kind::mysql) {
    // DDL commits on MariaDB: the schema stays, every table empty.
    for (auto const& [table, n] : table_row_counts(to)) EXPECT_EQ(n, 0u) << table;
  } else {
    EXPECT_TRUE(tables_of(to).empty());
  }
  std::istringstream again(text);  // nothing blocks the next attempt
  EXPECT_EQ(restore(to, again), total_rows());
  EXPECT_EQ(dump_of(to), text);
}

TEST_P(admin_test, a_stored_json_value_as_deep_as_the_api_accepts_restores) {
  // 31 levels: deeper than Boost.JSON's default parse depth once inside a row line.
  boost::json::value deep = 1;
  for (int i = 0; i < 30; ++i) deep = boost::json::array{deep};
  task_service tasks(db());
  task_claims claims(db());
  auto const t = tasks.create({.user_id = alice_, .tool_id = "deep", .agents = {}});
  tasks.queue(t.task_id, alice_);
  try {
    claims.fail(claims.start_processing(t.task_id, "w", 1min), "E", "deep", boost::json::object{{"k", deep}});
  } catch (error const& e) {
    ASSERT_EQ(e.code(), errc::validation_failed) << e.what();
    return;  // a lower documented limit: nothing that deep is stored, so no dump holds it
  }
  auto const text = dump_of(db());
  isolated_db target(GetParam());
  auto const to = target.open();
  std::istringstream in(text);
  EXPECT_EQ(restore(to, in), total_rows());
  EXPECT_EQ(dump_of(to), text);
}

TEST_P(admin_test, copy_checks_the_target_before_its_first_write) {
  isolated_db target(GetParam());
  auto const to = target.open();
  migrator(to, builtin_migrations()).migrate_to(1);
  user_service(to).create("carol@example.com", "Carol");  // not empty either: still refused before any write
  expect_error(errc::schema_mismatch, [&] {
    try {
      copy_database(db(), to);
    } catch (error const& e) {
      EXPECT_NE(std::string(e.what()).find("migrate the target"), std::string::npos) << e.what();
      throw;
    }
  });
  EXPECT_EQ(migrator(to, builtin_migrations()).status().current_version, 1);  // not migrated to 3
  EXPECT_EQ(soci_repository<user>(to).count(query<user>{}), 1u);

  // A source behind the migrations: the advice names the source.
  isolated_db behind(GetParam());
  auto const old = behind.open();
  migrator(old, builtin_migrations()).migrate_to(2);
  isolated_db fresh(GetParam());
  auto const empty = fresh.open();
  try {
    copy_database(old, empty);
    ADD_FAILURE() << "no error";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::schema_mismatch);
    EXPECT_NE(std::string(e.what()).find("migrate the source to " + std::to_string(latest_version())),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(tables_of(empty).empty());
}

TEST_P(admin_test, a_failed_copy_leaves_the_target_as_it_was_and_can_run_again) {
  // A source row the target's CHECK refuses, planted past the source's own.
  auto const t = task_service(db()).list(alice_).tasks.at(0);
  auto const planted = "UPDATE tasks SET progress = 150 WHERE task_id = '" + t.task_id.to_string() + "'";
  if (db().backend().kind() == backend_kind::sqlite) {
    detail::with_pinned_session(db(), [&](auto&) {
      db().execute("PRAGMA ignore_check_constraints = ON");
      db().execute(planted);
      db().execute("PRAGMA ignore_check_constraints = OFF");
    });
  } else {
    db().execute("ALTER TABLE tasks DROP CONSTRAINT ck_tasks_progress");
    db().execute(planted);
  }
  isolated_db target(GetParam());
  auto const to = target.open();
  EXPECT_THROW(copy_database(db(), to), error);
  if (to.backend().kind() == backend_kind::mysql) {
    for (auto const& [table, n] : table_row_counts(to)) EXPECT_EQ(n, 0u) << table;  // users went back too
  } else {
    EXPECT_TRUE(tables_of(to).empty());
  }
  db().execute("UPDATE tasks SET progress = 100 WHERE task_id = '" + t.task_id.to_string() + "'");
  EXPECT_EQ(copy_database(db(), to), total_rows());
}

TEST_P(admin_test, a_file_backup_replaces_its_target_only_when_complete) {
  auto const dir = std::filesystem::temp_directory_path() / ("taskstore-admin-" + unique_suffix());
  std::filesystem::create_directories(dir);
  auto const path = dir / "backup.jsonl";
  std::ofstream(path) << "precious\n";
  isolated_db behind(GetParam());
  auto const old = behind.open();
  migrator(old, builtin_migrations()).migrate_to(1);
  expect_error(errc::schema_mismatch, [&] { dump_to_file(old, path); });
  auto slurp = [](std::filesystem::path const& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(slurp(path), "precious\n");
  EXPECT_EQ(dump_to_file(db(), path), total_rows());
  EXPECT_EQ(slurp(path), dump_of(db()));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);  // no temporary file left
  if (db().backend().kind() == backend_kind::sqlite && !db().options().in_memory) {
    for (auto const* suffix : {"", "-wal", "-shm"}) {
      auto const own = db().options().path + suffix;
      expect_error(errc::validation_failed, [&] { dump_to_file(db(), own); });
      expect_error(errc::validation_failed, [&] { sqlite_backup(db(), own); });
    }
    EXPECT_EQ(stats(db()).rows.at("tasks"), 2);
  }
  std::filesystem::remove_all(dir);
}

// --- User migrations and tables (issue 31) --------------------------------------

using with_counters = boost::mp11::mp_push_back<domain_entities, sample_ns::counter>;

migration counters_migration() {
  return {.version = 1000,
          .name = "counters",
          .up = [](sql::dialect const& d) { return sql::create_table_sql<sample_ns::counter>(d); },
          .down = [](sql::dialect const&) { return std::vector<std::string>{"DROP TABLE counters"}; }};
}

TEST_P(admin_test, user_migrations_and_tables_are_first_class) {
  migrate_to_latest(db(), {counters_migration()});
  EXPECT_EQ(migrator(db(), detail::with_builtin({counters_migration()})).status().current_version, 1000);
  soci_repository<sample_ns::counter>(db()).insert({0, "hits", 7, 0});

  // Without the user's migrations: refused with advice naming the source and the fix.
  isolated_db target(GetParam());
  auto const to = target.open();
  try {
    copy_database(db(), to);
    ADD_FAILURE() << "no error";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::schema_mismatch);
    std::string const what = e.what();
    EXPECT_NE(what.find("the source has migration 1000 (counters)"), std::string::npos) << what;
    EXPECT_NE(what.find("--migrations"), std::string::npos) << what;
  }
  EXPECT_TRUE(tables_of(to).empty());

  // The domain's tables only: every table left out is named.
  std::vector<std::string> warnings;
  admin_options options{.migrations = {counters_migration()},
                        .warning = [&](std::string_view w) { warnings.emplace_back(w); }};
  std::ostringstream out;
  dump(db(), out, options);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("table counters"), std::string::npos) << warnings[0];
  warnings.clear();
  EXPECT_EQ(copy_database(db(), to, options), total_rows());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("table counters"), std::string::npos) << warnings[0];

  // With the user's table in the list: copied, dumped and restored too.
  isolated_db target2(GetParam());
  auto const to2 = target2.open();
  warnings.clear();
  EXPECT_EQ(copy_database<with_counters>(db(), to2, options), total_rows() + 1);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(soci_repository<sample_ns::counter>(to2).find(query<sample_ns::counter>{}).at(0).value, 7);
  std::ostringstream full;
  dump<with_counters>(db(), full, options);
  isolated_db target3(GetParam());
  auto const to3 = target3.open();
  std::istringstream in(full.str());
  EXPECT_EQ(restore<with_counters>(to3, in, options), total_rows() + 1);
  std::ostringstream again;
  dump<with_counters>(to3, again, options);
  EXPECT_EQ(again.str(), full.str());
  // The same dump without the user's migrations: the advice says to give them.
  isolated_db target4(GetParam());
  auto const to4 = target4.open();
  std::istringstream in4(full.str());
  try {
    restore<with_counters>(to4, in4);
    ADD_FAILURE() << "no error";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::schema_mismatch);
    EXPECT_NE(std::string(e.what()).find("give the migrations"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(tables_of(to4).empty());
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(admin_test);

}  // namespace
