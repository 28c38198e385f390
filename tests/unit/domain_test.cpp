// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The domain's pure rules, without a database.

#include <taskstore/domain/entities.hpp>
#include <taskstore/domain/retry_backoff.hpp>
#include <taskstore/domain/session_task_rules.hpp>
#include <taskstore/domain/task_lifecycle.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/types/from_json.hpp>

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <cstdint>
#include <limits>
#include <set>
#include <utility>

namespace {

using namespace taskstore;
using enum task_status;

TEST(task_lifecycle, allows_exactly_the_design_transitions) {
  std::set<std::pair<task_status, task_status>> const allowed = {
      {CREATED, UPLOADING},       {CREATED, QUEUED},       {CREATED, EXPIRED},         {UPLOADING, QUEUED},
      {UPLOADING, UPLOAD_FAILED}, {UPLOADING, EXPIRED},    {UPLOAD_FAILED, UPLOADING}, {UPLOAD_FAILED, PROCESSING},
      {UPLOAD_FAILED, EXPIRED},   {QUEUED, PROCESSING},    {QUEUED, CANCELLED},        {PROCESSING, COMPLETED},
      {PROCESSING, FAILED},       {PROCESSING, CANCELLED}, {PROCESSING, QUEUED},       {FAILED, QUEUED}};
  int checked = 0;
  for (auto from : enum_names<task_status>)
    for (auto to : enum_names<task_status>) {
      auto const f = *enum_from_string<task_status>(from), t = *enum_from_string<task_status>(to);
      EXPECT_EQ(can_transition(f, t), allowed.count({f, t}) > 0) << from << " -> " << to;
      ++checked;
    }
  EXPECT_EQ(checked, 81);
}

TEST(task_lifecycle, status_predicates) {
  for (auto s : {COMPLETED, FAILED, CANCELLED, EXPIRED}) EXPECT_TRUE(is_terminal(s));
  for (auto s : {CREATED, UPLOADING, UPLOAD_FAILED, QUEUED, PROCESSING}) EXPECT_FALSE(is_terminal(s));
  EXPECT_TRUE(can_process(QUEUED));
  EXPECT_TRUE(can_process(UPLOAD_FAILED));
  EXPECT_FALSE(can_process(CREATED));
  EXPECT_TRUE(can_cancel(PROCESSING));
  EXPECT_TRUE(can_cancel(QUEUED));
  EXPECT_FALSE(can_cancel(CREATED));
  EXPECT_FALSE(can_cancel(COMPLETED));
}

TEST(task_lifecycle, transitions_set_the_status_timestamps) {
  task t;
  t.status = CREATED;
  auto const t0 = timestamp::parse("2025-01-01 10:00:00");
  apply_transition(t, UPLOADING, t0);
  EXPECT_EQ(t.upload_started_at, t0);
  apply_transition(t, QUEUED, t0 + std::chrono::seconds(1));
  EXPECT_EQ(t.queued_at, t0 + std::chrono::seconds(1));
  apply_transition(t, PROCESSING, t0 + std::chrono::seconds(2));
  EXPECT_EQ(t.processing_started_at, t0 + std::chrono::seconds(2));
  apply_progress(t, 40, t0);
  apply_progress(t, 40, t0);  // equal is fine
  EXPECT_THROW(apply_progress(t, 39, t0), error);
  EXPECT_THROW(apply_progress(t, 140, t0), error);
  apply_transition(t, COMPLETED, t0 + std::chrono::seconds(3));
  EXPECT_EQ(t.progress, 100);
  EXPECT_EQ(t.completed_at, t0 + std::chrono::seconds(3));
  EXPECT_EQ(t.updated_at, t0 + std::chrono::seconds(3));
  try {
    apply_transition(t, QUEUED, t0);
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::invalid_transition);
    EXPECT_EQ(e.category(), error_category::user_fixable);
    EXPECT_STREQ(e.what(), "a COMPLETED task cannot become QUEUED");
  }
  EXPECT_EQ(t.status, COMPLETED);
}

