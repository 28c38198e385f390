// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Failover: workers on a multi-host URL (the primary, then the standby, with
// target_session_attrs=read-write) while the primary is SIGKILLed and the
// standby promoted. Each test ends the cluster's primary: run each under a
// scripts/with-cluster --postgres of its own (scripts/test-cluster does), with
// TASKSTORE_CLUSTER_SYNC=1 for a synchronous standby.

#include "cluster/cluster.hpp"
#include "support/first_success.hpp"
#include "support/work_loop.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

long long ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

/// Completions the workers were told of that the database no longer has:
/// per task, the acknowledgements beyond its PROCESSING->COMPLETED events.
std::size_t acknowledged_but_missing(database const& db, std::vector<work_stats> const& workers) {
  std::map<uuid, std::size_t> told, kept;
  for (auto const& w : workers)
    for (auto const& id : w.completed) ++told[id];
  for (auto const& e : soci_repository<event_log>(db).find(
           query<event_log>{col(&event_log::event_type) == event_kind::status_change &&
                            col(&event_log::content) == std::string("PROCESSING->COMPLETED")}))
    ++kept[e.task_id];
  std::size_t missing = 0;
  for (auto const& [id, n] : told) missing += n > kept[id] ? n - kept[id] : 0;
  return missing;
}

class failover_test : public ::testing::Test {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_POSTGRES_CLUSTER();
    url_ = cluster_env("TASKSTORE_TEST_FAILOVER_URL");
    synchronous_ = cluster_env("TASKSTORE_CLUSTER_SYNC") == "1";
    user_ = fresh_primary(database::open(cluster_env("TASKSTORE_TEST_PRIMARY_URL")));
  }
  char const* mode() const { return synchronous_ ? "synchronous" : "asynchronous"; }

  std::string url_;
  bool synchronous_ = false;
  std::int64_t user_ = 0;
};

TEST_F(failover_test, workers_carry_on_on_the_promoted_standby_and_no_task_is_completed_twice) {
  auto const ids = enqueue_tasks(database::open(url_), user_, cluster_tasks());
  constexpr int threads = 4;
  std::vector<work_stats> stats(threads);
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i)
    workers.emplace_back([&, i] {
      try {
        auto const mine = database::open(url_);  // each worker its own pool, like separate processes
        stats[i] = drain(mine, "failover-" + std::to_string(i),
                         {.batch = i % 2 ? 5u : 1u, .lease = 3s, .ride_out_outages = true});
      } catch (std::exception const& e) {
        ADD_FAILURE() << "worker " << i << " gave up: " << e.what();
      }
    });

  auto const probe = database::open(url_);
  soci_repository<task> probe_tasks(probe);
  auto const completed = query<task>{col(&task::status) == task_status::COMPLETED};
  while (probe_tasks.count(completed) < ids.size() / 3) std::this_thread::sleep_for(5ms);  // mid-run

  auto const killed = std::chrono::steady_clock::now();
  run_cluster_command("TASKSTORE_TEST_PRIMARY_KILL");
  run_cluster_command("TASKSTORE_TEST_STANDBY_PROMOTE");
  auto const promoted = std::chrono::steady_clock::now();
  // target_session_attrs=read-write: only a primary answers.
  auto const recovered = first_success([&] { probe_tasks.count(); });
  for (auto& w : workers) w.join();
  ASSERT_TRUE(recovered) << "no write succeeded within 60 s of the promotion";

  auto const after = database::open(url_);
  auto const r = check_exactly_once(after, ids, stats);
  auto const missing = acknowledged_but_missing(after, stats);
  // r.duplicates counts acknowledgements beyond one per task: where a lost completion's task ran again.
  std::cout << "failover [" << mode() << " standby, " << threads << " workers]: " << ids.size() << " tasks, "
            << r.processed << " completed once each on the new primary (" << r.log_mismatches
            << " with another count of completion events), " << missing
            << " acknowledged completions lost and their tasks run again; writes again " << ms(*recovered - killed)
            << " ms after the kill, of which the promotion took " << ms(promoted - killed) << " ms; "
            << r.temporary_errors << " temporary errors ridden out, " << r.lost_leases << " lost leases\n";
  EXPECT_EQ(r.processed, ids.size()) << "every task ends COMPLETED on the new primary";
  EXPECT_EQ(r.log_mismatches, 0u) << "each task completed once in the database, its events agreeing";
  EXPECT_GT(r.temporary_errors, 0u) << "the workers never noticed the failover";
  if (synchronous_) {
    EXPECT_EQ(missing, 0u) << "a synchronous standby has every acknowledged commit";
    EXPECT_EQ(r.duplicates, 0u);
    EXPECT_EQ(r.lost, 0u);
  }
}

// What a standby has not received when it is promoted is gone. An asynchronous
// one acknowledges without it; a synchronous one makes the commit wait.
TEST_F(failover_test, what_the_standby_had_not_received_is_lost_unless_it_is_synchronous) {
  auto const ids = enqueue_tasks(database::open(url_), user_, 20);
  run_cluster_command("TASKSTORE_TEST_STANDBY_STOP");
  auto const primary = database::open(url_);
  task_claims work(primary);
  auto const complete_all = [&] {
    std::size_t n = 0;
    for (auto const& c : work.claim_batch("before-failover", ids.size(), 60s)) {
      work.complete(c, {.result_summary = "acknowledged"});
      ++n;
    }
    return n;
  };
  std::size_t acknowledged = 0;
  if (synchronous_) {
    auto done = std::async(std::launch::async, complete_all);
    EXPECT_EQ(done.wait_for(1s), std::future_status::timeout) << "acknowledged without the synchronous standby";
    run_cluster_command("TASKSTORE_TEST_STANDBY_START");
    acknowledged = done.get();  // once the standby has them
    run_cluster_command("TASKSTORE_TEST_PRIMARY_KILL");
  } else {
    acknowledged = complete_all();  // the primary does not wait for the standby
    run_cluster_command("TASKSTORE_TEST_PRIMARY_KILL");
    run_cluster_command("TASKSTORE_TEST_STANDBY_START");  // too late to stream them
  }
  ASSERT_EQ(acknowledged, ids.size());
  run_cluster_command("TASKSTORE_TEST_STANDBY_PROMOTE");

  auto const after = database::open(url_);
  auto const kept = soci_repository<task>(after).count(query<task>{
      col(&task::status) == task_status::COMPLETED && col(&task::result_summary) == std::string("acknowledged")});
  std::cout << "acknowledged completions made while the standby was away [" << mode() << "]: " << acknowledged
            << ", kept by the promoted standby: " << kept << '\n';
  if (synchronous_)
    EXPECT_EQ(kept, acknowledged);
  else
    EXPECT_EQ(kept, 0u) << "the standby was stopped for all of them";
}

}  // namespace
