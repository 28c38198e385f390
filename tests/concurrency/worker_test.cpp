// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The worker runtime on every backend: handlers' outcomes recorded under
// their claims, claims batched to the free slots, a lost lease and a cancel
// reaching a running handler through its stop token, and stop() giving back
// what is unfinished. Leases are short (1 s: a heartbeat every 333 ms) and
// every wait is on a condition with a deadline.

#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_maintenance.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/worker/worker.hpp>

#include "support/domain_fixture.hpp"
#include "support/eventually.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using enum task_status;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

/// What a handler that waits for its stop token saw, shared with the test's thread.
struct stop_probe {
  std::atomic<int> started{0};
  std::atomic<bool> stopped{false};
  std::atomic<stop_reason> why{stop_reason::none};
  std::atomic<steady::rep> stopped_at{0};
  std::atomic<bool> event_refused{false};  ///< event() after the token fired threw conflict

  /// Blocks until the context's token fires (at most 10 s), then records why.
  void wait(task_context& ctx) {
    ++started;
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait_for(lock, ctx.stop_token(), 10s, [] { return false; });
    stopped_at = steady::now().time_since_epoch().count();
    why = ctx.why_stopped();
    stopped = ctx.stop_token().stop_requested();
  }
  steady::time_point when() const { return steady::time_point(steady::duration(stopped_at.load())); }
};

class worker_test : public domain_test {
 protected:
  /// Options for tests: a 1 s lease, fast polling, retries far in the future.
  static worker_options options() {
    worker_options o;
    o.worker_id = "test-worker";
    o.slots = 4;
    o.lease = 1s;
    o.poll_min = 10ms;
    o.poll_max = 100ms;
    o.shutdown_grace = 5s;
    o.backoff = retry_backoff{1h, 2h, 0};
    return o;
  }
  /// The lease × fraction of options().
  static constexpr auto heartbeat_interval = 333ms;

  /// A QUEUED task of `tool`.
  task queued(std::string tool, std::int32_t max_attempts = 3) {
    task_service s(db());
    auto t = s.create({.user_id = alice_, .tool_id = std::move(tool), .agents = {"a"}, .max_attempts = max_attempts});
    return s.queue(t.task_id, alice_);
  }
  task stored(uuid const& id) { return *task_service(db()).find(id); }
  /// Another database handle on the same database, as another process would have (an in-memory SQLite
  /// database exists only in its own connection: there, the same handle).
  database other() { return is(test_backend::sqlite_memory) ? db() : env().open(); }
  std::size_t processing() { return soci_repository<task>(db()).count(query<task>{col(&task::status) == PROCESSING}); }
};

