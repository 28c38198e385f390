// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The task lifecycle over every backend: transitions with their events and
// timestamps, ownership, idempotency, fencing, retries, expiry, pagination.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_maintenance.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

#include <string>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using enum task_status;
using namespace std::chrono_literals;

class task_service_test : public domain_test {
 protected:
  void SetUp() override {
    domain_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    service_.emplace(db());
    claims_.emplace(db());
    maintenance_.emplace(db());
  }
  new_task request(std::int64_t user) {
    return {.user_id = user, .tool_id = "profile-my-data", .agents = {"unified-profiler", "score-risk"}};
  }
  std::vector<std::string> event_contents(task const& t) {
    std::vector<std::string> out;
    for (auto const& e : service_->events(t.task_id, t.user_id)) {
      EXPECT_EQ(e.event_type, event_kind::status_change);
      out.push_back(e.content.value_or(""));
    }
    return out;
  }
  std::optional<task_service> service_;
  std::optional<task_claims> claims_;
  std::optional<task_maintenance> maintenance_;
};

TEST_P(task_service_test, a_task_goes_through_its_lifecycle_with_events_and_timestamps) {
  auto& s = *service_;
  auto t = s.create(request(alice_));
  EXPECT_EQ(t.task_id.version(), 7);
  EXPECT_EQ(t.status, CREATED);
  t = s.start_upload(t.task_id, alice_);
  EXPECT_TRUE(t.upload_started_at);
  t = s.mark_uploaded(t.task_id, alice_);
  EXPECT_EQ(t.status, QUEUED);
  EXPECT_TRUE(t.queued_at);
  auto const claim = claims_->start_processing(t.task_id, "worker-1", 5min);
  t = s.get(t.task_id, alice_);
  EXPECT_EQ(t.status, PROCESSING);
  EXPECT_EQ(t.attempt, 1);
  EXPECT_EQ(t.locked_by, "worker-1");
  EXPECT_EQ(t.lease_token, claim.lease_token);
  claims_->report_progress(claim, 40, "score-risk");
  t = claims_->report_progress(claim, 60);
  EXPECT_EQ(t.progress, 60);
  EXPECT_EQ(t.current_agent, "score-risk");
  t = claims_->complete(claim, {.result_summary = "all good", .tokens_used = 1234, .execution_time = 2.5s});
  EXPECT_EQ(t.status, COMPLETED);
  EXPECT_EQ(t.progress, 100);
  EXPECT_TRUE(t.completed_at);
  EXPECT_FALSE(t.lease_token);

  auto const stored = s.get(t.task_id, alice_);
  EXPECT_EQ(stored.result_summary, "all good");
  EXPECT_EQ(stored.tokens_used, 1234);
  EXPECT_DOUBLE_EQ(stored.execution_time.count(), 2.5);
  EXPECT_EQ(stored.agents_total, 2);
  EXPECT_EQ(stored.completed_at, t.completed_at);  // microseconds survive
  EXPECT_EQ(stored.version, 6);                    // four transitions and two progress reports
  EXPECT_EQ(event_contents(t), (std::vector<std::string>{"->CREATED", "CREATED->UPLOADING", "UPLOADING->QUEUED",
                                                         "QUEUED->PROCESSING", "PROCESSING->COMPLETED"}));
}

TEST_P(task_service_test, an_impossible_transition_changes_nothing) {
  auto& s = *service_;
  auto const t = s.create(request(alice_));
  expect_error(errc::invalid_transition, [&] { s.cancel(t.task_id, alice_); });  // CREATED expires, not cancels
  expect_error(errc::invalid_transition, [&] { s.mark_uploaded(t.task_id, alice_); });
  expect_error(errc::invalid_transition, [&] { s.retry(t.task_id, alice_); });
  auto const after = s.get(t.task_id, alice_);
  EXPECT_EQ(after.status, CREATED);
  EXPECT_EQ(after.version, t.version);
  EXPECT_EQ(event_contents(t).size(), 1u);
}

