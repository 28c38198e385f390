// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The `taskstore` tool driven as a process on every backend: exit codes,
// --json output parsed, confirmation refused without a terminal, passwords
// never printed, and the move from SQLite to a server in one command.

#include <taskstore/service/admin.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/cli_runner.hpp"
#include "support/isolated_db.hpp"

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

void workload(database const& db) {
  auto const ada = user_service(db).find_or_create("ada@example.com", "Ada Grüße");
  task_service tasks(db);
  task_claims claims(db);
  for (int i = 0; i < 3; ++i) {
    auto t = tasks.create({.user_id = ada.id, .tool_id = "profile", .agents = {"a", "b"}, .title = "t ✓"});
    tasks.queue(t.task_id, ada.id);
    if (i == 0)
      claims.complete(claims.start_processing(t.task_id, "w", 1min),
                      {.result_summary = "done", .tokens_used = 5, .execution_time = 0.5s});
  }
}

std::string dump_of(database const& db) {
  std::ostringstream out;
  dump(db, out);
  return out.str();
}

class cli_test : public backend_test {};

// Deployments start every worker process with `taskstore init`: through a pooler in transaction mode too,
// where no session lock holds from one transaction to the next.
TEST_P(cli_test, six_processes_initializing_one_database_at_once_all_succeed) {
  std::vector<std::future<cli_result>> runs;
  for (int i = 0; i < 6; ++i)
    runs.push_back(std::async(std::launch::async, [&] { return taskstore_cli({"--db", env().url(), "init"}); }));
  for (auto& run : runs) {
    auto const r = run.get();
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  auto const r = taskstore_cli({"--db", env().url(), "migrate", "status", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto const status = boost::json::parse(r.out).as_object();
  EXPECT_EQ(status.at("current_version"), latest_version());
  for (auto const& m : status.at("migrations").as_array()) EXPECT_EQ(m.at("state"), "applied") << m;
}

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
  EXPECT_EQ(s.at("schema_version"), latest_version());

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
  EXPECT_EQ(boost::json::parse(r.out).at("current_version"), latest_version());
  r = taskstore_cli({"--db", url, "migrate", "down", "--yes"});
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

TEST_P(cli_test, doctor_reports_every_check_and_exits_4_when_something_needs_attention) {
  auto const url = env().url();
  ASSERT_EQ(taskstore_cli({"--db", url, "init"}).exit_code, 0);
  workload(db());
  auto r = taskstore_cli({"--db", url, "doctor", "--plans"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("  query plans: ok"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("claim the next tasks (tasks, "), std::string::npos) << r.out;
  // A task no worker could read, taken out of circulation: an operator must look at it.
  db().execute("UPDATE tasks SET status = 'FAILED', error_code = 'corrupt_value' WHERE status = 'COMPLETED'");
  r = taskstore_cli({"--db", url, "doctor"});
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_NE(r.out.find("ATTENTION  queues, unreadable tasks: 1 tasks"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("1 finding(s) need attention"), std::string::npos) << r.err;
  r = taskstore_cli({"--db", url, "doctor", "--json"});
  EXPECT_EQ(r.exit_code, 4);
  auto const report = boost::json::parse(r.out);
  EXPECT_EQ(report.at("checks").as_array().size(), 7u);
  EXPECT_EQ(report.at("plans").as_array().size(), 9u);
  auto const& findings = report.at("findings").as_array();
  ASSERT_EQ(findings.size(), 1u) << r.out;
  EXPECT_EQ(findings[0].at("level"), "attention");
  EXPECT_EQ(findings[0].at("subject"), "unreadable tasks");
  EXPECT_EQ(stats(db()).rows.at("tasks"), 3);  // doctor changes nothing
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

// --- Administration never destroys (issue 31) ----------------------------------

/// A scratch directory of one test, removed at its end.
struct scratch_dir {
  fs::path path = fs::temp_directory_path() / ("taskstore-cli-" + uuid::generate_v4().to_string());
  scratch_dir() { fs::create_directories(path); }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(std::string const& name) const { return (path / name).string(); }
};

TEST_P(cli_test, backup_never_destroys_what_it_protects) {
  auto const url = env().url();
  ASSERT_EQ(taskstore_cli({"--db", url, "init"}).exit_code, 0);
  workload(db());
  scratch_dir dir;
  auto const precious = dir / "precious.jsonl";
  std::ofstream(precious) << "precious\n";
  // An unreachable database: the existing file is untouched.
  auto r = taskstore_cli({"--db", "postgresql://ada:pw@127.0.0.1:1/x", "backup", precious});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(slurp(precious), "precious\n");
  // A complete backup replaces it, leaving no temporary file beside it.
  r = taskstore_cli({"--db", url, "backup", precious});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(precious), dump_of(db()));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), {}), 1);
  if (is(test_backend::sqlite_file)) {
    // The database itself (by any name) is refused and left whole.
    auto const own = database::open(url).options().path;
    for (auto const& target : {own, own + "-wal", fs::relative(own).string()}) {
      for (auto const* format : {"jsonl", "sqlite"}) {
        r = taskstore_cli({"--db", url, "backup", target, "--format", format});
        EXPECT_EQ(r.exit_code, 3) << target << ": " << r.err;
        EXPECT_NE(r.err.find("is the database itself"), std::string::npos) << r.err;
      }
    }
    EXPECT_EQ(stats(db()).rows.at("tasks"), 3);
    r = taskstore_cli({"--db", url, "backup", dir / "copy.db", "--format", "sqlite"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(dump_of(database::open("sqlite:///" + (dir / "copy.db"))), dump_of(db()));
    r = taskstore_cli({"--db", url, "backup", dir / "copy.db", "--format", "sqlite"});
    EXPECT_EQ(r.exit_code, 3) << r.err;  // already_exists: never overwritten
  }
}

TEST_P(cli_test, read_only_commands_never_create_a_database) {
  scratch_dir dir;
  auto const missing = "sqlite:///" + (dir / "missing.db");
  for (auto const& args : std::vector<std::vector<std::string>>{{"stats"},
                                                                {"tasks", "list"},
                                                                {"tasks", "show", uuid::generate_v7().to_string()},
                                                                {"migrate", "status"},
                                                                {"migrate", "down", "--yes"},
                                                                {"integrity"},
                                                                {"doctor"},
                                                                {"cleanup", "--dry-run"},
                                                                {"backup", dir / "b.jsonl"},
                                                                {"copy", "--to", env().url()}}) {
    std::vector<std::string> all{"--db", missing};
    all.insert(all.end(), args.begin(), args.end());
    auto const r = taskstore_cli(all);
    EXPECT_EQ(r.exit_code, 4) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("init"), std::string::npos) << r.err;  // says how to create it
    EXPECT_FALSE(fs::exists(dir / "missing.db")) << args[0];
    EXPECT_FALSE(fs::exists(dir / "b.jsonl"));
  }
  // A failed restore creates nothing either: the file is read before the database is opened.
  std::ofstream(dir / "garbage.jsonl") << "this is not JSON\n";
  auto const r = taskstore_cli({"--db", missing, "restore", dir / "garbage.jsonl"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_FALSE(fs::exists(dir / "missing.db"));
  EXPECT_TRUE(detail::list_tables(db()).empty());
}

TEST_P(cli_test, destructive_migrations_ask_and_refuse_without_a_terminal) {
  auto const url = env().url();
  ASSERT_EQ(taskstore_cli({"--db", url, "init"}).exit_code, 0);
  workload(db());
  auto const before = dump_of(db());
  for (auto const& args : std::vector<std::vector<std::string>>{
           {"migrate", "up", "--to", "0"}, {"migrate", "up", "--to", "2"}, {"migrate", "down"}, {"recreate"}}) {
    std::vector<std::string> all{"--db", url};
    all.insert(all.end(), args.begin(), args.end());
    auto const r = taskstore_cli(all);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("--yes"), std::string::npos) << r.err;
    EXPECT_EQ(dump_of(db()), before);
  }
  EXPECT_EQ(taskstore_cli({"--db", url, "migrate", "up", "--to", std::to_string(latest_version())}).exit_code,
            0);  // nothing rolled back
  auto r = taskstore_cli({"--db", url, "migrate", "up", "--to", "2", "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(migrator(db(), builtin_migrations()).status().current_version, 2);
  EXPECT_EQ(taskstore_cli({"--db", url, "migrate", "up", "--to", "3"}).exit_code, 0);  // forward: no question
  EXPECT_EQ(taskstore_cli({"--db", url, "migrate", "up", "--to", "0", "--yes"}).exit_code, 0);
  EXPECT_TRUE(detail::list_tables(db()) == std::vector<std::string>{"schema_migrations"});
}

TEST_P(cli_test, stored_text_cannot_drive_the_terminal) {
  auto const url = env().url();
  ASSERT_EQ(taskstore_cli({"--db", url, "init"}).exit_code, 0);
  auto const ada = user_service(db()).find_or_create("ada@example.com", "Ada");
  auto const forged = std::string("x\nFORGED  COMPLETED");
  auto const t = task_service(db()).create({.user_id = ada.id, .tool_id = "tool", .agents = {"a"}});
  db().execute("UPDATE tasks SET tool_id = '" + forged + "'");  // past any check of the API
  auto const hostile = std::string(
      "red \x1b[31m csi \xc2\x9b"
      "2J del \x7f bell \x07 done");
  event_service(db()).append({.task_id = t.task_id, .content = hostile});

  auto r = taskstore_cli({"--db", url, "tasks", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;  // one task, one summary: no forged line
  EXPECT_NE(r.out.find("x\\nFORGED"), std::string::npos) << r.out;
  r = taskstore_cli({"--db", url, "tasks", "show", t.task_id.to_string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (char const* raw : {"\x1b", "\xc2\x9b", "\x7f", "\x07"}) EXPECT_EQ(r.out.find(raw), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("red \\x1b[31m csi \\u009b2J del \\x7f bell \\x07 done"), std::string::npos) << r.out;
  // JSON stays JSON, and says the same text.
  r = taskstore_cli({"--db", url, "tasks", "show", t.task_id.to_string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (char const* raw : {"\x1b", "\xc2\x9b", "\x7f", "\nFORGED"})
    EXPECT_EQ(r.out.find(raw), std::string::npos) << r.out;
  EXPECT_EQ(boost::json::parse(r.out).at("tool_id").as_string(), forged);
}

TEST_P(cli_test, migrate_create_takes_a_plain_word_and_checks_its_writes) {
  scratch_dir dir;
  for (auto const* name : {"a/b", "../up", "has space", "dots.sql", "", "UPPER"}) {
    auto const r = taskstore_cli({"migrate", "create", name, "--dir", dir / "migrations"});
    EXPECT_EQ(r.exit_code, 2) << name << ": " << r.out << r.err;
  }
  EXPECT_FALSE(fs::exists(dir / "migrations"));
  EXPECT_FALSE(fs::exists(dir / "b.up.sql"));
  std::ofstream(dir / "file") << "x";  // a file where the directory should be
  auto r = taskstore_cli({"migrate", "create", "add_notes", "--dir", dir / "file"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  r = taskstore_cli({"migrate", "create", "add_notes", "--dir", dir / "migrations"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "migrations/1000_add_notes.up.sql"));
}

TEST_P(cli_test, user_migrations_work_with_every_command_that_needs_them) {
  auto const url = env().url();
  scratch_dir dir;
  fs::create_directories(dir / "migrations");
  std::ofstream(dir / "migrations/1000_notes.up.sql")
      << "CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(100) NOT NULL);\n"
         "INSERT INTO notes (id, body) VALUES (1, 'hello');\n";
  std::ofstream(dir / "migrations/1000_notes.down.sql") << "DROP TABLE notes;\n";
  auto const migrations = dir / "migrations";
  auto r = taskstore_cli({"--db", url, "--migrations", migrations, "init"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  workload(db());
  r = taskstore_cli({"--db", url, "init"});  // without them: refused, saying what to give
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("--migrations"), std::string::npos) << r.err;

  // backup without them: the table left out is named.
  r = taskstore_cli({"--db", url, "backup", dir / "b.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: table notes"), std::string::npos) << r.err;

  temp_sqlite_file target;
  r = taskstore_cli({"--db", url, "copy", "--to", target.url()});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("the source has migration 1000 (notes)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--migrations"), std::string::npos) << r.err;
  r = taskstore_cli({"--db", url, "--migrations", migrations, "copy", "--to", target.url()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: table notes"), std::string::npos) << r.err;
  EXPECT_EQ(migrator(database::open(target.url()), builtin_migrations()).status().current_version, 1000);

  temp_sqlite_file restored;
  r = taskstore_cli({"--db", restored.url(), "restore", dir / "b.jsonl"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("--migrations"), std::string::npos) << r.err;
  r = taskstore_cli({"--db", restored.url(), "--migrations", migrations, "restore", dir / "b.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dump_of(database::open(restored.url())), dump_of(db()));
  r = taskstore_cli({"--db", restored.url(), "--migrations", migrations, "migrate", "status", "--json"});
  EXPECT_EQ(boost::json::parse(r.out).at("current_version"), 1000);
}

TEST_P(cli_test, only_taskstore_errors_leave_the_tool) {
  auto const url = env().url();
  ASSERT_EQ(taskstore_cli({"--db", url, "init"}).exit_code, 0);
  workload(db());
  scratch_dir dir;
  auto const text = dump_of(db());
  auto const field = "\"schema_version\":" + std::to_string(latest_version());
  auto const at = text.find(field);
  ASSERT_NE(at, std::string::npos);
  for (auto const* version : {"\"3\"", "1.5", "1e30"}) {
    auto const file = dir / "dump.jsonl";
    std::ofstream(file) << text.substr(0, at) << "\"schema_version\":" << version << text.substr(at + field.size());
    temp_sqlite_file target;
    auto const r = taskstore_cli({"--db", target.url(), "restore", file});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("(validation_failed, user_fixable)"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("boost"), std::string::npos) << r.err;
  }
  fs::create_directory_symlink(dir / "loop", dir / "loop");
  for (auto const& args :
       std::vector<std::vector<std::string>>{{"init"}, {"migrate", "status"}, {"copy", "--to", url}}) {
    std::vector<std::string> all{"--db", url, "--migrations", dir / "loop"};
    all.insert(all.end(), args.begin(), args.end());
    auto const r = taskstore_cli(all);
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("(bad_config, admin_required)"), std::string::npos) << r.err;
  }
  EXPECT_EQ(dump_of(db()), text);
}

TEST_P(cli_test, queue_pause_limit_and_stats) {
  auto const url = env().url();
  ASSERT_EQ(taskstore_cli({"--db", url, "init"}).exit_code, 0);
  workload(db());  // profile: one COMPLETED, two QUEUED
  auto r = taskstore_cli({"--db", url, "queue", "pause", "profile"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(task_claims(db()).claim_next("w", 1min)) << "a paused tool's task was claimed";
  r = taskstore_cli({"--db", url, "queue", "limit", "profile", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = taskstore_cli({"--db", url, "queue", "stats", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto const stats = boost::json::parse(r.out).as_array();
  ASSERT_EQ(stats.size(), 1u) << r.out;
  EXPECT_EQ(stats[0].at("tool_id"), "profile");
  EXPECT_EQ(stats[0].at("paused"), true);
  EXPECT_EQ(stats[0].at("max_processing"), 1);
  EXPECT_EQ(stats[0].at("queued"), 2);
  EXPECT_EQ(stats[0].at("processing"), 0);
  ASSERT_EQ(taskstore_cli({"--db", url, "queue", "resume", "profile"}).exit_code, 0);
  EXPECT_EQ(task_claims(db()).claim_batch("w", 5, 1min).size(), 1u) << "the limit of 1 was not kept";

  auto const before = dump_of(db());
  for (auto const& args : std::vector<std::vector<std::string>>{
           {"queue", "limit", "profile", "-1"}, {"queue", "limit", "profile", "x"}, {"queue", "pause", ""}}) {
    std::vector<std::string> all{"--db", url};
    all.insert(all.end(), args.begin(), args.end());
    r = taskstore_cli(all);
    EXPECT_EQ(r.exit_code, 3) << args[2] << ": " << r.err;  // validation_failed: user_fixable
    EXPECT_NE(r.err.find("validation_failed"), std::string::npos) << r.err;
  }
  EXPECT_EQ(dump_of(db()), before);
}

// A process cannot share an in-memory database: every other backend.
INSTANTIATE_TEST_SUITE_P(conformance, cli_test,
                         ::testing::Values(test_backend::sqlite_file, test_backend::postgresql, test_backend::mysql,
                                           test_backend::postgresql_pooler),
                         backend_name{});

}  // namespace
