// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The canonical schema as DDL, and migrate_to_latest().

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/migrate/builtin/migrations.hpp>
#include <taskstore/migrate/migrator.hpp>
#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore {

/// The schema the domain types describe, as DDL for a dialect: every table
/// with its constraints and indexes, parents first. All migrations applied
/// produce exactly this (a test checks it); `taskstore schema` prints it.
TASKSTORE_DECL std::vector<std::string> canonical_schema_sql(sql::dialect const& d);

/// Brings the database to taskstore's latest schema by applying its
/// pending migrations (builtin_migrations(); see migrator). Idempotent; a
/// database created before the ledger existed is adopted by migration 1's
/// IF NOT EXISTS statements.
/// @throws error schema_mismatch when an applied migration changed or the
///         database is newer than this build; errors translated from the driver.
TASKSTORE_DECL void migrate_to_latest(database const& db);

/// Brings the database to the latest of taskstore's migrations and `yours`
/// (load_migrations(), or C++ ones with versions of 1000 and above), applied
/// in version order as migrator does.
/// @throws error bad_config for a version taken twice; what the other overload throws.
TASKSTORE_DECL void migrate_to_latest(database const& db, std::vector<migration> const& yours);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/impl/schema.ipp>
#endif
