// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The row-type-independent half of soci_repository: statements, bulk paths,
// savepoints and retries, driven by a table_plan and a row_layout. None of it
// is a template, so a program that uses eleven repositories compiles it once
// rather than eleven times; soci_repository<T> only adds T's signatures.

#include <taskstore/db/database.hpp>
#include <taskstore/db/detail/statement_cache.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/repository/detail/rows.hpp>
#include <taskstore/sql/detail/query_support.hpp>
#include <taskstore/value/detail/cell.hpp>
#include <taskstore/value/detail/row_access.hpp>

#include <array>
#include <cstddef>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace taskstore::detail {

/// What update_many() writes, row by row: each row's key and version (when
/// the table has one) and the values of the columns that changed in it.
struct batch_update {
  struct change {
    std::size_t row;
    std::size_t column;
    cell value;
  };
  std::vector<cell> keys;
  std::vector<cell> versions;
  std::vector<change> changes;  ///< grouped by row, rows in order
};

/// Where selected rows go: `clear` runs before every attempt (a retried read
/// starts over), `add` once per result row.
struct row_sink {
  void* target;
  void (*clear)(void* target);
  void (*add)(void* target, std::vector<cell> const& results);
};

/// A table's fixed statements and bind slots, built once per row type (the
/// statements once per dialect, when a database of it first uses them).
struct table_plan {
  enum stmt { insert, insert_row_key, select_by_key, remove, stmt_count };
  using texts = std::array<std::string, stmt_count>;

  TASKSTORE_DECL explicit table_plan(table_info const& t);

  /// The statements in `d`'s SQL.
  TASKSTORE_DECL texts const& texts_for(sql::dialect const& d) const;
  /// Whether the insert statement reports the generated key (RETURNING),
  /// else the driver's last insert id does.
  TASKSTORE_DECL bool returns_key(sql::dialect const& d) const noexcept;
  std::vector<cell_slot> const& insert_slots(key_source key) const {
    return key == key_source::row ? insert_slots_row_key : insert_slots_generated_key;
  }

  table_info const& table;
  std::vector<cell_slot> read_slots, insert_slots_row_key, insert_slots_generated_key, key_slots;

 private:
  mutable std::array<std::once_flag, sql::dialect::max_dialects> built_;
  mutable std::array<texts, sql::dialect::max_dialects> texts_;
};

/// One table on one database: every statement soci_repository runs.
class soci_table {
 public:
  using effect = statement_effect;

  soci_table(database const& db, table_plan const& plan, row_layout const& rows)
      : db_(db), plan_(&plan), rows_(&rows), texts_(&plan.texts_for(db.dialect())) {}

  database const& db() const noexcept { return db_; }
  sql::dialect const& dialect() const noexcept { return db_.dialect(); }
  table_info const& table() const noexcept { return plan_->table; }

  /// CREATE TABLE IF NOT EXISTS with its constraints and indexes.
  TASKSTORE_DECL void create_table() const;
  /// DROP TABLE IF EXISTS.
  TASKSTORE_DECL void drop_table() const;

  /// INSERTs `row`. @returns the generated key, when `key` is generated.
  TASKSTORE_DECL long long insert(void const* row, key_source key) const;

  /// insert() unless a unique key is taken (@returns false then). Inside a
  /// transaction the attempt runs under a savepoint, so the transaction goes
  /// on either way (PostgreSQL would otherwise abort it at the violation).
  TASKSTORE_DECL bool insert_if_absent(void const* row, key_source key, long long& id) const;

  /// One chunk of insert_many: rows [0, n) of the T array at `rows`, each
  /// backend's fastest way. @returns the generated keys in row order (none
  /// when the key is not generated).
  TASKSTORE_DECL std::vector<long long> insert_chunk(void const* rows, std::size_t n, key_source key) const;

  /// Runs an upsert statement `text` for `row`. @returns the key the
  /// database reports (PostgreSQL and SQLite return it; MySQL gives the last
  /// insert id of a generated key), else 0.
  TASKSTORE_DECL long long upsert(std::string const& text, void const* row, key_source key) const;

  /// Reads the row whose key is in `key` into `sink`. @returns whether there was one.
  TASKSTORE_DECL bool find(cell const& key, row_sink sink) const;

  /// Reads every row the SELECT in `b` returns into `sink`.
  TASKSTORE_DECL void find(sql_builder const& b, row_sink sink) const;

  /// UPDATE of the columns at `columns` of `row`, by key (and version).
  /// `columns` must ascend without repeats and hold neither the key nor the
  /// version (write_update and the shape rely on it), and may be empty only
  /// on a versioned table. Its statement is found by the column set, so a
  /// repeated update neither builds nor hashes its text.
  /// @returns the rows matched.
  TASKSTORE_DECL std::size_t update(void const* row, std::span<std::size_t const> columns) const;

  /// Writes rows [0, n) of the array `rows` (read as the same positions of
  /// `before`: only changed columns are written) in one transaction, the
  /// version incremented and each key (with its version) matched. On SQLite
  /// one cached UPDATE per row (update_each()); elsewhere one statement per
  /// chunk of up to 100 rows: update_joined() where every row of the chunk
  /// changes the same columns on PostgreSQL, else update_by_cases(). A row
  /// missing or stale throws and, outside a caller's transaction, nothing is
  /// written.
  /// @throws error validation_failed for a key given twice; not_found when a
  ///         row does not exist; conflict when one changed since read.
  TASKSTORE_DECL void update_many(void const* rows, void const* before, std::size_t n) const;

