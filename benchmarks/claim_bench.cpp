// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Workload 7: workers (threads) claiming queued tasks and completing them
// until the queue is empty, with single claims (claim_next + complete) and
// with batch claims and completes (claim_batch + complete_batch). Each
// iteration queues a fresh set outside the timed region and times the drain.
// The batch workload also runs through the raw C API on SQLite files and
// PostgreSQL (claim_batch/raw/…), where its throughput targets are: the
// ceiling any client reaches on the same host and data.

#include "bench_support.hpp"
#include "handwritten.hpp"

#include <libpq-fe.h>
#include <soci/sqlite3/soci-sqlite3.h>  // sqlite3.h, inside namespace sqlite_api

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace bench {
namespace {

constexpr std::size_t claim_batch_size = 50;
constexpr auto lease = std::chrono::seconds(60);

void refill(fixture& f, std::size_t n) { refill_queue(f, "claim-bench", n); }

// The ceiling: what claim_batch() and complete_batch() write, through the
// driver's C API in the fewest statements it offers, prepared once per
// worker. One UPDATE … RETURNING claims a batch (SKIP LOCKED on
// PostgreSQL); on SQLite a prepared UPDATE and INSERT per task complete it
// and log its events, on PostgreSQL one UPDATE and one INSERT per batch
// over arrays of ids. Each half is one transaction, as in taskstore.

/// A raw worker: claims up to `n` queued tasks, read into ts::task as
/// claim_batch() returns them, and completes them. @returns how many.
class raw_claimer {
 public:
  virtual ~raw_claimer() = default;
  std::size_t claim_and_complete(std::string const& worker, std::size_t n) {
    try {
      return run(worker, n);
    } catch (...) {
      roll_back();  // the connection stays usable for the next benchmark
      throw;
    }
  }

 private:
  virtual std::size_t run(std::string const& worker, std::size_t n) = 0;
  virtual void roll_back() noexcept = 0;
};

/// The claim up to the end of its subquery, which each driver closes (after
/// PostgreSQL's lock clause): $1 worker, $2 lease token, $3 lease end, $4
/// now, $5 the batch size.
constexpr char const* claim_set =
    "UPDATE tasks SET status = 'PROCESSING', attempt = attempt + 1, locked_by = $1, lease_token = $2, "
    "lease_expires_at = $3, processing_started_at = $4, error_code = NULL, error_message = NULL, updated_at = $4, "
    "version = version + 1 WHERE task_id IN (SELECT task_id FROM tasks WHERE status = 'QUEUED' AND deleted_at IS "
    "NULL AND (run_after IS NULL OR run_after <= $4) ORDER BY priority, created_at, task_id LIMIT $5";
/// The completion, but for its ids ($6): $1 now, $2 summary, $3 tokens, $4
/// seconds, $5 lease token. (SQLite numbers `$n` in order of appearance.)
constexpr char const* complete_set =
    "UPDATE tasks SET status = 'COMPLETED', progress = 100, completed_at = $1, updated_at = $1, locked_by = NULL, "
    "lease_token = NULL, lease_expires_at = NULL, result_summary = $2, tokens_used = tokens_used + $3, "
    "execution_time = execution_time + $4, version = version + 1 WHERE status = 'PROCESSING' AND lease_token = $5 ";

// SOCI's SQLite backend declares sqlite3's API inside namespace sqlite_api.
using sqlite_api::sqlite3;
using sqlite_api::sqlite3_destructor_type;  // SQLITE_TRANSIENT names it unqualified
using sqlite_api::sqlite3_stmt;

class sqlite_claimer final : public raw_claimer {
 public:
  explicit sqlite_claimer(ts::connection_options const& o) {
    try {
      if (sqlite_api::sqlite3_open_v2(o.path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
          SQLITE_OK)
        fail("open");
      static constexpr char const* synchronous[] = {"OFF", "NORMAL", "FULL", "EXTRA"};  // as taskstore's pool sets it
      exec("PRAGMA foreign_keys = ON");
      exec(("PRAGMA busy_timeout = " + std::to_string(o.busy_timeout.count())).c_str());
      exec("PRAGMA journal_mode = WAL");
      exec((std::string("PRAGMA synchronous = ") + synchronous[static_cast<int>(o.synchronous)]).c_str());
      claim_ = prepare(std::string(claim_set) + ") RETURNING " + task_column_list());
      complete_ = prepare(std::string(complete_set) + "AND task_id = $6");
      event_ = prepare(
          "INSERT INTO event_logs (task_id, event_type, level, content, created_at) VALUES ($1, 'STATUS_CHANGE', "
          "'INFO', $2, $3)");
    } catch (...) {
      close();
      throw;
    }
  }
  sqlite_claimer(sqlite_claimer const&) = delete;
  sqlite_claimer& operator=(sqlite_claimer const&) = delete;
  ~sqlite_claimer() override { close(); }

 private:
  std::size_t run(std::string const& worker, std::size_t n) override {
    using namespace sqlite_api;  // NOLINT(google-build-using-namespace)
    auto const token = ts::uuid::generate_v4().to_string();
    auto const now = ts::timestamp::now();
    auto const until = (now + lease).to_sql();
    auto at = now.to_sql();
    exec("BEGIN IMMEDIATE");
    for (auto const& [i, v] : {std::pair{1, &worker}, {2, &token}, {3, &until}, {4, &at}}) text(claim_, i, *v);
    sqlite3_bind_int64(claim_, 5, static_cast<sqlite3_int64>(n));
    std::vector<ts::task> claimed;
    for (int rc; (rc = sqlite3_step(claim_)) != SQLITE_DONE;) {
      if (rc != SQLITE_ROW) fail("claim");
      claimed.push_back(task_from_text([&](int c) {
        return std::pair{reinterpret_cast<char const*>(sqlite3_column_text(claim_, c)),
                         static_cast<std::size_t>(sqlite3_column_bytes(claim_, c))};
      }));
    }
    sqlite3_reset(claim_);
    for (auto const& t : claimed) insert_event(t.task_id, "QUEUED->PROCESSING", at);
    exec("COMMIT");
    if (claimed.empty()) return 0;

    at = ts::timestamp::now().to_sql();
    exec("BEGIN IMMEDIATE");
    text(complete_, 1, at);
    text(complete_, 2, "done");
    sqlite3_bind_int64(complete_, 3, 120);
    sqlite3_bind_double(complete_, 4, 0.5);
    text(complete_, 5, token);
    for (auto const& t : claimed) {
      text(complete_, 6, t.task_id.to_string());
      if (sqlite3_step(complete_) != SQLITE_DONE || sqlite3_changes(db_) != 1) fail("complete");
      sqlite3_reset(complete_);
      insert_event(t.task_id, "PROCESSING->COMPLETED", at);
    }
    exec("COMMIT");
    return claimed.size();
  }

  void roll_back() noexcept override {
    for (auto* st : {claim_, complete_, event_}) sqlite_api::sqlite3_reset(st);  // bindable again
    sqlite_api::sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void close() noexcept {
    for (auto* st : {claim_, complete_, event_}) sqlite_api::sqlite3_finalize(st);  // null is a no-op
    sqlite_api::sqlite3_close(db_);
  }
  void insert_event(ts::uuid const& task_id, std::string const& content, std::string const& at) {
    text(event_, 1, task_id.to_string());
    text(event_, 2, content);
    text(event_, 3, at);
    if (sqlite_api::sqlite3_step(event_) != SQLITE_DONE) fail("event");
    sqlite_api::sqlite3_reset(event_);
  }
  void text(sqlite3_stmt* st, int at, std::string const& s) {
    if (sqlite_api::sqlite3_bind_text(st, at, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT) != SQLITE_OK)
      fail("bind");
  }
  void exec(char const* sql) {
    if (sqlite_api::sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  sqlite3_stmt* prepare(std::string const& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite_api::sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
      fail(sql.c_str());
    return st;
  }
  [[noreturn]] void fail(char const* what) {
    throw std::runtime_error(std::string("sqlite3: ") + what + ": " + sqlite_api::sqlite3_errmsg(db_));
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* claim_ = nullptr;
  sqlite3_stmt* complete_ = nullptr;
  sqlite3_stmt* event_ = nullptr;
};

class pg_claimer final : public raw_claimer {
 public:
  explicit pg_claimer(ts::connection_options const& o) : conn_(PQconnectdb(o.connect_string.c_str())) {
    try {
      if (PQstatus(conn_) != CONNECTION_OK) fail("connect");
      exec("SET TIME ZONE 'UTC'");  // as taskstore's sessions and raw_bench.cpp's set up
      exec("SET DateStyle = 'ISO, YMD'");
      exec("SET client_encoding = 'UTF8'");
      prepare("claim", std::string(claim_set) + " FOR UPDATE SKIP LOCKED) RETURNING " + task_column_list());
      prepare("complete", std::string(complete_set) + "AND task_id = ANY($6::uuid[])");
      prepare("events",
              "INSERT INTO event_logs (task_id, event_type, level, content, created_at) SELECT unnest($1::uuid[]), "
              "'STATUS_CHANGE', 'INFO', $2, $3");
    } catch (...) {
      PQfinish(conn_);
      throw;
    }
  }
  pg_claimer(pg_claimer const&) = delete;
  pg_claimer& operator=(pg_claimer const&) = delete;
  ~pg_claimer() override { PQfinish(conn_); }

 private:
  std::size_t run(std::string const& worker, std::size_t n) override {
    auto const token = ts::uuid::generate_v4().to_string();
    auto const now = ts::timestamp::now();
    auto const until = (now + lease).to_sql();
    auto at = now.to_sql();
    auto const limit = std::to_string(n);
    exec("BEGIN");
    char const* claim_values[] = {worker.c_str(), token.c_str(), until.c_str(), at.c_str(), limit.c_str()};
    auto* r = PQexecPrepared(conn_, "claim", 5, claim_values, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      PQclear(r);
      fail("claim");
    }
    std::vector<ts::task> claimed;
    for (int t = 0; t < PQntuples(r); ++t)
      claimed.push_back(task_from_text([&](int c) {
        return std::pair{PQgetisnull(r, t, c) ? nullptr : PQgetvalue(r, t, c),
                         static_cast<std::size_t>(PQgetlength(r, t, c))};
      }));
    PQclear(r);
    std::string ids = "{";
    for (auto const& t : claimed) ids += (ids.size() > 1 ? "," : "") + t.task_id.to_string();
    ids += "}";
    if (!claimed.empty()) insert_events(ids, "QUEUED->PROCESSING", at);
    exec("COMMIT");
    if (claimed.empty()) return 0;

    at = ts::timestamp::now().to_sql();
    exec("BEGIN");
    char const* complete_values[] = {at.c_str(), "done", "120", "0.5", token.c_str(), ids.c_str()};
    r = PQexecPrepared(conn_, "complete", 6, complete_values, nullptr, nullptr, 0);
    bool const ok =
        PQresultStatus(r) == PGRES_COMMAND_OK && std::string(PQcmdTuples(r)) == std::to_string(claimed.size());
    PQclear(r);
    if (!ok) fail("complete");
    insert_events(ids, "PROCESSING->COMPLETED", at);
    exec("COMMIT");
    return claimed.size();
  }

  void roll_back() noexcept override { PQclear(PQexec(conn_, "ROLLBACK")); }
  void insert_events(std::string const& ids, char const* content, std::string const& at) {
    char const* values[] = {ids.c_str(), content, at.c_str()};
    check(PQexecPrepared(conn_, "events", 3, values, nullptr, nullptr, 0), "events");
  }
  void prepare(char const* name, std::string const& sql) {
    check(PQprepare(conn_, name, sql.c_str(), 0, nullptr), name);
  }
  void exec(char const* sql) { check(PQexec(conn_, sql), sql); }
  void check(PGresult* r, char const* what) {
    bool const ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) fail(what);
  }
  [[noreturn]] void fail(char const* what) {
    throw std::runtime_error(std::string("libpq: ") + what + ": " + PQerrorMessage(conn_));
  }
  PGconn* conn_;
};

std::unique_ptr<raw_claimer> raw_claimer_for(ts::connection_options const& o) {
  if (o.backend == ts::backend_kind::postgresql) return std::make_unique<pg_claimer>(o);
  return std::make_unique<sqlite_claimer>(o);
}

/// Worker names are `worker-<n>`; `set_up(name)` runs for each before timing.
template <class Worker, class SetUp = void (*)(std::string const&)>
void drain(
    benchmark::State& state, backend const& b, std::size_t tasks_per_iteration, Worker&& work,
    SetUp&& set_up = [](std::string const&) {}) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const workers = static_cast<std::size_t>(state.range(0));
    for (std::size_t w = 0; w < workers; ++w) set_up("worker-" + std::to_string(w));
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
            ts::task_claims claims(f.db);
            done += work(claims, "worker-" + std::to_string(w));
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
  drain(state, b, 400, [](ts::task_claims& claims, std::string const& worker) {
    std::size_t n = 0;
    while (auto claim = claims.claim_next(worker, lease)) {
      claims.complete(
          *claim, {.result_summary = "done", .tokens_used = 120, .execution_time = std::chrono::duration<double>(0.5)});
      ++n;
    }
    return n;
  });
}

std::size_t claim_and_complete_batches(ts::task_claims& claims, std::string const& worker) {
  std::size_t n = 0;
  std::vector<ts::task_result> results;
  for (;;) {
    auto batch = claims.claim_batch(worker, claim_batch_size, lease);
    if (batch.empty()) return n;
    results.assign(batch.size(), ts::task_result{"done", 120, std::chrono::duration<double>(0.5)});
    n += claims.complete_batch(batch, results).size();
  }
}

void claim_batch(benchmark::State& state, backend const& b) { drain(state, b, 2000, claim_and_complete_batches); }

/// claim_batch under a limit on the tool and a default limit per user that
/// never bind (more than all workers' batches): what the gates and counts
/// cost. Its own database (workload), so the limits stay out of the others.
void claim_batch_limited(benchmark::State& state, backend const& b) {
  drain(state, b, 2000, claim_and_complete_batches, [&](std::string const&) {
    ts::queue_control control(open(b).db);
    control.set_limit("claim-bench", 1000);
    control.set_default_user_limit(1000);
  });
}

void claim_batch_raw(benchmark::State& state, backend const& b) {
  // One connection per worker for the whole run, opened outside the timed
  // region, as taskstore's pool keeps its sessions.
  static std::mutex m;
  static std::map<std::string, std::unique_ptr<raw_claimer>> workers;
  drain(
      state, b, 2000,
      [&](ts::task_claims&, std::string const& worker) {
        raw_claimer* raw = nullptr;
        {
          std::lock_guard lock(m);
          raw = workers[b.name + "/" + worker].get();
        }
        std::size_t n = 0;
        while (auto const k = raw->claim_and_complete(worker, claim_batch_size)) n += k;
        return n;
      },
      [&](std::string const& worker) {
        std::lock_guard lock(m);
        auto& slot = workers[b.name + "/" + worker];
        if (!slot) slot = raw_claimer_for(ts::parse_url(open(b).url));
      });
}

}  // namespace

void register_claim_benchmarks() {
  for (auto* r : register_all("claim_single", "taskstore", claim_single, true))
    r->ArgName("workers")->Arg(1)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond);
  for (auto* r : register_all("claim_batch", "taskstore", claim_batch, true))
    r->ArgName("workers")->Arg(1)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond);
  for (auto* r : register_all("claim_batch_limited", "taskstore", claim_batch_limited))
    r->ArgName("workers")->Arg(1)->Arg(4)->Unit(benchmark::kMillisecond);
  // The raw ceiling where the targets are: SQLite files and PostgreSQL.
  auto const has_target = [](backend const& b) { return b.name != "sqlite_memory" && b.name != "mysql"; };
  for (auto* r : register_all("claim_batch", "raw", claim_batch_raw, true, has_target))
    r->ArgName("workers")->Arg(1)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond);
}

}  // namespace bench
