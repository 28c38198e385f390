// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// `taskstore work` with shell scripts as the program, and the task verbs
// around it (tasks create/cancel/retry/requeue, events --follow, queue
// stats), as processes on every backend a process can share.

#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/catalog.hpp"
#include "support/child_process.hpp"
#include "support/cli_runner.hpp"
#include "support/eventually.hpp"
#include "support/isolated_db.hpp"

#include <boost/json/parse.hpp>

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// A scratch directory of one test, removed at its end.
struct scratch {
  fs::path path = fs::temp_directory_path() / ("taskstore-work-" + uuid::generate_v4().to_string());
  scratch() { fs::create_directories(path); }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  /// Writes an executable shell script; @returns its path.
  std::string script(std::string const& name, std::string const& body) const {
    auto const p = path / name;
    std::ofstream(p) << "#!/bin/sh\n" << body;
    fs::permissions(p, fs::perms::owner_all);
    return p.string();
  }
  std::string operator/(std::string const& name) const { return (path / name).string(); }
};

/// The process group id a script wrote to `file` ($$: it leads its group), once it has.
pid_t group_in(std::string const& file) {
  pid_t pgid = 0;
  eventually([&] {
    std::ifstream in(file);
    return static_cast<bool>(in >> pgid) && pgid > 0;
  });
  return pgid;
}

bool group_alive(pid_t pgid) { return ::kill(-pgid, 0) == 0; }

class work_test : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto const r = taskstore_cli({"--db", env().url(), "init"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    owner = user_service(db()).find_or_create("ada@example.com", "Ada").id;
  }

  /// A QUEUED task of `tool`.
  task queued(std::string const& tool = "sh", std::int32_t max_attempts = 3) {
    task_service tasks(db());
    auto const t = tasks.create({.user_id = owner, .tool_id = tool, .max_attempts = max_attempts});
    return tasks.queue(t.task_id, owner);
  }
  task reread(task const& t) { return *task_service(db()).find(t.task_id); }
  std::vector<event_log> events_of(task const& t) { return task_service(db()).events(t.task_id, owner); }
  bool has_event(task const& t, std::string const& text) {
    for (auto const& e : events_of(t))
      if (e.content && e.content->find(text) != std::string::npos) return true;
    return false;
  }

  /// `taskstore work --until-idle` on the sh tool with short leases.
  cli_result work_until_idle(std::vector<std::string> program) {
    std::vector<std::string> args{"work",    "--db", env().url(), "--tool", "sh", "--until-idle",
                                  "--lease", "1",    "--grace",   "1",      "--"};
    args.insert(args.end(), program.begin(), program.end());
    return taskstore_cli(args);
  }
  /// `taskstore work` running in the background until it is signalled.
  std::unique_ptr<child_process> work_in_background(std::vector<std::string> program, std::string grace = "1") {
    std::vector<std::string> args{TASKSTORE_CLI_PATH, "work", "--db",    env().url(), "--tool", "sh",
                                  "--lease",          "1",    "--grace", grace,       "--"};
    args.insert(args.end(), program.begin(), program.end());
    return std::make_unique<child_process>(args);
  }

  std::int64_t owner = 0;
};

TEST_P(work_test, a_program_reports_progress_events_and_its_result) {
  scratch dir;
  auto const program = dir.script("ok.sh", R"(read -r task
echo "event input $task"
echo "event env $TASKSTORE_TASK_ID $TASKSTORE_ATTEMPT ${TASKSTORE_DATABASE_URL:-no-url}"
echo "progress 50 planner"
echo "progress nope"
echo "just a line"
echo "to stderr" >&2
echo "result first"
echo "result all done"
)");
  auto const t = queued();
  auto const r = work_until_idle({program});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 completed"), std::string::npos) << r.out;
  auto const done = reread(t);
  EXPECT_EQ(done.status, task_status::COMPLETED);
  EXPECT_EQ(done.result_summary, "all done");  // the last result line wins
  EXPECT_EQ(done.current_agent, "planner");
  EXPECT_GT(done.execution_time.count(), 0.0);
  EXPECT_TRUE(has_event(t, "\"task_id\":\"" + t.task_id.to_string() + "\"")) << "the task's JSON on stdin";
  EXPECT_TRUE(has_event(t, "env " + t.task_id.to_string() + " 1 no-url"));
  EXPECT_TRUE(has_event(t, "just a line"));
  bool warned = false;
  for (auto const& e : events_of(t))
    warned = warned || (e.level == log_level::warning && e.content->find("progress nope") != std::string::npos);
  EXPECT_TRUE(warned) << "a malformed line is logged as a warning";
  EXPECT_NE(r.err.find("to stderr"), std::string::npos) << "stderr passes through";
}

