// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/doctor.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/doctor.hpp>

#include <taskstore/domain/task_lifecycle.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/detail/hot_queries.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_maintenance.hpp>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <tuple>

namespace taskstore {

namespace detail {

inline std::string duration_text(std::chrono::seconds d) {
  auto const s = d.count();
  if (s < 120) return std::to_string(s) + " s";
  if (s < 7200) return std::to_string(s / 60) + " min";
  if (s < 172800) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " days";
}

inline std::string bytes_text(std::int64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(n) / (1 << 20));
  return buf;
}

/// Collects the findings of one check and its result line.
class doctor_run {
 public:
  explicit doctor_run(doctor_report& r) : r_(r) {}

  void check(std::string name, std::function<void()> const& body) {
    name_ = std::move(name);
    skipped_.clear();
    auto const before = r_.findings.size();
    body();
    auto const n = r_.findings.size() - before;
    r_.checks.push_back({name_, !skipped_.empty() ? "skipped: " + skipped_
                                : n == 0          ? std::string("ok")
                                                  : std::to_string(n) + " finding(s)"});
  }
  void skip(std::string why) { skipped_ = std::move(why); }
  void find(finding_level level, std::string subject, std::string detail, std::string action) {
    r_.findings.push_back({name_, level, std::move(subject), std::move(detail), std::move(action)});
  }

 private:
  doctor_report& r_;
  std::string name_, skipped_;
};

}  // namespace detail

