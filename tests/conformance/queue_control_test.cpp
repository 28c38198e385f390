// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// queue_control: pause and resume, limits per tool and per user at claim
// time and at start_processing(), the stats, and bad input refused with
// nothing changed. The races are in tests/concurrency/queue_limits_test.cpp.

#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

namespace {

using namespace taskstore;
using namespace taskstore::testing;

constexpr std::chrono::seconds lease{30};

class queue_control_test : public domain_test {
 protected:
  std::vector<uuid> enqueue(std::string const& tool, std::int64_t user, int n) {
    std::vector<uuid> ids;
    for (int i = 0; i < n; ++i) {
      auto const t = tasks().create({.user_id = user, .tool_id = tool});
      tasks().queue(t.task_id, user);
      ids.push_back(t.task_id);
    }
    return ids;
  }
  static std::size_t of_tool(std::vector<task_claim> const& claims, std::string const& tool) {
    return static_cast<std::size_t>(
        std::count_if(claims.begin(), claims.end(), [&](auto const& c) { return c.task.tool_id == tool; }));
  }

  // Made after SetUp() opened the database.
  task_service tasks() { return task_service(db()); }
  task_claims work() { return task_claims(db()); }
  queue_control control() { return queue_control(db()); }
};

TEST_P(queue_control_test, a_paused_tool_is_skipped_until_resumed) {
  enqueue("a", alice_, 2);
  enqueue("b", alice_, 1);
  control().pause("a");
  ASSERT_EQ(control().settings().size(), 1u);
  EXPECT_TRUE(control().settings()[0].paused_at);
  auto const claims = work().claim_batch("w", 10, lease);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].task.tool_id, "b");
  control().resume("a");
  EXPECT_TRUE(control().settings().empty()) << "a tool without settings keeps no row";
  EXPECT_EQ(of_tool(work().claim_batch("w", 10, lease), "a"), 2u);
}

TEST_P(queue_control_test, start_processing_refuses_a_paused_tool_and_a_reached_limit) {
  auto const a = enqueue("a", alice_, 2);
  control().pause("a");
  expect_error(errc::precondition_failed, [&] { work().start_processing(a[0], "w", lease); });
  EXPECT_EQ(tasks().find(a[0])->status, task_status::QUEUED);
  control().resume("a");
  control().set_limit("a", 1);
  work().start_processing(a[0], "w", lease);
  expect_error(errc::precondition_failed, [&] { work().start_processing(a[1], "w", lease); });
  EXPECT_EQ(tasks().find(a[1])->status, task_status::QUEUED);
}

TEST_P(queue_control_test, a_tool_limit_caps_processing_and_a_saturated_tool_does_not_starve_others) {
  enqueue("limited", alice_, 5);  // older: at the head of the queue
  enqueue("other", alice_, 3);
  control().set_limit("limited", 2);
  auto const first = work().claim_next("w", lease);
  auto const second = work().claim_next("w", lease);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->task.tool_id, "limited");
  EXPECT_EQ(second->task.tool_id, "limited");
  auto const third = work().claim_next("w", lease);
  ASSERT_TRUE(third) << "the saturated tool at the head starved the other";
  EXPECT_EQ(third->task.tool_id, "other");
  auto const rest = work().claim_batch("w", 10, lease);
  EXPECT_EQ(of_tool(rest, "limited"), 0u);
  EXPECT_EQ(of_tool(rest, "other"), 2u);
  work().complete(*first);
  auto const next = work().claim_batch("w", 10, lease);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].task.tool_id, "limited");

  auto const stats = control().stats({"limited", "other"});
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].tool_id, "limited");
  EXPECT_EQ(stats[0].max_processing, 2);
  EXPECT_EQ(stats[0].processing, 2);
  EXPECT_EQ(stats[0].queued, 2);
  EXPECT_TRUE(stats[0].oldest_queued_age);
  EXPECT_EQ(stats[1].queued, 0);
  EXPECT_FALSE(stats[1].oldest_queued_age);
  EXPECT_EQ(stats[1].processing, 3);
}

TEST_P(queue_control_test, a_batch_claim_admits_up_to_the_limit) {
  enqueue("limited", alice_, 6);
  control().set_limit("limited", 3);
  EXPECT_EQ(work().claim_batch("w", 10, lease).size(), 3u);
  EXPECT_TRUE(work().claim_batch("w", 10, lease).empty());
  control().set_limit("limited", 0);
  control().set_limit("limited", std::nullopt);
  EXPECT_EQ(work().claim_batch("w", 10, lease).size(), 3u);
}

TEST_P(queue_control_test, user_limits_own_and_default) {
  enqueue("t", alice_, 4);
  enqueue("t", bob_, 4);
  control().set_user_limit(bob_, 1);
  auto claims = work().claim_batch("w", 10, lease);
  EXPECT_EQ(claims.size(), 5u);  // alice unlimited, bob one
  control().set_default_user_limit(0);
  EXPECT_EQ(control().default_user_limit(), 0);
  control().set_user_limit(bob_, 2);
  claims = work().claim_batch("w", 10, lease);
  ASSERT_EQ(claims.size(), 1u);  // alice by the default (0), bob his second
  EXPECT_EQ(claims[0].task.user_id, bob_);
  ASSERT_EQ(control().user_limits().size(), 1u);
  EXPECT_EQ(control().user_limits()[0].max_processing, 2);
  control().set_default_user_limit(std::nullopt);
  control().set_user_limit(bob_, std::nullopt);
  EXPECT_EQ(work().claim_batch("w", 10, lease).size(), 2u);
}

TEST_P(queue_control_test, bad_input_is_refused_and_changes_nothing) {
  expect_error(errc::validation_failed, [&] { control().set_limit("t", -1); });
  expect_error(errc::validation_failed, [&] { control().set_user_limit(alice_, -1); });
  expect_error(errc::validation_failed, [&] { control().set_default_user_limit(-5); });
  expect_error(errc::validation_failed, [&] { control().pause(""); });
  expect_error(errc::validation_failed, [&] { control().pause(std::string(51, 'x')); });
  expect_error(errc::validation_failed, [&] { control().stats({""}); });
  expect_error(errc::foreign_key_violation, [&] { control().set_user_limit(987654, 1); });
  EXPECT_TRUE(control().settings().empty());
  EXPECT_TRUE(control().user_limits().empty());
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(queue_control_test);

}  // namespace
