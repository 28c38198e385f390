// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// `taskstore serve` as a process, over HTTP on a loopback socket, on every
// backend a process can share: health, metrics, the JSON API with its
// filters and keyset paging, the actions with and without the token, the
// event stream, and hostile requests, which get a clear refusal and change
// nothing.

#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/child_process.hpp"
#include "support/cli_runner.hpp"
#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/isolated_db.hpp"

#include <boost/json/parse.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

constexpr char const* token = "correct-horse-battery-staple";

/// `taskstore serve` on a free port, stopped at the end of the test.
class server_process {
 public:
  server_process(std::string const& url, std::vector<std::string> extra) {
    std::vector<std::string> args{TASKSTORE_CLI_PATH, "serve", "--db", url, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<child_process>(args);
    auto const line = process_->read_line(60s);
    std::smatch m;
    static std::regex const listening("listening on http://127\\.0\\.0\\.1:([0-9]+)/");
    if (!line || !std::regex_search(*line, m, listening))
      throw std::runtime_error("serve did not start: " + line.value_or("(no output)"));
    port_ = static_cast<unsigned short>(std::stoi(m[1]));
  }
  unsigned short port() const { return port_; }
  child_process& process() { return *process_; }

 private:
  std::unique_ptr<child_process> process_;
  unsigned short port_ = 0;
};

class serve_test : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    auto const r = taskstore_cli({"--db", env().url(), "init"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ada = user_service(db()).find_or_create("ada@example.com", "Ada").id;
    bob = user_service(db()).find_or_create("bob@example.com", "Bob").id;
    std::ofstream(token_file) << "  " << token << "\n";
  }
  void TearDown() override {
    server.reset();
    std::error_code ec;
    fs::remove(token_file, ec);
    backend_test::TearDown();
  }

  void start(std::vector<std::string> extra = {"--rate", "0"}, bool with_token = true) {
    if (with_token) {
      extra.push_back("--token-file");
      extra.push_back(token_file);
    }
    server = std::make_unique<server_process>(env().url(), extra);
  }
  unsigned short port() const { return server->port(); }

  http_response get(std::string const& target) { return http_request(port(), "GET", target); }
  json::value get_json(std::string const& target) {
    auto const r = get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json");
    return json::parse(r.body);
  }
  http_response post(std::string const& target, std::optional<std::string> bearer = token) {
    std::map<std::string, std::string> headers;
    if (bearer) headers["Authorization"] = "Bearer " + *bearer;
    return http_request(port(), "POST", target, headers);
  }

  task queued(std::int64_t user, std::string const& tool = "summarize") {
    task_service tasks(db());
    auto const t = tasks.create({.user_id = user, .tool_id = tool});
    return tasks.queue(t.task_id, user);
  }
  task reread(task const& t) { return *task_service(db()).find(t.task_id); }
  std::size_t events() { return soci_repository<event_log>(db()).count(); }

  std::int64_t ada = 0, bob = 0;
  std::string token_file =
      (fs::temp_directory_path() / ("taskstore-token-" + uuid::generate_v4().to_string())).string();
  std::unique_ptr<server_process> server;
};

TEST_P(serve_test, health_readiness_and_the_security_headers) {
  start();
  auto const health = get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  auto const ready = get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
  for (auto const& r : {health, ready, get("/api/tasks"), get("/nowhere")}) {
    EXPECT_NE(r.header("content-security-policy").find("default-src 'none'"), std::string::npos);
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("cache-control"), "no-store");
    EXPECT_EQ(r.header("set-cookie"), "");
  }
  EXPECT_EQ(get("/nowhere").status, 404);
  EXPECT_EQ(http_request(port(), "DELETE", "/api/tasks").status, 405);
}

