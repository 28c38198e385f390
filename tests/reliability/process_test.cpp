// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Faults no thread test can show, on a SQLite file, PostgreSQL and MariaDB:
// worker processes racing for one queue, a worker and a writer killed with
// SIGKILL, and (servers only) PostgreSQL and MariaDB stopped and started
// under running workers. The worker processes are tests/reliability/worker.cpp.
// These tests run serially: the restart test takes the servers away.

#include <taskstore/domain/schedule.hpp>
#include <taskstore/migrate/schema.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_maintenance.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/catalog.hpp"
#include "support/child_process.hpp"
#include "support/domain_fixture.hpp"
#include "support/first_success.hpp"
#include "support/work_loop.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

std::size_t stress_tasks() {
  char const* n = std::getenv("TASKSTORE_STRESS_TASKS");
  return n && *n ? static_cast<std::size_t>(std::atol(n)) : 5000;
}

/// What a worker process of "drain" or "fleet" mode printed before it ended.
work_stats read_work_stats(child_process& worker) {
  work_stats stats;
  for (auto const& line : worker.read_all()) {
    if (line.starts_with("completed ")) stats.completed.push_back(uuid::parse(line.substr(10)));
    if (line.starts_with("lost_leases ")) stats.lost_leases = std::stoul(line.substr(12));
    if (line.starts_with("temporary ")) stats.temporary_errors = std::stoul(line.substr(10));
  }
  return stats;
}

class process_test : public domain_test {
 protected:
  static child_process worker(std::vector<std::string> args) {
    args.insert(args.begin(), TASKSTORE_WORKER_PATH);
    return child_process(std::move(args));
  }
};

TEST_P(process_test, four_worker_processes_complete_every_task_exactly_once) {
  auto const ids = enqueue_tasks(db(), alice_, stress_tasks());
  auto const start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<child_process>> workers;
  for (int i = 0; i < 4; ++i)
    workers.push_back(std::make_unique<child_process>(std::vector<std::string>{
        TASKSTORE_WORKER_PATH, "drain", env().url(), "process-" + std::to_string(i), i % 2 ? "10" : "1", "30"}));
  std::vector<work_stats> stats(workers.size());
  for (std::size_t i = 0; i < workers.size(); ++i) {
    stats[i] = read_work_stats(*workers[i]);
    EXPECT_EQ(workers[i]->wait(), 0) << "worker process " << i;
  }
  auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto const r = check_exactly_once(db(), ids, stats);
  std::cout << "exactly-once [" << name(GetParam()) << ", 4 processes]: " << r << " in " << seconds << " s\n";
  EXPECT_EQ(r.processed, ids.size());
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(r.log_mismatches, 0u);
}

TEST_P(process_test, eight_claimers_in_four_processes_never_exceed_a_limit) {
  queue_control control(db());
  control.set_limit("slow", 2);
  control.set_user_limit(bob_, 3);
  task_service tasks(db());
  std::size_t total = 0;
  using batch = std::tuple<std::string, std::int64_t, int>;
  for (auto const& [tool, user, n] : std::vector<batch>{{"slow", alice_, 20}, {"fast", alice_, 20}, {"fast", bob_, 20}})
    for (int i = 0; i < n; ++i, ++total) tasks.queue(tasks.create({.user_id = user, .tool_id = tool}).task_id, user);

  std::atomic<bool> done{false};
  std::int64_t max_slow = 0, max_bob = 0, samples = 0;
  std::thread sampler([&, own = env().open()] {  // a connection of its own
    soci_repository<task> rows(own);
    auto const processing = [&](predicate<task> p) {
      return static_cast<std::int64_t>(rows.count(query<task>{col(&task::status) == task_status::PROCESSING && p}));
    };
    while (!done.load()) {
      max_slow = std::max(max_slow, processing(col(&task::tool_id) == std::string("slow")));
      max_bob = std::max(max_bob, processing(col(&task::user_id) == bob_));
      ++samples;
      std::this_thread::sleep_for(1ms);
    }
  });
  std::vector<std::unique_ptr<child_process>> workers;
  for (int i = 0; i < 4; ++i)
    workers.push_back(std::make_unique<child_process>(
        std::vector<std::string>{TASKSTORE_WORKER_PATH, "limited", env().url(), "process-" + std::to_string(i), "2"}));
  std::size_t completed = 0;
  for (std::size_t i = 0; i < workers.size(); ++i) {
    for (auto const& line : workers[i]->read_all())
      if (line.starts_with("completed ")) completed += std::stoul(line.substr(10));
    EXPECT_EQ(workers[i]->wait(), 0) << "worker process " << i;
  }
  done = true;
  sampler.join();
  std::cout << "limits [" << name(GetParam()) << ", 4 processes x 2]: max slow " << max_slow << " (limit 2), max bob "
            << max_bob << " (limit 3), " << samples << " samples\n";
  EXPECT_EQ(completed, total);
  EXPECT_LE(max_slow, 2);
  EXPECT_LE(max_bob, 3);
  EXPECT_GE(max_slow, 1) << "the sampler never saw a slow task PROCESSING: the test proves nothing";
}

