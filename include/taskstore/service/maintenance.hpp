// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Maintenance of a taskstore database: integrity checks (the database's own
/// and taskstore's invariants), cleanup jobs with a dry run, and optimize.

#include <taskstore/db/database.hpp>
#include <taskstore/domain/entities.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/task_service.hpp>

#include <boost/describe/class.hpp>
#include <boost/mp11/algorithm.hpp>

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace taskstore {

/// One failed check: what it checks, where, how many rows, and a few of their keys.
struct integrity_problem {
  std::string check;
  std::string table;
  std::int64_t rows = 0;
  std::vector<std::string> examples;  ///< up to 5 keys
};
BOOST_DESCRIBE_STRUCT(integrity_problem, (), (check, table, rows, examples))

/// What check_integrity() found: the checks that ran and every problem.
struct integrity_report {
  std::vector<std::string> checks;  ///< every check that ran
  std::vector<integrity_problem> problems;
  /// True when no check found a problem.
  bool ok() const noexcept { return problems.empty(); }
};
BOOST_DESCRIBE_STRUCT(integrity_report, (), (checks, problems))

namespace detail {

struct invariant {
  char const* check;
  char const* table;
  char const* key;
  char const* violated;  ///< WHERE clause selecting the offending rows
};

/// Orphans (a reference whose row is gone: possible where foreign keys were
/// off, e.g. an SQLite connection without PRAGMA foreign_keys) and the
/// lifecycle invariants taskstore's services keep.
inline constexpr invariant invariants[] = {
    {"tasks reference an existing user", "tasks", "task_id",
     "NOT EXISTS (SELECT 1 FROM users p WHERE p.id = tasks.user_id)"},
    {"event logs reference an existing task", "event_logs", "id",
     "NOT EXISTS (SELECT 1 FROM tasks p WHERE p.task_id = event_logs.task_id)"},
    {"agent runs reference an existing task", "agent_runs", "id",
     "NOT EXISTS (SELECT 1 FROM tasks p WHERE p.task_id = agent_runs.task_id)"},
    {"completions reference an existing task", "task_completions", "id",
     "NOT EXISTS (SELECT 1 FROM tasks p WHERE p.task_id = task_completions.task_id)"},
    {"sessions reference an existing user", "sessions", "id",
     "user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users p WHERE p.id = sessions.user_id)"},
    {"session tasks reference an existing session", "session_tasks", "id",
     "NOT EXISTS (SELECT 1 FROM sessions p WHERE p.id = session_tasks.session_id)"},
    {"drafts reference an existing task", "drafts", "id",
     "NOT EXISTS (SELECT 1 FROM tasks p WHERE p.task_id = drafts.task_id)"},
    {"e-mails reference an existing task", "email_messages", "id",
     "NOT EXISTS (SELECT 1 FROM tasks p WHERE p.task_id = email_messages.task_id)"},
    {"credit transactions reference an existing user", "credit_transactions", "id",
     "NOT EXISTS (SELECT 1 FROM users p WHERE p.id = credit_transactions.user_id)"},
    {"PROCESSING tasks have a lease", "tasks", "task_id",
     "status = 'PROCESSING' AND (lease_token IS NULL OR locked_by IS NULL OR lease_expires_at IS NULL)"},
    {"COMPLETED tasks have progress 100 and completed_at", "tasks", "task_id",
     "status = 'COMPLETED' AND (progress <> 100 OR completed_at IS NULL)"},
    {"FAILED tasks have failed_at", "tasks", "task_id", "status = 'FAILED' AND failed_at IS NULL"},
    {"tasks do not exceed max_attempts", "tasks", "task_id", "attempt > max_attempts"},
    {"SENDING e-mails have a lease", "email_messages", "id", "status = 'SENDING' AND lease_token IS NULL"},
    {"wallet balances equal the sum of their transactions", "credit_wallets", "user_id",
     "balance <> COALESCE((SELECT SUM(t.amount) FROM credit_transactions t WHERE t.user_id = credit_wallets.user_id), "
     "0)"},
};

}  // namespace detail

/// Runs the database's own checks (SQLite: integrity_check and
/// foreign_key_check) and taskstore's invariants; writes nothing.
inline integrity_report check_integrity(database const& db) {
  integrity_report report;
  auto lease = db.session();
  detail::guarded(lease, db.backend(), [&] {
    auto& s = lease.get();
    if (db.backend() == backend_kind::sqlite) {
      report.checks.emplace_back("SQLite integrity_check");
      std::string verdict;
      s << "PRAGMA integrity_check", soci::into(verdict);
      if (verdict != "ok") report.problems.push_back({"SQLite integrity_check", "", 1, {verdict}});
      report.checks.emplace_back("SQLite foreign_key_check");
      soci::rowset<soci::row> rows = (s.prepare << "PRAGMA foreign_key_check");
      std::map<std::string, integrity_problem> by_table;
      for (auto const& row : rows) {
        auto& p = by_table[row.get<std::string>(0)];
        p.check = "SQLite foreign_key_check";
        p.table = row.get<std::string>(0);
        ++p.rows;
      }
      for (auto& [table, p] : by_table) report.problems.push_back(std::move(p));
    }
    for (auto const& inv : detail::invariants) {
      report.checks.emplace_back(inv.check);
      long long n = 0;
      s << std::string("SELECT COUNT(*) FROM ") + inv.table + " WHERE " + inv.violated, soci::into(n);
      if (n == 0) continue;
      integrity_problem p{inv.check, inv.table, n, {}};
      soci::rowset<soci::row> keys = (s.prepare << std::string("SELECT ") + inv.key + " FROM " + inv.table + " WHERE " +
                                                       inv.violated + " ORDER BY " + inv.key + " LIMIT 5");
      for (auto const& row : keys) {
        auto const type = row.get_properties(0).get_data_type();
        p.examples.push_back(type == soci::dt_string    ? row.get<std::string>(0)
                             : type == soci::dt_integer ? std::to_string(row.get<int>(0))
                                                        : std::to_string(row.get<long long>(0)));
      }
      report.problems.push_back(std::move(p));
    }
  });
  return report;
}

/// What cleanup() does; the defaults are seed 003's and DESIGN.md's.
struct cleanup_options {
  bool dry_run = false;                                                ///< count only, change nothing
  std::chrono::minutes expire_created_after{15};                       ///< CREATED tasks older than this expire
  std::chrono::days delete_events_after{90};                           ///< event logs older than this are deleted
  std::chrono::days soft_delete_tasks_after{task_metadata_retention};  ///< seed 003's 1-year retention
};

/// What cleanup() did (with `dry_run`, would do): the rows of each kind.
struct cleanup_report {
  std::int64_t expired_tasks = 0;
  std::int64_t deleted_events = 0;
  std::int64_t deleted_sessions = 0;  ///< expired sessions (7 days), with their task records
  std::int64_t soft_deleted_tasks = 0;
  bool dry_run = false;
};
BOOST_DESCRIBE_STRUCT(cleanup_report, (),
                      (expired_tasks, deleted_events, deleted_sessions, soft_deleted_tasks, dry_run))

/// Expires stale CREATED tasks, deletes old event logs and expired sessions,
/// and soft-deletes tasks past retention. With `dry_run`, reports the same
/// counts and changes nothing.
inline cleanup_report cleanup(database const& db, cleanup_options const& o = {}) {
  auto const now = timestamp::now();
  auto const stale = now - o.expire_created_after;
  auto const old_events = now - o.delete_events_after;
  auto const retention = now - o.soft_delete_tasks_after;
  cleanup_report r;
  r.dry_run = o.dry_run;
  if (o.dry_run) {
    soci_repository<task> tasks(db);
    r.expired_tasks = static_cast<std::int64_t>(
        tasks.count(query<task>{col(&task::status) == task_status::CREATED && col(&task::created_at) < stale}));
    r.deleted_events = static_cast<std::int64_t>(
        soci_repository<event_log>(db).count(query<event_log>{col(&event_log::created_at) < old_events}));
    r.deleted_sessions =
        static_cast<std::int64_t>(soci_repository<session>(db).count(query<session>{col(&session::expires_at) < now}));
    r.soft_deleted_tasks = static_cast<std::int64_t>(
        tasks.count(query<task>{col(&task::created_at) < retention && col(&task::deleted_at).is_null()}));
    return r;
  }
  task_service tasks(db);
  r.expired_tasks = static_cast<std::int64_t>(tasks.expire_stale(stale));
  r.deleted_events = static_cast<std::int64_t>(event_service(db).delete_older_than(old_events));
  r.deleted_sessions = static_cast<std::int64_t>(session_service(db).remove_expired(now));
  r.soft_deleted_tasks = static_cast<std::int64_t>(tasks.sweep_retention(retention));
  return r;
}

/// Refreshes planner statistics and reclaims space: SQLite ANALYZE, VACUUM
/// and PRAGMA optimize; PostgreSQL VACUUM ANALYZE per table; MariaDB
/// OPTIMIZE TABLE (rebuild and analyze). Not inside a transaction.
inline void optimize(database const& db) {
  std::vector<std::string> tables{"schema_migrations"};
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, domain_entities>>(
      [&](auto entity) { tables.emplace_back(table_model<typename decltype(entity)::type>::table); });
  auto lease = db.session();
  detail::guarded(lease, db.backend(), [&] {
    auto& s = lease.get();
    switch (db.backend()) {
      case backend_kind::sqlite:
        s << "ANALYZE";
        s << "VACUUM";
        s << "PRAGMA optimize";
        break;
      case backend_kind::postgresql:
        for (auto const& t : tables) s << "VACUUM ANALYZE " + sql::quote(db.backend(), t);
        break;
      case backend_kind::mysql:
        for (auto const& t : tables) {
          soci::rowset<soci::row> result = (s.prepare << "OPTIMIZE TABLE " + sql::quote(db.backend(), t));
          for (auto const& row : result) (void)row;  // MariaDB answers with a result set
        }
        break;
    }
  });
}

}  // namespace taskstore
