// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Workloads 1, 3, 4 and 5 on every backend: create a task, get it by id,
// list a user's newest page and keyset-page through 10,000, and a state
// transition with its STATUS_CHANGE event; taskstore next to hand-written
// SOCI (handwritten.hpp) running the same SQL on the same rows, apart and
// in pairs (both in every iteration, for the ratio targets).

#include "bench_support.hpp"
#include "handwritten.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {
namespace {

using ts::backend_kind;

/// Tasks of one user for reads, inserted once per backend and process.
std::vector<ts::uuid> const& read_set(fixture& f, backend const& b) {
  static std::map<std::string, std::vector<ts::uuid>> sets;
  auto& ids = sets[b.name + "/" + b.workload];
  if (ids.empty()) {
    for (auto const& t : ts::soci_repository<ts::task>(f.db).insert_many(make_tasks(f.user_id, 1000)))
      ids.push_back(t.task_id);
    analyze(f);
  }
  return ids;
}

/// A user owning `n` tasks (list and keyset scans), made once per backend.
std::int64_t user_with_tasks(fixture& f, backend const& b, std::size_t n) {
  static std::map<std::string, std::int64_t> users;
  auto const key = b.name + "/" + b.workload + "/" + std::to_string(n);
  if (auto it = users.find(key); it != users.end()) return it->second;
  auto const u = ts::user_service{f.db}.find_or_create("list" + std::to_string(n) + "@example.com", "Lister");
  ts::soci_repository<ts::task>(f.db).insert_many(make_tasks(u.id, n));
  analyze(f);
  return users[key] = u.id;
}

/// Tasks a workload adds are deleted (outside the timed region) when a run
/// starts and every `max_tasks`, so that its tables stay the same size
/// however many iterations ran before: each repetition of taskstore and of
/// its baseline, interleaved in random order, then grows the same database
/// from empty rather than one the other's repetitions left behind.
constexpr std::size_t max_tasks = 20'000;

/// Counts the tasks a workload is about to add.
class task_count {
 public:
  /// True when `n` more tasks would pass max_tasks: delete the tasks first
  /// (the count then restarts at `n`).
  bool clear_before(std::size_t n) {
    if ((count_ += n) <= max_tasks) return false;
    count_ = n;
    return true;
  }

 private:
  std::size_t count_ = max_tasks;  // full: a run starts by deleting what earlier runs left
};

/// Calls `clear` (timing paused) before a loop's task would pass max_tasks.
class task_bound {
 public:
  explicit task_bound(std::function<void()> clear) : clear_(std::move(clear)) {}

  void adding(benchmark::State& state) {
    if (!count_.clear_before(1)) return;
    state.PauseTiming();
    clear_();
    state.ResumeTiming();
  }

 private:
  std::function<void()> clear_;
  task_count count_;
};

/// CREATED tasks for transitions, refilled outside the timed region by
/// `insert`, which is told to delete the tasks first every max_tasks (the
/// hand-written baseline holds SQLite memory's one connection, so it inserts
/// and deletes with its own statements).
class created_supply {
 public:
  using inserter = std::function<void(std::vector<ts::task> const&, bool clear_first)>;
  created_supply(fixture& f, inserter insert) : f_(f), insert_(std::move(insert)) {}
  explicit created_supply(fixture& f)
      : created_supply(f, [&f](std::vector<ts::task> const& rows, bool clear_first) {
          if (clear_first) clear_tasks(f.db);
          ts::soci_repository<ts::task>(f.db).insert_many(rows);
        }) {}

  ts::uuid const& next(benchmark::State& state) {
    if (at_ == ids_.size()) {
      state.PauseTiming();
      ids_.clear();
      at_ = 0;
      auto rows = make_tasks(f_.user_id, 500);
      insert_(rows, count_.clear_before(rows.size()));
      for (auto const& t : rows) ids_.push_back(t.task_id);
      state.ResumeTiming();
    }
    return ids_[at_++];
  }

