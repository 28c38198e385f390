// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Administration on every backend: dump → restore and copy between every
// pair of backends keep every row and value exactly; stats.

#include <taskstore/service/admin.hpp>
#include <taskstore/service/completion_service.hpp>
#include <taskstore/service/credit_service.hpp>
#include <taskstore/service/draft_service.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

#include <atomic>
#include <filesystem>
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
  auto t = tasks.create({.user_id = user,
                         .tool_id = "profile-my-data",
                         .agents = {"profiler", "score-risk"},
                         .title = "Grüße, 世界 🚀 'quoted'",
                         .workflow_id = "wf-1"});
  tasks.queue(t.task_id, user);
  auto const claim = tasks.start_processing(t.task_id, "worker-1", 5min);
  agent_run_service runs(db);
  runs.finish(runs.start(t.task_id, "profiler").id, agent_run_status::COMPLETED, "ok", 10);
  event_service(db).append({.task_id = t.task_id, .event_type = event_kind::MESSAGE, .content = R"({"b":1,"a":[2]})"});
  tasks.complete(claim, "done", 42, 1.25);
  completion_service completions(db);
  completions.record(t.task_id);
  completions.update(t.task_id, {.summary_steps = "1. ✓"});
  auto const failed = tasks.create({.user_id = user, .tool_id = "x", .agents = {}});
  tasks.queue(failed.task_id, user);
  tasks.fail(tasks.start_processing(failed.task_id, "w", 1min), "E", "boom",
             boost::json::object{{"z", 1}, {"a", boost::json::array{1.5, nullptr, "ü"}}});
  session_service sessions(db);
  auto const s = sessions.create(user);
  sessions.start(s.id, session_task_type::export_, t.task_id);
  sessions.fail(s.id, boost::json::object{{"why", "timeout"}});
  draft_service drafts(db);
  auto const d = drafts.add(t.task_id, "Hello", draft_kind::EMAIL, "writer");
  outbox_service(db).enqueue({t.task_id, "team@example.com", "S", "B", email_priority::HIGH, d.id});
  credit_service credits(db);
  credits.purchase(user, 100, "pack");
  credits.charge(t.task_id, 30);
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

TEST_P(admin_test, stats_count_rows_and_tasks_by_status) {
  auto const s = stats(db());
  EXPECT_EQ(s.rows.at("users"), 2);
  EXPECT_EQ(s.rows.at("tasks"), 2);
  EXPECT_EQ(s.rows.at("credit_transactions"), 2);
  EXPECT_EQ(s.tasks_by_status.at("COMPLETED"), 1);
  EXPECT_EQ(s.tasks_by_status.at("FAILED"), 1);
  EXPECT_EQ(s.tasks_by_status.at("QUEUED"), 0);
  EXPECT_GT(s.size_bytes, 0);
  EXPECT_EQ(s.schema_version, 3);
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
  for (auto const& [table, n] : table_row_counts(to)) EXPECT_EQ(n, 0u) << table;  // one transaction
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
  if (db().backend() != backend_kind::sqlite) {
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

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(admin_test);

}  // namespace
