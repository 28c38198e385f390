// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// A worker process for the reliability tests, which start it, read what it
// prints and kill it.
//
//   taskstore_test_worker drain URL WORKER BATCH LEASE_S
//       claims and completes until no task is left; then prints
//       "completed <task id>" per task it completed, "lost_leases N" and "temporary N"
//   taskstore_test_worker fleet URL WORKER THREADS
//       THREADS threads drain as above (batches of 1 to 3) on one database
//       handle of THREADS connections; prints what drain prints, summed
//   taskstore_test_worker hang URL WORKER LEASE_S
//       claims one task, prints "claimed <task id>", and hangs (to be killed)
//   taskstore_test_worker limited URL WORKER THREADS
//       THREADS claimers, each with its own database handle, claim (batches of
//       1 or 2), hold each task 5 ms and complete it, until no task is QUEUED;
//       then prints "completed N"
//   taskstore_test_worker write URL USER_ID
//       forever: one transaction per task, inserting it with three events,
//       then prints "committed <task id>" (to be killed mid-stream)
//   taskstore_test_worker schedule URL HOLDER TTL_MS USER_ID RUN_S
//       runs a scheduler for RUN_S seconds (leader lease with TTL_MS, periodic
//       tasks of tool "periodic" for USER_ID every second, created by every
//       process, not only the leader); prints "leader" each time it becomes
//       leader and "follower" each time it stops leading, then "stopped"

#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/schedule/scheduler.hpp>
#include <taskstore/service/task_claims.hpp>

#include "support/work_loop.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;

int drain_mode(database const& db, std::string const& worker, std::size_t batch, std::chrono::seconds lease) {
  auto const stats = testing::drain(db, worker, {.batch = batch, .lease = lease, .ride_out_outages = true});
  for (auto const& id : stats.completed) std::cout << "completed " << id << '\n';
  std::cout << "lost_leases " << stats.lost_leases << "\ntemporary " << stats.temporary_errors << std::endl;
  return 0;
}

int fleet_mode(std::string const& url, std::string const& worker, std::size_t threads) {
  auto const db =
      database::open(url + (url.find('?') == std::string::npos ? "?" : "&") + "pool_size=" + std::to_string(threads));
  std::vector<testing::work_stats> stats(threads);
  std::vector<std::thread> drainers;
  for (std::size_t i = 0; i < threads; ++i)
    drainers.emplace_back([&, i] {
      stats[i] = testing::drain(db, worker + "-" + std::to_string(i),
                                {.batch = 1 + i % 3, .lease = std::chrono::seconds(30), .ride_out_outages = true});
    });
  for (auto& d : drainers) d.join();
  std::size_t lost = 0, temporary = 0;
  for (auto const& s : stats) {
    for (auto const& id : s.completed) std::cout << "completed " << id << '\n';
    lost += s.lost_leases;
    temporary += s.temporary_errors;
  }
  std::cout << "lost_leases " << lost << "\ntemporary " << temporary << std::endl;
  return 0;
}

