// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Adopting a database taskstore did not create (such as one whose `users`
/// and `tasks` the task API's own Alembic migration made, docs/seeds.md): its tables are rebuilt to migration
/// 1's shape without losing a row, migration 1 is recorded as the baseline,
/// and the later migrations run as usual.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/migrate/schema.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace taskstore {

namespace detail {

struct catalog_column_info {
  std::string name;
  std::string type;  ///< lower case, as the catalog names it
  bool nullable = true;
  bool has_default = false;
};

TASKSTORE_DECL std::vector<catalog_column_info> columns_of(session_lease& lease, backend const& backend,
                                                           std::string const& table);

/// A value for a NOT NULL column without a default that the old table lacks.
TASKSTORE_DECL std::string adopt_fallback(catalog_column_info const& c);

}  // namespace detail

/// Brings a database that taskstore did not create under its migrations:
/// every existing domain table is renamed aside, created in migration 1's
/// shape, refilled from the old one (shared columns keep their values,
/// missing ones take their defaults), verified by row count and dropped;
/// migration 1 is recorded as the baseline and the later ones applied. On
/// SQLite and PostgreSQL all of it is one transaction. A database without
/// any domain table is simply migrated.
/// @throws error schema_mismatch when taskstore already manages the database;
///         database_error when a row count differs (nothing changed where the
///         backend has transactional DDL).
/// @returns the number of rows carried over.
TASKSTORE_DECL std::size_t adopt(database const& db);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/impl/adopt.ipp>
#endif
