// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Versioned drafts on every backend, including racing writers.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/draft_service.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/domain_fixture.hpp"

#include <set>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;

class draft_test : public domain_test {
 protected:
  void SetUp() override {
    domain_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto const u = alice_;
    task_ = task_service(db()).create({.user_id = u, .tool_id = "write-email", .agents = {"writer"}});
  }
  task task_;
};

TEST_P(draft_test, versions_count_up_and_review_moves_forward_only) {
  draft_service drafts(db());
  expect_error(errc::not_found, [&] { drafts.get_latest(task_.task_id, alice_); });  // no draft yet
  EXPECT_TRUE(drafts.list(task_.task_id, alice_).empty());
  auto const v1 = drafts.add(task_.task_id, "Dear team,", draft_kind::EMAIL, "writer");
  auto const v2 = drafts.add(task_.task_id, "Dear team, the report is ready.", draft_kind::EMAIL, "writer");
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(drafts.get_latest(task_.task_id, alice_).id, v2.id);
  ASSERT_EQ(drafts.list(task_.task_id, alice_).size(), 2u);
  EXPECT_EQ(drafts.list(task_.task_id, alice_)[0].content, "Dear team,");
  // Another user's task reads like a missing one.
  expect_error(errc::not_found, [&] { drafts.get_latest(task_.task_id, bob_); });
  expect_error(errc::not_found, [&] { drafts.list(task_.task_id, bob_); });

  EXPECT_THROW(drafts.approve(v2.id, "editor"), error);  // not in review yet
  drafts.submit_for_review(v2.id);
  auto const approved = drafts.approve(v2.id, "editor");
  EXPECT_EQ(approved.status, draft_status::APPROVED);
  EXPECT_EQ(approved.reviewer, "editor");
  EXPECT_TRUE(approved.reviewed_at);
  EXPECT_THROW(drafts.reject(v2.id, "editor"), error);
  drafts.submit_for_review(v1.id);
  EXPECT_EQ(drafts.reject(v1.id, "editor").status, draft_status::REJECTED);
  EXPECT_THROW(drafts.submit_for_review(v1.id + v2.id + 100), error);
}

TEST_P(draft_test, racing_writers_get_distinct_consecutive_versions) {
  draft_service drafts(db());
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < 5; ++i)
        drafts.add(task_.task_id, "writer " + std::to_string(w) + " draft " + std::to_string(i));
    });
  for (auto& t : writers) t.join();
  auto const all = drafts.list(task_.task_id, alice_);
  ASSERT_EQ(all.size(), 20u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].version, static_cast<std::int32_t>(i + 1));
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(draft_test);

}  // namespace
