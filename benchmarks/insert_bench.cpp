// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Workload 2: insert_many of canonical task rows, 1,000 and 10,000 per
// transaction: taskstore's insert_many against hand-written SOCI bulk binding
// (use(vector), one vector per column). The raw drivers' bulk paths are in
// raw_bench.cpp. Rows are generated outside the timed region.

#include "bench_support.hpp"
#include "handwritten.hpp"

#include <deque>
#include <string>
#include <vector>

namespace bench {
namespace {

void insert_many_taskstore(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    ts::soci_repository<ts::task> repo(f.db);
    auto const n = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
      state.PauseTiming();
      auto rows = make_tasks(f.user_id, n);
      state.ResumeTiming();
      auto stored = repo.insert_many(rows);
      benchmark::DoNotOptimize(stored.back().task_id);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
  });
}

/// SOCI's bulk binding: one std::vector per column (with indicators for the
/// nullable ones), one execute per batch, in a transaction.
void insert_many_soci_vector(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const kind = f.db.backend().kind();
    auto const n = static_cast<std::size_t>(state.range(0));
    auto const& columns = task_columns();
    auto lease = ts::detail::session_of(f.db);
    auto& sql = lease.get();
    std::deque<std::vector<std::string>> texts;
    std::deque<std::vector<soci::indicator>> indicators;
    std::deque<std::vector<long long>> int64s;
    std::deque<std::vector<int>> int32s;
    std::deque<std::vector<double>> reals;
    for (auto const& c : columns) {
      switch (c.kind) {
        case task_column::text: texts.emplace_back(n); break;
        case task_column::optional_text:
          texts.emplace_back(n);
          indicators.emplace_back(n);
          break;
        case task_column::int64: int64s.emplace_back(n); break;
        case task_column::int32: int32s.emplace_back(n); break;
        case task_column::real: reals.emplace_back(n); break;
      }
    }
    auto const text = ts::sql::insert_sql<ts::task>(ts::backend_for(kind).dialect(), ts::key_source::row);
    for (auto _ : state) {
      state.PauseTiming();
      auto rows = make_tasks(f.user_id, n);
      state.ResumeTiming();
      // Converting the rows to columns is part of what the hand-written code does.
      task_binding row;
      for (std::size_t r = 0; r < n; ++r) {
        row.from(rows[r]);
        std::size_t ti = 0, ii = 0, li = 0, i32 = 0, ri = 0;
        for (auto const& c : columns) {
          switch (c.kind) {
            case task_column::text: texts[ti++][r] = row.*c.text_member; break;
            case task_column::optional_text:
              indicators[ii++][r] = row.*c.indicator;
              texts[ti++][r] = row.*c.text_member;
              break;
            case task_column::int64: int64s[li++][r] = row.*c.int64_member; break;
            case task_column::int32: int32s[i32++][r] = row.*c.int32_member; break;
            case task_column::real: reals[ri++][r] = row.*c.real_member; break;
          }
        }
      }
      begin(sql, kind);
      soci::statement st(sql);
      std::size_t ti = 0, ii = 0, li = 0, i32 = 0, ri = 0;
      for (auto const& c : columns) {
        switch (c.kind) {
          case task_column::text: st.exchange(soci::use(texts[ti++])); break;
          case task_column::optional_text: st.exchange(soci::use(texts[ti++], indicators[ii++])); break;
          case task_column::int64: st.exchange(soci::use(int64s[li++])); break;
          case task_column::int32: st.exchange(soci::use(int32s[i32++])); break;
          case task_column::real: st.exchange(soci::use(reals[ri++])); break;
        }
      }
      st.alloc();
      st.prepare(text);
      st.define_and_bind();
      st.execute(true);
      sql.commit();
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
  });
}

}  // namespace

void register_insert_benchmarks() {
  for (auto* r : register_all("insert_many", "taskstore", insert_many_taskstore))
    r->ArgName("rows")->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
  for (auto* r : register_all("insert_many", "soci_vector", insert_many_soci_vector))
    r->ArgName("rows")->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
}

}  // namespace bench