 private:
  fixture& f_;
  inserter insert_;
  std::vector<ts::uuid> ids_;
  std::size_t at_ = 0;
  task_count count_;
};

ts::new_task sample_request(std::int64_t user_id) {
  auto const t = make_task(user_id, 7);
  return {.user_id = user_id,
          .tool_id = t.tool_id,
          .agents = t.agents.get(),
          .title = t.title,
          .workflow_id = t.workflow_id,
          .input_prompt = t.input_prompt};
}

// 1. create -----------------------------------------------------------------

void create_taskstore(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    ts::task_service tasks(f.db);
    auto const request = sample_request(f.user_id);
    task_bound bound([&f] { clear_tasks(f.db); });
    for (auto _ : state) {
      bound.adding(state);
      benchmark::DoNotOptimize(tasks.create(request));
    }
    state.SetItemsProcessed(state.iterations());
  });
}

/// create() written by hand: the task row and its STATUS_CHANGE event in one
/// transaction, with statements prepared once on `sql`.
class soci_create {
 public:
  soci_create(soci::session& sql, ts::backend_kind kind, ts::new_task request)
      : sql_(sql), kind_(kind), request_(std::move(request)), insert_task_(sql), insert_event_(sql, kind) {
    row_.use_all(insert_task_);
    insert_task_.alloc();
    insert_task_.prepare(ts::sql::insert_sql<ts::task>(ts::backend_for(kind).dialect(), ts::key_source::row));
    insert_task_.define_and_bind();
  }
  soci_create(soci_create const&) = delete;  // the statements hold the row's addresses
  soci_create& operator=(soci_create const&) = delete;

  /// The new task's event id.
  long long operator()() {
    // What create() does by hand: a new row, validated, and its event.
    ts::task t;
    t.task_id = ts::uuid::generate_v7();
    t.user_id = request_.user_id;
    t.tool_id = request_.tool_id;
    t.agents = request_.agents;
    t.agents_total = static_cast<std::int32_t>(request_.agents.size());
    t.title = request_.title;
    t.workflow_id = request_.workflow_id;
    t.input_prompt = request_.input_prompt.value_or("");
    t.created_at = t.updated_at = ts::timestamp::now();
    row_.from(t);
    begin(sql_, kind_);
    insert_task_.execute(true);
    auto const event_id = insert_event_.run(status_change(t.task_id, "->CREATED", t.created_at));
    sql_.commit();
    return event_id;
  }

 private:
  soci::session& sql_;
  ts::backend_kind kind_;
  ts::new_task request_;
  task_binding row_;
  soci::statement insert_task_;
  event_insert insert_event_;
};

void create_soci(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto lease = ts::detail::session_of(f.db);
    auto& sql = lease.get();
    soci_create create(sql, f.db.backend().kind(), sample_request(f.user_id));
    task_bound bound([&sql] { sql << "DELETE FROM tasks"; });
    for (auto _ : state) {
      bound.adding(state);
      benchmark::DoNotOptimize(create());
    }
    state.SetItemsProcessed(state.iterations());
  });
}

// 3. get by id --------------------------------------------------------------

void get_taskstore(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const& ids = read_set(f, b);
    ts::task_service tasks(f.db);
    std::size_t i = 0;
    for (auto _ : state) {
      auto t = tasks.get(ids[i++ % ids.size()], f.user_id);  // not_found when missing
      benchmark::DoNotOptimize(t.agents->size());
    }
    state.SetItemsProcessed(state.iterations());
  });
}

/// get() written by hand: the row by its key, checked to be the user's and
/// not deleted, with the statement prepared once on `sql`.
class soci_get {
 public:
  soci_get(soci::session& sql, ts::backend_kind kind, std::int64_t user_id) : user_id_(user_id), select_(sql) {
    select_.exchange(soci::use(id_));
    row_.into_all(select_);
    select_.alloc();
    select_.prepare(ts::sql::select_sql<ts::task>(ts::backend_for(kind).dialect(),
                                                  ts::sql::key_condition<ts::task>(ts::backend_for(kind).dialect())));
    select_.define_and_bind();
  }
  soci_get(soci_get const&) = delete;  // the statement holds the row's addresses
  soci_get& operator=(soci_get const&) = delete;

