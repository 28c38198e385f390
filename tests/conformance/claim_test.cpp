// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Work claiming on every backend: claim_next / claim_batch, heartbeats,
// fencing of lost leases, rescue of expired leases with backoff, retries,
// release, and the e-mail outbox's take and rescue. Time is moved by passing
// a later `now` to rescue_expired(), never by sleeping.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_maintenance.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

#include <set>
#include <string>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using enum task_status;
using namespace std::chrono_literals;

constexpr retry_backoff no_backoff{0ms, 0ms, 0};

class claim_test : public domain_test {
 protected:
  /// A QUEUED task of `tool`.
  task queued(std::string tool = "profile-my-data") {
    task_service s(db());
    auto t = s.create({.user_id = alice_, .tool_id = std::move(tool), .agents = {"a", "b"}});
    return s.queue(t.task_id, alice_);
  }
  std::vector<std::string> transitions(uuid const& id) {
    std::vector<std::string> out;
    for (auto const& e : task_service(db()).events(id, alice_))
      if (e.event_type == event_kind::status_change) out.push_back(e.content.value_or(""));
    return out;
  }
  task stored(uuid const& id) { return *task_service(db()).find(id); }
};

TEST_P(claim_test, claim_next_takes_the_oldest_queued_task_with_a_fresh_lease_and_its_event) {
  task_claims work(db());
  auto const first = queued(), second = queued();
  EXPECT_FALSE(work.claim_next("w1", 1min, {.tool_ids = {"other-tool"}})) << "the filter excludes every task";

  auto const before = timestamp::now();
  auto const claim = work.claim_next("w1", 1min);
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->task_id, first.task_id);
  EXPECT_EQ(claim->worker_id, "w1");
  EXPECT_GE(claim->lease_expires_at, before + 1min);
  EXPECT_EQ(claim->task.status, PROCESSING);
  EXPECT_EQ(claim->task.attempt, 1);
  EXPECT_EQ(claim->task.agents, (std::vector<std::string>{"a", "b"}));

  auto const t = stored(first.task_id);  // what the database holds is what the claim says
  EXPECT_EQ(t.status, PROCESSING);
  EXPECT_EQ(t.attempt, 1);
  EXPECT_EQ(t.locked_by, "w1");
  EXPECT_EQ(t.lease_token, claim->lease_token);
  EXPECT_EQ(t.lease_expires_at, claim->lease_expires_at);
  EXPECT_EQ(t.version, claim->task.version);
  EXPECT_EQ(t.processing_started_at, claim->task.processing_started_at);
  EXPECT_EQ(transitions(first.task_id),
            (std::vector<std::string>{"->CREATED", "CREATED->QUEUED", "QUEUED->PROCESSING"}));

  auto const next = work.claim_next("w2", 1min);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->task_id, second.task_id);
  EXPECT_NE(next->lease_token, claim->lease_token);
  EXPECT_FALSE(work.claim_next("w3", 1min)) << "nothing left";
}

TEST_P(claim_test, claims_pass_over_deleted_tasks_tasks_not_yet_due_and_other_tools) {
  task_service s(db());
  task_claims work(db());
  auto const deleted = queued();
  s.soft_delete(deleted.task_id, alice_);
  auto const other = queued("write-email");
  auto const mine = queued();
  auto const claim = work.claim_next("w", 1min, {.tool_ids = {"profile-my-data", "summarize"}});
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->task_id, mine.task_id);
  EXPECT_EQ(stored(other.task_id).status, QUEUED);
  EXPECT_EQ(stored(deleted.task_id).status, QUEUED);

  // A retried task waits for its backoff.
  task_service slow(db(), retry_backoff{1h, 2h, 0});
  task_claims slow_claims(db(), retry_backoff{1h, 2h, 0});
  slow_claims.fail(*claim, "E", "boom");
  auto const retried = slow.retry(mine.task_id, alice_);
  ASSERT_TRUE(retried.run_after);
  EXPECT_GE(*retried.run_after, timestamp::now() + 1h);
  auto const again = work.claim_next("w", 1min, {.tool_ids = {"profile-my-data"}});
  EXPECT_FALSE(again) << "claimed before its run_after";
}