TEST_P(work_test, a_long_line_is_cut_and_bytes_that_are_not_utf8_are_replaced) {
  scratch dir;
  auto const program = dir.script("odd.sh", R"(head -c 100000 /dev/zero | tr '\000' x
echo
printf 'event bad \377 nul \000 end\n'
echo 'result ok'
)");
  auto const t = queued();
  auto const r = work_until_idle({program});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(reread(t).status, task_status::COMPLETED);
  EXPECT_EQ(reread(t).result_summary, "ok");
  bool cut = false;
  for (auto const& e : events_of(t))
    cut =
        cut || (e.content && e.content->size() == 64 * 1024 && e.content->find_first_not_of('x') == std::string::npos);
  EXPECT_TRUE(cut) << "the 100000-byte line is kept to its first 64 KiB";
  EXPECT_TRUE(has_event(t, "bad \xef\xbf\xbd nul \xef\xbf\xbd end"));
}

TEST_P(work_test, a_failing_program_fails_the_attempt_with_its_status_and_stderr) {
  scratch dir;
  auto const program = dir.script("fail.sh", "echo 'it went boom' >&2\nexit 3\n");
  auto const t = queued("sh", 1);
  auto const r = work_until_idle({program});
  EXPECT_EQ(r.exit_code, 6) << r.err;  // --until-idle: a program failed
  auto const failed = reread(t);
  EXPECT_EQ(failed.status, task_status::FAILED);
  EXPECT_EQ(failed.error_code, "exit_status");
  ASSERT_TRUE(failed.error_message);
  EXPECT_NE(failed.error_message->find("status 3"), std::string::npos) << *failed.error_message;
  EXPECT_NE(failed.error_message->find("it went boom"), std::string::npos) << *failed.error_message;
  ASSERT_TRUE(failed.failure_context);
  EXPECT_EQ(failed.failure_context->at("exit_status"), 3);

  // A program killed by a signal fails likewise.
  auto const killer = dir.script("kill.sh", "kill -9 $$\n");
  auto const u = queued("sh", 1);
  EXPECT_EQ(work_until_idle({killer}).exit_code, 6);
  EXPECT_EQ(reread(u).error_code, "signal");
  EXPECT_EQ(reread(u).failure_context->at("signal"), 9);
}