doctor_report doctor(database const& db, doctor_options const& o) {
  doctor_report report;
  report.backend = std::string(db.backend().description());
  detail::doctor_run run(report);
  auto const now = timestamp::now();
  auto const small = o.small_table_rows;

  std::vector<table_health> tables;
  std::string why_no_index_use, why_no_transactions;
  std::optional<std::vector<index_usage>> indexes;
  std::optional<std::vector<open_transaction>> transactions;
  {
    auto lease = detail::session_of(db);
    detail::guarded(lease, db.backend(), [&] {
      auto& s = lease.get();
      auto const& backend = db.backend();
      tables = backend.health_of_tables(s, backend.table_names(s));
      indexes = backend.index_use(s, why_no_index_use);
      transactions = backend.long_transactions(s, o.long_transaction, why_no_transactions);
    });
  }
  auto rows_of = [&](std::string const& table) -> std::int64_t {
    for (auto const& t : tables)
      if (t.table == table) return t.rows;
    return 0;
  };

  run.check("query plans", [&] {
    soci_repository<task> tasks(db);
    soci_repository<event_log> events(db);
    task cursor;  // a page boundary as a user's list passes it
    cursor.user_id = 1;
    cursor.created_at = now;
    cursor.task_id = uuid::generate_v7();
    event_log event_cursor;
    event_cursor.task_id = cursor.task_id;
    event_cursor.created_at = now;
    event_cursor.id = 1;
    auto const owned = detail::owned_tasks(1);
    auto const events_of_task = query<event_log>{col(&event_log::task_id) == cursor.task_id};
    auto const table_of_tasks = std::string(table_model<task>::table);
    auto const table_of_events = std::string(table_model<event_log>::table);
    std::vector<std::tuple<std::string, std::string, std::function<query_plan()>>> const hot{
        {"claim the next tasks", table_of_tasks,
         [&] { return tasks.explain(detail::in_claim_order(detail::claimable_tasks(now)).limit(10).skip_locked()); }},
        {"a user's newest tasks", table_of_tasks, [&] { return tasks.explain(detail::newest_first(owned).limit(20)); }},
        {"a user's next page of tasks", table_of_tasks,
         [&] { return tasks.explain(detail::newest_first(owned).after(cursor).limit(20)); }},
        {"a task's events", table_of_events,
         [&] { return events.explain(detail::events_in_order(events_of_task).limit(100)); }},
        {"a task's next page of events", table_of_events,
         [&] { return events.explain(detail::events_in_order(events_of_task).after(event_cursor).limit(100)); }},
        {"rescue expired leases", table_of_tasks,
         [&] { return tasks.explain(detail::expired_leases(now).limit(500)); }},
        {"cleanup: expire stale CREATED tasks", table_of_tasks,
         [&] { return tasks.explain(detail::stale_created(now.minus(std::chrono::minutes(15), "cutoff"))); }},
        {"cleanup: delete old events", table_of_events,
         [&] { return events.explain_where(detail::events_before(now.minus(std::chrono::days(90), "cutoff"))); }},
        {"cleanup: retention", table_of_tasks,
         [&] { return tasks.explain_where(detail::past_retention(now.minus(task_metadata_retention, "cutoff"))); }},
    };
    for (auto const& [name, table, plan_of] : hot) {
      query_plan plan;
      try {
        plan = plan_of();
      } catch (error const& e) {
        if (e.code() == errc::unsupported) return run.skip(e.what());
        if (e.category() == error_category::temporary) throw;
        // The query itself would fail: an index it names (MariaDB's FORCE INDEX) or a column is gone.
        run.find(finding_level::attention, name, std::string("cannot be planned: ") + e.what(),
                 "check that every migration is applied (`taskstore migrate status`, `taskstore migrate up`)");
        continue;
      }
      auto const rows = rows_of(table);
      report.plans.push_back({name, table, rows, plan.indexes, plan.full_scans, plan.sorts, plan.text});
      if (rows < small) continue;  // reading a small table whole is the right plan
      for (auto const& scanned : plan.full_scans)
        if (scanned == table)
          run.find(finding_level::attention, name,
                   "reads all of " + table + " (" + std::to_string(rows) + " rows) instead of an index: " +
                       (plan.text.size() > 300 ? plan.text.substr(0, 300) + "…" : plan.text),
                   "check that every migration is applied (`taskstore migrate status`) and refresh the statistics "
                   "(`taskstore optimize`); if both are in order the database prefers a scan, and the plan above "
                   "says why");
    }
  });

  run.check("unused indexes", [&] {
    if (!indexes) return run.skip(why_no_index_use);
    for (auto const& i : *indexes) {
      if (i.enforces || i.scans > 0 || rows_of(i.table) < small) continue;
      run.find(finding_level::advice, i.table + "." + i.index,
               "never read since the database began counting, on a table of " + std::to_string(rows_of(i.table)) +
                   " rows; it costs a write on every insert and update",
               "if it is one of yours and nothing reads it, drop it in a migration of your own; taskstore's own "
               "indexes serve queries your programs may not run yet (keep them: migrations expect them)");
    }
  });

  run.check("statistics", [&] {
    for (auto const& t : tables) {
      if (t.table.empty() || t.rows < small) continue;
      if (t.never_analyzed)
        run.find(finding_level::attention, t.table,
                 "has " + std::to_string(t.rows) + " rows and no statistics: the planner guesses",
                 "run `taskstore optimize` (optimize()); schedule it after large loads");
      else if (t.changed_since_analyze && *t.changed_since_analyze > std::max(small, t.rows / 5))
        run.find(finding_level::advice, t.table,
                 std::to_string(*t.changed_since_analyze) + " rows changed since its statistics were gathered (of " +
                     std::to_string(t.rows) + ")",
                 "run `taskstore optimize` (optimize()), or let autovacuum's ANALYZE catch up");
    }
  });

  run.check("space", [&] {
    for (auto const& t : tables) {
      auto const subject = t.table.empty() ? std::string("the database file") : t.table;
      if (t.dead_rows > std::max(small, t.rows / 5))
        run.find(finding_level::advice, subject,
                 std::to_string(t.dead_rows) + " dead row versions beside " + std::to_string(t.rows) +
                     " live ones: scans read them too",
                 "run `taskstore optimize` (VACUUM ANALYZE); if they come back, check for long transactions");
      if (t.free_bytes > std::max<std::int64_t>(64 << 20, t.bytes / 4))
        run.find(finding_level::advice, subject,
                 detail::bytes_text(t.free_bytes) + " of " + detail::bytes_text(t.bytes) + " is free space",
                 "run `taskstore optimize` to give it back (it rewrites the table: run it when the database is quiet)");
    }
  });

  run.check("long transactions", [&] {
    if (!transactions) return run.skip(why_no_transactions);
    for (auto const& t : *transactions)
      run.find(finding_level::attention, "session " + t.session,
               "a transaction open for " + detail::duration_text(t.age) + " (" + t.state + ", " +
                   std::to_string(t.locks_held) + " locks held)" +
                   (t.statement.empty() ? std::string() : ": " + t.statement),
               "find the program holding it and end the transaction; while it stays open its locks block "
               "claims and writes and old row versions cannot be cleaned");
  });

  run.check("standby", [&] {
    auto const replica = db.replica();
    if (!replica.configured) return run.skip("no standby configured (URL parameter replica)");
    if (!replica.serving)
      run.find(finding_level::attention, "standby",
               "reads go to the primary: " + (replica.problem.empty() ? std::string("not serving") : replica.problem),
               "check the standby's server and its replication from the primary");
    else if (replica.lag && *replica.lag > replica.max_lag / 2)
      run.find(finding_level::advice, "standby",
               "lags " + std::to_string(replica.lag->count()) + " ms behind the primary (bound " +
                   std::to_string(replica.max_lag.count()) + " ms)",
               "the standby falls behind: check its load and its link to the primary");
  });

  run.check("queues", [&] {
    for (auto const& q : queue_control(db).stats()) {
      if (!q.oldest_queued_age || *q.oldest_queued_age <= o.queued_too_long) continue;
      if (q.paused)
        run.find(finding_level::advice, "tool " + q.tool_id,
                 "paused with " + std::to_string(q.queued) + " tasks queued, the oldest for " +
                     detail::duration_text(*q.oldest_queued_age),
                 "resume it when it should run again (`taskstore queue resume " + q.tool_id + "`)");
      else
        run.find(finding_level::attention, "tool " + q.tool_id,
                 std::to_string(q.queued) + " tasks queued, the oldest for " +
                     detail::duration_text(*q.oldest_queued_age) + ", " + std::to_string(q.processing) + " processing",
                 "start workers for it (`taskstore work --tool " + q.tool_id +
                     "`) or check its limit (`taskstore queue stats`)");
    }
    soci_repository<task> tasks(db);
    auto const unrescued = tasks.count(detail::expired_leases(now.minus(o.unrescued_after, "unrescued_after")));
    if (unrescued > 0)
      run.find(finding_level::attention, "expired leases",
               std::to_string(unrescued) + " PROCESSING tasks whose lease ran out more than " +
                   detail::duration_text(o.unrescued_after) + " ago",
               "nothing rescues leases: run a `taskstore work` process (its maintenance leader rescues them) or call "
               "task_maintenance::rescue_expired() on a schedule");
    auto const quarantined = tasks.count(detail::quarantined_tasks());
    if (quarantined > 0)
      run.find(finding_level::attention, "unreadable tasks",
               std::to_string(quarantined) +
                   " tasks could not be read and were taken out of circulation (FAILED, error_code corrupt_value)",
               "look at them (`taskstore tasks list --status FAILED`), repair the stored rows, then retry them "
               "(`taskstore tasks retry ID`)");
  });
  return report;
}

}  // namespace taskstore