TEST_P(claim_test, claim_batch_takes_the_oldest_n_and_two_batches_are_disjoint) {
  task_claims work(db());
  std::vector<uuid> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(queued().task_id);
  auto const a = work.claim_batch("wa", 3, 1min);
  auto const b = work.claim_batch("wb", 3, 1min);
  auto const c = work.claim_batch("wc", 3, 1min);
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(b.size(), 3u);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(work.claim_batch("wd", 3, 1min).empty());
  EXPECT_TRUE(work.claim_batch("wd", 0, 1min).empty());
  std::vector<uuid> got;
  for (auto const* batch : {&a, &b, &c})
    for (auto const& claim : *batch) got.push_back(claim.task_id);
  EXPECT_EQ(got, ids) << "oldest first, each task once";
  for (auto const& claim : b) {
    EXPECT_EQ(stored(claim.task_id).locked_by, "wb");
    EXPECT_EQ(transitions(claim.task_id).back(), "QUEUED->PROCESSING");
  }
  // Each claim of a batch completes on its own.
  work.complete(b[1], {.result_summary = "done"});
  EXPECT_EQ(stored(b[1].task_id).status, COMPLETED);
  EXPECT_EQ(stored(b[0].task_id).status, PROCESSING);
}

TEST_P(claim_test, a_heartbeat_extends_the_lease_and_keeps_the_task_from_rescue) {
  task_claims work(db(), no_backoff);
  task_maintenance maintenance(db(), no_backoff);
  queued();
  auto const claimed = work.claim_next("w", 2s);
  ASSERT_TRUE(claimed);
  auto claim = *claimed;
  auto const first_expiry = claim.lease_expires_at;
  work.heartbeat(claim);
  EXPECT_GE(claim.lease_expires_at, first_expiry);
  EXPECT_EQ(stored(claim.task_id).lease_expires_at, claim.lease_expires_at);
  auto const r = maintenance.rescue_expired(claim.lease_expires_at - 1s);
  EXPECT_EQ(r.requeued + r.failed, 0u);
  EXPECT_EQ(stored(claim.task_id).status, PROCESSING);
  work.complete(claim, {.result_summary = "ok"});
}

TEST_P(claim_test, a_zombie_worker_cannot_touch_a_task_rescued_and_claimed_by_another) {
  task_service s(db(), no_backoff);
  task_claims work(db(), no_backoff);
  task_maintenance maintenance(db(), no_backoff);
  auto const t = queued();
  auto const zombie_claim = work.claim_next("zombie", 1s);
  ASSERT_TRUE(zombie_claim);
  auto zombie = *zombie_claim;
  work.report_progress(zombie, 30, "a");

  auto const rescued = maintenance.rescue_expired(zombie.lease_expires_at + 1s);  // the zombie stopped renewing
  EXPECT_EQ(rescued.requeued, 1u);
  auto back = stored(t.task_id);
  EXPECT_EQ(back.status, QUEUED);
  EXPECT_EQ(back.progress, 0);
  EXPECT_FALSE(back.lease_token);
  EXPECT_FALSE(back.locked_by);
  ASSERT_TRUE(back.error_message);
  EXPECT_NE(back.error_message->find("zombie"), std::string::npos);

  auto const heir_claim = work.claim_next("heir", 1min);
  ASSERT_TRUE(heir_claim) << "the rescued task was not claimable";
  auto heir = *heir_claim;
  EXPECT_EQ(heir.task_id, t.task_id);
  EXPECT_EQ(heir.task.attempt, 2);

  auto const before = stored(t.task_id);
  auto const expect_conflict = [](auto&& f) {
    try {
      f();
      ADD_FAILURE() << "the zombie changed a task it lost";
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::conflict) << e.what();
    }
  };
  expect_conflict([&] { work.complete(zombie, {.result_summary = "zombie's result"}); });
  expect_conflict([&] { work.complete_batch(std::span(&zombie, 1)); });
  expect_conflict([&] { work.fail(zombie, "E", "zombie failed"); });
  expect_conflict([&] { work.fail_or_retry(zombie, "E", "zombie failed"); });
  expect_conflict([&] { work.report_progress(zombie, 90); });
  expect_conflict([&] { work.heartbeat(zombie); });
  expect_conflict([&] { work.release(zombie); });
  auto const after = stored(t.task_id);
  EXPECT_EQ(after.version, before.version) << "a rejected change changed the row";
  EXPECT_EQ(after.locked_by, "heir");

  work.complete(heir, {.result_summary = "heir's result", .tokens_used = 10});
  auto const done = stored(t.task_id);
  EXPECT_EQ(done.status, COMPLETED);
  EXPECT_EQ(done.result_summary, "heir's result");
  EXPECT_EQ(transitions(t.task_id),
            (std::vector<std::string>{"->CREATED", "CREATED->QUEUED", "QUEUED->PROCESSING", "PROCESSING->QUEUED",
                                      "QUEUED->PROCESSING", "PROCESSING->COMPLETED"}));
}