TEST_P(process_test, a_worker_killed_mid_task_is_rescued_after_its_lease_and_completed_once) {
  auto const ids = enqueue_tasks(db(), alice_, 1);
  auto w = worker({"hang", env().url(), "doomed", "1"});
  auto const line = w.read_line();
  ASSERT_TRUE(line && line->starts_with("claimed ")) << "the worker did not claim";
  EXPECT_EQ(uuid::parse(line->substr(8)), ids[0]);
  w.kill(SIGKILL);
  EXPECT_EQ(w.wait(), 128 + SIGKILL);

  task_service tasks(db(), retry_backoff{0ms, 0ms, 0});
  task_claims claims(db(), retry_backoff{0ms, 0ms, 0});
  task_maintenance maintenance(db(), retry_backoff{0ms, 0ms, 0});
  EXPECT_FALSE(claims.claim_next("heir", 1min)) << "taken while the dead worker's lease held";
  auto const held = *tasks.find(ids[0]);
  EXPECT_EQ(held.locked_by, "doomed");
  auto const r = maintenance.rescue_expired(*held.lease_expires_at + 1ms);
  EXPECT_EQ(r.requeued, 1u);
  auto const claim = claims.claim_next("heir", 1min);
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->task.attempt, 2);
  claims.complete(*claim, {.result_summary = "done by heir"});
  work_stats heir;
  heir.completed.push_back(ids[0]);
  auto const report = check_exactly_once(db(), ids, {heir});
  EXPECT_EQ(report.processed, 1u);
  EXPECT_EQ(report.duplicates, 0u);
  EXPECT_EQ(report.log_mismatches, 0u);
}

TEST_P(process_test, a_writer_killed_mid_stream_loses_no_committed_write_and_leaves_nothing_partial) {
  auto w = worker({"write", env().url(), std::to_string(alice_)});
  std::vector<uuid> committed;
  auto const until = std::chrono::steady_clock::now() + 1500ms;
  while (std::chrono::steady_clock::now() < until)
    if (auto line = w.read_line(5s); line && line->starts_with("committed "))
      committed.push_back(uuid::parse(line->substr(10)));
  w.kill(SIGKILL);
  for (auto const& line : w.read_all(5s))  // what it reported before it died
    if (line.starts_with("committed ")) committed.push_back(uuid::parse(line.substr(10)));
  EXPECT_EQ(w.wait(), 128 + SIGKILL);
  ASSERT_GT(committed.size(), 10u) << "the writer barely wrote";

  database const after = env().open();  // a new connection, as after a crash
  soci_repository<task> tasks(after);
  soci_repository<event_log> events(after);
  auto const stored = tasks.find(query<task>{col(&task::tool_id) == std::string("writer")});
  std::set<uuid> present;
  for (auto const& t : stored) present.insert(t.task_id);
  for (auto const& id : committed) EXPECT_TRUE(present.count(id)) << "reported committed, but missing: " << id;
  EXPECT_LE(stored.size(), committed.size() + 1) << "more than the one write in flight beyond what was reported";
  for (auto const& t : stored)
    EXPECT_EQ(events.count(query<event_log>{col(&event_log::task_id) == t.task_id}), 3u)
        << "partial write " << t.task_id;
  std::cout << "SIGKILL writer [" << name(GetParam()) << "]: " << committed.size() << " writes reported, "
            << stored.size() << " present\n";

  if (GetParam() == test_backend::sqlite_file) {
    auto lease = detail::session_of(after);
    std::string result;
    lease.get() << "PRAGMA integrity_check", soci::into(result);
    EXPECT_EQ(result, "ok");
  }
}

