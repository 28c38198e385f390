// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Workload 7: workers (threads) claiming queued tasks and completing them
// until the queue is empty, with single claims (claim_next + complete) and
// with batch claims and completes (claim_batch + complete_batch). Each
// iteration queues a fresh set outside the timed region and times the drain.

#include "bench_support.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace bench {
namespace {

constexpr std::size_t claim_batch_size = 50;
constexpr auto lease = std::chrono::seconds(60);

/// Queues `n` fresh tasks after removing the previous iteration's (and any
/// other workload's queued ones), so every iteration sees the same queue.
void refill(fixture& f, std::size_t n) {
  f.db.execute("DELETE FROM tasks WHERE tool_id = 'claim-bench' OR status = 'QUEUED' OR status = 'PROCESSING'");
  auto rows = make_tasks(f.user_id, n, ts::task_status::QUEUED);
  for (auto& t : rows) t.tool_id = "claim-bench";
  ts::soci_repository<ts::task>(f.db).insert_many(rows);
}

template <class Worker>
void drain(benchmark::State& state, backend const& b, std::size_t tasks_per_iteration, Worker&& work) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const workers = static_cast<std::size_t>(state.range(0));
    auto const retries_before = f.db.retry_count();
    std::size_t done_total = 0;
    for (auto _ : state) {
      state.PauseTiming();
      refill(f, tasks_per_iteration);
      state.ResumeTiming();
      std::atomic<std::size_t> done{0};
      std::atomic<bool> failed{false};
      std::string failure;
      std::vector<std::thread> threads;
      for (std::size_t w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
          try {
            ts::task_service tasks(f.db);
            done += work(tasks, "worker-" + std::to_string(w));
          } catch (std::exception const& e) {
            if (!failed.exchange(true)) failure = e.what();
          }
        });
      for (auto& t : threads) t.join();
      if (failed) throw std::runtime_error(failure);
      if (done != tasks_per_iteration)
        throw std::runtime_error("completed " + std::to_string(done.load()) + " of " +
                                 std::to_string(tasks_per_iteration));
      done_total += done;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(done_total));
    // Transactions run again after a deadlock or a busy database, per task.
    state.counters["retries_per_task"] = static_cast<double>(f.db.retry_count() - retries_before) /
                                         static_cast<double>(std::max<std::size_t>(done_total, 1));
  });
}

void claim_single(benchmark::State& state, backend const& b) {
  drain(state, b, 400, [](ts::task_service& tasks, std::string const& worker) {
    std::size_t n = 0;
    while (auto claim = tasks.claim_next(worker, lease)) {
      tasks.complete(*claim, "done", 120, 0.5);
      ++n;
    }
    return n;
  });
}

void claim_batch(benchmark::State& state, backend const& b) {
  drain(state, b, 2000, [](ts::task_service& tasks, std::string const& worker) {
    std::size_t n = 0;
    std::vector<ts::task_result> results;
    for (;;) {
      auto claims = tasks.claim_batch(worker, claim_batch_size, lease);
      if (claims.empty()) return n;
      results.assign(claims.size(), ts::task_result{"done", 120, 0.5});
      n += tasks.complete_batch(claims, results).size();
    }
  });
}

}  // namespace

void register_claim_benchmarks() {
  for (auto* r : register_all("claim_single", "taskstore", claim_single, true))
    r->ArgName("workers")->Arg(1)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond);
  for (auto* r : register_all("claim_batch", "taskstore", claim_batch, true))
    r->ArgName("workers")->Arg(1)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond);
}

}  // namespace bench
