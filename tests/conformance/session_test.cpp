// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// A session's background-task record on every backend: one record per session,
// overwritten step by step, retries counted, the session's stage changed in
// the same transaction, lifecycle messages with their levels.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/domain_fixture.hpp"

#include <string>
#include <utility>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;

class session_test : public domain_test {
 protected:
};

TEST_P(session_test, a_session_runs_processing_export_and_validation_on_one_record) {
  std::vector<std::pair<lifecycle_level, std::string>> messages;
  session_service sessions(db(), [&](lifecycle_level l, std::string const& m) { messages.emplace_back(l, m); });
  auto const s = sessions.create(alice_);
  EXPECT_EQ(s.expires_at - s.created_at, std::chrono::days{7});

  auto const p = sessions.start(s.id, session_task_type::processing, uuid::generate_v4());
  EXPECT_EQ(sessions.find(s.id)->stage, "processing");
  EXPECT_EQ(sessions.find_active_for_session(s.id)->id, p.id);
  sessions.complete(s.id);
  EXPECT_EQ(sessions.find(s.id)->stage, "processing_completed");
  EXPECT_FALSE(sessions.find_active_for_session(s.id));

  // The next step overwrites the same record.
  auto const e = sessions.start(s.id, session_task_type::export_, uuid::generate_v4());
  EXPECT_EQ(e.id, p.id);
  EXPECT_EQ(sessions.find(s.id)->stage, "export");
  for (int i = 1; i <= 3; ++i) {
    auto const failed = sessions.fail(s.id, boost::json::object{{"error", "timeout"}, {"attempt", i}});
    EXPECT_EQ(failed.retry_count, i);
    EXPECT_EQ(sessions.find(s.id)->stage, "export_failed");
    if (i < 3) {
      ASSERT_TRUE(sessions.find_failed_retryable(s.id));
      sessions.retry(s.id, uuid::generate_v4());
    }
  }
  EXPECT_FALSE(sessions.find_failed_retryable(s.id));
  try {
    sessions.retry(s.id, uuid::generate_v4());
    ADD_FAILURE();
  } catch (error const& err) {
    EXPECT_STREQ(err.what(), "Maximum retry attempts exceeded");
    EXPECT_EQ(err.category(), error_category::admin_required);
  }
  EXPECT_EQ(sessions.find(s.id)->stage, "export_failed");  // nothing changed

  auto const v = sessions.start(s.id, session_task_type::adf_validation, uuid::generate_v4());
  EXPECT_EQ(v.retry_count, 0);
  sessions.complete(s.id);
  try {
    sessions.fail(s.id, boost::json::object{});
    ADD_FAILURE();
  } catch (error const& err) {
    EXPECT_STREQ(err.what(), "Cannot modify completed task");
    EXPECT_EQ(err.category(), error_category::user_fixable);
  }
  EXPECT_EQ(sessions.find(s.id)->stage, "adf_validation_completed");

  auto has = [&](lifecycle_level level, std::string const& part) {
    for (auto const& [l, m] : messages)
      if (l == level && m.find(part) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has(lifecycle_level::info, "SessionTask processing started for session " + s.id.to_string()));
  EXPECT_TRUE(has(lifecycle_level::info, "SessionTask processing completed for session"));
  EXPECT_TRUE(
      has(lifecycle_level::warning, "SessionTask export failed for session " + s.id.to_string() + ", retry #3"));
  EXPECT_TRUE(has(lifecycle_level::audit, "\"error\":\"timeout\""));
  EXPECT_TRUE(has(lifecycle_level::debug, "timing"));
}

TEST_P(session_test, the_stage_and_the_record_change_together_or_not_at_all) {
  session_service sessions(db());
  auto const s = sessions.create(alice_);
  sessions.start(s.id, session_task_type::export_, uuid::generate_v4());
  // A stage too long for its column fails after the record was updated in the
  // same transaction: the record must still be running.
  expect_error(errc::validation_failed, [&] { sessions.complete(s.id, std::string(51, 'x')); });
  EXPECT_TRUE(sessions.find_active_for_session(s.id));
  EXPECT_EQ(sessions.find(s.id)->stage, "export");
  auto const failed = sessions.fail(s.id, boost::json::object{{"error", "S3 timeout"}, {"bytes", 1024}});
  auto const stored = soci_repository<session_task>(db()).find(failed.id);
  ASSERT_TRUE(stored && stored->failure_context);
  EXPECT_EQ(stored->failure_context->at("error"), "S3 timeout");  // read back from the database
  EXPECT_EQ(stored->retry_count, 1);
  expect_error(errc::invalid_transition, [&] { sessions.fail(s.id, boost::json::object{}); });  // counted once
  EXPECT_EQ(soci_repository<session_task>(db()).find(failed.id)->retry_count, 1);
}

TEST_P(session_test, deleting_a_session_takes_its_record_and_expired_sessions_are_swept) {
  session_service sessions(db());
  auto const keep = sessions.create(alice_);
  auto const drop = sessions.create(std::nullopt);
  sessions.start(drop.id, session_task_type::processing, uuid::generate_v4());
  EXPECT_TRUE(sessions.remove(drop.id));
  EXPECT_FALSE(sessions.find_active_for_session(drop.id));
  EXPECT_THROW(sessions.start(drop.id, session_task_type::processing, uuid::generate_v4()), error);
  EXPECT_EQ(sessions.purge_before(), 0u);
  EXPECT_EQ(sessions.purge_before(timestamp::now() + std::chrono::days{8}), 1u);
  EXPECT_FALSE(sessions.find(keep.id));
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(session_test);

}  // namespace
