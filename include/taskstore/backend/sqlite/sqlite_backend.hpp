// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// SQLite: an embedded database in one file (or in memory), one writer at a time.

#include <taskstore/backend/sqlite/schema_v0001.hpp>
#include <taskstore/db/backend.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <soci/sqlite3/soci-sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

namespace taskstore::detail {

/// SQLite's SQL: types by affinity, so CHECKs enforce lengths, booleans and
/// JSON validity; timestamps as text.
class sqlite_dialect final : public sql::dialect {
 public:
  std::string_view name() const noexcept override { return "sqlite"; }
  std::span<std::string_view const> schema_v0001() const noexcept override { return sqlite::schema_v0001; }
  TASKSTORE_DECL std::string sql_type(column_info const& c) const override;
  std::string_view generated_key() const noexcept override { return "INTEGER PRIMARY KEY AUTOINCREMENT"; }
  std::string_view no_limit() const noexcept override { return " LIMIT -1"; }

 protected:
  std::string boolean_literal(bool v) const override { return v ? "1" : "0"; }
  std::string_view current_time() const noexcept override {
    return "(strftime('%Y-%m-%d %H:%M:%f','now') || '000')";  // microseconds, UTC
  }
  TASKSTORE_DECL void type_checks(column_info const& c, std::string const& column,
                                  std::vector<std::string>& add) const override;
};

/// How SQLite's extended result code and message map to taskstore's errors.
TASKSTORE_DECL translated translate_sqlite(int result, std::string message);

class sqlite_backend final : public backend {
 public:
  backend_kind kind() const noexcept override { return backend_kind::sqlite; }
  sql::dialect const& dialect() const noexcept override { return dialect_; }

  TASKSTORE_DECL soci::backend_factory const& factory() const override;
  TASKSTORE_DECL void set_up(soci::session& s, connection_options const& o) const override;
  bool embedded() const noexcept override { return true; }

  // BEGIN IMMEDIATE takes the write lock at once: a deferred transaction
  // that reads, then writes, fails with SQLITE_BUSY where no wait helps.
  void begin(soci::session& s) const override { s << "BEGIN IMMEDIATE"; }
  void begin_snapshot(soci::session& s) const override { s << "BEGIN"; }
  // EXCLUSIVE: the step's transaction keeps every other connection out.
  void begin_migration_step(soci::session& s) const override { s << "BEGIN EXCLUSIVE"; }

  [[noreturn]] TASKSTORE_DECL void rethrow_translated() const override;
  TASKSTORE_DECL void raise_fault(soci::session& s, fault_kind kind) const override;

  TASKSTORE_DECL bool table_exists(soci::session& s, std::string const& table) const override;
  TASKSTORE_DECL std::vector<std::string> table_names(soci::session& s) const override;
  TASKSTORE_DECL std::int64_t size_bytes(soci::session& s) const override;
  TASKSTORE_DECL std::string columns_query() const override;
  TASKSTORE_DECL std::string schema_index_names_query() const override;

  TASKSTORE_DECL void check_integrity(soci::session& s, std::vector<std::string>& checks,
                                      std::vector<integrity_problem>& problems) const override;
  TASKSTORE_DECL query_plan explain(soci::session& s, std::string const& select,
                                    std::vector<detail::cell> const& params,
                                    std::vector<detail::cell_slot> const& slots) const override;
  TASKSTORE_DECL std::vector<table_health> health_of_tables(soci::session& s,
                                                            std::vector<std::string> const& tables) const override;
  TASKSTORE_DECL std::optional<std::vector<index_usage>> index_use(soci::session& s,
                                                                   std::string& why_not) const override;
  TASKSTORE_DECL std::optional<std::vector<open_transaction>> long_transactions(soci::session& s,
                                                                                std::chrono::seconds older_than,
                                                                                std::string& why_not) const override;
  TASKSTORE_DECL void optimize(soci::session& s, std::vector<std::string> const& tables) const override;
  bool backs_up_files() const noexcept override { return true; }
  TASKSTORE_DECL void backup_file(soci::session& s, std::filesystem::path const& path) const override;

 private:
  sqlite_dialect dialect_;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/sqlite/impl/sqlite_backend.ipp>
#endif