int hang_mode(database const& db, std::string const& worker, std::chrono::seconds lease) {
  auto const claim = task_claims(db).claim_next(worker, lease);
  if (!claim) return 3;
  std::cout << "claimed " << claim->task_id << std::endl;
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

int limited_mode(std::string const& url, std::string const& worker, int threads) {
  std::atomic<std::size_t> completed{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> claimers;
  for (int i = 0; i < threads; ++i)
    claimers.emplace_back([&, i] {
      try {
        auto const db = database::open(url + (url.find('?') == std::string::npos ? "?" : "&") + "retry_attempts=50");
        task_claims work(db);
        soci_repository<task> rows(db);
        for (;;) {
          auto const claims = work.claim_batch(worker + "-" + std::to_string(i), 1 + i % 2, std::chrono::seconds(30));
          if (claims.empty()) {
            if (rows.count(query<task>{col(&task::status) == task_status::QUEUED}) == 0) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          for (auto const& c : claims) work.complete(c);
          completed += claims.size();
        }
      } catch (std::exception const& e) {
        std::cerr << "taskstore_test_worker " << worker << "-" << i << ": " << e.what() << '\n';
        ++failures;
      }
    });
  for (auto& c : claimers) c.join();
  std::cout << "completed " << completed.load() << std::endl;
  return failures.load() ? 1 : 0;
}

int write_mode(database const& db, std::int64_t user_id) {
  soci_repository<task> tasks(db);
  soci_repository<event_log> events(db);
  for (int i = 0;; ++i) {
    task t;
    t.task_id = uuid::generate_v7();
    t.user_id = user_id;
    t.tool_id = "writer";
    t.input_prompt = std::string(2000, 'x');  // enough bytes that a kill lands mid-write now and then
    t.created_at = t.updated_at = timestamp::now();
    db.transact([&] {
      tasks.insert(t);
      for (int e = 0; e < 3; ++e) {
        event_log ev;
        ev.task_id = t.task_id;
        ev.event_type = event_kind::log;
        ev.content = "step " + std::to_string(e) + " of write " + std::to_string(i);
        ev.created_at = t.created_at;
        events.insert(ev);
      }
    });
    std::cout << "committed " << t.task_id << std::endl;  // only after COMMIT returned
  }
}

int schedule_mode(database const& db, std::string const& holder, std::chrono::milliseconds ttl, std::int64_t user_id,
                  std::chrono::seconds run) {
  scheduler_options o;
  o.leader = {.name = "maintenance", .holder = holder, .ttl = ttl, .margin = ttl / 5};
  o.maintenance_every = std::chrono::seconds(1);
  o.periodic_everywhere = true;
  o.on_error = [](std::string_view job, std::exception const& e) { std::cerr << job << ": " << e.what() << '\n'; };
  scheduler s(db, o);
  s.add_periodic(
      {.id = "every-second", .every = std::chrono::seconds(1), .task = {.user_id = user_id, .tool_id = "periodic"}});
  s.start();
  bool leading = false;
  auto const until = std::chrono::steady_clock::now() + run;
  while (std::chrono::steady_clock::now() < until) {
    if (s.is_leader() != leading) {
      leading = !leading;
      std::cout << (leading ? "leader" : "follower") << std::endl;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  s.stop();
  std::cout << "stopped" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::string_view const mode = argc > 1 ? argv[1] : "";
    if (mode == "drain" && argc == 6)
      return drain_mode(database::open(argv[2]), argv[3], std::stoul(argv[4]),
                        std::chrono::seconds(std::stol(argv[5])));
    if (mode == "fleet" && argc == 5) return fleet_mode(argv[2], argv[3], std::stoul(argv[4]));
    if (mode == "hang" && argc == 5)
      return hang_mode(database::open(argv[2]), argv[3], std::chrono::seconds(std::stol(argv[4])));
    if (mode == "limited" && argc == 5) return limited_mode(argv[2], argv[3], std::stoi(argv[4]));
    if (mode == "write" && argc == 4) return write_mode(database::open(argv[2]), std::stoll(argv[3]));
    if (mode == "schedule" && argc == 7)
      return schedule_mode(database::open(argv[2]), argv[3], std::chrono::milliseconds(std::stol(argv[4])),
                           std::stoll(argv[5]), std::chrono::seconds(std::stol(argv[6])));
    std::cerr << "usage: taskstore_test_worker drain URL WORKER BATCH LEASE_S | hang URL WORKER LEASE_S | limited URL "
                 "WORKER THREADS | write URL USER_ID | schedule URL HOLDER TTL_MS USER_ID RUN_S\n";
    return 64;
  } catch (std::exception const& e) {
    std::cerr << "taskstore_test_worker: " << e.what() << '\n';
    return 1;
  }
}
