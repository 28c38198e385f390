// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Event logs and agent runs under a task, on every backend (the event-log model's
// query patterns: a task's events in time order, its runs by start time).

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/agent_run_service.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

#include <soci/soci.h>

#include <string>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

class event_service_test : public domain_test {
 protected:
  void SetUp() override {
    domain_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    task_ = task_service(db()).create(
        {.user_id = alice_, .tool_id = "profile-my-data", .agents = {"unified-profiler", "score-risk"}});
  }
  event_log make(event_kind type, std::optional<std::string> role, log_level level, timestamp at, std::string text) {
    event_log e;
    e.task_id = task_.task_id;
    e.event_type = type;
    e.agent_role = std::move(role);
    e.level = level;
    e.created_at = at;
    e.content = std::move(text);
    return e;
  }
  task task_;
};

TEST_P(event_service_test, events_are_listed_in_time_order_with_filters_and_pages) {
  event_service events(db());
  auto const t0 = task_.created_at + 1s;  // after the task's own ->CREATED event
  std::vector<event_log> batch;
  for (int i = 0; i < 30; ++i)
    batch.push_back(make(i % 3 == 0 ? event_kind::agent_start : event_kind::message,
                         i % 2 ? std::optional<std::string>("ProductManager") : std::nullopt,
                         i % 5 == 0 ? log_level::warning : log_level::info, t0 + std::chrono::seconds(30 - i),
                         R"({"message": "step )" + std::to_string(i) + R"("})"));
  auto const stored = events.append_batch(batch);
  ASSERT_EQ(stored.size(), 30u);
  events.append(make(event_kind::error, "QA", log_level::error, t0 + 1h, "boom"));

  auto const all = events.list(task_.task_id, alice_);
  ASSERT_EQ(all.size(), 32u);  // 30 + 1 + the task's ->CREATED event
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LE(all[i - 1].created_at, all[i].created_at);
  EXPECT_EQ(all.back().event_type, event_kind::error);

  EXPECT_EQ(events.list(task_.task_id, alice_, {.type = event_kind::agent_start}).size(), 10u);
  EXPECT_EQ(events.list(task_.task_id, alice_, {.agent_role = "ProductManager"}).size(), 15u);
  EXPECT_EQ(events.list(task_.task_id, alice_, {.level = log_level::warning}).size(), 6u);
  EXPECT_EQ(events.list(task_.task_id, alice_, {.type = event_kind::message, .agent_role = "ProductManager"}).size(),
            10u);
  EXPECT_EQ(events.list(task_.task_id, alice_, {.since = t0 + 20s}).size(), 12u);  // 11 in the batch, + the ERROR

  std::vector<std::int64_t> paged;
  auto page = events.list(task_.task_id, alice_, {}, 7);
  while (!page.empty()) {
    for (auto const& e : page) paged.push_back(e.id);
    page = events.list(task_.task_id, alice_, {}, 7, page.back());
  }
  ASSERT_EQ(paged.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(paged[i], all[i].id);

  try {
    events.list(task_.task_id, bob_);
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::not_found);
  }
  // Batch event i is at t0 + (30 - i) s: i = 16…29 are older, and so is the creation event.
  EXPECT_EQ(events.purge_before(t0 + 15s), 14u + 1u);
  EXPECT_EQ(events.list(task_.task_id, alice_).size(), 17u);
}

TEST_P(event_service_test, an_event_for_an_unknown_task_is_a_foreign_key_violation) {
  event_service events(db());
  auto e = make(event_kind::log, std::nullopt, log_level::info, timestamp::now(), "x");
  e.task_id = uuid::generate_v7();
  try {
    events.append(e);
    ADD_FAILURE();
  } catch (error const& err) {
    EXPECT_EQ(err.code(), errc::foreign_key_violation);
  }
  e.task_id = task_.task_id;
  e.agent_role = std::string(101, 'r');
  EXPECT_THROW(events.append(e), error);
}

TEST_P(event_service_test, lower_case_enumerators_keep_the_stored_upper_case_names) {
  // A row written before the enumerators were lower-cased reads back as them.
  db().execute("INSERT INTO event_logs (task_id, event_type, level, content) VALUES ('" + task_.task_id.to_string() +
               "', 'ERROR', 'WARNING', 'old row')");
  event_service events(db());
  auto const old = events.list(task_.task_id, alice_, {.type = event_kind::error});
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].level, log_level::warning);
  EXPECT_EQ(old[0].content, "old row");

  // A row written now stores the same names as before.
  events.append(make(event_kind::agent_complete, std::nullopt, log_level::debug, timestamp::now(), "new row"));
  std::string type, level;
  {
    auto lease = detail::session_of(db());
    lease.get() << "SELECT event_type, level FROM event_logs WHERE content = 'new row'", soci::into(type),
        soci::into(level);
  }
  EXPECT_EQ(type, "AGENT_COMPLETE");
  EXPECT_EQ(level, "DEBUG");
}

TEST_P(event_service_test, agent_runs_start_run_finish_and_add_up_to_progress) {
  agent_run_service runs(db());
  auto const a = runs.start(task_.task_id, "unified-profiler");
  auto const b = runs.start(task_.task_id, "score-risk");
  runs.mark_running(a.id);
  auto const done = runs.finish(a.id, agent_run_status::COMPLETED, "profiled 12 columns", 800);
  EXPECT_TRUE(done.finished_at);
  EXPECT_EQ(done.tokens_used, 800);
  EXPECT_THROW(runs.finish(a.id, agent_run_status::FAILED), error);   // already finished
  EXPECT_THROW(runs.finish(b.id, agent_run_status::RUNNING), error);  // not an outcome
  auto const listed = runs.list(task_.task_id, alice_);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, a.id);
  EXPECT_EQ(listed[0].output_summary, "profiled 12 columns");
  EXPECT_EQ(listed[1].status, agent_run_status::STARTED);
  auto detail = runs.progress(task_);
  EXPECT_EQ(detail.agents_total, 2u);
  EXPECT_EQ(detail.agents_completed, 1u);
  runs.finish(b.id, agent_run_status::COMPLETED);
  EXPECT_EQ(runs.progress(task_).agents_completed, 2u);
  EXPECT_THROW(runs.list(task_.task_id, bob_), error);
}

TEST_P(event_service_test, agent_runs_fail_or_are_cancelled_and_only_started_runs_run) {
  agent_run_service runs(db());
  auto const a = runs.start(task_.task_id, "unified-profiler");
  auto const b = runs.start(task_.task_id, "score-risk");
  runs.mark_running(a.id);
  expect_error(errc::invalid_transition, [&] { runs.mark_running(a.id); });  // already running
  auto const failed = runs.finish(a.id, agent_run_status::FAILED, "out of memory", 5);
  EXPECT_EQ(failed.status, agent_run_status::FAILED);
  EXPECT_TRUE(failed.finished_at);
  auto const cancelled = runs.finish(b.id, agent_run_status::CANCELLED);
  EXPECT_EQ(cancelled.status, agent_run_status::CANCELLED);
  expect_error(errc::invalid_transition, [&] { runs.mark_running(b.id); });
  EXPECT_EQ(runs.progress(task_).agents_completed, 0u);  // neither completed
  expect_error(errc::foreign_key_violation, [&] { runs.start(uuid::generate_v7(), "ghost"); });
  expect_error(errc::validation_failed, [&] { runs.start(task_.task_id, ""); });
  expect_error(errc::not_found, [&] { runs.mark_running(b.id + a.id + 100); });
  EXPECT_EQ(runs.list(task_.task_id, alice_).size(), 2u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(event_service_test);

}  // namespace