TEST_P(claim_test, an_expired_lease_on_the_last_attempt_fails_the_task) {
  task_service s(db(), no_backoff);
  task_claims work(db(), no_backoff);
  task_maintenance maintenance(db(), no_backoff);
  task_service tasks(db());
  auto t = tasks.create({.user_id = alice_, .tool_id = "t", .max_attempts = 2});
  tasks.queue(t.task_id, alice_);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto const claim = work.claim_next("w", 1s);
    ASSERT_TRUE(claim) << "attempt " << attempt;
    EXPECT_EQ(claim->task.attempt, attempt);
    auto const r = maintenance.rescue_expired(claim->lease_expires_at + 1s);
    EXPECT_EQ(r.requeued, attempt == 1 ? 1u : 0u);
    EXPECT_EQ(r.failed, attempt == 2 ? 1u : 0u);
  }
  auto const failed = stored(t.task_id);
  EXPECT_EQ(failed.status, FAILED);
  EXPECT_EQ(failed.error_code, "retry_limit_exceeded");
  EXPECT_TRUE(failed.failed_at);
  EXPECT_FALSE(failed.lease_token);
  EXPECT_EQ(transitions(t.task_id).back(), "PROCESSING->FAILED");
  EXPECT_FALSE(work.claim_next("w", 1s));
  try {
    s.retry(t.task_id, alice_);
    ADD_FAILURE() << "retried past max_attempts";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::retry_limit_exceeded);
  }
}

TEST_P(claim_test, rescue_requeues_with_exponential_backoff) {
  retry_backoff const backoff{10s, 1h, 0};
  task_claims work(db(), backoff);
  task_maintenance maintenance(db(), backoff);
  auto const t = queued();
  auto const claim = work.claim_next("w", 1s);
  ASSERT_TRUE(claim);
  auto const before = timestamp::now();
  EXPECT_EQ(maintenance.rescue_expired(claim->lease_expires_at + 1s).requeued, 1u);
  auto const after = timestamp::now();
  auto const back = stored(t.task_id);
  ASSERT_TRUE(back.run_after);
  EXPECT_GE(*back.run_after, before + 20s) << "base × 2^attempt after attempt 1, from now";
  EXPECT_LE(*back.run_after, after + 20s);
  EXPECT_FALSE(work.claim_next("w", 1s)) << "claimed during its backoff";

  EXPECT_EQ(backoff.delay(2), 40s);
  EXPECT_EQ(backoff.delay(30), 1h) << "capped";
  retry_backoff const jittered{10s, 1h, 0.5};
  for (int i = 0; i < 50; ++i) {
    auto const d = jittered.delay(1);
    EXPECT_GE(d, 10s);
    EXPECT_LE(d, 30s);
  }
}

TEST_P(claim_test, fail_or_retry_requeues_while_attempts_remain_then_fails) {
  task_claims work(db(), retry_backoff{1ms, 1ms, 0});
  task_service tasks(db());
  auto t = tasks.create({.user_id = alice_, .tool_id = "t", .max_attempts = 2});
  tasks.queue(t.task_id, alice_);
  auto const claim = work.claim_next("w", 1min).value();
  auto const requeued = work.fail_or_retry(claim, "RATE_LIMITED", "429 from the model", boost::json::object{{"n", 1}});
  EXPECT_EQ(requeued.status, QUEUED);
  EXPECT_EQ(requeued.error_code, "RATE_LIMITED");
  EXPECT_TRUE(requeued.run_after);
  EXPECT_EQ(stored(t.task_id).status, QUEUED);

  std::optional<task_claim> second;
  for (int i = 0; i < 1000 && !second; ++i) second = work.claim_next("w", 1min);  // its 2 ms backoff passes
  ASSERT_TRUE(second);
  EXPECT_EQ(second->task.attempt, 2);
  auto const failed = work.fail_or_retry(*second, "RATE_LIMITED", "429 again");
  EXPECT_EQ(failed.status, FAILED);
  EXPECT_EQ(stored(t.task_id).error_message, "429 again");
  EXPECT_EQ(transitions(t.task_id),
            (std::vector<std::string>{"->CREATED", "CREATED->QUEUED", "QUEUED->PROCESSING", "PROCESSING->QUEUED",
                                      "QUEUED->PROCESSING", "PROCESSING->FAILED"}));
}

