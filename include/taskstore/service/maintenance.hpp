// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Maintenance of a taskstore database: integrity checks (the database's own
/// and taskstore's invariants), cleanup jobs with a dry run, and optimize.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/service/task_maintenance.hpp>

#include <boost/describe/class.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace taskstore {

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
TASKSTORE_DECL integrity_report check_integrity(database const& db);

/// What cleanup() does; the defaults are the task API's retention periods.
struct cleanup_options {
  bool dry_run = false;                                                ///< count only, change nothing
  std::chrono::minutes expire_created_after{15};                       ///< CREATED tasks older than this expire
  std::chrono::days delete_events_after{90};                           ///< event logs older than this are deleted
  std::chrono::days soft_delete_tasks_after{task_metadata_retention};  ///< the task API's 1-year retention
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
/// @throws error validation_failed naming the option for a negative age, or
///         one that reaches before 0001-01-01.
TASKSTORE_DECL cleanup_report cleanup(database const& db, cleanup_options const& o = {});

/// Refreshes planner statistics and reclaims space: SQLite ANALYZE, VACUUM
/// and PRAGMA optimize; PostgreSQL VACUUM ANALYZE per table; MariaDB
/// OPTIMIZE TABLE (rebuild and analyze). Not inside a transaction.
TASKSTORE_DECL void optimize(database const& db);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/maintenance.ipp>
#endif