TEST(task_lifecycle, requeueing_resets_progress_and_the_lease) {
  task t;
  t.status = PROCESSING;
  t.progress = 70;
  t.locked_by = "worker-1";
  t.lease_token = uuid::generate_v4();
  t.lease_expires_at = timestamp::now();
  t.current_agent = "score-risk";
  apply_transition(t, QUEUED, timestamp::now());
  EXPECT_EQ(t.progress, 0);
  EXPECT_FALSE(t.locked_by || t.lease_token || t.lease_expires_at || t.current_agent);
  task created;
  EXPECT_THROW(apply_progress(created, 10, timestamp::now()), error);  // not PROCESSING
}

TEST(task_lifecycle, storage_keys_follow_the_task_api) {
  auto const id = uuid::parse("0192f0a4-7b1c-7def-8123-456789abcdef");
  EXPECT_EQ(storage_prefix(7, id), "users/7/tasks/0192f0a4-7b1c-7def-8123-456789abcdef/");
  EXPECT_EQ(inputs_prefix(7, id), "users/7/tasks/0192f0a4-7b1c-7def-8123-456789abcdef/inputs/");
  EXPECT_EQ(outputs_prefix(7, id), "users/7/tasks/0192f0a4-7b1c-7def-8123-456789abcdef/outputs/");
  EXPECT_EQ(parameters_key(7, id), "users/7/tasks/0192f0a4-7b1c-7def-8123-456789abcdef/inputs/parameters.json");
}

TEST(session_task_rules, follow_the_session_job_rules) {
  auto const t0 = timestamp::parse("2025-01-01 10:00:00");
  auto st = new_session_task(uuid::generate_v7(), session_task_type::processing, uuid::generate_v4(), t0);
  EXPECT_TRUE(is_running(st));
  EXPECT_THROW(mark_started(st, session_task_type::export_, uuid::generate_v4(), t0), error);  // already running
  mark_completed(st, t0 + std::chrono::minutes(3));
  EXPECT_DOUBLE_EQ(*duration_minutes(st), 3.0);
  try {
    mark_failed(st, boost::json::object{{"reason", "late"}}, t0);
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_STREQ(e.what(), "Cannot modify completed task");
    EXPECT_EQ(e.category(), error_category::user_fixable);
  }
  // The next step overwrites the same record, with retries counted afresh.
  mark_started(st, session_task_type::export_, uuid::generate_v4(), t0);
  EXPECT_FALSE(duration_minutes(st));  // still running
  for (int failure = 1; failure <= 3; ++failure) {
    mark_failed(st, boost::json::object{{"attempt", failure}}, t0 + std::chrono::seconds(90));
    EXPECT_EQ(st.retry_count, failure);
    if (failure == 1) {  // a failure is counted once: a failed record cannot fail again
      EXPECT_THROW(mark_failed(st, boost::json::object{}, t0), error);
      EXPECT_EQ(st.retry_count, 1);
      EXPECT_THROW(mark_completed(st, t0), error);
    }
    EXPECT_DOUBLE_EQ(*duration_minutes(st), 1.5);
    if (failure < 3) {
      EXPECT_TRUE(can_retry(st));
      mark_started(st, session_task_type::export_, uuid::generate_v4(), t0);  // a retry
      EXPECT_EQ(st.retry_count, failure);
    }
  }
  EXPECT_FALSE(can_retry(st));
  EXPECT_FALSE(can_be_retried(st));
  try {
    mark_started(st, session_task_type::export_, uuid::generate_v4(), t0);
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_STREQ(e.what(), "Maximum retry attempts exceeded");
    EXPECT_EQ(e.category(), error_category::admin_required);
  }
  // A new step after a failure is allowed and resets the count.
  mark_started(st, session_task_type::adf_validation, uuid::generate_v4(), t0);
  EXPECT_EQ(st.retry_count, 0);
}