TEST_P(task_service_test, another_users_task_is_indistinguishable_from_a_missing_one) {
  auto& s = *service_;
  auto const t = s.create(request(alice_));
  expect_error(errc::not_found, [&] { s.get(t.task_id, bob_); });
  expect_error(errc::not_found, [&] { s.queue(t.task_id, bob_); });
  expect_error(errc::not_found, [&] { s.events(t.task_id, bob_); });
  expect_error(errc::not_found, [&] { s.cancel(uuid::generate_v7(), alice_); });
  EXPECT_FALSE(s.soft_delete(t.task_id, bob_));
  EXPECT_EQ(s.get(t.task_id, alice_).status, CREATED);
}

TEST_P(task_service_test, the_same_idempotency_key_returns_the_same_task) {
  auto& s = *service_;
  auto req = request(alice_);
  req.idempotency_key = "upload-42";
  auto const a = s.create(req);
  auto const b = s.create(req);
  EXPECT_EQ(a.task_id, b.task_id);
  auto other = request(bob_);
  other.idempotency_key = "upload-42";
  EXPECT_NE(s.create(other).task_id, a.task_id);  // keys are per user
  EXPECT_EQ(s.list(alice_).total, 1u);
}

TEST_P(task_service_test, a_lost_lease_is_a_conflict_and_changes_nothing) {
  auto& s = *service_;
  auto t = s.create(request(alice_));
  s.queue(t.task_id, alice_);
  auto const first = claims_->start_processing(t.task_id, "worker-1", 5min);
  claims_->fail(first, "AGENT_CRASHED", "score-risk crashed", boost::json::object{{"agent", "score-risk"}});
  s.retry(t.task_id, alice_);
  auto const second = claims_->start_processing(t.task_id, "worker-2", 5min);
  expect_error(errc::conflict, [&] { claims_->report_progress(first, 90); });
  expect_error(errc::conflict, [&] { claims_->complete(first, {.result_summary = "zombie result"}); });
  claims_->complete(second, {.result_summary = "real result"});
  auto const done = s.get(t.task_id, alice_);
  EXPECT_EQ(done.result_summary, "real result");
  EXPECT_EQ(done.attempt, 2);
  EXPECT_EQ(done.error_code, std::nullopt);
}

TEST_P(task_service_test, a_failed_upload_can_be_retried_or_processed_directly) {
  auto& s = *service_;
  auto const t = s.create(request(alice_));
  s.start_upload(t.task_id, alice_);
  expect_error(errc::validation_failed, [&] { s.mark_upload_failed(t.task_id, alice_, std::string(51, 'E'), "x"); });
  auto failed = s.mark_upload_failed(t.task_id, alice_, "UPLOAD_TIMEOUT", "the browser gave up");
  EXPECT_EQ(failed.status, UPLOAD_FAILED);
  EXPECT_EQ(failed.error_code, "UPLOAD_TIMEOUT");
  EXPECT_EQ(s.start_upload(t.task_id, alice_).status, UPLOADING);  // try the upload again
  s.mark_upload_failed(t.task_id, alice_, "UPLOAD_TIMEOUT", "again");
  auto const claim = claims_->start_processing(t.task_id, "w", 1min);  // UPLOAD_FAILED can be processed
  auto const running = s.get(t.task_id, alice_);
  EXPECT_EQ(running.status, PROCESSING);
  EXPECT_FALSE(running.error_code);  // cleared on entering PROCESSING
  EXPECT_EQ(claim.worker_id, "w");
}