  ts::task operator()(ts::uuid const& id) {
    id_ = id.to_string();
    if (!select_.execute(true)) throw std::runtime_error("task not found");
    select_.fetch();  // past the last row: a statement left mid-result keeps SQLite's read snapshot open
    auto t = row_.to_task();
    if (t.user_id != user_id_ || t.deleted_at) throw std::runtime_error("not the user's task");
    return t;
  }

 private:
  std::int64_t user_id_;
  std::string id_;
  task_binding row_;
  soci::statement select_;
};

void get_soci(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const& ids = read_set(f, b);
    auto lease = ts::detail::session_of(f.db);
    soci_get get(lease.get(), f.db.backend().kind(), f.user_id);
    std::size_t i = 0;
    for (auto _ : state) benchmark::DoNotOptimize(get(ids[i++ % ids.size()]).agents->size());
    state.SetItemsProcessed(state.iterations());
  });
}

// 4. lists ------------------------------------------------------------------

void list_page_taskstore(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const user = user_with_tasks(f, b, 1000);
    ts::task_service tasks(f.db);
    for (auto _ : state) {
      auto page = tasks.list(user, std::nullopt, {.limit = 50});
      if (page.tasks.size() != 50) throw std::runtime_error("short page");
      benchmark::DoNotOptimize(page.total);
    }
    state.SetItemsProcessed(state.iterations() * 50);
  });
}

void keyset_scan_taskstore(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    constexpr std::size_t n = 10000, page = 100;
    auto const user = user_with_tasks(f, b, n);
    ts::task_service tasks(f.db);
    for (auto _ : state) {
      std::size_t seen = 0;
      auto rows = tasks.list(user, std::nullopt, {.limit = page}).tasks;
      while (!rows.empty()) {
        seen += rows.size();
        rows = tasks.list_after(user, std::nullopt, rows.back(), page);
      }
      if (seen != n) throw std::runtime_error("keyset scan saw " + std::to_string(seen));
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  });
}

// 5. a transition with its event --------------------------------------------

void transition_taskstore(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    created_supply supply(f);
    ts::task_service tasks(f.db);
    for (auto _ : state) benchmark::DoNotOptimize(tasks.queue(supply.next(state), f.user_id));
    state.SetItemsProcessed(state.iterations());
  });
}

/// queue() written by hand: the CREATED row read by its key, the columns the
/// transition changes written by key and version (as taskstore's
/// update(row, as_read) writes them) and its STATUS_CHANGE event, in one
/// transaction, with statements prepared once on `sql`.
class soci_transition {
 public:
  soci_transition(soci::session& sql, ts::backend_kind kind, std::int64_t user_id)
      : sql_(sql), kind_(kind), user_id_(user_id), select_(sql), update_(sql), insert_event_(sql, kind) {
    select_.exchange(soci::use(id_));
    row_.into_all(select_);
    select_.alloc();
    select_.prepare(ts::sql::select_sql<ts::task>(ts::backend_for(kind).dialect(),
                                                  ts::sql::key_condition<ts::task>(ts::backend_for(kind).dialect())));
    select_.define_and_bind();
    update_.exchange(soci::use(status_));
    update_.exchange(soci::use(queued_at_));
    update_.exchange(soci::use(updated_at_));
    update_.exchange(soci::use(id_update_));
    update_.exchange(soci::use(expected_version_));
    update_.alloc();
    auto const q = [kind](char const* name) { return ts::backend_for(kind).dialect().quote(name); };
    update_.prepare("UPDATE " + q("tasks") + " SET " + q("status") + " = :p0, " + q("queued_at") + " = :p1, " +
                    q("updated_at") + " = :p2, " + q("version") + " = " + q("version") + " + 1 WHERE " + q("task_id") +
                    " = :p3 AND " + q("version") + " = :p4");
    update_.define_and_bind();
  }
  soci_transition(soci_transition const&) = delete;  // the statements hold the locals' addresses
  soci_transition& operator=(soci_transition const&) = delete;

