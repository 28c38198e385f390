// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The `schema_migrations` ledger: one row per applied migration.

#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/types/timestamp.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>

namespace taskstore {

/// One applied migration, as the `schema_migrations` ledger records it.
struct schema_migration {
  std::int64_t version = 0;
  std::string name;
  std::string checksum;  ///< SHA-256 hex of the migration's text for this dialect
  timestamp applied_at;
  std::int64_t execution_ms = 0;
};
BOOST_DESCRIBE_STRUCT(schema_migration, (), (version, name, checksum, applied_at, execution_ms))

template <>
struct table_traits<schema_migration> {
  static constexpr std::string_view table = "schema_migrations";
  static constexpr auto primary_key = natural_key<&schema_migration::version>;
  static constexpr auto columns = std::tuple{
      column<&schema_migration::name>.max_length(255).non_empty(),
      column<&schema_migration::checksum>.max_length(64),
      column<&schema_migration::execution_ms>.min(0),
  };
};

}  // namespace taskstore
