// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The health of a taskstore database and what to do about it
/// (`taskstore doctor`, the dashboard's health page): how the database plans
/// the library's hot queries, indexes never read, statistics and space,
/// transactions open too long, the standby's lag, and the queues.

#include <taskstore/db/database.hpp>
#include <taskstore/db/health.hpp>
#include <taskstore/detail/config.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace taskstore {

/// How much a finding matters.
enum class finding_level {
  advice,     ///< worth knowing; nothing is wrong yet
  attention,  ///< something needs doing: `taskstore doctor` exits with status 4
};
BOOST_DESCRIBE_ENUM(finding_level, advice, attention)

/// One thing doctor() found, with what to do about it.
struct doctor_finding {
  std::string check;  ///< the check that found it (doctor_check::name)
  finding_level level = finding_level::advice;
  std::string subject;  ///< the query, table, index, session or tool it is about
  std::string detail;   ///< what was seen
  std::string action;   ///< what to do
};
BOOST_DESCRIBE_STRUCT(doctor_finding, (), (check, level, subject, detail, action))

/// A check doctor() ran, or skipped and why.
struct doctor_check {
  std::string name;
  std::string result;  ///< "ok", "N finding(s)", or "skipped: " and why
};
BOOST_DESCRIBE_STRUCT(doctor_check, (), (name, result))

/// How the database plans one of the library's hot queries.
struct doctor_plan {
  std::string query;  ///< what the library runs it for
  std::string table;
  std::int64_t table_rows = 0;  ///< the table's rows, as the database estimates them
  std::vector<std::string> indexes;
  std::vector<std::string> full_scans;
  bool sorts = false;
  std::string plan;  ///< the database's own account
};
BOOST_DESCRIBE_STRUCT(doctor_plan, (), (query, table, table_rows, indexes, full_scans, sorts, plan))

/// Everything doctor() found.
struct doctor_report {
  std::string backend;  ///< the database product
  std::vector<doctor_check> checks;
  std::vector<doctor_plan> plans;
  std::vector<doctor_finding> findings;
  /// True when a finding is at level attention.
  bool needs_attention() const noexcept {
    for (auto const& f : findings)
      if (f.level == finding_level::attention) return true;
    return false;
  }
};
BOOST_DESCRIBE_STRUCT(doctor_report, (), (backend, checks, plans, findings))

/// Thresholds of doctor().
struct doctor_options {
  /// Tables with fewer rows are small: reading one whole is what a planner
  /// should do, and its statistics and space are not findings.
  std::int64_t small_table_rows = 10'000;
  /// Another session's transaction open longer than this is a finding.
  std::chrono::seconds long_transaction{60};
  /// A queue whose oldest QUEUED task waited longer than this (and is not
  /// paused) is a finding.
  std::chrono::seconds queued_too_long{3600};
  /// A PROCESSING task whose lease ran out longer ago than this is a finding:
  /// the maintenance that rescues leases (`taskstore work`'s leader,
  /// task_maintenance::rescue_expired()) does not run.
  std::chrono::seconds unrescued_after{300};
};

/// Checks the database's health: reads only, changes nothing.
///  - **plans**: EXPLAIN of the claim, a user's newest tasks and the next
///    page, a task's events, and the cleanup and rescue queries, with the
///    values the library sends; a query that reads a table of at least
///    `small_table_rows` whole needs attention.
///  - **unused indexes**: indexes never read since the database began
///    counting (PostgreSQL; MariaDB with performance_schema), advice.
///  - **statistics** and **space**: tables never analyzed (attention) or
///    much changed since (advice); dead rows and free space to reclaim
///    (advice); `taskstore optimize` fixes them.
///  - **long transactions** of other sessions, with the locks they hold
///    (PostgreSQL, MariaDB).
///  - **standby**: where the URL names one, whether reads may go to it and its lag.
///  - **queues**: the oldest QUEUED task per tool, expired leases not
///    rescued, and tasks taken out of circulation because they could not be
///    read (FAILED with error_code corrupt_value).
///
/// A check the backend cannot run is listed as skipped, with why.
/// @throws error as the database's reads do.
TASKSTORE_DECL doctor_report doctor(database const& db, doctor_options const& o = {});

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/doctor.ipp>
#endif