TEST(session_task_rules, export_is_stored_and_serialized_without_the_underscore) {
  EXPECT_EQ(enum_to_string(session_task_type::export_), "export");
  EXPECT_EQ(enum_from_string<session_task_type>("export"), session_task_type::export_);
  EXPECT_FALSE(enum_from_string<session_task_type>("export_"));
  session_task st;
  st.task_type = session_task_type::export_;
  auto const v = to_json(st);
  EXPECT_EQ(v.as_object().at("task_type"), "export");
  EXPECT_EQ(from_json<session_task>(v).task_type, session_task_type::export_);
}

TEST(validation, emails) {
  EXPECT_EQ(normalize_email("Ada.Lovelace+tasks@Example.COM"), "ada.lovelace+tasks@example.com");
  EXPECT_EQ(normalize_email("a@b.co"), "a@b.co");
  for (char const* bad : {"", "plain", "a@b", "@b.com", "a@@b.com", "a@b..com", "a b@c.com", "a@-b.com", "a@b-.com",
                          ".a@b.com", "a.@b.com", "a..b@c.com", "a@b.com,", "a@b_c.com"}) {
    try {
      normalize_email(bad, "recipient");
      ADD_FAILURE() << "accepted " << bad;
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed);
      EXPECT_EQ(e.field(), "recipient");
    }
  }
  EXPECT_THROW(normalize_email(std::string(250, 'a') + "@b.com"), error);
}

TEST(validation, tool_ids_agents_and_lengths) {
  EXPECT_NO_THROW(check_tool_id("profile-my-data"));
  EXPECT_THROW(check_tool_id(""), error);
  EXPECT_THROW(check_tool_id(std::string(51, 't')), error);
  EXPECT_NO_THROW(check_length("title", "ü€😀", 3));  // characters, not bytes
  EXPECT_THROW(check_length("title", "ü€😀!", 3), error);
  try {
    check_agents({"unified-profiler", ""});
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.field(), "agents[1]");
  }
}

// input limits (issue 31): retry_backoff saturates instead of wrapping.

TEST(retry_backoff_limits, a_huge_cap_or_base_saturates) {
  retry_backoff const huge_cap{std::chrono::seconds(5), std::chrono::milliseconds::max(), 0.0};
  EXPECT_EQ(huge_cap.delay(1), std::chrono::seconds(10));
  EXPECT_GT(huge_cap.delay(200), std::chrono::hours(24 * 365 * 1000));
  retry_backoff const huge_base{std::chrono::milliseconds::max(), std::chrono::milliseconds::max(), 0.5};
  for (int attempt : {0, 1, 62, 63, 64, 1000, std::numeric_limits<std::int32_t>::max()})
    EXPECT_GT(huge_base.delay(attempt), std::chrono::hours(24 * 365 * 1000)) << attempt;
  auto const now = timestamp::now();
  EXPECT_EQ(huge_cap.next_run(now, 200), timestamp::latest());
  retry_backoff const zero{std::chrono::milliseconds(0), std::chrono::hours(1), 0.1};
  EXPECT_EQ(zero.delay(std::numeric_limits<std::int32_t>::max()), std::chrono::microseconds(0));
}

TEST(validation_limits, checked_add_and_check_json_depth_name_the_field) {
  EXPECT_EQ(checked_add("tokens_used", 2, 3), 5);
  try {
    checked_add("tokens_used", std::numeric_limits<std::int64_t>::max(), 1);
    FAIL() << "accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed);
    EXPECT_EQ(e.field(), "tokens_used");
  }
  boost::json::value v = 1;
  for (int i = 0; i < 31; ++i) v = boost::json::array{std::move(v)};
  try {
    check_json_depth("tasks.failure_context", v);
    FAIL() << "accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.field(), "tasks.failure_context");
  }
  EXPECT_NO_THROW(check_json_depth("tasks.failure_context", v.as_array()[0]));
}

}  // namespace