TEST_P(serve_test, readiness_fails_while_the_schema_is_behind) {
  start();
  ASSERT_EQ(taskstore_cli({"--db", env().url(), "migrate", "down", "--yes"}).exit_code, 0);
  auto const r = get("/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("schema"), std::string::npos) << r.body;
  EXPECT_EQ(get("/healthz").status, 200);  // alive all the same
}

TEST_P(serve_test, metrics_count_the_queues_and_what_workers_did) {
  queued(ada, "summarize");
  queued(bob, "summarize");
  queued(ada, "translate");
  queue_control(db()).pause("translate");
  start();
  auto const text = get("/metrics");
  EXPECT_EQ(text.status, 200);
  EXPECT_EQ(text.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(text.body.find("taskstore_tasks{status=\"QUEUED\",tool=\"summarize\"} 2\n"), std::string::npos)
      << text.body;
  EXPECT_NE(text.body.find("taskstore_queue_depth{tool=\"translate\"} 1\n"), std::string::npos);
  EXPECT_NE(text.body.find("taskstore_queue_paused{tool=\"translate\"} 1\n"), std::string::npos);
  EXPECT_NE(text.body.find("taskstore_queue_paused{tool=\"summarize\"} 0\n"), std::string::npos);

  // A worker claims and completes one task, fails another: the counters follow the event log.
  task_claims claims(db());
  auto const a = claims.claim_next("worker-1", 60s, {.tool_ids = {"summarize"}});
  auto const b = claims.claim_next("worker-1", 60s, {.tool_ids = {"summarize"}});
  ASSERT_TRUE(a && b);
  claims.complete(*a, {.result_summary = "done"});
  claims.fail(*b, "boom", "it broke");
  std::string body;
  EXPECT_TRUE(eventually(
      [&] {
        body = get("/metrics").body;
        return body.find("taskstore_completions_total{tool=\"summarize\"} 1\n") != std::string::npos &&
               body.find("taskstore_failures_total{tool=\"summarize\"} 1\n") != std::string::npos;
      },
      10s, 100ms))
      << body;
  EXPECT_NE(body.find("taskstore_claims_total{tool=\"summarize\"} 2\n"), std::string::npos) << body;
  EXPECT_NE(body.find("taskstore_processing_seconds_count{tool=\"summarize\"} 2\n"), std::string::npos) << body;
  EXPECT_NE(body.find("taskstore_processing_seconds_bucket{tool=\"summarize\",le=\"+Inf\"} 2\n"), std::string::npos);
}

TEST_P(serve_test, the_task_list_filters_and_pages_by_keyset) {
  std::vector<task> made;
  for (int i = 0; i < 5; ++i) made.push_back(queued(ada, "summarize"));
  for (int i = 0; i < 2; ++i) made.push_back(queued(bob, "translate"));
  task_service(db()).cancel(made[1].task_id, ada);
  start();

  // Every task once, newest first, three pages of three.
  std::vector<std::string> seen;
  std::string next;
  for (int page = 0; page < 4; ++page) {
    auto const v = get_json("/api/tasks?limit=3" + (next.empty() ? std::string() : "&after=" + next));
    for (auto const& t : v.at("tasks").as_array()) seen.push_back(std::string(t.at("task_id").as_string()));
    auto const& p = v.at("pagination");
    EXPECT_TRUE(p.at("total").is_null());  // no count of the whole table unless asked
    if (!p.at("has_more").as_bool()) {
      EXPECT_TRUE(p.at("next").is_null());
      break;
    }
    next = std::string(p.at("next").as_string());
  }
  ASSERT_EQ(seen.size(), made.size());
  std::vector<std::string> expected;
  for (auto it = made.rbegin(); it != made.rend(); ++it) expected.push_back(it->task_id.to_string());
  // Newest first: creation order reversed (ties in created_at fall to the id, which is time-ordered too).
  EXPECT_EQ(seen, expected);

  auto const one = get_json("/api/tasks?user=bob@example.com");
  EXPECT_EQ(one.at("tasks").as_array().size(), 2u);
  EXPECT_EQ(one.at("pagination").at("total"), 2);  // one user's list is counted
  for (auto const& t : one.at("tasks").as_array()) {
    EXPECT_EQ(t.at("tool_id"), "translate");
    EXPECT_EQ(t.at("user_id"), bob);
    // The task API's TaskResponse fields.
    for (auto const* field : {"status", "agents", "progress", "progress_detail", "created_at", "downloads_available",
                              "error_code", "error_message"})
      EXPECT_TRUE(t.as_object().contains(field)) << field;
  }
  EXPECT_EQ(get_json("/api/tasks?user=" + std::to_string(ada) + "&status=CANCELLED").at("tasks").as_array().size(), 1u);
  EXPECT_EQ(get_json("/api/tasks?tool=summarize&status=QUEUED&count=exact").at("pagination").at("total"), 4);
  EXPECT_EQ(get_json("/api/tasks?created_after=2999-01-01T00:00:00Z").at("tasks").as_array().size(), 0u);
  EXPECT_EQ(get_json("/api/tasks?created_before=2999-01-01T00:00:00Z").at("tasks").as_array().size(), 7u);
}

TEST_P(serve_test, a_task_and_its_events_page_by_page) {
  auto const t = queued(ada);
  event_service log(db());
  for (int i = 0; i < 5; ++i) {
    event_log e;
    e.task_id = t.task_id;
    e.content = "step " + std::to_string(i);
    log.append(e);
  }
  start();
  auto const one = get_json("/api/tasks/" + t.task_id.to_string());
  EXPECT_EQ(one.at("status"), "QUEUED");
  EXPECT_EQ(one.at("task_id"), json::value(t.task_id.to_string()));

  std::vector<std::string> contents;
  std::string after = "0";
  for (int page = 0; page < 5; ++page) {
    auto const v = get_json("/api/tasks/" + t.task_id.to_string() + "/events?limit=3&after=" + after);
    for (auto const& e : v.at("events").as_array()) contents.push_back(std::string(e.at("content").as_string()));
    if (!v.at("has_more").as_bool()) break;
    after = std::to_string(v.at("next").as_int64());
  }
  ASSERT_EQ(contents.size(), 7u);  // ->CREATED, CREATED->QUEUED, then the five steps
  EXPECT_EQ(contents[0], "->CREATED");
  EXPECT_EQ(contents[6], "step 4");

  EXPECT_EQ(get("/api/tasks/" + uuid::generate_v7().to_string()).status, 404);
  task_service(db()).soft_delete(t.task_id, ada);
  EXPECT_EQ(get("/api/tasks/" + t.task_id.to_string()).status, 404);
}

TEST_P(serve_test, actions_need_the_token_and_are_recorded) {
  auto const t = queued(ada);
  start();
  auto const before = events();
  auto const target = "/api/tasks/" + t.task_id.to_string() + "/cancel";

  auto const none = post(target, std::nullopt);
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_EQ(post(target, "wrong-token-of-some-length").status, 401);
  EXPECT_EQ(post(target, std::string(token) + "x").status, 401);
  EXPECT_EQ(post(target, std::string(token).substr(1)).status, 401);
  EXPECT_EQ(http_request(port(), "POST", target, {{"Authorization", std::string("Basic ") + token}}).status, 401);
  EXPECT_EQ(get(target).status, 405);  // a link cannot act
  EXPECT_EQ(reread(t).status, task_status::QUEUED);
  EXPECT_EQ(events(), before);

  auto const done = post(target);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(json::parse(done.body).at("status"), "CANCELLED");
  EXPECT_EQ(reread(t).status, task_status::CANCELLED);
  auto const log = task_service(db()).events(t.task_id, ada);
  EXPECT_EQ(log.back().content, "dashboard: cancel");
  EXPECT_EQ(log.back().event_type, event_kind::system);

  // An action the lifecycle forbids: 409, and nothing recorded.
  auto const again = post(target);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(json::parse(again.body).at("error").at("code"), "invalid_transition");
  EXPECT_EQ(task_service(db()).events(t.task_id, ada).size(), log.size());
}

TEST_P(serve_test, retry_requeue_pause_and_resume) {
  auto const a = queued(ada);
  start();
  task_claims claims(db());
  auto const claimed = claims.claim_next("worker-1", 60s);
  ASSERT_TRUE(claimed);
  claims.fail(*claimed, "boom", "it broke");
  auto const retried = post("/api/tasks/" + a.task_id.to_string() + "/retry");
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(reread(a).status, task_status::QUEUED);

  auto const b = queued(bob);
  auto const running = claims.claim_next("worker-2", 60s);
  ASSERT_TRUE(running);
  auto const requeued = post("/api/tasks/" + running->task_id.to_string() + "/requeue");
  ASSERT_EQ(requeued.status, 200) << requeued.body;
  EXPECT_EQ(reread(running->task).status, task_status::QUEUED);
  EXPECT_EQ(task_service(db()).events(running->task_id, running->task.user_id).back().content, "dashboard: requeue");
  (void)b;

  EXPECT_EQ(post("/api/queues/summarize/pause", std::nullopt).status, 401);
  EXPECT_FALSE(queue_control(db()).stats({"summarize"}).at(0).paused);
  auto const paused = post("/api/queues/summarize/pause");
  ASSERT_EQ(paused.status, 200) << paused.body;
  EXPECT_EQ(json::parse(paused.body).at("paused"), true);
  EXPECT_TRUE(queue_control(db()).stats({"summarize"}).at(0).paused);
  EXPECT_EQ(get_json("/api/queues").at("queues").at(0).at("paused"), true);
  ASSERT_EQ(post("/api/queues/summarize/resume").status, 200);
  EXPECT_FALSE(queue_control(db()).stats({"summarize"}).at(0).paused);
  EXPECT_EQ(post("/api/queues/" + std::string(51, 't') + "/pause").status, 400);
}

TEST_P(serve_test, the_health_page_and_api_report_what_doctor_finds) {
  auto const broken = queued(ada);
  start();
  auto page = get("/health");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/assets/app.js"), std::string::npos);
  auto report = get_json("/api/doctor");
  EXPECT_EQ(report.at("checks").as_array().size(), 7u);
  EXPECT_EQ(report.at("findings").as_array().size(), 0u) << json::serialize(report);
  db().execute("UPDATE tasks SET status = 'FAILED', error_code = 'corrupt_value' WHERE task_id = '" +
               broken.task_id.to_string() + "'");
  report = get_json("/api/doctor");
  ASSERT_EQ(report.at("findings").as_array().size(), 1u) << json::serialize(report);
  EXPECT_EQ(report.at("findings").at(0).at("subject"), "unreadable tasks");
  EXPECT_EQ(report.at("findings").at(0).at("level"), "attention");
  EXPECT_EQ(post("/api/doctor").status, 405);
  EXPECT_EQ(get("/api/doctor?verbose=1").status, 400);
}

TEST_P(serve_test, without_a_token_file_the_dashboard_is_read_only) {
  auto const t = queued(ada);
  start({"--rate", "0"}, false);
  EXPECT_EQ(get("/api/tasks").status, 200);
  auto const r = post("/api/tasks/" + t.task_id.to_string() + "/cancel");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("read-only"), std::string::npos);
  EXPECT_EQ(reread(t).status, task_status::QUEUED);
}

TEST_P(serve_test, the_event_stream_sends_new_events_as_they_are_appended) {
  auto const watched = queued(ada);
  auto const other = queued(bob);
  start();
  http_connection all(port()), one(port());
  auto const ask = [&](http_connection& c, std::string const& target) {
    c.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) + "\r\n\r\n");
    auto const head = c.read_response();
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("content-type"), "text/event-stream");
    c.read_until([](std::string const& b) { return b.find("event: ready") != std::string::npos; });
  };
  ask(all, "/api/stream");
  ask(one, "/api/stream?task=" + watched.task_id.to_string());

  task_service(db()).cancel(other.task_id, bob);
  task_service(db()).cancel(watched.task_id, ada);
  auto const has = [](std::string const& needle) {
    return [needle](std::string const& b) { return b.find(needle) != std::string::npos; };
  };
  auto const& everything = all.read_until(has(watched.task_id.to_string() + "\",\"event_type\":\"STATUS_CHANGE\""));
  EXPECT_NE(everything.find(other.task_id.to_string()), std::string::npos);
  EXPECT_NE(everything.find("QUEUED->CANCELLED"), std::string::npos);
  auto const& filtered = one.read_until(has("QUEUED->CANCELLED"));
  EXPECT_NE(filtered.find("event: task_event"), std::string::npos);
  EXPECT_EQ(filtered.find(other.task_id.to_string()), std::string::npos);
}