TEST_P(claim_test, release_gives_the_task_back_without_counting_the_attempt) {
  task_claims work(db());
  auto const t = queued();
  auto const claim = work.claim_next("w", 1min).value();
  auto const released = work.release(claim, 1h);
  EXPECT_EQ(released.status, QUEUED);
  EXPECT_EQ(released.attempt, 0);
  EXPECT_FALSE(released.lease_token);
  EXPECT_FALSE(work.claim_next("w", 1min)) << "released with a delay";
  EXPECT_EQ(transitions(t.task_id).back(), "PROCESSING->QUEUED");
  auto const taken = work.start_processing(t.task_id, "w2", 1min);  // a specific task is taken whatever its run_after
  EXPECT_EQ(taken.task.attempt, 1);
  try {
    work.release(claim);
    ADD_FAILURE() << "a stale claim released the task";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::conflict);
  }
  EXPECT_EQ(stored(t.task_id).locked_by, "w2");
}

TEST_P(claim_test, bad_claim_requests_are_validation_failed_and_change_nothing) {
  task_claims work(db());
  auto const t = queued();
  auto const version = stored(t.task_id).version;
  auto const expect_invalid = [](auto&& f) {
    try {
      f();
      ADD_FAILURE() << "accepted";
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed) << e.what();
      EXPECT_EQ(e.category(), error_category::user_fixable);
    }
  };
  expect_invalid([&] { work.claim_next("", 1min); });
  expect_invalid([&] { work.claim_next(std::string(101, 'w'), 1min); });
  expect_invalid([&] { work.claim_next("w", 0s); });
  expect_invalid([&] { work.claim_batch("w", 5, -1s); });
  expect_invalid([&] { work.claim_next("w", 1min, {.tool_ids = {""}}); });
  expect_invalid([&] { work.claim_next("w", 1min, {.tool_ids = {std::string(51, 't')}}); });
  EXPECT_EQ(stored(t.task_id).status, QUEUED);
  EXPECT_EQ(stored(t.task_id).version, version);
}

TEST_P(claim_test, complete_batch_completes_every_claim_with_its_result_and_event_or_none) {
  task_claims work(db(), no_backoff);
  std::vector<uuid> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(queued().task_id);
  auto claims = work.claim_batch("w1", 3, 1min);
  ASSERT_EQ(claims.size(), 3u);

  std::vector<task_result> results{{"first", 10, 0.5s}, {"second", 20, 1.5s}, {std::nullopt, 0, {}}};
  auto const done = work.complete_batch(claims, results);
  ASSERT_EQ(done.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    auto const t = stored(claims[i].task_id);
    EXPECT_EQ(t.status, COMPLETED);
    EXPECT_EQ(t.result_summary, results[i].result_summary);
    EXPECT_EQ(t.tokens_used, results[i].tokens_used);
    EXPECT_DOUBLE_EQ(t.execution_time.count(), results[i].execution_time.count());
    EXPECT_EQ(t.progress, 100);
    EXPECT_TRUE(t.completed_at);
    EXPECT_EQ(t.version, done[i].version);
    EXPECT_EQ(transitions(t.task_id), (std::vector<std::string>{"->CREATED", "CREATED->QUEUED", "QUEUED->PROCESSING",
                                                                "PROCESSING->COMPLETED"}));
  }

  // All or nothing: one lost lease in the batch, and no task of it changes.
  auto const last = work.claim_batch("w2", 1, 1min);
  ASSERT_EQ(last.size(), 1u);
  std::vector<task_claim> mixed{last[0], claims[0]};  // claims[0] is COMPLETED: its lease is gone
  auto const before = stored(last[0].task_id);
  try {
    work.complete_batch(mixed);
    ADD_FAILURE() << "a batch with a lost lease completed";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::conflict) << e.what();
  }
  EXPECT_EQ(stored(last[0].task_id).status, PROCESSING);
  EXPECT_EQ(stored(last[0].task_id).version, before.version);
  EXPECT_EQ(transitions(last[0].task_id).size(), 3u);

  try {
    work.complete_batch(last, results);  // 1 claim, 3 results
    ADD_FAILURE() << "accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed) << e.what();
  }
  // The same claim twice: the second finds the task completed by the first, and nothing changes.
  try {
    work.complete_batch(std::vector<task_claim>{last[0], last[0]});
    ADD_FAILURE() << "a claim completed twice in one batch";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::conflict) << e.what();
  }
  EXPECT_EQ(stored(last[0].task_id).status, PROCESSING);
  EXPECT_EQ(stored(last[0].task_id).version, before.version);

  EXPECT_EQ(work.complete_batch(last).front().status, COMPLETED);
  EXPECT_TRUE(work.complete_batch({}).empty());
}