TEST_P(task_service_test, the_owner_cancels_queued_and_processing_tasks_and_the_worker_loses_its_lease) {
  auto& s = *service_;
  auto const queued = s.create(request(alice_));
  s.queue(queued.task_id, alice_);
  expect_error(errc::not_found, [&] { s.cancel(queued.task_id, bob_); });
  auto const cancelled = s.cancel(queued.task_id, alice_);
  EXPECT_EQ(cancelled.status, CANCELLED);
  EXPECT_TRUE(cancelled.cancelled_at);
  EXPECT_EQ(event_contents(cancelled).back(), "QUEUED->CANCELLED");

  auto const running = s.create(request(alice_));
  s.queue(running.task_id, alice_);
  auto const claim = claims_->start_processing(running.task_id, "w", 1min);
  EXPECT_EQ(s.cancel(running.task_id, alice_).status, CANCELLED);
  expect_error(errc::conflict, [&] { claims_->complete(claim, {.result_summary = "too late"}); });
  expect_error(errc::invalid_transition, [&] { s.cancel(running.task_id, alice_); });
  EXPECT_EQ(event_contents(s.get(running.task_id, alice_)).back(), "PROCESSING->CANCELLED");
}

TEST_P(task_service_test, a_failure_keeps_its_code_message_and_context) {
  auto& s = *service_;
  auto const t = s.create(request(alice_));
  s.queue(t.task_id, alice_);
  auto const claim = claims_->start_processing(t.task_id, "w", 1min);
  claims_->fail(claim, "AGENT_CRASHED", "score-risk crashed",
                boost::json::object{{"agent", "score-risk"}, {"exit", 137}});
  auto const failed = s.get(t.task_id, alice_);
  EXPECT_EQ(failed.status, FAILED);
  EXPECT_TRUE(failed.failed_at);
  EXPECT_EQ(failed.error_message, "score-risk crashed");
  ASSERT_TRUE(failed.failure_context);
  EXPECT_EQ(failed.failure_context->at("exit"), 137);
}

TEST_P(task_service_test, retries_stop_at_max_attempts) {
  auto& s = *service_;
  auto req = request(alice_);
  req.max_attempts = 1;
  auto const t = s.create(req);
  s.queue(t.task_id, alice_);
  claims_->fail(claims_->start_processing(t.task_id, "w", 1min), "E", "boom");
  expect_error(errc::retry_limit_exceeded, [&] { s.retry(t.task_id, alice_); });
  auto const failed = s.get(t.task_id, alice_);
  EXPECT_EQ(failed.status, FAILED);
  EXPECT_EQ(failed.failure_context, std::nullopt);
  EXPECT_TRUE(failed.failed_at);
}

TEST_P(task_service_test, bad_input_is_validation_failed_and_stores_nothing) {
  auto& s = *service_;
  auto bad = request(alice_);
  bad.tool_id = "";
  expect_error(errc::validation_failed, [&] { s.create(bad); });
  bad = request(alice_);
  bad.agents = {"ok", ""};
  expect_error(errc::validation_failed, [&] { s.create(bad); });
  expect_error(errc::foreign_key_violation, [&] { s.create(request(alice_ + bob_ + 100)); });
  auto const t = s.create(request(alice_));
  s.queue(t.task_id, alice_);
  auto const claim = claims_->start_processing(t.task_id, "w", 1min);
  expect_error(errc::validation_failed, [&] { claims_->report_progress(claim, 140); });
  claims_->report_progress(claim, 50);
  expect_error(errc::validation_failed, [&] { claims_->report_progress(claim, 20); });  // progress only rises
  EXPECT_EQ(s.get(t.task_id, alice_).progress, 50);
  EXPECT_EQ(s.list(alice_).total, 1u);
}

TEST_P(task_service_test, stale_created_tasks_expire) {
  auto& s = *service_;
  auto const old = s.create(request(alice_));
  auto const queued = s.create(request(alice_));
  s.queue(queued.task_id, alice_);
  EXPECT_EQ(maintenance_->expire_before(timestamp::now() - 1h), 0u);  // nothing is that old
  EXPECT_EQ(maintenance_->expire_before(timestamp::now() + 1s), 1u);
  auto const expired = s.get(old.task_id, alice_);
  EXPECT_EQ(expired.status, EXPIRED);
  EXPECT_TRUE(expired.expired_at);
  EXPECT_EQ(event_contents(expired).back(), "CREATED->EXPIRED");
  EXPECT_EQ(s.get(queued.task_id, alice_).status, QUEUED);
}