  /// The event id of `id`'s move from CREATED to QUEUED.
  long long operator()(ts::uuid const& id) {
    id_ = id.to_string();
    begin(sql_, kind_);
    if (!select_.execute(true)) throw std::runtime_error("task not found");
    select_.fetch();  // past the last row: a statement left mid-result keeps SQLite's read snapshot open
    auto t = row_.to_task();
    if (t.user_id != user_id_ || t.deleted_at || t.status != ts::task_status::CREATED)
      throw std::runtime_error("not a CREATED task of the user");
    auto const now = ts::timestamp::now();
    t.status = ts::task_status::QUEUED;
    t.queued_at = now;
    t.updated_at = now;
    status_ = "QUEUED";
    queued_at_ = now.to_sql();
    updated_at_ = now.to_sql();
    id_update_ = id_;
    expected_version_ = t.version;
    update_.execute(true);
    if (update_.get_affected_rows() != 1) throw std::runtime_error("stale version");
    auto const event_id = insert_event_.run(status_change(t.task_id, "CREATED->QUEUED", now));
    sql_.commit();
    return event_id;
  }

 private:
  soci::session& sql_;
  ts::backend_kind kind_;
  std::int64_t user_id_;
  std::string id_, id_update_, status_, queued_at_, updated_at_;
  int expected_version_ = 0;
  task_binding row_;
  soci::statement select_;
  soci::statement update_;
  event_insert insert_event_;
};

void transition_soci(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const kind = f.db.backend().kind();
    auto lease = ts::detail::session_of(f.db);
    auto& sql = lease.get();
    task_binding staged;
    soci::statement insert_task(sql);
    staged.use_all(insert_task);
    insert_task.alloc();
    insert_task.prepare(ts::sql::insert_sql<ts::task>(ts::backend_for(kind).dialect(), ts::key_source::row));
    insert_task.define_and_bind();
    created_supply supply(f, [&](std::vector<ts::task> const& rows, bool clear_first) {
      if (clear_first) sql << "DELETE FROM tasks";
      begin(sql, kind);
      for (auto const& t : rows) {
        staged.from(t);
        insert_task.execute(true);
      }
      sql.commit();
    });
    soci_transition transition(sql, kind, f.user_id);
    for (auto _ : state) benchmark::DoNotOptimize(transition(supply.next(state)));
    state.SetItemsProcessed(state.iterations());
  });
}

// 1, 3 and 5 as pairs ---------------------------------------------------------

/// The ≤ 1.10 targets compare taskstore with its hand-written twin, which
/// differ by a few percent, on a host whose speed and loopback latency drift
/// by more than that between two repetitions. So a pair runs both in every
/// iteration, back to back and in alternating order, and times each: both
/// see the same moment of the host. Counters: `ratio`, taskstore's median
/// operation time ÷ the twin's; `taskstore_us` and `soci_us`, those medians;
/// `mean_ratio`, the ratio of their total times. The medians are the figure:
/// on a SQLite file a commit now and then also checkpoints the WAL (tens of
/// milliseconds of I/O that both sides' writes caused), and which side's
/// commit it lands on is chance, enough to move a ratio of totals by 15-30 %.
///
/// The twin's statements are prepared on one session, which it borrows for
/// each operation (outside its timing) because taskstore's operation borrows
/// in between; on one thread the pool hands back the same connection.
class pair_timer {
 public:
  explicit pair_timer(ts::database const& db) : db_(db), home_(&ts::detail::session_of(db).get()) {}

  /// The session the twin prepares its statements on.
  soci::session& home() const { return *home_; }

