// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Workload 9: the worker runtime.
//
// worker_drain/taskstore/<backend>/slots:N/prefetch:P drains the same 2,000
// queued tasks as claim_batch (workload 7b) through a taskstore::worker with N
// slots, P tasks prefetched and a handler that returns at once: what the
// runtime's claims and completes cost against the raw ceiling,
// claim_batch/raw.
//
// pickup_latency/<mode>/<backend> times one task from queue() to its
// handler's first instruction, with an idle worker waiting: `push` queues
// through the worker's own database handle (a wake-up in the process on
// every backend), `push_other` through a second handle, as another process
// would (PostgreSQL NOTIFY; polling elsewhere), `poll` with push turned off.
// The time of an iteration is the latency (manual time); the counters p50_ms,
// p99_ms and max_ms are over every iteration of the run.

#include "bench_support.hpp"

#include <taskstore/worker/worker.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace bench {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t drain_tasks = 2000;

void worker_drain(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const slots = static_cast<std::size_t>(state.range(0));
    auto const prefetch = static_cast<std::size_t>(state.range(1));
    std::size_t done_total = 0;
    for (auto _ : state) {
      state.PauseTiming();
      refill_queue(f, "drain-bench", drain_tasks);
      ts::worker w(f.db, {.worker_id = "bench", .slots = slots, .prefetch = prefetch, .lease = 60s});
      w.handle("drain-bench", [](ts::task_context&) {
        return ts::task_result{"done", 120, std::chrono::duration<double>(0.5)};
      });
      state.ResumeTiming();
      w.run_until_idle();
      state.PauseTiming();
      auto const s = w.stats();
      if (s.completed != drain_tasks)
        throw std::runtime_error("completed " + std::to_string(s.completed) + " of " + std::to_string(drain_tasks) +
                                 " (" + std::to_string(s.errors) + " errors)");
      done_total += s.completed;
      state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(done_total));
  });
}

/// What the handler saw: when it started.
struct start_signal {
  std::mutex m;
  std::condition_variable cv;
  std::optional<clock_type::time_point> started;
};

double percentile(std::vector<double> sorted, double p) {
  if (sorted.empty()) return 0;
  std::sort(sorted.begin(), sorted.end());
  auto const rank = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(rank, sorted.size() - 1)];
}

void pickup_latency(benchmark::State& state, backend const& b, ts::wakeup_mode mode, bool other_handle,
                    std::chrono::milliseconds longest_idle) {
  guarded(state, [&] {
    auto& f = open(b);
    f.db.execute("DELETE FROM tasks");
    auto const producer = other_handle ? ts::database::open(f.url) : f.db;
    ts::task_service tasks(producer);
    start_signal signal;
    ts::worker w(f.db, {.worker_id = "latency", .slots = 1, .lease = 60s, .wakeup = mode});
    w.handle("latency-bench", [&](ts::task_context&) {
      auto const now = clock_type::now();
      {
        std::lock_guard lock(signal.m);
        signal.started = now;
      }
      signal.cv.notify_all();
      return ts::task_result{};
    });
    w.start();
    // An idle gap before each task, drawn at random up to `longest_idle`, so
    // that tasks arrive at every point of a polling worker's wait.
    std::mt19937 random(42);
    std::uniform_int_distribution<int> gap_ms(0, static_cast<int>(longest_idle.count()));
    std::vector<double> latencies_ms;
    for (auto _ : state) {
      std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms(random)));
      auto const t = tasks.create({.user_id = f.user_id, .tool_id = "latency-bench"});
      {
        std::lock_guard lock(signal.m);
        signal.started.reset();
      }
      auto const queued_at = clock_type::now();
      tasks.queue(t.task_id, f.user_id);
      std::unique_lock lock(signal.m);
      if (!signal.cv.wait_for(lock, 10s, [&] { return signal.started.has_value(); }))
        throw std::runtime_error("no worker started the task within 10 s");
      std::chrono::duration<double> const latency = *signal.started - queued_at;
      state.SetIterationTime(latency.count());
      latencies_ms.push_back(latency.count() * 1e3);
    }
    w.stop();
    state.counters["p50_ms"] = percentile(latencies_ms, 0.50);
    state.counters["p99_ms"] = percentile(latencies_ms, 0.99);
    state.counters["max_ms"] = percentile(latencies_ms, 1.0);
  });
}

}  // namespace

void register_worker_benchmarks() {
  for (auto* r : register_all("worker_drain", "taskstore", worker_drain))
    r->ArgNames({"slots", "prefetch"})
        ->Args({1, 0})
        ->Args({4, 0})
        ->Args({16, 0})
        ->Args({16, 48})
        ->Unit(benchmark::kMillisecond);
  // Polling waits up to poll_max (1 s) when idle: fewer, longer iterations.
  struct latency_case {
    char const* impl;
    ts::wakeup_mode mode;
    bool other_handle;
    std::chrono::milliseconds longest_idle;
    int iterations;
  };
  for (auto const& c : {latency_case{"push", ts::wakeup_mode::push, false, 50ms, 300},
                        latency_case{"push_other", ts::wakeup_mode::push, true, 50ms, 300},
                        latency_case{"poll", ts::wakeup_mode::poll, false, 1500ms, 40}}) {
    for (auto b : backends()) {
      if (b.name == "sqlite_memory" || b.name == "sqlite_file_full") continue;
      if (c.other_handle && b.name != "postgresql" && b.name != "mysql") continue;  // the same as poll there
      b.workload = "pickup_latency";
      // Manual time (the latency), so not register_all(), which sets real time.
      benchmark::RegisterBenchmark(
          ("pickup_latency/" + std::string(c.impl) + "/" + b.name).c_str(),
          [c, b](benchmark::State& s) { pickup_latency(s, b, c.mode, c.other_handle, c.longest_idle); })
          ->UseManualTime()
          ->Iterations(c.iterations)
          ->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace bench