TEST_P(task_service_test, lists_are_newest_first_paged_and_skip_deleted_tasks) {
  auto& s = *service_;
  std::vector<uuid> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(s.create(request(alice_)).task_id);
  s.create(request(bob_));
  s.queue(ids[1], alice_);
  s.queue(ids[4], alice_);
  EXPECT_TRUE(s.soft_delete(ids[6], alice_));
  expect_error(errc::not_found, [&] { s.get(ids[6], alice_); });

  auto const page1 = s.list(alice_, std::nullopt, {.limit = 4, .offset = 0});
  EXPECT_EQ(page1.total, 6u);
  EXPECT_TRUE(page1.has_more);
  ASSERT_EQ(page1.tasks.size(), 4u);
  EXPECT_EQ(page1.tasks[0].task_id, ids[5]);
  EXPECT_EQ(page1.tasks[3].task_id, ids[2]);
  auto const page2 = s.list(alice_, std::nullopt, {.limit = 4, .offset = 4});
  EXPECT_FALSE(page2.has_more);
  ASSERT_EQ(page2.tasks.size(), 2u);
  EXPECT_EQ(page2.tasks[1].task_id, ids[0]);
  auto const keyset = s.list_after(alice_, std::nullopt, page1.tasks.back(), 4);
  ASSERT_EQ(keyset.size(), 2u);
  EXPECT_EQ(keyset[0].task_id, ids[1]);

  auto const queued = s.list(alice_, QUEUED);
  EXPECT_EQ(queued.total, 2u);
  auto const first_queued = s.list(alice_, QUEUED, {.limit = 1});
  auto const next_queued = s.list_after(alice_, QUEUED, first_queued.tasks.at(0), 5);
  ASSERT_EQ(next_queued.size(), 1u);
  EXPECT_EQ(next_queued[0].task_id, ids[1]);
  auto const active = s.active(alice_);
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].task_id, ids[4]);
  EXPECT_EQ(active[1].task_id, ids[1]);
}

TEST_P(task_service_test, keyset_pages_cover_a_long_list_and_each_reads_only_its_own_rows) {
  constexpr std::size_t n = 2000, page_size = 100;
  std::vector<task> rows(n);
  auto const start = timestamp::now();
  for (std::size_t i = 0; i < n; ++i) {
    rows[i].task_id = uuid::generate_v7();
    rows[i].user_id = alice_;
    rows[i].tool_id = "profile-my-data";
    rows[i].created_at = rows[i].updated_at = start + std::chrono::microseconds(static_cast<long long>(i));
  }
  soci_repository<task>(db()).insert_many(rows);
  if (db().backend().kind() == backend_kind::mysql) db().execute("ANALYZE TABLE tasks");
  auto& s = *service_;

  // Every task once, newest first.
  std::vector<uuid> seen;
  auto page = s.list(alice_, std::nullopt, {.limit = page_size}).tasks;
  while (!page.empty()) {
    for (auto const& t : page) seen.push_back(t.task_id);
    page = s.list_after(alice_, std::nullopt, page.back(), page_size);
  }
  ASSERT_EQ(seen.size(), n);
  for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(seen[i], rows[n - 1 - i].task_id) << i;

  // A page deep in the list seeks to its cursor rather than reading every
  // row before it (MariaDB's optimizer would, unless the index is named).
  if (db().backend().kind() != backend_kind::mysql) return;
  auto const& cursor = rows[n - 1 - 1500];
  auto const index_reads = [](soci::session& session) {
    long long reads = 0;
    session << "SELECT CAST(SUM(VARIABLE_VALUE) AS SIGNED) FROM information_schema.SESSION_STATUS WHERE "
               "VARIABLE_NAME IN ('HANDLER_READ_PREV', 'HANDLER_READ_NEXT', 'HANDLER_READ_KEY')",
        soci::into(reads);
    return reads;
  };
  detail::with_pinned_session(db(), [&](auto& lease) {
    auto const before = index_reads(lease.get());
    auto const next = s.list_after(alice_, std::nullopt, cursor, page_size);
    auto const reads = index_reads(lease.get()) - before;
    ASSERT_EQ(next.size(), page_size);
    EXPECT_EQ(next.front().task_id, rows[n - 1 - 1501].task_id);
    EXPECT_LE(reads, static_cast<long long>(2 * page_size)) << "index entries read for one page of " << page_size;
  });
  // The index table_traits declares is relied on: without it the schema does not match.
  db().execute("DROP INDEX idx_tasks_user_created ON tasks");
  expect_error(errc::schema_mismatch, [&] { s.list_after(alice_, std::nullopt, cursor, page_size); });
  EXPECT_EQ(s.list(alice_, std::nullopt, {.limit = page_size}).tasks.size(), page_size);
}

