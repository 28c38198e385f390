// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The `taskstore` tool driven as a process on every backend: exit codes,
// --json output parsed, confirmation refused without a terminal, passwords
// never printed, and the move from SQLite to a server in one command.

#include <taskstore/service/admin.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/cli_runner.hpp"
#include "support/isolated_db.hpp"

#include <boost/json/parse.hpp>

#include <filesystem>
#include <sstream>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

void workload(database const& db) {
  auto const ada = user_service(db).find_or_create("ada@example.com", "Ada Grüße");
  task_service tasks(db);
  for (int i = 0; i < 3; ++i) {
    auto t = tasks.create({.user_id = ada.id, .tool_id = "profile", .agents = {"a", "b"}, .title = "t ✓"});
    tasks.queue(t.task_id, ada.id);
    if (i == 0) tasks.complete(tasks.start_processing(t.task_id, "w", 1min), "done", 5, 0.5);
  }
}

std::string dump_of(database const& db) {
  std::ostringstream out;
  dump(db, out);
  return out.str();
}

class cli_test : public backend_test {};

TEST_P(cli_test, init_stats_tasks_and_migrate_status_speak_json) {
  auto const url = env().url();
  auto r = taskstore_cli({"--db", url, "init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  workload(db());
  r = taskstore_cli({"--db", url, "stats", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto const s = boost::json::parse(r.out).as_object();
  EXPECT_EQ(s.at("rows").at("tasks"), 3);
  EXPECT_EQ(s.at("tasks_by_status").at("QUEUED"), 2);
  EXPECT_EQ(s.at("schema_version"), 3);

  r = taskstore_cli({"--db", url, "tasks", "list", "--status", "QUEUED", "--limit", "1", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto const list = boost::json::parse(r.out).as_object();
  EXPECT_EQ(list.at("pagination").at("total"), 2);
  EXPECT_EQ(list.at("pagination").at("has_more"), true);
  auto const id = std::string(list.at("tasks").as_array().at(0).at("task_id").as_string());
  r = taskstore_cli({"--db", url, "tasks", "show", id, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(boost::json::parse(r.out).at("title"), "t ✓");

  r = taskstore_cli({"--db", url, "migrate", "status", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(boost::json::parse(r.out).at("current_version"), 3);
  r = taskstore_cli({"--db", url, "migrate", "down"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = taskstore_cli({"--db", url, "migrate", "up"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(task_service(db()).find(uuid::parse(id))->agents_total, 2);  // backfilled again
}

TEST_P(cli_test, errors_have_distinct_exit_codes_and_change_nothing) {
  auto const url = env().url();
  ASSERT_EQ(taskstore_cli({"--db", url, "init"}).exit_code, 0);
  workload(db());
  EXPECT_EQ(taskstore_cli({"--db", url, "migrate", "down", "--steps", "0"}).exit_code, 2);  // usage
  EXPECT_EQ(taskstore_cli({"--db", url, "frobnicate"}).exit_code, 2);
  auto r = taskstore_cli({"--db", url, "recreate"});  // no terminal to confirm on
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("--yes"), std::string::npos) << r.err;
  EXPECT_EQ(stats(db()).rows.at("tasks"), 3);
  r = taskstore_cli({"--db", url, "tasks", "show", uuid::generate_v7().to_string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not_found"), std::string::npos) << r.err;
  r = taskstore_cli({"--db", url, "migrate", "up", "--to", "99"});
  EXPECT_EQ(r.exit_code, 4);  // bad_config: admin_required
  EXPECT_EQ(taskstore_cli({"--db", url, "recreate", "--yes"}).exit_code, 0);
  EXPECT_EQ(stats(db()).rows.at("tasks"), 0);
  auto const help = taskstore_cli({"copy", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--to"), std::string::npos);
}

TEST_P(cli_test, integrity_cleanup_and_optimize) {
  auto const url = env().url();
  ASSERT_EQ(taskstore_cli({"--db", url, "init"}).exit_code, 0);
  workload(db());
  auto r = taskstore_cli({"--db", url, "integrity"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  db().execute("UPDATE tasks SET progress = 7 WHERE status = 'COMPLETED'");  // planted
  r = taskstore_cli({"--db", url, "integrity", "--json"});
  EXPECT_EQ(r.exit_code, 4);
  auto const report = boost::json::parse(r.out);
  ASSERT_EQ(report.at("problems").as_array().size(), 1u);
  EXPECT_EQ(report.at("problems").at(0).at("check"), "COMPLETED tasks have progress 100 and completed_at");
  r = taskstore_cli({"--db", url, "cleanup", "--dry-run", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(boost::json::parse(r.out).at("dry_run"), true);
  EXPECT_EQ(taskstore_cli({"--db", url, "cleanup"}).exit_code, 0);
  EXPECT_EQ(taskstore_cli({"--db", url, "optimize"}).exit_code, 0);
  EXPECT_EQ(stats(db()).rows.at("tasks"), 3);
}

TEST_P(cli_test, migrate_adopt_takes_a_database_once) {
  auto const url = env().url();
  db().execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL)");
  db().execute("INSERT INTO users (id, email) VALUES (7, 'ada@example.com')");
  auto r = taskstore_cli({"--db", url, "migrate", "adopt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 row(s) carried over"), std::string::npos) << r.out;
  EXPECT_EQ(user_service(db()).find(7)->email, "ada@example.com");
  EXPECT_EQ(taskstore_cli({"--db", url, "migrate", "adopt"}).exit_code, 4);  // already managed
}

TEST_P(cli_test, a_password_in_a_url_is_never_printed) {
  auto url = env().url();
  if (is(test_backend::sqlite_file)) url = "postgresql://ada:pw@127.0.0.1:1/x";  // nothing listens on port 1
  auto const at = url.find('@');
  auto const colon = url.rfind(':', at);
  url = url.substr(0, colon + 1) + "wrong-s3cret" + url.substr(at);
  ASSERT_NE(url.find("wrong-s3cret"), std::string::npos);
  auto const r = taskstore_cli({"--db", url, "stats"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ((r.out + r.err).find("wrong-s3cret"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("***"), std::string::npos) << r.err;
}

TEST_P(cli_test, an_sqlite_database_moves_here_in_one_command) {
  // Done-when of the migrations issue: init on SQLite, a workload, copy to
  // this backend; stats and dumps of both are identical.
  temp_sqlite_file file;
  ASSERT_EQ(taskstore_cli({"--db", file.url(), "init"}).exit_code, 0);
  auto const source = database::open(file.url());
  workload(source);
  auto r = taskstore_cli({"--db", file.url(), "copy", "--to", env().url()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("copied"), std::string::npos);
  auto const a = taskstore_cli({"--db", file.url(), "stats", "--json"});
  auto const b = taskstore_cli({"--db", env().url(), "stats", "--json"});
  EXPECT_EQ(boost::json::parse(a.out).at("rows"), boost::json::parse(b.out).at("rows"));
  EXPECT_EQ(boost::json::parse(a.out).at("tasks_by_status"), boost::json::parse(b.out).at("tasks_by_status"));
  EXPECT_EQ(dump_of(source), dump_of(db()));

  // backup → restore through files, too
  auto const backup = fs::temp_directory_path() / ("taskstore_backup_" + uuid::generate_v4().to_string() + ".jsonl");
  ASSERT_EQ(taskstore_cli({"--db", env().url(), "backup", backup.string()}).exit_code, 0);
  temp_sqlite_file restored;
  r = taskstore_cli({"--db", restored.url(), "restore", backup.string()});
  fs::remove(backup);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dump_of(database::open(restored.url())), dump_of(source));
}

// A process cannot share an in-memory database: every other backend.
INSTANTIATE_TEST_SUITE_P(conformance, cli_test,
                         ::testing::Values(test_backend::sqlite_file, test_backend::postgresql, test_backend::mysql),
                         backend_name{});

}  // namespace
