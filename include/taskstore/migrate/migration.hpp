// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// One versioned schema change (migration), as SQL per dialect and optional C++ code.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace taskstore {

/// The SQL statements of one direction of a migration, for a dialect.
using migration_statements = std::function<std::vector<std::string>(sql::dialect const&)>;

/// One versioned schema change. `up` and `down` give each dialect's
/// statements (C++ code, or SQL files: see load_migrations()); `up_code` and
/// `down_code` optionally change data in C++, after `up`'s statements and
/// before `down`'s, in the same transaction where the dialect has one.
/// taskstore's own migrations use versions below 1000; yours may use any other.
struct migration {
  std::int64_t version = 0;
  std::string name{};
  migration_statements up{};
  migration_statements down{};  ///< empty: the migration cannot be rolled back
  std::function<void(database const&)> up_code{};
  std::function<void(database const&)> down_code{};
  /// Mixed into the checksum: change it when up_code or down_code changes
  /// what they do (code cannot be hashed).
  std::string code_revision{};

  /// SHA-256 of the name, both directions' statements for `d`, and the code revision.
  TASKSTORE_DECL std::string checksum(sql::dialect const& d) const;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/impl/migration.ipp>
#endif