TEST_P(serve_test, hostile_requests_get_a_clear_refusal_and_change_nothing) {
  auto const t = queued(ada);
  start();
  auto const tasks_before = soci_repository<task>(db()).count();
  auto const events_before = events();
  auto const refused = [&](std::string const& target, std::string const& field) {
    auto const r = get(target);
    EXPECT_EQ(r.status, 400) << target << ": " << r.body;
    auto const body = json::parse(r.body);
    auto const* e = body.as_object().if_contains("error");
    ASSERT_TRUE(e) << target << ": " << r.body;
    EXPECT_EQ(e->at("code"), "validation_failed") << target;
    EXPECT_EQ(e->at("category"), "user_fixable") << target;
    if (!field.empty()) {
      EXPECT_EQ(e->as_object().contains("field") ? e->at("field") : json::value(), json::value(field)) << target;
    }
  };
  refused("/api/tasks?bogus=1", "bogus");
  refused("/api/tasks?status=QUEUED&status=FAILED", "status");
  refused("/api/tasks?status=queued%27%20OR%201=1--", "status");
  refused("/api/tasks?tool=" + std::string(51, 't'), "tool_id");
  refused("/api/tasks?limit=0", "limit");
  refused("/api/tasks?limit=100000000000000000000", "limit");
  refused("/api/tasks?limit=-1", "limit");
  refused("/api/tasks?after=not-a-uuid", "after");
  refused("/api/tasks?after=" + uuid::generate_v7().to_string(), "after");
  refused("/api/tasks?created_after=yesterday", "created_after");
  refused("/api/tasks?count=maybe", "count");
  refused("/api/tasks?workflow=" + std::string(300, 'w'), "workflow");
  refused("/api/tasks?tool=" + std::string(2000, 'x'), "");
  refused("/api/tasks/%00/events", "task_id");
  refused("/api/tasks/" + t.task_id.to_string() + "/events?after=1e9", "after");
  refused("/api/stream?task=nope", "task");
  EXPECT_EQ(get("/api/tasks?user=nobody@example.com").status, 404);
  // Values are bound, never spliced into SQL: odd tool names are names like any other.
  for (auto const* odd : {"x%27;DROP%20TABLE%20tasks;--", "%3Cscript%3Ealert(1)%3C/script%3E", "%25", "_"})
    EXPECT_EQ(get_json(std::string("/api/tasks?tool=") + odd).at("tasks").as_array().size(), 0u) << odd;

  // A name this server is not known by (DNS rebinding): refused before anything is read.
  EXPECT_EQ(http_request(port(), "GET", "/api/tasks", {{"Host", "attacker.example:80"}}).status, 421);
  // Oversized and malformed requests.
  EXPECT_EQ(http_request(port(), "GET", "/api/tasks", {{"X-Big", std::string(20000, 'a')}}).status, 431);
  std::map<std::string, std::string> many;
  for (int i = 0; i < 60; ++i) many["X-H" + std::to_string(i)] = "1";
  EXPECT_EQ(http_request(port(), "GET", "/api/tasks", many).status, 431);
  EXPECT_EQ(http_request(port(), "POST", "/api/tasks/" + t.task_id.to_string() + "/cancel",
                         {{"Authorization", std::string("Bearer ") + token}}, std::string(100000, 'b'))
                .status,
            413);
  {
    http_connection c(port());
    c.send("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_EQ(c.read_response().status, 400);
  }
  {
    http_connection c(port());
    c.send("GET /api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n");
    EXPECT_EQ(c.read_response().status, 400);
  }

  EXPECT_EQ(reread(t).status, task_status::QUEUED);
  EXPECT_EQ(soci_repository<task>(db()).count(), tasks_before);
  EXPECT_EQ(events(), events_before);
  EXPECT_EQ(get("/healthz").status, 200);  // and it still serves
}

TEST_P(serve_test, a_client_over_its_rate_gets_429) {
  start({"--rate", "0.001", "--burst", "3"});  // a token a quarter of an hour: none comes back during the test
  std::vector<int> statuses;
  for (int i = 0; i < 6; ++i) statuses.push_back(get("/healthz").status);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 3);
  auto const r = get("/healthz");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "1");
}

