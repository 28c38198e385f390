// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/database.hpp>
#include <taskstore/db/detail/cell.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/repository/concepts.hpp>
#include <taskstore/sql/ddl.hpp>
#include <taskstore/sql/statements.hpp>

#include <soci/soci.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// The Repository of any described struct with table_traits, over SOCI, on
/// whichever backend the database was opened on. Inside database::transact()
/// it uses the transaction's session. Thread-safe as far as its database is:
/// any number of threads may share one repository.
template <class T>
requires described_struct<T> && has_table_traits<T>
class soci_repository {
 public:
  using value_type = T;
  using model = table_model<T>;
  using key_type = typename model::key_type;

  explicit soci_repository(database const& db) : db_(db) {}

  database const& db() const noexcept { return db_; }

  /// CREATE TABLE IF NOT EXISTS with its constraints and indexes.
  /// @throws error translated from the driver.
  void create_table() const {
    for (auto const& statement : sql::create_table_sql<T>(dialect())) db_.execute(statement);
  }
  /// DROP TABLE IF EXISTS.
  void drop_table() const { db_.execute(sql::drop_table_sql<T>(dialect())); }

  /// Stores `row`. A generated key that is 0 is assigned by the database; the
  /// returned row carries it.
  /// @throws error already_exists, foreign_key_violation, constraint_violation,
  ///         …; the table is unchanged.
  T insert(T const& row) const {
    bool const generated = model::columns[model::key_index].generated;
    bool const with_key = !generated || !is_zero(row.*model::key_member);
    T out = row;
    run([&](soci::session& s) {
      std::array<detail::cell, model::column_count> cells;
      soci::statement st(s);
      std::size_t i = 0;
      model::for_each_column(row, [&](column_info const& c, auto const& member) {
        if (c.generated && !with_key) return (void)++i;
        detail::to_cell(member, cells[i]);
        detail::bind_use(st, cells[i], detail::write_slot(c.type));
        ++i;
      });
      long long id = 0;
      bool const returning = generated && !with_key && dialect() != sql::dialect::mysql;
      if (returning) st.exchange(soci::into(id));
      prepare_and_execute(st, sql::insert_sql<T>(dialect(), with_key));
      if (generated && !with_key) {
        if (!returning) s.get_last_insert_id(std::string(model::table), id);
        set_key(out, id);
      }
    });
    return out;
  }

  /// The row with `key`, or nullopt.
  /// @throws error corrupt_value when a stored value does not fit its member.
  std::optional<T> find(key_type const& key) const {
    std::optional<T> out;
    run([&](soci::session& s) {
      std::array<detail::cell, model::column_count> cells;
      detail::cell key_cell;
      detail::to_cell(key, key_cell);
      soci::statement st(s);
      for (std::size_t i = 0; i < model::column_count; ++i)
        detail::bind_into(st, cells[i], detail::read_slot(model::columns[i].type));
      detail::bind_use(st, key_cell, detail::write_slot(model::columns[model::key_index].type));
      if (prepare_and_execute(st, sql::select_sql<T>(dialect(), sql::key_condition<T>(dialect())))) {
        out.emplace();
        read_row(cells, *out);
      }
    });
    return out;
  }

  /// Replaces every non-key column of the row with `row`'s key. With a version
  /// column, only when the stored version equals `row`'s; it is then
  /// incremented, in the database and in `row`.
  /// @returns false when no row has that key.
  /// @throws error conflict (stale version) and nothing changes; constraint
  ///         errors as insert().
  bool update(T& row) const {
    std::size_t affected = 0;
    run([&](soci::session& s) {
      std::array<detail::cell, model::column_count + 1> cells;
      soci::statement st(s);
      std::size_t n = 0;
      model::for_each_column(row, [&](column_info const& c, auto const& member) {
        if (c.primary_key || c.version) return;
        detail::to_cell(member, cells[n]);
        detail::bind_use(st, cells[n++], detail::write_slot(c.type));
      });
      detail::to_cell(row.*model::key_member, cells[n]);
      detail::bind_use(st, cells[n++], detail::write_slot(model::columns[model::key_index].type));
      if constexpr (model::version_index.has_value()) {
        detail::to_cell(row.*version_member(), cells[n]);
        detail::bind_use(st, cells[n++], detail::cell_slot::integer);
      }
      prepare_and_execute(st, sql::update_sql<T>(dialect()));
      affected = static_cast<std::size_t>(st.get_affected_rows());
    });
    if constexpr (model::version_index.has_value()) {
      if (affected == 0) {
        if (find(row.*model::key_member))
          throw error(errc::conflict,
                      "stale version of " + std::string(model::table) + " row: it was changed since read");
        return false;
      }
      ++(row.*version_member());
    }
    return affected > 0;
  }

  /// Removes the row with `key`; false when there was none.
  /// @throws error foreign_key_violation when a RESTRICT reference blocks it.
  bool remove(key_type const& key) const {
    std::size_t affected = 0;
    run([&](soci::session& s) {
      detail::cell key_cell;
      detail::to_cell(key, key_cell);
      soci::statement st(s);
      detail::bind_use(st, key_cell, detail::write_slot(model::columns[model::key_index].type));
      prepare_and_execute(st, sql::delete_sql<T>(dialect()));
      affected = static_cast<std::size_t>(st.get_affected_rows());
    });
    return affected > 0;
  }

  /// The number of rows.
  std::size_t count() const {
    long long n = 0;
    run([&](soci::session& s) { s << sql::count_sql<T>(dialect()), soci::into(n); });
    return static_cast<std::size_t>(n);
  }

 private:
  sql::dialect dialect() const noexcept { return db_.backend(); }

  template <class F>
  void run(F&& f) const {
    auto lease = db_.session();
    try {
      f(lease.get());
    } catch (...) {
      lease.mark_if_broken();
      rethrow_translated(dialect());
    }
  }

  static bool prepare_and_execute(soci::statement& st, std::string const& text) {
    st.alloc();
    st.prepare(text);
    st.define_and_bind();
    return st.execute(true);
  }

  template <class Cells>
  static void read_row(Cells const& cells, T& out) {
    std::size_t i = 0;
    model::for_each_column(out,
                           [&](column_info const& c, auto& member) { detail::from_cell(cells[i++], member, c.name); });
  }

  template <class K>
  static bool is_zero(K const& key) {
    if constexpr (std::is_integral_v<K>)
      return key == 0;
    else
      return false;
  }
  static void set_key(T& row, long long id) {
    if constexpr (std::is_integral_v<key_type>) row.*model::key_member = static_cast<key_type>(id);
  }
  static constexpr auto version_member() { return std::remove_cvref_t<decltype(model::traits::version)>::member; }

  database db_;  // a handle: copies share the pool
};

}  // namespace taskstore
