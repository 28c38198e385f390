// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Exactly once under contention: eight threads claim and complete the same
// queue (half one task at a time, half in batches); afterwards every task is
// COMPLETED exactly once, none is lost, and the event log agrees with the
// rows. TASKSTORE_STRESS_TASKS sets the size (default 5,000; CI runs fewer,
// scripts/stress the full size). Runs under ThreadSanitizer too (scripts/tsan).

#include "support/domain_fixture.hpp"
#include "support/work_loop.hpp"

#include <cstdlib>
#include <iostream>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;

std::size_t stress_tasks() {
  char const* n = std::getenv("TASKSTORE_STRESS_TASKS");
  return n && *n ? static_cast<std::size_t>(std::atol(n)) : 5000;
}

class claims_test : public domain_test {};

TEST_P(claims_test, eight_threads_complete_every_task_exactly_once) {
  constexpr int threads = 8;
  auto const url = env().url();
  auto const shared =
      GetParam() == test_backend::sqlite_memory
          ? db()  // one private connection: the threads take turns on it
          : database::open(url + (url.find('?') == std::string::npos ? "?" : "&") + "pool_size=8&retry_attempts=50");
  auto const ids = enqueue_tasks(shared, alice_, stress_tasks());

  auto const start = std::chrono::steady_clock::now();
  std::vector<work_stats> stats(threads);
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i)
    workers.emplace_back([&, i] {
      try {
        stats[i] = drain(shared, "thread-" + std::to_string(i), {.batch = i % 2 ? 10u : 1u});
      } catch (std::exception const& e) {
        ADD_FAILURE() << "worker " << i << ": " << e.what();
      }
    });
  for (auto& w : workers) w.join();
  auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  auto const r = check_exactly_once(shared, ids, stats);
  std::cout << "exactly-once [" << name(GetParam()) << ", " << threads << " threads]: " << r << " in " << seconds
            << " s\n";
  EXPECT_EQ(r.processed, ids.size());
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(r.log_mismatches, 0u);
  EXPECT_EQ(r.lost_leases, 0u) << "a 30 s lease expired during the run";
  std::size_t told = 0;
  for (auto const& s : stats) told += s.completed.size();
  EXPECT_EQ(told, ids.size());
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(claims_test);

}  // namespace