TEST_P(worker_test, handler_outcomes_complete_fail_retry_and_snooze) {
  auto const ok = queued("ok"), bad = queued("bad"), flaky = queued("flaky"), last_try = queued("flaky", 1),
             later = queued("later"), unhandled = queued("nobody-handles-this");
  std::atomic<std::int32_t> progress_seen{-1};
  worker w(db(), options());
  w.handle("ok", [&](task_context& ctx) {
    ctx.progress(40, std::string("agent-a"));
    progress_seen = task_service(db()).find(ctx.current().task_id)->progress;
    ctx.event(log_level::warning, "halfway");
    return task_result{.result_summary = "done", .tokens_used = 7};
  });
  w.handle("bad", [](task_context&) -> task_result {
    throw permanent_failure("bad_input", "cannot be done", boost::json::value{{"line", 3}});
  });
  w.handle("flaky", [](task_context&) -> task_result { throw std::runtime_error("boom"); });
  w.handle("later", [](task_context&) -> task_result { throw snooze(60s); });

  auto const before = timestamp::now();
  EXPECT_EQ(w.run_until_idle(), 5u);
  EXPECT_FALSE(w.running());

  auto const t_ok = stored(ok.task_id);
  EXPECT_EQ(t_ok.status, COMPLETED);
  EXPECT_EQ(t_ok.result_summary, "done");
  EXPECT_EQ(t_ok.tokens_used, 7);
  EXPECT_EQ(t_ok.attempt, 1);
  EXPECT_EQ(t_ok.current_agent, "agent-a");
  EXPECT_EQ(progress_seen.load(), 40) << "progress() records under the claim while the handler runs";
  auto const events = task_service(db()).events(ok.task_id, alice_);
  EXPECT_TRUE(std::ranges::any_of(events, [](event_log const& e) {
    return e.event_type == event_kind::log && e.level == log_level::warning && e.content == "halfway";
  }));

  auto const t_bad = stored(bad.task_id);
  EXPECT_EQ(t_bad.status, FAILED) << "a permanent failure is not retried, attempts left or not";
  EXPECT_EQ(t_bad.error_code, "bad_input");
  EXPECT_EQ(t_bad.error_message, "cannot be done");
  EXPECT_EQ(t_bad.failure_context, (boost::json::value{{"line", 3}}));

  auto const t_flaky = stored(flaky.task_id);
  EXPECT_EQ(t_flaky.status, QUEUED) << "attempts remain: retried";
  EXPECT_EQ(t_flaky.attempt, 1);
  EXPECT_EQ(t_flaky.error_code, "handler_error");
  EXPECT_EQ(t_flaky.error_message, "boom");
  ASSERT_TRUE(t_flaky.run_after);
  EXPECT_GT(*t_flaky.run_after, before + 30min) << "after the backoff";

  auto const t_last = stored(last_try.task_id);
  EXPECT_EQ(t_last.status, FAILED) << "its one attempt is used up";
  EXPECT_EQ(t_last.error_code, "handler_error");

  auto const t_later = stored(later.task_id);
  EXPECT_EQ(t_later.status, QUEUED);
  EXPECT_EQ(t_later.attempt, 0) << "a snooze does not spend the attempt";
  ASSERT_TRUE(t_later.run_after);
  EXPECT_GE(*t_later.run_after, before + 60s);
  EXPECT_FALSE(t_later.locked_by);

  auto const t_unhandled = stored(unhandled.task_id);
  EXPECT_EQ(t_unhandled.status, QUEUED) << "only the tools it handles are claimed";
  EXPECT_EQ(t_unhandled.attempt, 0);

  auto const s = w.stats();
  EXPECT_EQ(s.claimed, 5u);
  EXPECT_EQ(s.completed, 1u);
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(s.retried, 2u);
  EXPECT_EQ(s.snoozed, 1u);
  EXPECT_EQ(s.discarded + s.conflicts + s.errors, 0u);
  EXPECT_EQ(processing(), 0u);
}

TEST_P(worker_test, an_attempt_failure_retries_with_its_own_error_code) {
  auto const retried = queued("flaky"), last_try = queued("flaky", 1);
  worker w(db(), options());
  w.handle("flaky", [](task_context&) -> task_result {
    throw attempt_failure("exit_status", "exited with 3", boost::json::value{{"exit_status", 3}});
  });
  EXPECT_EQ(w.run_until_idle(), 2u);
  auto const t = stored(retried.task_id);
  EXPECT_EQ(t.status, QUEUED) << "attempts remain: retried";
  EXPECT_EQ(t.attempt, 1);
  EXPECT_EQ(t.error_code, "exit_status");
  EXPECT_EQ(t.error_message, "exited with 3");
  EXPECT_EQ(t.failure_context, (boost::json::value{{"exit_status", 3}}));
  auto const last = stored(last_try.task_id);
  EXPECT_EQ(last.status, FAILED);
  EXPECT_EQ(last.error_code, "exit_status");
  EXPECT_EQ(w.stats().retried, 2u);
}

TEST_P(worker_test, an_outcome_that_cannot_be_stored_fails_the_task_saying_why) {
  auto const t = queued("bad");
  worker w(db(), options());
  w.handle("bad", [](task_context&) -> task_result {
    throw permanent_failure(std::string(80, 'x'), "an error code longer than 50 characters");
  });
  EXPECT_EQ(w.run_until_idle(), 1u);
  auto const after = stored(t.task_id);
  EXPECT_EQ(after.status, FAILED);
  EXPECT_EQ(after.error_code, "invalid_outcome");
}