  /// Runs `taskstore()` and `soci()`, in the order that alternates.
  template <class Taskstore, class Soci>
  void run(Taskstore&& taskstore, Soci&& soci) {
    auto const twin = [&] {
      auto lease = ts::detail::session_of(db_);
      if (&lease.get() != home_) throw std::runtime_error("the pool lent the twin another connection");
      time(soci_, soci);
    };
    if (taskstore_.size() % 2 == 0) {
      time(taskstore_, taskstore);
      twin();
    } else {
      twin();
      time(taskstore_, taskstore);
    }
  }

  void report(benchmark::State& state) {
    if (taskstore_.empty() || soci_.empty()) return;
    auto const total = [](std::vector<double> const& v) { return std::accumulate(v.begin(), v.end(), 0.0); };
    auto const median = [](std::vector<double>& v) {
      auto const mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
      std::nth_element(v.begin(), mid, v.end());
      return *mid;
    };
    auto const taskstore_us = median(taskstore_), soci_us = median(soci_);
    state.counters["taskstore_us"] = taskstore_us;
    state.counters["soci_us"] = soci_us;
    state.counters["ratio"] = taskstore_us / soci_us;
    state.counters["mean_ratio"] = total(taskstore_) / total(soci_);
  }

 private:
  template <class F>
  static void time(std::vector<double>& spent_us, F&& f) {
    auto const start = std::chrono::steady_clock::now();
    f();
    spent_us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }

  ts::database const& db_;
  soci::session* home_;
  std::vector<double> taskstore_, soci_;  // microseconds per operation
};

void create_paired(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    ts::task_service tasks(f.db);
    auto const request = sample_request(f.user_id);
    pair_timer pair(f.db);
    soci_create create(pair.home(), f.db.backend().kind(), request);
    task_bound bound([&f] { clear_tasks(f.db); });
    for (auto _ : state) {
      bound.adding(state);
      bound.adding(state);
      pair.run([&] { benchmark::DoNotOptimize(tasks.create(request)); }, [&] { benchmark::DoNotOptimize(create()); });
    }
    pair.report(state);
  });
}

void get_paired(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const& ids = read_set(f, b);
    ts::task_service tasks(f.db);
    pair_timer pair(f.db);
    soci_get get(pair.home(), f.db.backend().kind(), f.user_id);
    std::size_t i = 0;
    for (auto _ : state) {
      auto const& id = ids[i++ % ids.size()];
      pair.run(
          [&] {
            auto t = tasks.get(id, f.user_id);  // not_found when missing
            benchmark::DoNotOptimize(t.agents->size());
          },
          [&] { benchmark::DoNotOptimize(get(id).agents->size()); });
    }
    pair.report(state);
  });
}

void transition_paired(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    created_supply supply(f);
    ts::task_service tasks(f.db);
    pair_timer pair(f.db);
    soci_transition transition(pair.home(), f.db.backend().kind(), f.user_id);
    for (auto _ : state) {
      auto const mine = supply.next(state);  // copies: the second call may refill the supply
      auto const twins = supply.next(state);
      pair.run([&] { benchmark::DoNotOptimize(tasks.queue(mine, f.user_id)); },
               [&] { benchmark::DoNotOptimize(transition(twins)); });
    }
    pair.report(state);
  });
}

}  // namespace

void register_task_benchmarks() {
  register_all("create", "taskstore", create_taskstore, true);
  register_all("create", "soci", create_soci, true);
  register_all("get", "taskstore", get_taskstore);
  register_all("get", "soci", get_soci);
  register_all("list_page", "taskstore", list_page_taskstore);
  register_all("keyset_scan", "taskstore", keyset_scan_taskstore);
  register_all("transition", "taskstore", transition_taskstore, true);
  register_all("transition", "soci", transition_soci, true);
  register_all("create", "paired", create_paired, true);
  register_all("get", "paired", get_paired);
  register_all("transition", "paired", transition_paired, true);
}

}  // namespace bench
