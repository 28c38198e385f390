// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Workloads 1, 3, 4 and 5 on every backend: create a task, get it by id,
// list a user's newest page and keyset-page through 10,000, and a state
// transition with its STATUS_CHANGE event; taskstore next to hand-written
// SOCI (handwritten.hpp) running the same SQL on the same rows.

#include "bench_support.hpp"
#include "handwritten.hpp"

#include <cstddef>
#include <functional>
#include <map>
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

ts::create_task_request sample_request(std::int64_t user_id) {
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

void create_soci(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const kind = f.db.backend();
    auto const request = sample_request(f.user_id);
    auto lease = f.db.session();
    auto& sql = lease.get();
    task_binding row;
    soci::statement insert_task(sql);
    row.use_all(insert_task);
    insert_task.alloc();
    insert_task.prepare(ts::sql::insert_sql<ts::task>(kind, true));
    insert_task.define_and_bind();
    event_insert insert_event(sql, kind);
    task_bound bound([&sql] { sql << "DELETE FROM tasks"; });
    for (auto _ : state) {
      bound.adding(state);
      // What create() does by hand: a new row, validated, and its event.
      ts::task t;
      t.task_id = ts::uuid::generate_v7();
      t.user_id = request.user_id;
      t.tool_id = request.tool_id;
      t.agents = request.agents;
      t.agents_total = static_cast<std::int32_t>(request.agents.size());
      t.title = request.title;
      t.workflow_id = request.workflow_id;
      t.input_prompt = request.input_prompt.value_or("");
      t.created_at = t.updated_at = ts::timestamp::now();
      row.from(t);
      ts::event_log e;
      e.task_id = t.task_id;
      e.event_type = ts::event_kind::STATUS_CHANGE;
      e.content = "->CREATED";
      e.created_at = t.created_at;
      begin(sql, kind);
      insert_task.execute(true);
      auto const event_id = insert_event.run(e);
      sql.commit();
      benchmark::DoNotOptimize(event_id);
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
      auto t = tasks.get(ids[i++ % ids.size()], f.user_id);
      if (!t) throw std::runtime_error("task not found");
      benchmark::DoNotOptimize(t->agents->size());
    }
    state.SetItemsProcessed(state.iterations());
  });
}

void get_soci(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const kind = f.db.backend();
    auto const& ids = read_set(f, b);
    auto lease = f.db.session();
    auto& sql = lease.get();
    task_binding row;
    std::string id;
    soci::statement select(sql);
    select.exchange(soci::use(id));
    row.into_all(select);
    select.alloc();
    select.prepare(ts::sql::select_sql<ts::task>(kind, ts::sql::key_condition<ts::task>(kind)));
    select.define_and_bind();
    std::size_t i = 0;
    for (auto _ : state) {
      id = ids[i++ % ids.size()].to_string();
      if (!select.execute(true)) throw std::runtime_error("task not found");
      select.fetch();  // past the last row, as above
      auto t = row.to_task();
      if (t.user_id != f.user_id || t.deleted_at) throw std::runtime_error("not the user's task");
      benchmark::DoNotOptimize(t.agents->size());
    }
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
      auto page = tasks.list(user, std::nullopt, 50);
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
      auto rows = tasks.list(user, std::nullopt, page).tasks;
      while (!rows.empty()) {
        seen += rows.size();
        rows = tasks.list_after(user, rows.back(), page);
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

void transition_soci(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto const kind = f.db.backend();
    auto lease = f.db.session();
    auto& sql = lease.get();
    task_binding staged;
    soci::statement insert_task(sql);
    staged.use_all(insert_task);
    insert_task.alloc();
    insert_task.prepare(ts::sql::insert_sql<ts::task>(kind, true));
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
    task_binding row;
    std::string id, id_update;
    int expected_version = 0;
    soci::statement select(sql);
    select.exchange(soci::use(id));
    row.into_all(select);
    select.alloc();
    select.prepare(ts::sql::select_sql<ts::task>(kind, ts::sql::key_condition<ts::task>(kind)));
    select.define_and_bind();
    // The columns the transition changes, by key and version, as taskstore's update(row, as_read) writes them.
    std::string status, queued_at, updated_at;
    soci::statement update(sql);
    update.exchange(soci::use(status));
    update.exchange(soci::use(queued_at));
    update.exchange(soci::use(updated_at));
    update.exchange(soci::use(id_update));
    update.exchange(soci::use(expected_version));
    update.alloc();
    auto const q = [kind](char const* name) { return ts::sql::quote(kind, name); };
    update.prepare("UPDATE " + q("tasks") + " SET " + q("status") + " = :p0, " + q("queued_at") + " = :p1, " +
                   q("updated_at") + " = :p2, " + q("version") + " = " + q("version") + " + 1 WHERE " + q("task_id") +
                   " = :p3 AND " + q("version") + " = :p4");
    update.define_and_bind();
    event_insert insert_event(sql, kind);
    for (auto _ : state) {
      id = supply.next(state).to_string();
      begin(sql, kind);
      if (!select.execute(true)) throw std::runtime_error("task not found");
      select.fetch();  // past the last row: a statement left mid-result keeps SQLite's read snapshot open
      auto t = row.to_task();
      if (t.user_id != f.user_id || t.deleted_at || t.status != ts::task_status::CREATED)
        throw std::runtime_error("not a CREATED task of the user");
      auto const now = ts::timestamp::now();
      t.status = ts::task_status::QUEUED;
      t.queued_at = now;
      t.updated_at = now;
      status = "QUEUED";
      queued_at = now.to_sql();
      updated_at = now.to_sql();
      id_update = id;
      expected_version = t.version;
      update.execute(true);
      if (update.get_affected_rows() != 1) throw std::runtime_error("stale version");
      ts::event_log e;
      e.task_id = t.task_id;
      e.event_type = ts::event_kind::STATUS_CHANGE;
      e.content = "CREATED->QUEUED";
      e.created_at = now;
      auto const event_id = insert_event.run(e);
      sql.commit();
      benchmark::DoNotOptimize(event_id);
    }
    state.SetItemsProcessed(state.iterations());
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
}

}  // namespace bench
