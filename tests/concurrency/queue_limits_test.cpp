// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Concurrency limits under contention: eight claimers, each with its own
// database handle (its own pool, so its own connections), drain tools with
// limits while a sampler thread counts the PROCESSING tasks per key on its
// own handle; the most ever seen never exceeds the limit. Runs under
// ThreadSanitizer too (scripts/tsan).

#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

#include <atomic>
#include <map>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;

class queue_limits_test : public domain_test {
 protected:
  /// A handle of its own (the in-memory database has one connection: shared).
  database handle() {
    if (GetParam() == test_backend::sqlite_memory) return db();
    auto const url = env().url();
    return database::open(url + (url.find('?') == std::string::npos ? "?" : "&") + "retry_attempts=50");
  }

  void enqueue(std::string const& tool, std::int64_t user, int n) {
    task_service tasks(db());
    for (int i = 0; i < n; ++i) {
      auto const t = tasks.create({.user_id = user, .tool_id = tool});
      tasks.queue(t.task_id, user);
    }
  }
};

TEST_P(queue_limits_test, eight_claimers_never_exceed_a_limit_per_tool_and_per_user) {
  queue_control control(db());
  control.set_limit("slow", 2);
  control.set_limit("mid", 3);
  control.set_user_limit(bob_, 1);
  enqueue("slow", alice_, 12);
  enqueue("mid", alice_, 12);
  enqueue("free", alice_, 8);
  enqueue("free", bob_, 8);
  std::size_t const total = 40;

  std::atomic<bool> done{false};
  std::map<std::string, std::int64_t> max_seen;
  std::int64_t max_bob = 0;
  std::thread sampler([&, sample_db = handle()] {
    soci_repository<task> rows(sample_db);
    auto const processing = [&](predicate<task> p) {
      return static_cast<std::int64_t>(rows.count(query<task>{col(&task::status) == task_status::PROCESSING && p}));
    };
    while (!done.load()) {
      for (std::string tool : {"slow", "mid"})
        max_seen[tool] = std::max(max_seen[tool], processing(col(&task::tool_id) == tool));
      max_bob = std::max(max_bob, processing(col(&task::user_id) == bob_));
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });

  std::atomic<std::size_t> completed{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 8; ++i)
    workers.emplace_back([&, i, own = handle()] {
      try {
        task_service tasks(own);
        task_claims work(own);
        auto idle = 0;
        while (completed.load() < total && idle < 2000) {
          std::size_t const batch = i % 2 ? 3 : 1;
          auto claims = work.claim_batch("w" + std::to_string(i), batch, std::chrono::seconds(30));
          EXPECT_LE(claims.size(), batch);
          if (claims.empty()) {
            ++idle;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the tasks are PROCESSING a while
          for (auto const& c : claims) work.complete(c);
          completed += claims.size();
        }
      } catch (std::exception const& e) {
        ADD_FAILURE() << "worker " << i << ": " << e.what();
      }
    });
  for (auto& w : workers) w.join();
  done = true;
  sampler.join();

  EXPECT_EQ(completed.load(), total) << "a limited tool starved, or tasks were lost";
  EXPECT_LE(max_seen["slow"], 2);
  EXPECT_LE(max_seen["mid"], 3);
  EXPECT_LE(max_bob, 1);
  EXPECT_GE(max_seen["slow"], 1) << "the sampler saw nothing: the test proves nothing";
}

TEST_P(queue_limits_test, a_pause_is_seen_by_claims_on_another_handle) {
  enqueue("paused", alice_, 2);
  enqueue("running", alice_, 1);
  auto const other = handle();
  queue_control(other).pause("paused");
  task_claims work(db());
  auto const first = work.claim_batch("w", 5, std::chrono::seconds(30));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].task.tool_id, "running");
  queue_control(other).resume("paused");
  EXPECT_EQ(work.claim_batch("w", 5, std::chrono::seconds(30)).size(), 2u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(queue_limits_test);

}  // namespace
