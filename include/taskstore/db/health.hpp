// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// What a backend reports about the health of its database, for doctor():
/// how it plans a query, its tables' statistics and free space, which
/// indexes were used, and transactions open too long.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// How the database would run a SELECT (EXPLAIN), read from its own account.
struct query_plan {
  std::vector<std::string> indexes;  ///< the indexes it reads (a primary key by the name the database gives it)
  /// The tables it reads whole: without an index, or all of an index with no condition to seek by.
  std::vector<std::string> full_scans;
  bool sorts = false;  ///< it sorts the rows itself: no index gives the order asked for
  std::string text;    ///< the plan as the database prints it
};

/// One table's statistics and reclaimable space.
struct table_health {
  std::string table;      ///< empty: the database as a whole (SQLite's free pages belong to the file)
  std::int64_t rows = 0;  ///< the planner's estimate, or a count
  /// No statistics were ever gathered for the table (SQLite before ANALYZE;
  /// PostgreSQL when neither ANALYZE nor autovacuum has run).
  bool never_analyzed = false;
  /// Rows written since its statistics were gathered; nullopt where the database does not say.
  std::optional<std::int64_t> changed_since_analyze;
  std::int64_t dead_rows = 0;   ///< deleted or updated row versions not yet vacuumed (PostgreSQL)
  std::int64_t free_bytes = 0;  ///< allocated to it but unused: OPTIMIZE or VACUUM gives it back
  std::int64_t bytes = 0;       ///< what it takes, indexes included
};

/// How often an index was read since the database started counting.
struct index_usage {
  std::string table;
  std::string index;
  std::int64_t scans = 0;
  bool enforces = false;  ///< a primary key or unique index: it keeps a constraint even when never read
};

/// A transaction open for a while, from another session.
struct open_transaction {
  std::string session;  ///< the server's id of the session, and its client where known
  std::chrono::seconds age{0};
  std::string state;            ///< what it is doing: running, idle in transaction, waiting for a lock
  std::int64_t locks_held = 0;  ///< locks (PostgreSQL) or row locks (InnoDB) it holds
  std::string statement;        ///< its current or last statement, cut to 200 characters
};

}  // namespace taskstore