TEST_P(claim_test, complete_batch_after_heartbeats_and_progress_reports_writes_what_it_read_or_claimed) {
  // Each claim carries its task; complete_batch() takes the tasks from there
  // when none changed since, and reads them when one did.
  task_service s(db(), no_backoff);
  task_claims work(db(), no_backoff);
  auto const expect_completed_as_returned = [&](std::vector<task> const& done, std::size_t n) {
    ASSERT_EQ(done.size(), n);
    for (auto const& d : done) {
      auto const t = stored(d.task_id);
      EXPECT_EQ(to_json(d), to_json(t)) << "complete_batch returned a task other than the one it stored";
      EXPECT_EQ(t.status, COMPLETED);
      EXPECT_EQ(t.tokens_used, 5);
      EXPECT_EQ(transitions(t.task_id), (std::vector<std::string>{"->CREATED", "CREATED->QUEUED", "QUEUED->PROCESSING",
                                                                  "PROCESSING->COMPLETED"}));
    }
  };
  for (int i = 0; i < 3; ++i) queued();
  auto const fresh = work.claim_batch("w", 3, 1min);
  expect_completed_as_returned(work.complete_batch(fresh, std::vector<task_result>(3, {"done", 5, 0.25s})), 3);

  for (int i = 0; i < 4; ++i) queued();
  auto claims = work.claim_batch("w", 4, 1min);
  ASSERT_EQ(claims.size(), 4u);
  work.heartbeat(claims[0]);
  work.report_progress(claims[1], 40, "critic");  // the claim's task is behind now
  expect_completed_as_returned(work.complete_batch(claims, std::vector<task_result>(4, {"done", 5, 0.25s})), 4);
  EXPECT_EQ(stored(claims[1].task_id).current_agent, "critic");

  // A renewal the caller's transaction rolled back, then the owner cancels:
  // the worker's claim is lost, and completing it changes nothing.
  queued();
  auto lost = work.claim_batch("w", 1, 1min);
  ASSERT_EQ(lost.size(), 1u);
  try {
    db().transact([&] {
      work.heartbeat(lost[0]);
      throw error(errc::validation_failed, "the caller gives up");
    });
    ADD_FAILURE() << "the caller's transaction did not throw";
  } catch (error const& e) {
    EXPECT_EQ(std::string(e.what()), "the caller gives up");  // not an error of heartbeat()
  }
  s.cancel(lost[0].task_id, alice_);
  auto const cancelled = stored(lost[0].task_id);
  try {
    work.complete_batch(lost);
    ADD_FAILURE() << "a lost claim completed";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::conflict) << e.what();
  }
  EXPECT_EQ(to_json(stored(lost[0].task_id)), to_json(cancelled));

  // A claim without its task (e.g. passed between processes by id and token),
  // and a batch inside the caller's transaction, one of whose tasks changed
  // since its claim: both read the tasks.
  for (int i = 0; i < 3; ++i) queued();
  auto const more = work.claim_batch("w", 3, 1min);
  ASSERT_EQ(more.size(), 3u);
  auto bare = more[0];
  bare.task = {};
  EXPECT_EQ(work.complete_batch(std::span(&bare, 1)).front().status, COMPLETED);
  work.report_progress(more[2], 70);
  auto const in_caller = db().transact([&] { return work.complete_batch(std::span(more).subspan(1)); });
  ASSERT_EQ(in_caller.size(), 2u);
  for (auto const& t : in_caller) EXPECT_EQ(to_json(t), to_json(stored(t.task_id)));
}

