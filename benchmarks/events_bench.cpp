// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Workloads 6 and 8: appending a task's events in batches of 100 and 1,000
// (one transaction each, ids returned), and upserting agent runs (a run
// started, then the same run finished: the insert and the update path).

#include "bench_support.hpp"

#include <map>
#include <string>
#include <vector>

namespace bench {
namespace {

/// A task to hang events and runs on, made once per backend.
ts::uuid const& parent_task(fixture& f, backend const& b) {
  static std::map<std::string, ts::uuid> parents;
  auto& id = parents[b.name + "/" + b.workload];
  if (id == ts::uuid{}) id = ts::soci_repository<ts::task>(f.db).insert(make_task(f.user_id, 0)).task_id;
  return id;
}

void append_events_taskstore(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const task_id = parent_task(f, b);
    ts::event_service events(f.db);
    auto const n = static_cast<std::size_t>(state.range(0));
    std::vector<ts::event_log> batch;
    for (std::size_t i = 0; i < n; ++i) batch.push_back(make_event(task_id, i));
    for (auto _ : state) {
      auto stored = events.append_batch(batch);
      benchmark::DoNotOptimize(stored.back().id);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
  });
}

void upsert_agent_run_taskstore(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const task_id = parent_task(f, b);
    ts::soci_repository<ts::agent_run> runs(f.db);
    ts::agent_run run;
    run.task_id = task_id;
    run.agent_name = "score-risk";
    std::size_t i = 0;
    for (auto _ : state) {
      if (i++ % 2 == 0) {  // a new run
        run.id = 0;
        run.status = ts::agent_run_status::STARTED;
        run.started_at = ts::timestamp::now();
        run.finished_at.reset();
        run.output_summary.reset();
        run.tokens_used = 0;
      } else {  // the same run, finished
        run.status = ts::agent_run_status::COMPLETED;
        run.finished_at = ts::timestamp::now();
        run.output_summary = "Scored 12 segments; 3 above the 0.25 churn threshold.";
        run.tokens_used = 1834;
      }
      run = runs.upsert(run);
    }
    state.SetItemsProcessed(state.iterations());
  });
}

}  // namespace

void register_event_benchmarks() {
  for (auto* r : register_all("append_events", "taskstore", append_events_taskstore))
    r->ArgName("batch")->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);
  register_all("upsert_agent_run", "taskstore", upsert_agent_run_taskstore);
}

}  // namespace bench
