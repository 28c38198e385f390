// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// What SQL text differs between databases: one sql::dialect per backend (and per flavor of one), defined in the
/// backend's folder, include/taskstore/backend/NAME/. The SQL builders ask it and never compare backends.

#include <taskstore/detail/config.hpp>
#include <taskstore/reflect/table_model.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::sql {

/// The SQL a database speaks where databases differ. Each backend defines one
/// object of a class derived from this, alive for the whole program.
class dialect {
 public:
  /// At most this many dialect objects exist: per-dialect caches are arrays.
  static constexpr std::size_t max_dialects = 8;

  dialect(dialect const&) = delete;
  dialect& operator=(dialect const&) = delete;
  virtual ~dialect() = default;

  /// The backend's name, as in a URL's scheme and a migration file's folder:
  /// `sqlite`, `postgresql`, `mysql` (MySQL and MariaDB alike).
  virtual std::string_view name() const noexcept = 0;

  /// Dense and unique among dialect objects: an index for per-dialect caches.
  std::size_t id() const noexcept { return id_; }

  // --- identifiers, types, defaults and constraints (DDL) ---

  /// `"name"` or `` `name` ``, the quote character doubled inside.
  TASKSTORE_DECL std::string quote(std::string_view name) const;

  /// The column's SQL type (docs/design.md, The type mapping).
  virtual std::string sql_type(column_info const& c) const = 0;

  /// The whole definition of a generated integer key after its name.
  virtual std::string_view generated_key() const noexcept = 0;

  /// The DEFAULT expression of `c`, or empty.
  TASKSTORE_DECL virtual std::string default_value(column_info const& c) const;

  /// The CHECK expressions `c` needs, joined with AND, or empty.
  TASKSTORE_DECL std::string checks(column_info const& c) const;

  /// Whether CREATE TABLE declares the indexes (MySQL: else InnoDB adds its
  /// own index for each foreign key), rather than CREATE INDEX after it.
  virtual bool declares_indexes_inline() const noexcept { return false; }

  /// Appended to CREATE TABLE (…): engine and character set, or empty.
  virtual std::string_view table_options() const noexcept { return {}; }

  /// Built-in migration 1 in this dialect: the canonical schema as first
  /// released, frozen (its checksum is in every migrated database's ledger).
  virtual std::span<std::string_view const> schema_v0001() const noexcept = 0;

  /// CREATE INDEX `name` ON `table` (`columns`), if it does not exist
  /// where the database can say so.
  TASKSTORE_DECL virtual std::string create_index(std::string_view name, std::string_view table,
                                                  std::vector<std::string_view> const& columns) const;
  /// DROP INDEX `name` of `table`, if it exists where the database can say so.
  TASKSTORE_DECL virtual std::string drop_index(std::string_view name, std::string_view table) const;
  /// The SQL function that counts a JSON array's elements.
  virtual std::string_view json_array_length() const noexcept { return "json_array_length"; }

  // --- statements ---

  /// Whether a multi-row INSERT reports generated keys by ` RETURNING key`.
  virtual bool returns_generated_keys() const noexcept { return true; }

  /// Whether a one-row INSERT reports its generated key by ` RETURNING
  /// key`, rather than the driver's last insert id.
  virtual bool single_insert_returns_key() const noexcept { return false; }

  /// Whether upsert() reports the key by RETURNING, rather than the
  /// driver's last insert id.
  virtual bool upsert_returns_key() const noexcept { return true; }

  /// INSERT `insert` (an insert_sql() of `t`) … or update on a conflict on
  /// `target`: every column that is not the key or the target is updated and
  /// a version column incremented; the statement reports the key (RETURNING,
  /// or MySQL's LAST_INSERT_ID()). Standard SQL's `ON CONFLICT … DO UPDATE`
  /// unless the dialect says otherwise.
  TASKSTORE_DECL virtual std::string upsert(table_info const& t, std::string insert,
                                            std::vector<std::string_view> const& target) const;

  /// Appended to an ORDER BY term of a nullable column so that NULLs sort
  /// first ascending and last descending, as on SQLite and MySQL.
  virtual std::string_view nulls_order(bool descending) const noexcept {
    (void)descending;
    return {};
  }

  /// The LIMIT a dialect needs before OFFSET when there is no limit, or empty.
  virtual std::string_view no_limit() const noexcept { return {}; }

  /// Locks the rows a SELECT returns, skipping rows another transaction
  /// holds; empty where the database locks whole (SQLite).
  virtual std::string_view skip_locked() const noexcept { return {}; }
  /// Locks the rows a SELECT returns, waiting for rows another transaction
  /// holds; empty where the database locks whole (SQLite).
  virtual std::string_view row_lock() const noexcept { return {}; }

  /// Whether a keyset page names the index to read (MariaDB's planner
  /// otherwise sorts the whole table).
  virtual bool forces_keyset_index() const noexcept { return false; }

  /// Appended to a parameter in a VALUES list, which nothing else types
  /// (backend::updates_by_join()): a cast to the column's type, or empty.
  virtual std::string_view value_cast(taskstore::column_type t) const noexcept {
    (void)t;
    return {};
  }

  /// Whether `\` escapes a character in a string literal (MySQL's default):
  /// splitting a script into statements must know it.
  virtual bool backslash_escapes() const noexcept { return false; }

 protected:
  TASKSTORE_DECL dialect();

  /// `a, b, c`, each quoted.
  TASKSTORE_DECL std::string quoted_list(std::vector<std::string_view> const& names) const;

  /// The identifier quote: `"` in standard SQL.
  virtual char identifier_quote() const noexcept { return '"'; }
  /// A boolean in a DEFAULT.
  virtual std::string boolean_literal(bool v) const { return v ? "TRUE" : "FALSE"; }
  /// A JSON document in a DEFAULT, `text` its serialization.
  TASKSTORE_DECL virtual std::string json_literal(std::string_view text) const;
  /// The current time in microseconds, UTC, as a DEFAULT.
  virtual std::string_view current_time() const noexcept = 0;
  /// Constraints the database does not enforce by the column's type (SQLite:
  /// lengths, 0/1, JSON validity), each appended by `add`.
  virtual void type_checks(column_info const& c, std::string const& column, std::vector<std::string>& add) const {
    (void)c, (void)column, (void)add;
  }

 private:
  std::size_t id_;
};

/// d.quote(name).
inline std::string quote(dialect const& d, std::string_view name) { return d.quote(name); }

/// A string literal: 'it''s'. Only for DDL text taskstore writes itself;
/// values are always bound.
TASKSTORE_DECL std::string literal(std::string_view text);

/// A double as SQL text, round-tripping exactly.
TASKSTORE_DECL std::string real_literal(double v);

TASKSTORE_DECL std::string_view on_delete_sql(on_delete action);

}  // namespace taskstore::sql

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/sql/impl/dialect.ipp>
#endif