TEST_P(claim_test, claims_take_the_smallest_priority_first_then_the_oldest) {
  task_service s(db(), no_backoff);
  task_claims work(db(), no_backoff);
  auto const make = [&](std::int32_t priority) {
    auto const t = s.create({.user_id = alice_, .tool_id = "profile-my-data", .priority = priority});
    EXPECT_EQ(t.priority, priority);
    return s.queue(t.task_id, alice_).task_id;
  };
  auto const normal_1 = make(0), urgent_1 = make(-5), later = make(7), urgent_2 = make(-5), normal_2 = make(0),
             first = make(limits::min_priority), last = make(limits::max_priority);
  EXPECT_EQ(stored(later).priority, 7);
  auto const created = s.list(alice_).total;
  std::vector<uuid> taken;
  for (auto n : {2u, 1u, 3u, 5u})
    for (auto const& c : work.claim_batch("w", n, 1min)) taken.push_back(c.task_id);
  EXPECT_EQ(taken, (std::vector<uuid>{first, urgent_1, urgent_2, normal_1, normal_2, later, last}));

  // Out of range: refused where the value enters, the same on every backend.
  for (auto bad : {limits::min_priority - 1, limits::max_priority + 1}) {
    try {
      s.create({.user_id = alice_, .tool_id = "profile-my-data", .priority = static_cast<std::int32_t>(bad)});
      ADD_FAILURE() << bad;
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed) << e.what();
      EXPECT_EQ(e.field(), "tasks.priority") << e.what();
    }
  }
  EXPECT_EQ(s.list(alice_).total, created);
}

TEST_P(claim_test, claims_follow_creation_order_across_many_queued_tasks) {
  // The claim-order index (migration 4) serves the claim's ORDER BY; the
  // order itself is what users see: oldest first among equal priorities,
  // whatever the batch size.
  task_claims work(db(), no_backoff);
  std::vector<uuid> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(queued().task_id);
  std::vector<uuid> taken;
  for (auto n : {5u, 1u, 4u, 10u})
    for (auto const& c : work.claim_batch("w", n, 1min)) taken.push_back(c.task_id);
  EXPECT_EQ(taken, ids);
}

TEST_P(claim_test, requeue_puts_a_held_or_waiting_task_back_claimable_now_and_refuses_the_rest) {
  task_service s(db(), retry_backoff{1h, 2h, 0});
  task_claims work(db(), retry_backoff{1h, 2h, 0});
  task_maintenance maintenance(db(), retry_backoff{1h, 2h, 0});
  auto const t = queued();
  auto claim = *work.claim_next("w1", 1min);
  auto const back = maintenance.requeue(t.task_id);
  EXPECT_EQ(back.status, QUEUED);
  EXPECT_EQ(back.attempt, 0) << "an operator's requeue does not spend the attempt";
  EXPECT_FALSE(back.lease_token);
  EXPECT_FALSE(back.locked_by);
  EXPECT_EQ(stored(t.task_id).status, QUEUED);
  EXPECT_THROW(work.heartbeat(claim), error) << "the worker's lease is revoked";
  EXPECT_THROW(work.complete(claim), error);

  // A QUEUED task waiting for its retry's backoff becomes claimable now.
  work.fail_or_retry(*work.claim_next("w1", 1min), "x", "failed");
  EXPECT_FALSE(work.claim_next("w2", 1min)) << "it waits for the backoff";
  auto const waiting = stored(t.task_id);
  EXPECT_EQ(maintenance.requeue(t.task_id).attempt, 1) << "the failed attempt stays spent";
  auto const again = work.claim_next("w2", 1min);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->task_id, t.task_id);
  EXPECT_EQ(
      transitions(t.task_id),
      (std::vector<std::string>{"->CREATED", "CREATED->QUEUED", "QUEUED->PROCESSING", "PROCESSING->QUEUED",
                                "QUEUED->PROCESSING", "PROCESSING->QUEUED", "QUEUED->QUEUED", "QUEUED->PROCESSING"}));
  EXPECT_GT(stored(t.task_id).version, waiting.version);

  // Any other status is refused, the task unchanged; a missing task is not_found.
  work.complete(*again);
  auto const done = stored(t.task_id);
  try {
    maintenance.requeue(t.task_id);
    ADD_FAILURE() << "a COMPLETED task was requeued";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::invalid_transition);
  }
  EXPECT_EQ(stored(t.task_id).version, done.version);
  try {
    maintenance.requeue(uuid::generate_v7());
    ADD_FAILURE() << "a missing task was requeued";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::not_found);
  }
}

