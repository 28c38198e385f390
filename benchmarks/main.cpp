// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// taskstore_bench: every workload on every backend of the run (SQLite always;
// PostgreSQL and MariaDB when TASKSTORE_TEST_POSTGRES_URL / _MYSQL_URL are
// set, as scripts/with-databases does). scripts/bench runs it with
// repetitions and renders benchmarks/results/report.md.

#include "bench_support.hpp"

#include <exception>
#include <filesystem>
#include <iostream>

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  try {
    bench::register_task_benchmarks();
    bench::register_insert_benchmarks();
    bench::register_event_benchmarks();
    bench::register_claim_benchmarks();
    bench::register_raw_benchmarks();
    bench::register_worker_benchmarks();
  } catch (std::exception const& e) {
    std::cerr << "taskstore_bench: cannot set up the backends: " << e.what() << '\n';
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(bench::scratch_dir());
  try {
    bench::drop_private_databases();
  } catch (std::exception const& e) {
    std::cerr << "taskstore_bench: could not drop the benchmark databases: " << e.what() << '\n';
  }
}
