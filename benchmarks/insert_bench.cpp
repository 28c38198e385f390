// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Bulk inserts, one transaction per batch, on every configured backend:
// taskstore's insert_many (ids returned) against what a user writes by hand
// with SOCI: a prepared single-row INSERT in a loop, and SOCI's use(vector)
// bulk binding. Same table, same rows, same run, so ratios are fair.

#include <taskstore/taskstore.hpp>

#include <benchmark/benchmark.h>
#include <boost/describe.hpp>

#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ts = taskstore;

struct bench_row {
  std::int64_t id = 0;
  std::int64_t seq = 0;
  std::string body;
  ts::timestamp at;
  double score = 0;
};
BOOST_DESCRIBE_STRUCT(bench_row, (), (id, seq, body, at, score))

template <>
struct ts::table_traits<bench_row> {
  static constexpr std::string_view table = "bench_rows";
  static constexpr auto primary_key = auto_increment<&bench_row::id>;
};

namespace {

std::vector<bench_row> make_rows(std::size_t n) {
  std::vector<bench_row> rows;
  auto const t0 = ts::timestamp::now();
  for (std::size_t i = 0; i < n; ++i)
    rows.push_back({0, static_cast<std::int64_t>(i), "event body " + std::to_string(i) + " with some realistic text",
                    t0 + std::chrono::microseconds(static_cast<long long>(i)), static_cast<double>(i) / 3.0});
  return rows;
}

/// One database per backend for the whole run, with a fresh table.
ts::database& open(std::string const& url) {
  static std::map<std::string, std::unique_ptr<ts::database>> open_dbs;
  auto& slot = open_dbs[url];
  if (!slot) {
    slot = std::make_unique<ts::database>(ts::database::open(url));
    ts::soci_repository<bench_row> repo(*slot);
    repo.drop_table();
    repo.create_table();
  }
  return *slot;
}

void taskstore_insert_many(benchmark::State& state, std::string url) {
  auto& db = open(url);
  ts::soci_repository<bench_row> repo(db);
  auto const rows = make_rows(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto stored = repo.insert_many(rows);
    benchmark::DoNotOptimize(stored.back().id);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void soci_prepared_loop(benchmark::State& state, std::string url) {
  auto& db = open(url);
  auto const rows = make_rows(static_cast<std::size_t>(state.range(0)));
  auto lease = db.session();
  auto& sql = lease.get();
  long long seq = 0;
  std::string body, at;
  double score = 0;
  soci::statement st =
      (sql.prepare << "INSERT INTO bench_rows (seq, body, at, score) VALUES (:seq, :body, :at, :score)", soci::use(seq),
       soci::use(body), soci::use(at), soci::use(score));
  for (auto _ : state) {
    if (db.backend() == ts::backend_kind::sqlite)
      sql << "BEGIN IMMEDIATE";
    else
      sql.begin();
    for (auto const& r : rows) {
      seq = r.seq;
      body = r.body;
      at = r.at.to_sql();
      score = r.score;
      st.execute(true);
    }
    sql.commit();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void soci_use_vector(benchmark::State& state, std::string url) {
  auto& db = open(url);
  auto const rows = make_rows(static_cast<std::size_t>(state.range(0)));
  auto lease = db.session();
  auto& sql = lease.get();
  std::vector<long long> seq;
  std::vector<std::string> body, at;
  std::vector<double> score;
  for (auto const& r : rows) {
    seq.push_back(r.seq);
    body.push_back(r.body);
    at.push_back(r.at.to_sql());
    score.push_back(r.score);
  }
  for (auto _ : state) {
    if (db.backend() == ts::backend_kind::sqlite)
      sql << "BEGIN IMMEDIATE";
    else
      sql.begin();
    sql << "INSERT INTO bench_rows (seq, body, at, score) VALUES (:seq, :body, :at, :score)", soci::use(seq),
        soci::use(body), soci::use(at), soci::use(score);
    sql.commit();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void register_backend(std::string const& name, std::string const& url) {
  for (auto [label, fn] :
       {std::pair{"taskstore_insert_many", &taskstore_insert_many},
        std::pair{"soci_prepared_loop", &soci_prepared_loop}, std::pair{"soci_use_vector", &soci_use_vector}}) {
    benchmark::RegisterBenchmark((std::string(label) + "/" + name).c_str(), fn, url)
        ->ArgName("rows")
        ->Arg(100)
        ->Arg(1000)
        ->Arg(10000)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  auto const dir = std::filesystem::temp_directory_path() / ("taskstore-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  register_backend("sqlite_memory", "sqlite://:memory:");
  register_backend("sqlite_file", "sqlite:///" + (dir / "bench.db").string());
  if (char const* pg = std::getenv("TASKSTORE_TEST_POSTGRES_URL")) register_backend("postgresql", pg);
  if (char const* my = std::getenv("TASKSTORE_TEST_MYSQL_URL")) register_backend("mysql", my);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(dir);
}