TEST_P(claim_test, queue_stats_count_queued_and_processing_tasks_of_every_tool_with_work) {
  task_claims work(db());
  queue_control queues(db());
  EXPECT_TRUE(queues.stats().empty());
  auto const a1 = queued("alpha");
  queued("alpha");
  queued("beta");
  work.claim_next("w", 1min, {.tool_ids = {"beta"}});
  auto const done = queued("gamma");
  work.complete(*work.claim_next("w", 1min, {.tool_ids = {"gamma"}}));  // finished tasks are not counted
  auto const stats = queues.stats();
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].tool_id, "alpha");
  EXPECT_EQ(stats[0].queued, 2);
  EXPECT_EQ(stats[0].processing, 0);
  ASSERT_TRUE(stats[0].oldest_queued_age);
  EXPECT_LE(*stats[0].oldest_queued_age,
            std::chrono::duration_cast<std::chrono::seconds>(timestamp::now() - *stored(a1.task_id).queued_at) + 1s);
  EXPECT_EQ(stats[1].tool_id, "beta");
  EXPECT_EQ(stats[1].queued, 0);
  EXPECT_EQ(stats[1].processing, 1);
  EXPECT_FALSE(stats[1].oldest_queued_age);
  EXPECT_EQ(stored(done.task_id).status, COMPLETED);
}

TEST_P(claim_test, outbox_takes_are_disjoint_and_expired_sends_are_rescued) {
  auto const t = queued("write-email");
  outbox_service outbox(db());
  for (int i = 0; i < 5; ++i) outbox.enqueue({t.task_id, "u" + std::to_string(i) + "@example.com", "s", "b"});
  auto const a = outbox.take_batch("sender-a", 3, 1s);
  auto const b = outbox.take_batch("sender-b", 3, 1min);
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(b.size(), 2u);
  std::set<std::int64_t> ids;
  for (auto const* batch : {&a, &b})
    for (auto const& m : *batch) {
      EXPECT_TRUE(ids.insert(m.id).second) << "message " << m.id << " taken twice";
      EXPECT_EQ(m.attempts, 1);
      EXPECT_EQ(outbox.find(m.id)->lease_token, m.lease_token);
    }

  // sender-a dies: its three messages come back; sender-b's lease holds.
  EXPECT_EQ(outbox.rescue_expired(a[0].lease_expires_at.value() + 1s), 3u);
  EXPECT_EQ(outbox.find(a[0].id)->status, email_status::PENDING);
  EXPECT_EQ(outbox.find(b[0].id)->status, email_status::SENDING);
  try {
    outbox.mark_sent(a[0]);
    ADD_FAILURE() << "a rescued message was marked sent by its lost sender";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::conflict);
  }
  auto const retaken = outbox.take_batch("sender-c", 10, 1s);
  EXPECT_EQ(retaken.size(), 3u);
  for (auto const& m : retaken) EXPECT_EQ(m.attempts, 2);

  // After the third attempt an expired send fails for good.
  EXPECT_EQ(outbox.rescue_expired(retaken[0].lease_expires_at.value() + 1s), 3u);
  auto const third = outbox.take_batch("sender-d", 10, 1s);
  ASSERT_EQ(third.size(), 3u);
  EXPECT_EQ(outbox.rescue_expired(third[0].lease_expires_at.value() + 1s), 3u);
  EXPECT_EQ(outbox.find(third[0].id)->status, email_status::FAILED);
  EXPECT_TRUE(outbox.take_batch("sender-e", 10, 1s).empty());
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(claim_test);

}  // namespace