TEST_P(work_test, a_failed_attempt_is_retried_and_requeue_makes_it_claimable_now) {
  scratch dir;
  auto const program = dir.script("flaky.sh", "[ \"$TASKSTORE_ATTEMPT\" = 1 ] && exit 3\necho 'result second time'\n");
  auto const t = queued("sh", 3);
  EXPECT_EQ(work_until_idle({program}).exit_code, 6);
  auto const waiting = reread(t);
  ASSERT_EQ(waiting.status, task_status::QUEUED);  // retried, after the backoff
  EXPECT_EQ(waiting.attempt, 1);
  EXPECT_EQ(waiting.error_code, "exit_status");
  ASSERT_TRUE(waiting.run_after);
  EXPECT_GT(*waiting.run_after, timestamp::now());

  // The operator makes it claimable now; its attempt stays spent.
  auto r = taskstore_cli({"--db", env().url(), "tasks", "requeue", t.task_id.to_string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(boost::json::parse(r.out).at("status"), "QUEUED");
  EXPECT_LE(*reread(t).run_after, timestamp::now());
  r = work_until_idle({program});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto const done = reread(t);
  EXPECT_EQ(done.status, task_status::COMPLETED);
  EXPECT_EQ(done.attempt, 2);
  EXPECT_EQ(done.result_summary, "second time");
}

TEST_P(work_test, a_cancelled_task_stops_its_program_and_every_process_of_its_group) {
  scratch dir;
  // The script leads its group; the sleep it waits for is a member that must die too.
  auto const program = dir.script("hang.sh", "echo $$ > \"$1\"\nsleep 1000 &\nwait\n");
  auto const t = queued();
  auto worker = work_in_background({program, dir / "pgid"});
  auto const pgid = group_in(dir / "pgid");
  ASSERT_GT(pgid, 0);
  EXPECT_TRUE(group_alive(pgid));
  auto const r = taskstore_cli({"--db", env().url(), "tasks", "cancel", t.task_id.to_string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CANCELLED"), std::string::npos);
  // A heartbeat (a third of the 1 s lease) sees it; SIGTERM ends the group.
  EXPECT_TRUE(eventually([&] { return !group_alive(pgid); }, 5s)) << "the process group outlived the cancel";
  EXPECT_EQ(reread(t).status, task_status::CANCELLED);
  worker->kill(SIGTERM);
  EXPECT_EQ(worker->wait(), 0);
}

TEST_P(work_test, a_program_that_ignores_sigterm_gets_sigkill_after_the_grace) {
  scratch dir;
  auto const program = dir.script("stubborn.sh", "trap '' TERM\necho $$ > \"$1\"\nwhile :; do sleep 0.1; done\n");
  auto const t = queued();
  auto worker = work_in_background({program, dir / "pgid"}, "1");
  auto const pgid = group_in(dir / "pgid");
  ASSERT_GT(pgid, 0);
  auto const cancelled_at = std::chrono::steady_clock::now();
  ASSERT_EQ(taskstore_cli({"--db", env().url(), "tasks", "cancel", t.task_id.to_string()}).exit_code, 0);
  EXPECT_TRUE(eventually([&] { return !group_alive(pgid); }, 6s)) << "SIGKILL never came";
  // SIGTERM came after the cancel and was ignored: the group lived through the 1 s grace.
  EXPECT_GE(std::chrono::steady_clock::now() - cancelled_at, 900ms);
  worker->kill(SIGTERM);
  EXPECT_EQ(worker->wait(), 0);
}

TEST_P(work_test, sigterm_to_work_gives_running_tasks_back_without_spending_the_attempt) {
  scratch dir;
  auto const program = dir.script("hang.sh", "echo $$ > \"$1\"\nsleep 1000 &\nwait\n");
  auto const t = queued();
  auto worker = work_in_background({program, dir / "pgid"});
  auto const pgid = group_in(dir / "pgid");
  ASSERT_GT(pgid, 0);
  EXPECT_EQ(reread(t).status, task_status::PROCESSING);
  EXPECT_EQ(reread(t).attempt, 1);
  worker->kill(SIGTERM);
  EXPECT_EQ(worker->wait(), 0);  // a clean shutdown
  // Its members died with it; the sleep's exit is reaped by init, which takes a moment.
  EXPECT_TRUE(eventually([&] { return !group_alive(pgid); }, 3s));
  auto const back = reread(t);
  EXPECT_EQ(back.status, task_status::QUEUED);
  EXPECT_EQ(back.attempt, 0);
  EXPECT_EQ(soci_repository<task>(db()).count(query<task>{col(&task::status) == task_status::PROCESSING}), 0u);
}

TEST_P(work_test, a_program_that_ends_within_the_grace_completes_its_task) {
  scratch dir;
  auto const program = dir.script("slow.sh", "echo $$ > \"$1\"\nsleep 1\necho 'result finished'\n");
  auto const t = queued();
  auto worker = work_in_background({program, dir / "pgid"}, "5");
  ASSERT_GT(group_in(dir / "pgid"), 0);
  worker->kill(SIGINT);
  EXPECT_EQ(worker->wait(), 0);
  EXPECT_EQ(reread(t).status, task_status::COMPLETED);
  EXPECT_EQ(reread(t).result_summary, "finished");
}

TEST_P(work_test, until_idle_exits_at_once_on_an_empty_queue_and_a_missing_program_is_refused) {
  scratch dir;
  auto const program = dir.script("ok.sh", "exit 0\n");
  auto const other = queued("not-sh");  // another tool's task is not claimable for sh
  auto r = work_until_idle({program});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 claimed"), std::string::npos) << r.out;
  EXPECT_EQ(reread(other).status, task_status::QUEUED);
  r = work_until_idle({dir / "missing.sh"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("no such executable"), std::string::npos) << r.err;
  EXPECT_EQ(taskstore_cli({"--db", env().url(), "work", "--tool", "sh"}).exit_code, 2);  // no program
}

TEST_P(work_test, work_runs_the_fleets_maintenance_unless_told_not_to) {
  // A worker that died holding the task's last attempt: its lease expires.
  scratch dir;
  auto const program = dir.script("ok.sh", "exit 0\n");
  auto const t = queued("sh", 1);
  ASSERT_TRUE(task_claims(db()).claim_next("crashed", 1s, {.tool_ids = {"sh"}}));
  std::this_thread::sleep_for(1100ms);

  std::vector<std::string> args{"work", "--db", env().url(), "--tool", "sh", "--until-idle", "--no-maintenance",
                                "--",   program};
  auto r = taskstore_cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(reread(t).status, task_status::PROCESSING) << "nobody rescued it";

  r = work_until_idle({program});  // leads the maintenance: rescues first, then drains
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto const after = reread(t);
  EXPECT_EQ(after.status, task_status::FAILED);
  EXPECT_EQ(after.error_code, "retry_limit_exceeded");
  EXPECT_TRUE(query_text(db(), "SELECT holder FROM task_leaders").empty()) << "it stepped down on exit";
}

TEST_P(work_test, tasks_create_cancel_retry_and_requeue_act_for_the_owner) {
  auto const url = env().url();
  auto r = taskstore_cli({"--db", url, "tasks", "create", "--user", "ada@example.com", "--tool", "sh", "--agents",
                          "a,b", "--priority", "-5", "--queue", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto const created = boost::json::parse(r.out);
  EXPECT_EQ(created.at("status"), "QUEUED");
  auto const id = uuid::parse(created.at("task_id").as_string());
  auto const stored = *task_service(db()).find(id);
  EXPECT_EQ(stored.user_id, owner);
  EXPECT_EQ(stored.agents, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(stored.priority, -5);
  r = taskstore_cli({"--db", url, "tasks", "create", "--user", "nobody@example.com", "--tool", "sh"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not_found"), std::string::npos) << r.err;

  // requeue: a PROCESSING task back to QUEUED, its worker's lease revoked, its attempt not spent.
  task_service tasks(db());
  task_claims claims(db());
  auto claim = claims.start_processing(id, "w", 60s);
  r = taskstore_cli({"--db", url, "tasks", "requeue", id.to_string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto const requeued = *tasks.find(id);
  EXPECT_EQ(requeued.status, task_status::QUEUED);
  EXPECT_EQ(requeued.attempt, 0);
  EXPECT_FALSE(requeued.lease_token);
  try {
    claims.heartbeat(claim);
    ADD_FAILURE() << "the revoked lease still renews";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::conflict);
  }

  // retry: FAILED → QUEUED; cancel: QUEUED → CANCELLED; then requeue is refused.
  claims.fail(claims.start_processing(id, "w", 60s), "x", "failed");
  r = taskstore_cli({"--db", url, "tasks", "retry", id.to_string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tasks.find(id)->status, task_status::QUEUED);
  r = taskstore_cli({"--db", url, "tasks", "cancel", id.to_string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tasks.find(id)->status, task_status::CANCELLED);
  auto const before = *tasks.find(id);
  r = taskstore_cli({"--db", url, "tasks", "requeue", id.to_string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("invalid_transition"), std::string::npos) << r.err;
  EXPECT_EQ(tasks.find(id)->version, before.version);
  EXPECT_EQ(taskstore_cli({"--db", url, "tasks", "cancel", uuid::generate_v7().to_string()}).exit_code, 3);

  // Each action recorded its STATUS_CHANGE event.
  std::vector<std::string> changes;
  for (auto const& e : tasks.events(id, owner))
    if (e.event_type == event_kind::status_change) changes.push_back(*e.content);
  std::vector<std::string> const expected{"->CREATED",          "CREATED->QUEUED",    "QUEUED->PROCESSING",
                                          "PROCESSING->QUEUED", "QUEUED->PROCESSING", "PROCESSING->FAILED",
                                          "FAILED->QUEUED",     "QUEUED->CANCELLED"};
  EXPECT_EQ(changes, expected);
}

TEST_P(work_test, events_follow_prints_what_another_process_appends_until_the_task_ends) {
  auto const t = queued();
  event_service(db()).append({.task_id = t.task_id, .content = "before"});
  child_process follower(
      {TASKSTORE_CLI_PATH, "--db", env().url(), "events", "--follow", t.task_id.to_string(), "--json"});
  auto content_of = [](std::optional<std::string> const& line) -> std::string {
    if (!line) return "(nothing)";
    auto const v = boost::json::parse(*line);
    return v.at("content").is_string() ? std::string(v.at("content").as_string()) : "";
  };
  EXPECT_EQ(content_of(follower.read_line(10s)), "->CREATED");
  EXPECT_EQ(content_of(follower.read_line(10s)), "CREATED->QUEUED");
  EXPECT_EQ(content_of(follower.read_line(10s)), "before");
  event_service(db()).append({.task_id = t.task_id, .content = "while following"});
  EXPECT_EQ(content_of(follower.read_line(10s)), "while following");
  task_service(db()).cancel(t.task_id, owner);
  EXPECT_EQ(content_of(follower.read_line(10s)), "QUEUED->CANCELLED");
  EXPECT_FALSE(follower.read_line(10s)) << "it goes on after the task ended";
  EXPECT_EQ(follower.wait(), 0);
}

TEST_P(work_test, events_follow_ends_cleanly_on_sigint) {
  auto const t = queued();
  child_process follower({TASKSTORE_CLI_PATH, "--db", env().url(), "events", "--follow", t.task_id.to_string()});
  auto const first = follower.read_line(10s);
  ASSERT_TRUE(first);
  EXPECT_NE(first->find("->CREATED"), std::string::npos) << *first;
  follower.kill(SIGINT);
  EXPECT_EQ(follower.wait(), 0);
}

TEST_P(work_test, queue_stats_counts_per_tool) {
  task_claims claims(db());
  queued("alpha");
  queued("alpha");
  claims.start_processing(queued("beta").task_id, "w", 60s);
  auto const r = taskstore_cli({"--db", env().url(), "queue", "stats", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto const stats = boost::json::parse(r.out).as_array();
  ASSERT_EQ(stats.size(), 2u) << r.out;
  EXPECT_EQ(stats.at(0).at("tool_id"), "alpha");
  EXPECT_EQ(stats.at(0).at("queued"), 2);
  EXPECT_EQ(stats.at(0).at("processing"), 0);
  EXPECT_GE(stats.at(0).at("oldest_queued_age_s").to_number<double>(), 0.0);
  EXPECT_EQ(stats.at(1).at("tool_id"), "beta");
  EXPECT_EQ(stats.at(1).at("queued"), 0);
  EXPECT_EQ(stats.at(1).at("processing"), 1);
  EXPECT_TRUE(stats.at(1).at("oldest_queued_age_s").is_null());
}

// A process cannot share an in-memory database: every other backend.
INSTANTIATE_TEST_SUITE_P(conformance, work_test,
                         ::testing::Values(test_backend::sqlite_file, test_backend::postgresql, test_backend::mysql,
                                           test_backend::postgresql_pooler),
                         backend_name{});

}  // namespace