/// Every line of a set of processes, with the process and when it came, read
/// on a thread per process.
class line_log {
 public:
  struct entry {
    std::size_t process;
    std::string line;
    std::chrono::steady_clock::time_point at;
  };
  void follow(std::size_t i, child_process& p) {
    threads_.emplace_back([this, i, &p] {
      while (auto line = p.read_line(60s)) {
        std::lock_guard lock(mutex_);
        entries_.push_back({i, *line, std::chrono::steady_clock::now()});
      }
    });
  }
  ~line_log() { join(); }  // after a failed assertion too: the processes end within their run time
  void join() {
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  std::vector<entry> entries() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<entry> entries_;
  std::vector<std::thread> threads_;
};

TEST_P(process_test, the_leader_killed_with_sigkill_is_taken_over_after_its_term_and_never_overlapped) {
  constexpr std::size_t n = 3;
  std::vector<std::unique_ptr<child_process>> procs;
  for (std::size_t i = 0; i < n; ++i)
    procs.push_back(std::make_unique<child_process>(std::vector<std::string>{TASKSTORE_WORKER_PATH, "schedule",
                                                                             env().url(), "p" + std::to_string(i),
                                                                             "1000", std::to_string(alice_), "30"}));
  line_log log;
  for (std::size_t i = 0; i < n; ++i) log.follow(i, *procs[i]);
  auto const leaders_now = [&] {
    std::vector<int> leading(n, 0);
    for (auto const& e : log.entries())
      leading[e.process] = e.line == "leader" ? 1 : e.line == "follower" ? 0 : leading[e.process];
    return leading;
  };
  auto const first_leader = [&]() -> std::optional<std::size_t> {
    auto const l = leaders_now();
    for (std::size_t i = 0; i < n; ++i)
      if (l[i]) return i;
    return std::nullopt;
  };
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!first_leader() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  auto const doomed = first_leader();
  ASSERT_TRUE(doomed) << "nobody became leader";
  std::this_thread::sleep_for(1500ms);  // it renews past its first term
  ASSERT_EQ(leaders_now()[*doomed], 1);
  procs[*doomed]->kill(SIGKILL);
  auto const killed_at = std::chrono::steady_clock::now();
  EXPECT_EQ(procs[*doomed]->wait(), 128 + SIGKILL);

  std::optional<std::chrono::steady_clock::time_point> taken_at;
  deadline = killed_at + 10s;
  while (!taken_at && std::chrono::steady_clock::now() < deadline) {
    for (auto const& e : log.entries())
      if (e.process != *doomed && e.line == "leader" && e.at > killed_at) taken_at = e.at;
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(taken_at) << "nobody took over";
  // Not before the dead leader's term ran out (1 s from its last renewal,
  // at most 1/3 s before the kill), and soon after it.
  EXPECT_GT(*taken_at - killed_at, 500ms);
  EXPECT_LT(*taken_at - killed_at, 3s);
  for (std::size_t i = 0; i < n; ++i)
    if (i != *doomed) procs[i]->kill(SIGTERM);
  for (std::size_t i = 0; i < n; ++i)
    if (i != *doomed) procs[i]->wait();
  log.join();
  // Never two leaders at once, by the order of what they printed (the killed
  // leader printed nothing after it died).
  std::vector<int> leading(n, 0);
  for (auto const& e : log.entries()) {
    if (e.line == "leader") {
      for (std::size_t j = 0; j < n; ++j)
        if (j != e.process && !(j == *doomed && e.at > killed_at)) {
          EXPECT_FALSE(leading[j]) << "two leaders";
        }
      leading[e.process] = 1;
    }
    if (e.line == "follower") leading[e.process] = 0;
  }
}

TEST_P(process_test, four_scheduler_processes_create_a_periodic_task_once_per_period) {
  std::vector<std::unique_ptr<child_process>> procs;
  for (int i = 0; i < 4; ++i)
    procs.push_back(std::make_unique<child_process>(std::vector<std::string>{
        TASKSTORE_WORKER_PATH, "schedule", env().url(), "p" + std::to_string(i), "1000", std::to_string(alice_), "4"}));
  for (auto& p : procs) {
    p->read_all(60s);
    EXPECT_EQ(p->wait(), 0);
  }
  auto const runs = soci_repository<task_periodic_run>(db()).find(
      query<task_periodic_run>{}.order_by(asc(&task_periodic_run::period_start)));
  ASSERT_GE(runs.size(), 3u);
  for (std::size_t i = 1; i < runs.size(); ++i)  // one per period, and no period missed
    EXPECT_EQ(runs[i].period_start - runs[i - 1].period_start, std::chrono::duration_cast<timestamp::duration>(1s));
  EXPECT_EQ(soci_repository<task>(db()).count(query<task>{col(&task::tool_id) == std::string("periodic")}),
            runs.size());
  std::cout << "periodic [" << name(GetParam()) << ", 4 processes]: " << runs.size() << " periods, one task each\n";
}

INSTANTIATE_TEST_SUITE_P(reliability, process_test,
                         ::testing::Values(test_backend::sqlite_file, test_backend::postgresql, test_backend::mysql,
                                           test_backend::postgresql_pooler),
                         backend_name{});

// --- Through a pooler ----------------------------------------------------------

class pooler_test : public process_test {};

// A fleet outgrows the server's connections long before its throughput: PgBouncer in transaction mode lets 8
// processes of 25 connections share the few server connections it keeps (TASKSTORE_POOLER_SERVER_CONNECTIONS).
TEST_P(pooler_test, eight_processes_of_25_connections_share_the_pooler_s_server_connections) {
  auto const ids = enqueue_tasks(db(), alice_, stress_tasks());
  auto const limit = std::stoul(env_or_empty("TASKSTORE_POOLER_SERVER_CONNECTIONS").empty()
                                    ? "10"
                                    : env_or_empty("TASKSTORE_POOLER_SERVER_CONNECTIONS"));
  constexpr int processes = 8, connections = 25;

  // The server's own count of the connections to the test database, LISTEN sessions (direct) aside.
  std::atomic<bool> done{false};
  std::size_t most = 0;
  std::thread sampler([&] {
    auto const server = database::open(*server_url(test_backend::postgresql));
    auto const sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '" + env().name() +
                     "' AND backend_type = 'client backend' AND query NOT LIKE 'LISTEN%'";
    while (!done) {
      most = std::max<std::size_t>(most, std::stoul(query_text(server, sql).at(0).at(0)));
      std::this_thread::sleep_for(20ms);
    }
  });
  auto const start = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<child_process>> fleet;
  for (int i = 0; i < processes; ++i)
    fleet.push_back(std::make_unique<child_process>(std::vector<std::string>{
        TASKSTORE_WORKER_PATH, "fleet", env().url(), "process-" + std::to_string(i), std::to_string(connections)}));
  std::vector<work_stats> stats(fleet.size());
  for (std::size_t i = 0; i < fleet.size(); ++i) {
    stats[i] = read_work_stats(*fleet[i]);
    EXPECT_EQ(fleet[i]->wait(), 0) << "worker process " << i;
  }
  auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  done = true;
  sampler.join();
  auto const r = check_exactly_once(db(), ids, stats);
  std::cout << "pooler [" << processes << " processes x " << connections << " connections, at most " << most
            << " server connections]: " << r << " in " << seconds << " s, "
            << static_cast<long>(static_cast<double>(r.processed) / seconds) << " tasks/s\n";
  EXPECT_EQ(r.processed, ids.size());
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(r.log_mismatches, 0u);
  EXPECT_GT(most, 0u) << "the sampler saw no server connection";
  EXPECT_LE(most, limit);
}

INSTANTIATE_TEST_SUITE_P(reliability, pooler_test, ::testing::Values(test_backend::postgresql_pooler), backend_name{});

// --- Server restart -----------------------------------------------------------

class restart_test : public process_test {
 protected:
  static std::string control(bool start) {
    auto const pg = is_postgresql(GetParam());
    return env_or_empty(pg ? (start ? "TASKSTORE_TEST_POSTGRES_START" : "TASKSTORE_TEST_POSTGRES_STOP")
                           : (start ? "TASKSTORE_TEST_MYSQL_START" : "TASKSTORE_TEST_MYSQL_STOP"));
  }
};

TEST_P(restart_test, workers_ride_out_a_server_restart_and_lose_or_double_nothing) {
  auto const stop = control(false), start = control(true);
  ASSERT_FALSE(stop.empty() || start.empty()) << "run under scripts/with-databases, which exports the server controls";
  auto const ids = enqueue_tasks(db(), alice_, std::min<std::size_t>(stress_tasks(), 2000));

  constexpr int threads = 4;
  std::vector<work_stats> stats(threads);
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i)
    workers.emplace_back([&, i] {
      try {
        auto const mine = env().open();  // each worker its own pool, like separate processes
        stats[i] = drain(mine, "restart-" + std::to_string(i),
                         {.batch = i % 2 ? 5u : 1u, .lease = 3s, .ride_out_outages = true});
      } catch (std::exception const& e) {
        ADD_FAILURE() << "worker " << i << " gave up: " << e.what();
      }
    });

  // A probe sees what every caller sees: temporary errors while the server is away, then success.
  auto const probe = env().open();
  soci_repository<task> probe_tasks(probe);
  auto const completed = query<task>{col(&task::status) == task_status::COMPLETED};
  while (probe_tasks.count(completed) < ids.size() / 10) std::this_thread::sleep_for(5ms);  // mid-run

  ASSERT_EQ(std::system(stop.c_str()), 0) << "stopping the server failed";
  auto const stopped = std::chrono::steady_clock::now();
  std::size_t outage_errors = 0;
  for (int i = 0; i < 3; ++i) {
    try {
      probe_tasks.count();
      ADD_FAILURE() << "an operation succeeded while the server was down";
    } catch (error const& e) {
      ++outage_errors;
      EXPECT_EQ(e.category(), error_category::temporary) << e.what();
    }
  }
  std::this_thread::sleep_for(1s);
  ASSERT_EQ(std::system(start.c_str()), 0) << "starting the server failed";
  auto const started = std::chrono::steady_clock::now();
  auto const recovered = first_success([&] { probe_tasks.count(); });
  for (auto& w : workers) w.join();
  ASSERT_TRUE(recovered) << "no operation succeeded within 60 s of the restart";

  auto const ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  auto const r = check_exactly_once(db(), ids, stats);
  std::cout << "server restart [" << name(GetParam()) << "]: down " << ms(started - stopped) << " ms, first success "
            << ms(*recovered - started) << " ms after the start returned; " << r << '\n';
  EXPECT_EQ(r.processed, ids.size());
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.lost, 0u);
  EXPECT_EQ(r.log_mismatches, 0u);
  EXPECT_GT(r.temporary_errors, 0u) << "the workers never noticed the outage";
}

INSTANTIATE_TEST_SUITE_P(reliability, restart_test, ::testing::Values(test_backend::postgresql, test_backend::mysql),
                         backend_name{});

}  // namespace