TEST_P(worker_test, claims_are_batched_to_the_free_slots) {
  std::vector<uuid> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(queued("batch").task_id);
  auto o = options();
  o.slots = 2;
  worker w(db(), o);
  std::atomic<int> running{0}, most{0};
  w.handle("batch", [&](task_context&) {
    int const now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(30ms);
    --running;
    return task_result{};
  });
  EXPECT_EQ(w.run_until_idle(), 6u);
  EXPECT_LE(most.load(), 2) << "never more handlers than slots";
  EXPECT_EQ(w.stats().claimed, 6u) << "each task claimed once";
  for (auto const& id : ids) {
    auto const t = stored(id);
    EXPECT_EQ(t.status, COMPLETED);
    EXPECT_EQ(t.attempt, 1);
  }
}

TEST_P(worker_test, run_until_idle_returns_when_the_last_task_is_written_not_a_poll_interval_later) {
  // The claim after the last task finds nothing while that task's result is
  // still being written: the worker claims again once it is, rather than
  // after the poll interval, here a minute.
  for (int i = 0; i < 3; ++i) queued("quick");
  auto o = options();
  o.slots = 1;
  o.poll_min = 60s;
  o.poll_max = 60s;
  worker w(db(), o);
  w.handle("quick", [](task_context&) { return task_result{}; });
  auto const started = steady::now();
  EXPECT_EQ(w.run_until_idle(), 3u);
  EXPECT_LT(steady::now() - started, 30s);
  EXPECT_EQ(w.stats().completed, 3u);
}

TEST_P(worker_test, prefetched_tasks_wait_under_a_lease_and_go_back_at_stop) {
  std::vector<uuid> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(queued("prefetch").task_id);
  auto o = options();
  o.slots = 1;
  o.prefetch = 2;
  worker w(db(), o);
  stop_probe probe;
  w.handle("prefetch", [&](task_context& ctx) {
    probe.wait(ctx);
    return task_result{};
  });
  w.start();
  ASSERT_TRUE(eventually([&] { return probe.started == 1; }));
  std::this_thread::sleep_for(1500ms);  // past the 1 s lease: heartbeats renew the prefetched ones too
  EXPECT_EQ(processing(), 3u) << "one running, two prefetched: no more";
  for (auto const& id : ids) {
    auto const t = stored(id);
    if (t.status != PROCESSING) continue;
    ASSERT_TRUE(t.lease_expires_at);
    EXPECT_GT(*t.lease_expires_at, timestamp::now()) << "kept by heartbeats";
  }
  w.stop(0ms);
  EXPECT_EQ(processing(), 0u);
  auto const s = w.stats();
  EXPECT_EQ(s.claimed, 3u);
  EXPECT_EQ(s.released, 3u) << "the running task at the deadline and the two that waited";
  for (auto const& id : ids) {
    auto const t = stored(id);
    EXPECT_EQ(t.status, QUEUED);
    EXPECT_EQ(t.attempt, 0) << "no attempt spent";
  }
}

TEST_P(worker_test, results_written_together_each_meet_their_own_fate_when_one_lease_was_lost) {
  // Four results come in at once; one task was cancelled meanwhile. The
  // three others complete, the cancelled one stays CANCELLED.
  std::vector<task> tasks;
  for (int i = 0; i < 4; ++i) tasks.push_back(queued("together"));
  auto o = options();
  o.slots = 4;
  o.lease = 60s;  // no heartbeat sees the cancel before the results go in
  worker w(db(), o);
  std::latch all_running(4);
  std::latch cancelled(1);
  w.handle("together", [&](task_context&) {
    all_running.count_down();
    cancelled.wait();
    return task_result{.result_summary = "done"};
  });
  w.start();
  all_running.wait();
  task_service(db()).cancel(tasks[2].task_id, alice_);
  cancelled.count_down();
  ASSERT_TRUE(eventually([&] { return processing() == 0; }));
  w.stop();
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto const t = stored(tasks[i].task_id);
    if (i == 2) {
      EXPECT_EQ(t.status, CANCELLED);
      EXPECT_FALSE(t.result_summary);
    } else {
      EXPECT_EQ(t.status, COMPLETED);
      EXPECT_EQ(t.result_summary, "done");
    }
  }
  auto const s = w.stats();
  EXPECT_EQ(s.completed, 3u);
  EXPECT_EQ(s.completed + s.conflicts + s.discarded, 4u) << "the cancelled one's result was refused or dropped";
}

