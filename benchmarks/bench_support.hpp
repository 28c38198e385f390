// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// What every benchmark shares: the backends of the run, one migrated database
// per backend, realistic rows, and registration under the report's naming
// scheme `<workload>/<impl>/<backend>[/<arg>:<value>]` (benchmarks/report.py).

#include <taskstore/taskstore.hpp>

#include <benchmark/benchmark.h>

#include <unistd.h>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace bench {

namespace ts = taskstore;

/// One database of the run, as a workload sees it.
struct backend {
  std::string name;      ///< sqlite_memory, sqlite_file, sqlite_file_full, postgresql, mysql
  std::string server;    ///< the server URL (PostgreSQL, MariaDB); empty for SQLite
  std::string workload;  ///< set by register_all(): each workload gets its own database
};

/// The scratch directory of this process (SQLite files).
inline std::filesystem::path const& scratch_dir() {
  static std::filesystem::path const dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("taskstore-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

/// The private schemas (PostgreSQL) and databases (MariaDB) made so far.
inline std::vector<std::pair<std::string, std::string>>& private_databases() {
  static std::vector<std::pair<std::string, std::string>> made;  // (server URL, name)
  return made;
}

/// A fresh schema (PostgreSQL) or database (MariaDB) named `name` on a server.
inline std::string private_url(std::string const& base, std::string const& name) {
  auto admin = ts::database::open(base);
  private_databases().emplace_back(base, name);
  if (admin.backend().kind() == ts::backend_kind::postgresql) {
    admin.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    admin.execute("CREATE SCHEMA " + name);
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" + name;
  }
  admin.execute("DROP DATABASE IF EXISTS " + name);
  admin.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
  auto const slash = base.rfind('/');
  auto const query = base.find('?', slash);
  return base.substr(0, slash + 1) + name + (query == std::string::npos ? "" : base.substr(query));
}

/// Drops what private_url() made (at the end of the run).
inline void drop_private_databases() {
  for (auto const& [base, name] : private_databases()) {
    auto admin = ts::database::open(base);
    admin.execute(admin.backend().kind() == ts::backend_kind::postgresql ? "DROP SCHEMA IF EXISTS " + name + " CASCADE"
                                                                         : "DROP DATABASE IF EXISTS " + name);
  }
}

/// The backends of this run: SQLite always, the servers whose URL is set.
inline std::vector<backend> const& backends() {
  static std::vector<backend> const all = [] {
    std::vector<backend> out{{"sqlite_memory", {}, {}}, {"sqlite_file", {}, {}}, {"sqlite_file_full", {}, {}}};
    if (char const* pg = std::getenv("TASKSTORE_TEST_POSTGRES_URL")) out.push_back({"postgresql", pg, {}});
    if (char const* my = std::getenv("TASKSTORE_TEST_MYSQL_URL")) out.push_back({"mysql", my, {}});
    return out;
  }();
  return all;
}

/// The URL of `b`'s database for its workload: a file, schema or database of
/// its own, so that no workload measures tables another one filled.
inline std::string workload_url(backend const& b) {
  auto const file = (scratch_dir() / (b.workload + ".db")).string();
  if (b.name == "sqlite_memory") return "sqlite://:memory:";
  if (b.name == "sqlite_file") return "sqlite:///" + file;
  if (b.name == "sqlite_file_full")
    return "sqlite:///" + (scratch_dir() / (b.workload + "_full.db")).string() + "?synchronous=full";
  return private_url(b.server, "bench_" + std::to_string(::getpid()) + "_" + b.workload);
}

/// The migrated database of `b`'s workload, opened once, with one user.
struct fixture {
  ts::database db;
  std::int64_t user_id = 0;
  std::string url;
};
inline fixture& open(backend const& b) {
  static std::map<std::string, std::unique_ptr<fixture>> open_dbs;
  auto& slot = open_dbs[b.name + "/" + b.workload];
  if (!slot) {
    auto const url = workload_url(b);
    auto db = ts::database::open(url);
    ts::migrate_to_latest(db);
    auto const user = ts::user_service{db}.find_or_create("bench@example.com", "Bench User");
    slot = std::make_unique<fixture>(fixture{db, user.id, url});
  }
  return *slot;
}

/// Refreshes the planner's statistics after a bulk load, as autovacuum (or
/// an operator) would, so plans reflect the data.
inline void analyze(fixture& f) {
  switch (f.db.backend().kind()) {
    case ts::backend_kind::sqlite: f.db.execute("ANALYZE"); break;
    case ts::backend_kind::postgresql: f.db.execute("ANALYZE tasks"); break;
    case ts::backend_kind::mysql: f.db.execute("ANALYZE TABLE tasks"); break;
  }
}

/// Removes every task (events and runs go with them by cascade).
inline void clear_tasks(ts::database const& db) { db.execute("DELETE FROM tasks"); }

/// A task as an agent backend stores it: a prompt of a few hundred bytes, a
/// title, three agents in its JSON `agents`.
inline ts::task make_task(std::int64_t user_id, std::size_t i, ts::task_status status = ts::task_status::CREATED) {
  ts::task t;
  t.task_id = ts::uuid::generate_v7();
  t.user_id = user_id;
  t.workflow_id = "wf-" + std::to_string(i % 97);
  t.tool_id = "profile-my-data";
  t.title = "Quarterly churn analysis #" + std::to_string(i);
  t.input_prompt =
      "Profile the uploaded customer table, score churn risk per segment and summarise the three strongest drivers "
      "with the evidence for each. Flag columns with more than 5% missing values and suggest how to impute them. "
      "Request " +
      std::to_string(i);
  t.agents = std::vector<std::string>{"profiler", "score-risk", "summarize"};
  t.agents_total = 3;
  t.status = status;
  t.created_at = t.updated_at = ts::timestamp::now() + std::chrono::microseconds(static_cast<long long>(i));
  if (status == ts::task_status::QUEUED) t.queued_at = t.created_at;
  return t;
}
inline std::vector<ts::task> make_tasks(std::int64_t user_id, std::size_t n,
                                        ts::task_status status = ts::task_status::CREATED) {
  std::vector<ts::task> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(make_task(user_id, i, status));
  return out;
}

/// Queues `n` fresh tasks of `tool` after removing the previous iteration's
/// (and any other workload's queued or held ones), so every iteration sees the
/// same queue; then the previous iterations' dead rows are cleaned up
/// (PostgreSQL) and the statistics are fresh, whichever case runs after another.
inline void refill_queue(fixture& f, std::string const& tool, std::size_t n) {
  f.db.execute("DELETE FROM tasks WHERE tool_id = '" + tool + "' OR status = 'QUEUED' OR status = 'PROCESSING'");
  auto rows = make_tasks(f.user_id, n, ts::task_status::QUEUED);
  for (auto& t : rows) t.tool_id = tool;
  ts::soci_repository<ts::task>(f.db).insert_many(rows);
  if (f.db.backend().kind() == ts::backend_kind::postgresql) {
    f.db.execute("VACUUM ANALYZE tasks");
    f.db.execute("VACUUM ANALYZE event_logs");
  } else {
    analyze(f);
  }
}

/// An event row with text content, as an agent logs it.
inline ts::event_log make_event(ts::uuid const& task_id, std::size_t i) {
  ts::event_log e;
  e.task_id = task_id;
  e.event_type = ts::event_kind::message;
  e.level = ts::log_level::info;
  e.agent_role = "score-risk";
  e.content = "Segment " + std::to_string(i % 12) +
              ": churn risk 0.27 (tenure < 6 months, 3+ support tickets, plan downgraded in the last quarter).";
  e.created_at = ts::timestamp::now();
  return e;
}

using bench_fn = std::function<void(benchmark::State&, backend const&)>;

/// Registers `fn` as `<workload>/<impl>/<backend>` for every backend, with
/// real time (every case does I/O); SQLite with synchronous=FULL only when
/// `full_too` (the workloads whose cost is the commit); only the backends
/// `only` accepts, when given.
inline std::vector<benchmark::internal::Benchmark*> register_all(std::string const& workload, std::string const& impl,
                                                                 bench_fn fn, bool full_too = false,
                                                                 std::function<bool(backend const&)> only = {}) {
  std::vector<benchmark::internal::Benchmark*> out;
  for (auto b : backends()) {
    if ((b.name == "sqlite_file_full" && !full_too) || (only && !only(b))) continue;
    b.workload = workload;
    auto* r = benchmark::RegisterBenchmark((workload + "/" + impl + "/" + b.name).c_str(),
                                           [fn, b](benchmark::State& s) { fn(s, b); });
    r->UseRealTime()->Unit(benchmark::kMicrosecond);
    out.push_back(r);
  }
  return out;
}

/// A failure inside a benchmark becomes the report's error line instead of
/// ending the run.
template <class F>
void guarded(benchmark::State& state, F&& f) {
  try {
    f();
  } catch (std::exception const& e) {
    state.SkipWithError(e.what());
  }
}

// Each file registers its workloads (main.cpp calls them, after the backends are known).
void register_task_benchmarks();
void register_insert_benchmarks();
void register_event_benchmarks();
void register_claim_benchmarks();
void register_raw_benchmarks();
void register_worker_benchmarks();

}  // namespace bench
