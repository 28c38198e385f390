// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migrations written as SQL files: their loader and the statement splitter.

#include <taskstore/detail/config.hpp>
#include <taskstore/migrate/migration.hpp>
#include <taskstore/sql/dialect.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore {

/// Splits an SQL script into statements at top-level semicolons, keeping
/// semicolons inside quotes ('…', "…", `…`), comments (-- …, /* … */) and
/// PostgreSQL dollar quotes ($$…$$, $tag$…$tag$) in place; a backslash
/// escapes a quote only on MariaDB, as there. Comment-only and empty
/// statements are dropped.
TASKSTORE_DECL std::vector<std::string> split_sql_statements(std::string_view script, sql::dialect const& d);

namespace detail {

/// The parts of a migration file name `NNNN_name.up.sql` / `NNNN_name.down.sql`.
struct migration_file_name {
  std::int64_t version;
  std::string name;  // letters, digits and '_'
  bool up;
};

/// Parses `file` as a migration file name; nullopt when it is not one.
/// (Hand-written rather than a std::regex: it is in every program's build.)
TASKSTORE_DECL std::optional<migration_file_name> parse_migration_file_name(std::string_view file);

}  // namespace detail

/// Loads migrations from SQL files in `directory`: `NNNN_name.up.sql` and
/// (optionally) `NNNN_name.down.sql`. A subfolder named after a dialect
/// (`sqlite/`, `postgresql/`, `mysql/`) may hold the same file names with that
/// dialect's text, which then replaces the shared file for that dialect.
/// The files are read now; a migration without a down file cannot be rolled back.
/// @throws error bad_config for a missing or unreadable directory or file
///         (a symbolic link loop too), a malformed name, a down file without
///         its up file, or a duplicate version.
TASKSTORE_DECL std::vector<migration> load_migrations(std::filesystem::path const& directory);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/impl/sql_files.ipp>
#endif