TEST_P(worker_test, heartbeats_keep_a_long_handlers_lease) {
  auto const t = queued("long");
  auto o = options();
  o.lease = 2s;  // a heartbeat every 667 ms: a run three times as long as the lease
  std::atomic<bool> done{false};
  worker w(db(), o);
  w.handle("long", [&](task_context& ctx) {
    auto const until = steady::now() + 3s;
    while (steady::now() < until && !ctx.stop_token().stop_requested()) std::this_thread::sleep_for(20ms);
    done = true;
    return task_result{.result_summary = "long"};
  });
  w.start();
  task_maintenance rescuer(other());
  std::size_t rescued = 0;
  auto const give_up = steady::now() + 15s;
  while (!done && steady::now() < give_up) {  // another process rescuing expired leases all along
    rescued += rescuer.rescue_expired().requeued;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(done.load());
  w.stop();
  EXPECT_EQ(rescued, 0u) << "the lease never expired";
  auto const after = stored(t.task_id);
  EXPECT_EQ(after.status, COMPLETED);
  EXPECT_EQ(after.result_summary, "long");
  EXPECT_EQ(after.attempt, 1);
  EXPECT_EQ(w.stats().leases_lost, 0u);
}

TEST_P(worker_test, a_lost_lease_fires_the_token_and_the_result_is_discarded) {
  auto const t = queued("slow");
  stop_probe probe;
  worker w(db(), options());
  w.handle("slow", [&](task_context& ctx) {
    probe.wait(ctx);
    try {
      ctx.event(log_level::info, "too late");
    } catch (error const& e) {
      probe.event_refused = e.code() == errc::conflict;
    }
    return task_result{.result_summary = "late"};
  });
  w.start();
  ASSERT_TRUE(eventually([&] { return probe.started == 1; }));

  // Another process takes the task away, as if the lease had expired: it goes back to the queue.
  auto const rescued = task_maintenance(other(), retry_backoff{1h, 2h, 0}).rescue_expired(timestamp::now() + 1h);
  EXPECT_EQ(rescued.requeued, 1u);
  ASSERT_TRUE(eventually([&] { return probe.stopped.load(); })) << "the next heartbeat fires the token";
  EXPECT_EQ(probe.why.load(), stop_reason::lease_lost);
  ASSERT_TRUE(eventually([&] { return w.stats().discarded == 1; }));
  EXPECT_TRUE(probe.event_refused) << "event() after the lease was lost is refused";
  w.stop();

  auto const after = stored(t.task_id);
  EXPECT_EQ(after.status, QUEUED) << "the discarded result did not complete the rescued task";
  EXPECT_FALSE(after.result_summary);
  EXPECT_EQ(after.attempt, 1);
  auto const s = w.stats();
  EXPECT_EQ(s.leases_lost, 1u);
  EXPECT_EQ(s.completed, 0u);
}

TEST_P(worker_test, a_cancel_fires_the_running_handlers_token_within_a_heartbeat) {
  auto const t = queued("slow");
  stop_probe probe;
  worker w(db(), options());
  w.handle("slow", [&](task_context& ctx) {
    probe.wait(ctx);
    return task_result{.result_summary = "after the cancel"};
  });
  w.start();
  ASSERT_TRUE(eventually([&] { return probe.started == 1; }));
  ASSERT_EQ(stored(t.task_id).status, PROCESSING);

  auto const cancelled_at = steady::now();
  task_service(other()).cancel(t.task_id, alice_);
  ASSERT_TRUE(eventually([&] { return probe.stopped.load(); }));
  EXPECT_EQ(probe.why.load(), stop_reason::cancelled);
  // One heartbeat interval, plus the heartbeat's own statements (slow under the sanitizers).
  EXPECT_LT(probe.when() - cancelled_at, heartbeat_interval + 1s);
  ASSERT_TRUE(eventually([&] { return w.stats().discarded == 1; }));
  w.stop();

  auto const after = stored(t.task_id);
  EXPECT_EQ(after.status, CANCELLED);
  EXPECT_FALSE(after.result_summary);
  EXPECT_EQ(w.stats().cancelled, 1u);
}

TEST_P(worker_test, stop_gives_back_what_is_unfinished_and_leaves_nothing_processing) {
  auto const quick1 = queued("quick"), quick2 = queued("quick"), slow1 = queued("slow"), slow2 = queued("slow");
  auto const waiting = queued("quick");  // no slot is free for it before stop()
  stop_probe probe;
  std::atomic<int> quick_started{0};
  worker w(db(), options());
  w.handle("quick", [&](task_context&) {
    ++quick_started;
    std::this_thread::sleep_for(500ms);
    return task_result{.result_summary = "quick"};
  });
  w.handle("slow", [&](task_context& ctx) {
    probe.wait(ctx);
    std::this_thread::sleep_for(200ms);  // winds down after its token fired; its result is discarded
    return task_result{.result_summary = "slow"};
  });
  w.start();
  ASSERT_TRUE(eventually([&] { return probe.started == 2 && quick_started == 2; }));

  auto const stop_began = steady::now();
  w.stop(1500ms);
  auto const took = steady::now() - stop_began;
  EXPECT_GE(took, 1400ms) << "the running handlers had their grace period";
  EXPECT_LT(took, 4s);
  EXPECT_FALSE(w.running());

  EXPECT_EQ(processing(), 0u) << "a clean stop leaves no task PROCESSING";
  for (auto const& q : {quick1, quick2}) {
    auto const t = stored(q.task_id);
    EXPECT_EQ(t.status, COMPLETED) << "finished within the grace period";
    EXPECT_EQ(t.result_summary, "quick");
  }
  for (auto const& q : {slow1, slow2}) {
    auto const t = stored(q.task_id);
    EXPECT_EQ(t.status, QUEUED) << "given back at the deadline";
    EXPECT_EQ(t.attempt, 0) << "the attempt is not spent";
    EXPECT_FALSE(t.result_summary) << "the result after the token fired was discarded";
    EXPECT_FALSE(t.locked_by);
    ASSERT_TRUE(t.run_after);
    EXPECT_LE(*t.run_after, timestamp::now()) << "claimable again at once";
  }
  EXPECT_EQ(probe.why.load(), stop_reason::shutdown);
  auto const w_task = stored(waiting.task_id);
  EXPECT_EQ(w_task.status, QUEUED);
  EXPECT_EQ(w_task.attempt, 0);

  auto const s = w.stats();
  EXPECT_EQ(s.completed, 2u);
  EXPECT_EQ(s.released, 2u);
  EXPECT_EQ(s.discarded, 2u);
  EXPECT_EQ(s.conflicts + s.errors, 0u);
}

TEST_P(worker_test, an_idle_worker_finds_new_work_within_its_poll_interval_or_at_once_when_woken) {
  std::atomic<int> handled{0};
  auto o = options();
  o.wakeup = wakeup_mode::poll;  // no notifications: polling alone, and wake()
  o.poll_max = 200ms;
  {
    worker w(db(), o);
    w.handle("late", [&](task_context&) {
      ++handled;
      return task_result{};
    });
    w.start();
    std::this_thread::sleep_for(400ms);  // long enough for the interval to back off to poll_max
    auto const queued_at = steady::now();
    queued("late");
    ASSERT_TRUE(eventually([&] { return handled == 1; }));
    EXPECT_LT(steady::now() - queued_at, o.poll_max + 1s);
  }  // the destructor stops it

  o.poll_min = o.poll_max = 1h;  // it would not poll again during the test
  worker w(db(), o);
  w.handle("late", [&](task_context&) {
    ++handled;
    return task_result{};
  });
  w.start();
  std::this_thread::sleep_for(100ms);  // its first claim found nothing
  queued("late");
  w.wake();
  EXPECT_TRUE(eventually([&] { return handled == 2; }, 5s)) << "wake() claims at once";
  w.stop();
  EXPECT_EQ(processing(), 0u);
}

TEST_P(worker_test, a_task_queued_anywhere_wakes_an_idle_worker_through_a_notification) {
  std::atomic<int> handled{0};
  auto o = options();
  o.poll_min = o.poll_max = 1h;  // it would not poll again during the test
  worker w(db(), o);
  w.handle("pushed", [&](task_context&) {
    ++handled;
    return task_result{};
  });
  w.start();
  std::this_thread::sleep_for(100ms);  // its first claim found nothing
  queued("pushed");                    // through this process's database
  EXPECT_TRUE(eventually([&] { return handled == 1; }, 5s));

  if (db().backend().pushes()) {  // and through another process's, which LISTEN hears
    ASSERT_TRUE(eventually([&] { return db().hears_other_processes(); }));
    auto const elsewhere = env().open();
    task_service s(elsewhere);
    auto const t = s.create({.user_id = alice_, .tool_id = "pushed", .agents = {"a"}});
    s.queue(t.task_id, alice_);
    EXPECT_TRUE(eventually([&] { return handled == 2; }, 5s));
  }
  w.stop();
  EXPECT_EQ(processing(), 0u);
}

TEST_P(worker_test, a_cancel_reaches_the_running_handler_at_once_through_a_notification) {
  auto o = options();
  o.lease = 60s;  // a heartbeat every 20 s: only a notification is this quick
  auto const t = queued("slow");
  stop_probe probe;
  worker w(db(), o);
  w.handle("slow", [&](task_context& ctx) {
    probe.wait(ctx);
    return task_result{.result_summary = "after the cancel"};
  });
  w.start();
  ASSERT_TRUE(eventually([&] { return probe.started == 1; }));

  // Another process's cancel where LISTEN hears it; elsewhere this process's own.
  bool const pushes = db().backend().pushes();
  if (pushes) {
    ASSERT_TRUE(eventually([&] { return db().hears_other_processes(); }));
  }
  auto const canceller = pushes ? env().open() : db();
  auto const cancelled_at = steady::now();
  task_service(canceller).cancel(t.task_id, alice_);
  ASSERT_TRUE(eventually([&] { return probe.stopped.load(); }));
  EXPECT_EQ(probe.why.load(), stop_reason::cancelled);
  EXPECT_LT(probe.when() - cancelled_at, 3s);
  w.stop();
  EXPECT_EQ(stored(t.task_id).status, CANCELLED);
  EXPECT_EQ(w.stats().cancelled, 1u);
}

TEST_P(worker_test, options_and_lifecycle_are_checked) {
  auto const field_of = [&](worker_options o) {
    try {
      worker w(db(), o);
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed);
      return e.field();
    }
    return std::string("(accepted)");
  };
  auto o = options();
  o.slots = 0;
  EXPECT_EQ(field_of(o), "slots");
  o = options();
  o.lease = 0s;
  EXPECT_EQ(field_of(o), "lease");
  o = options();
  o.heartbeat_fraction = 1;
  EXPECT_EQ(field_of(o), "heartbeat_fraction");
  o = options();
  o.poll_max = 1ms;
  EXPECT_EQ(field_of(o), "poll_max");
  o = options();
  o.worker_id = std::string(101, 'w');
  EXPECT_EQ(field_of(o), "worker_id");
  o = options();
  o.prefetch = 1025;
  EXPECT_EQ(field_of(o), "prefetch");

  worker w(db(), {});
  EXPECT_FALSE(w.id().empty()) << "a default worker id";
  expect_error(errc::invalid_transition, [&] { w.start(); });  // no handler
  w.handle("t", [](task_context&) { return task_result{}; });
  w.start();
  EXPECT_TRUE(w.running());
  expect_error(errc::invalid_transition, [&] { w.handle("u", [](task_context&) { return task_result{}; }); });
  expect_error(errc::invalid_transition, [&] { w.run_until_idle(); });
  w.stop();
  EXPECT_FALSE(w.running());
  w.stop();  // again: nothing to do

  isolated_db unmigrated(GetParam());  // a claim there cannot succeed however often it polls
  worker lost(unmigrated.open(), options());
  lost.handle("t", [](task_context&) { return task_result{}; });
  expect_error(errc::schema_mismatch, [&] { lost.run_until_idle(); });
  EXPECT_FALSE(lost.running());
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(worker_test);

}  // namespace