TEST_P(task_service_test, the_retention_sweep_soft_deletes_tasks_older_than_a_year) {
  auto& s = *service_;
  auto const old = s.create(request(alice_));
  auto const recent = s.create(request(alice_));
  EXPECT_EQ(maintenance_->soft_delete_before(), 0u);  // nothing is a year old
  EXPECT_EQ(maintenance_->soft_delete_before(old.created_at + 1us), 1u);
  EXPECT_TRUE(s.find(old.task_id)->deleted_at);
  expect_error(errc::not_found, [&] { s.get(old.task_id, alice_); });
  EXPECT_NO_THROW(s.get(recent.task_id, alice_));
  EXPECT_EQ(maintenance_->soft_delete_before(old.created_at + 1us), 0u);  // already deleted
}

TEST_P(task_service_test, storage_cleanup_finds_due_inputs_and_outputs_and_marks_them_cleaned) {
  auto& s = *service_;
  auto const finish = [&](std::int64_t user) {
    auto t = s.create(request(user));
    s.queue(t.task_id, user);
    return claims_->complete(claims_->start_processing(t.task_id, "w", 1min), {.result_summary = "done"});
  };
  auto const a = finish(alice_);
  auto const b = finish(bob_);
  auto const unfinished = s.create(request(alice_));
  EXPECT_TRUE(maintenance_->inputs_to_clean().empty());  // completed just now: nothing is due yet
  EXPECT_TRUE(maintenance_->outputs_to_clean().empty());

  auto const later = *b.completed_at + 1us;
  auto const inputs = maintenance_->inputs_to_clean(later);
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].task_id, a.task_id);  // oldest completion first
  EXPECT_EQ(inputs[0].prefix, inputs_prefix(alice_, a.task_id));
  EXPECT_EQ(inputs[1].user_id, bob_);
  EXPECT_EQ(maintenance_->outputs_to_clean(later, 1).size(), 1u);  // limit

  EXPECT_EQ(maintenance_->mark_inputs_cleaned({a.task_id, unfinished.task_id}), 2u);  // records what the caller deleted
  EXPECT_EQ(maintenance_->inputs_to_clean(later).size(), 1u);
  EXPECT_EQ(maintenance_->outputs_to_clean(later).size(), 2u);  // inputs and outputs are separate
  EXPECT_TRUE(to_task_response(s.get(a.task_id, alice_)).downloads_available);
  EXPECT_EQ(maintenance_->mark_outputs_cleaned({a.task_id, b.task_id}), 2u);
  EXPECT_EQ(maintenance_->mark_outputs_cleaned({a.task_id}), 0u);  // already cleaned
  EXPECT_TRUE(maintenance_->outputs_to_clean(later).empty());
  EXPECT_FALSE(to_task_response(s.get(a.task_id, alice_)).downloads_available);
  EXPECT_EQ(maintenance_->mark_outputs_cleaned({}), 0u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(task_service_test);

}  // namespace