  /// DELETE by key. @returns the rows removed.
  TASKSTORE_DECL std::size_t remove(cell const& key) const;

  /// Runs the statement in `b`. @returns the rows it changed.
  TASKSTORE_DECL std::size_t execute_count(sql_builder const& b) const;

  /// Runs the `SELECT COUNT(*) …` in `b`. @returns the count.
  TASKSTORE_DECL std::size_t count(sql_builder const& b) const;

  /// Whether the `SELECT 1 …` in `b` returns a row.
  TASKSTORE_DECL bool exists(sql_builder const& b) const;

  /// The backend's plan of the SELECT in `b` (backend::explain()).
  TASKSTORE_DECL query_plan explain(sql_builder const& b) const;

  /// A builder that starts with `head` and the quoted table name.
  TASKSTORE_DECL sql_builder builder(char const* head) const;

 private:
  template <class F>
  void run(F&& f, effect what = effect::writes) const {
    run_statement(
        db_, what, [](void* fn, session_lease& lease) { (*static_cast<F*>(fn))(lease); }, &f);
  }

  static prepared_statement& prepare(session_lease& lease, std::string const& text,
                                     std::vector<cell_slot> const& params, std::vector<cell_slot> const& results) {
    return lease.cache().get(lease.get(), text, params, results);
  }
  TASKSTORE_DECL static bool execute(session_lease& lease, std::string const& text, prepared_statement& st);

  /// What a cached statement of a shape does.
  enum class shape_kind : char { update = 'U', joined_update = 'J', insert_chunk = 'I' };
  /// A statement's key into the session's cache of shapes: this table (its
  /// plan's address), what the statement does, then what the kind adds.
  TASKSTORE_DECL std::string shape_of(shape_kind kind) const;
  /// shape_of(kind) and a bit per column written: 14 bytes for 37 columns,
  /// so update()'s fits std::string's inline buffer.
  TASKSTORE_DECL std::string shape_of(shape_kind kind, std::span<std::size_t const> columns) const;
  TASKSTORE_DECL statement_spec update_spec(std::span<std::size_t const> columns) const;

  /// Row `i` of the T array at `rows`.
  char const* row_at(void const* rows, std::size_t i) const { return static_cast<char const*>(rows) + i * rows_->size; }

  /// update_many() on SQLite: update() per row, each statement cached by its
  /// column set, as insert_many() inserts there. With no round trips to
  /// save, the CASE form's scans (every row's WHEN list for each column)
  /// cost more than the statements.
  TASKSTORE_DECL void update_each(void const* rows, void const* before, std::vector<cell> const& keys) const;

  /// What update_many() writes for rows [0, n) of the arrays `rows` and `before`.
  TASKSTORE_DECL batch_update changes_of(void const* rows, void const* before, std::size_t n) const;

  static constexpr std::size_t max_batch_rows = 100;
  static constexpr std::size_t max_batch_params = 32766;    // SQLite's limit per statement (PostgreSQL's: 65535)
  static constexpr std::size_t max_batch_bytes = 4u << 20;  // under MariaDB's default max_allowed_packet

  TASKSTORE_DECL static void check_distinct_keys(std::vector<cell> const& keys);

  /// One statement of update_many(): rows [first, end), whose changes are
  /// u.changes[next, last).
  TASKSTORE_DECL void update_chunk(batch_update const& u, std::size_t first, std::size_t end, std::size_t next,
                                   std::size_t last) const;

  /// `SET c = v.c … FROM (VALUES (key, version, c…), …) AS v WHERE key and
  /// version match`: rows that all change the same columns (one operation
  /// applied to a batch), on PostgreSQL. A join on the key, where the CASE
  /// form below has the server scan every row's WHEN list per column. The
  /// statement is found by its shape (the columns and the row count), so a
  /// repeated batch neither builds nor hashes its text, and the values go
  /// straight from `u` into the cached statement's cells.
  /// @returns the rows matched.
  TASKSTORE_DECL std::size_t update_joined(batch_update const& u, std::size_t first, std::size_t end, std::size_t next,
                                           std::vector<std::size_t> const& columns) const;

  /// update_joined()'s text for `rows` rows; its parameters, in order: each
  /// row's key, version and `columns`, then the keys again.
  TASKSTORE_DECL sql_builder joined_sql(std::size_t rows, std::vector<std::size_t> const& columns) const;

  /// `SET c = CASE key WHEN … THEN … ELSE c END` for each column changed in
  /// some row of the chunk, `WHERE` each key (with its version): any mix of
  /// changes, on every backend.
  TASKSTORE_DECL sql_builder update_by_cases(batch_update const& u, std::size_t first, std::size_t end,
                                             std::size_t next, std::size_t last,
                                             std::vector<std::size_t> const& columns) const;

  /// Throws not_found unless every key of `keys` (distinct) exists.
  TASKSTORE_DECL void require_rows(std::span<cell const> keys) const;

  TASKSTORE_DECL static std::vector<cell_slot> const& integer_slot();
  TASKSTORE_DECL static std::vector<cell_slot> const& no_slots();

  database db_;  // a handle: copies share the pool
  table_plan const* plan_;
  row_layout const* rows_;
  table_plan::texts const* texts_;  // the plan's, in this database's SQL
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/repository/detail/impl/soci_table.ipp>
#endif
