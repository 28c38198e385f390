// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// A MariaDB Galera cluster of three nodes (scripts/with-cluster --galera):
// workers on different nodes claim from one queue. Row locks are each node's
// own, so two nodes may claim one task at once; Galera certifies one commit
// and fails the other as a deadlock, which transact() runs again.

#include "cluster/cluster.hpp"
#include "support/work_loop.hpp"

#include <chrono>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

class galera_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::istringstream urls(cluster_env("TASKSTORE_TEST_GALERA_URLS"));
    for (std::string url; urls >> url;) nodes_.push_back(url);
    if (nodes_.size() != 3) {
      if (all_backends_required())
        GTEST_FAIL() << "TASKSTORE_TEST_GALERA_URLS does not name three nodes and TASKSTORE_REQUIRE_ALL_BACKENDS=1";
      GTEST_SKIP() << "no Galera cluster: run under scripts/with-cluster --galera";
    }
    auto const first = database::open(nodes_[0]);
    first.execute("DROP DATABASE IF EXISTS taskstore_test");  // DDL runs on every node at once (TOI)
    first.execute("CREATE DATABASE taskstore_test CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
    auto const db = database::open(nodes_[0]);
    migrate_to_latest(db);  // through one node: GET_LOCK, the migration lock, is each node's own
    user_ = user_service(db).create("galera@example.com", "Galera").id;
  }

  /// Drains `n` new tasks with `workers` threads spread over the first
  /// `nodes` nodes, each with a pool of its own; `during` runs meanwhile.
  template <class F = void (*)()>
  std::pair<exactly_once_report, double> drain_on(
      std::size_t nodes, int workers, std::size_t n, F const& during = [] {}) {
    auto const ids = enqueue_tasks(database::open(nodes_[0]), user_, n);
    // A node applies others' commits a little later (reads do not wait unless wsrep_sync_wait says so): a worker
    // that found no task would stop.
    for (std::size_t k = 0; k < nodes; ++k) {
      soci_repository<task> seen(database::open(nodes_[k]));
      while (seen.count(query<task>{col(&task::status) == task_status::QUEUED}) < n) std::this_thread::sleep_for(5ms);
    }
    std::vector<work_stats> stats(workers);
    std::vector<std::thread> threads;
    auto const start = std::chrono::steady_clock::now();
    for (int i = 0; i < workers; ++i)
      threads.emplace_back([&, i] {
        try {
          auto const mine = database::open(nodes_[i % nodes]);
          stats[i] = drain(mine, "node" + std::to_string(i % nodes + 1) + "-" + std::to_string(i),
                           {.batch = i % 2 ? 5u : 1u, .lease = 5s, .ride_out_outages = true});
        } catch (std::exception const& e) {
          ADD_FAILURE() << "worker " << i << " gave up: " << e.what();
        }
      });
    during();
    for (auto& t : threads) t.join();
    auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {check_exactly_once(database::open(nodes_[0]), ids, stats), seconds};
  }

  std::vector<std::string> nodes_;
  std::int64_t user_ = 0;
};

TEST_F(galera_test, workers_on_three_nodes_complete_every_task_once_while_a_node_is_killed_and_rejoins) {
  auto const n = cluster_tasks();
  std::chrono::steady_clock::duration rejoin{};
  auto const [r, seconds] = drain_on(3, 6, n, [&] {
    soci_repository<task> probe(database::open(nodes_[0]));
    auto const completed = query<task>{col(&task::status) == task_status::COMPLETED};
    while (probe.count(completed) < n / 3) std::this_thread::sleep_for(5ms);  // mid-run
    run_cluster_command("TASKSTORE_TEST_GALERA_KILL_3");
    std::this_thread::sleep_for(1s);
    auto const restarted = std::chrono::steady_clock::now();
    run_cluster_command("TASKSTORE_TEST_GALERA_START_3");  // returns once node 3 is Synced
    rejoin = std::chrono::steady_clock::now() - restarted;
  });
  std::cout << "galera [3 nodes, 6 workers, node 3 killed and rejoined in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(rejoin).count() << " ms]: " << r << " in "
            << seconds << " s\n";
  EXPECT_EQ(r.processed, n);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(r.log_mismatches, 0u);
  EXPECT_GT(r.temporary_errors, 0u) << "the workers of node 3 never noticed it die";
}

// Not a timed assertion: the figures for docs/scaling.md, with every run checked exactly once.
TEST_F(galera_test, claims_per_second_with_workers_on_one_two_and_three_nodes) {
  auto const n = cluster_tasks() / 2;
  for (std::size_t nodes = 1; nodes <= 3; ++nodes) {
    auto const [r, seconds] = drain_on(nodes, 6, n);
    std::cout << "galera claims [6 workers on " << nodes
              << " node(s)]: " << static_cast<long>(static_cast<double>(n) / seconds) << " tasks/s; " << r << '\n';
    EXPECT_EQ(r.processed, n);
    EXPECT_EQ(r.duplicates, 0u);
    EXPECT_EQ(r.lost, 0u);
    EXPECT_EQ(r.log_mismatches, 0u);
  }
}

}  // namespace