TEST_P(serve_test, sigterm_stops_it_with_streams_open) {
  start();
  http_connection stream(port());
  stream.send("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) + "\r\n\r\n");
  stream.read_until([](std::string const& b) { return b.find("event: ready") != std::string::npos; });
  auto const before = std::chrono::steady_clock::now();
  server->process().kill(SIGTERM);
  EXPECT_EQ(server->process().wait(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 10s);
  stream.read_until([](std::string const&) { return false; }, 5s);
  EXPECT_TRUE(stream.closed());
}

TEST_P(serve_test, head_answers_the_length_without_the_body_and_keeps_the_connection) {
  queued(ada);
  start();
  http_connection c(port());
  auto const host = "Host: 127.0.0.1:" + std::to_string(port()) + "\r\n";
  c.send("HEAD /api/tasks HTTP/1.1\r\n" + host + "\r\n");
  auto const head = c.read_response(10s, false);
  EXPECT_EQ(head.status, 200);
  EXPECT_GT(std::stoul(head.header("content-length")), 0u);
  EXPECT_EQ(c.buffered(), "");  // nothing after the head
  // The next response on the same connection is read whole: no stray body bytes before it.
  c.send("GET /healthz HTTP/1.1\r\n" + host + "\r\n");
  auto const next = c.read_response();
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.body, "ok\n");
  EXPECT_EQ(http_request(port(), "HEAD", "/api/stream").status, 405);
}

TEST_P(serve_test, clients_that_leave_mid_stream_do_not_disturb_the_others) {
  auto const t = queued(ada);
  start();
  http_connection stays(port());
  stays.send("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) + "\r\n\r\n");
  stays.read_until([](std::string const& b) { return b.find("event: ready") != std::string::npos; });
  event_service log(db());
  for (int round = 0; round < 5; ++round) {
    {
      std::vector<std::unique_ptr<http_connection>> leaving;
      for (int i = 0; i < 10; ++i) {
        leaving.push_back(std::make_unique<http_connection>(port()));
        leaving.back()->send("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port()) + "\r\n\r\n");
      }
      std::vector<event_log> batch(50);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i].task_id = t.task_id;
        batch[i].content = "round " + std::to_string(round) + " event " + std::to_string(i);
      }
      log.append_batch(batch);
      std::this_thread::sleep_for(100ms);
    }  // they go while events are being written to them
  }
  stays.read_until([](std::string const& b) { return b.find("round 4 event 49") != std::string::npos; });
  EXPECT_NE(stays.buffered().find("round 4 event 49"), std::string::npos);
  EXPECT_NE(stays.buffered().find("round 0 event 0"), std::string::npos);
  EXPECT_EQ(get("/healthz").status, 200);
}

// A process cannot share an in-memory database: every other backend.
INSTANTIATE_TEST_SUITE_P(conformance, serve_test,
                         ::testing::Values(test_backend::sqlite_file, test_backend::postgresql, test_backend::mysql,
                                           test_backend::postgresql_pooler),
                         backend_name{});

}  // namespace
