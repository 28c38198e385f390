// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The Repository over SOCI (soci_repository), on any backend.

#include <taskstore/db/database.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/repository/concepts.hpp>
#include <taskstore/repository/detail/rows.hpp>
#include <taskstore/repository/detail/soci_table.hpp>
#include <taskstore/sql/query.hpp>
#include <taskstore/sql/statements.hpp>
#include <taskstore/value/detail/cell.hpp>
#include <taskstore/value/detail/row_access.hpp>

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace taskstore {

/// The Repository of any described struct with table_traits, over SOCI, on
/// whichever backend the database was opened on. Statements are prepared once
/// per pooled session and reused. Inside database::transact() every call uses
/// the transaction's session. Any number of threads may share one repository.
///
/// Every value a write binds is checked first (see <taskstore/limits.hpp>):
/// beyond a limit or a constraint table_traits declares, the operation raises
/// validation_failed naming `table.column` before any statement runs.
///
/// @par Exception Safety
/// Every operation either completes or throws taskstore::error and leaves the
/// table as it was (a multi-statement operation runs in one transaction).
///
/// Little is compiled per T: its signatures, a table of its members
/// (detail::row_layout) and the read of a result row. The statements run in
/// detail::soci_table and the other conversions in one codec per member type,
/// each compiled once.
template <class T>
requires described_struct<T> && has_table_traits<T>
class soci_repository {
 public:
  using value_type = T;
  using model = table_model<T>;
  using key_type = typename model::key_type;

  explicit soci_repository(database const& db) : table_(db, plan(), layout) {}

  database const& db() const noexcept { return table_.db(); }

  /// CREATE TABLE IF NOT EXISTS with its constraints and indexes.
  void create_table() const { table_.create_table(); }
  /// DROP TABLE IF EXISTS.
  void drop_table() const { table_.drop_table(); }

  /// Stores `row`. A generated key that is 0 is assigned by the database; the
  /// returned row carries it.
  /// @throws error already_exists, foreign_key_violation, constraint_violation, …
  T insert(T const& row) const {
    // Binds (and checks) the caller's row before copying it: a copy of JSON
    // nested past limits::max_json_depth would recurse.
    auto const key = key_of(row);
    long long const id = table_.insert(&row, key);
    T out = row;
    if (key == key_source::generated) set_key(out, id);
    return out;
  }

  /// Stores `row` unless one of its unique keys (primary key, unique column
  /// or index) is taken. Inside a transaction the attempt runs under a
  /// savepoint, so the transaction goes on either way (PostgreSQL would
  /// otherwise abort it at the violation).
  /// @returns the stored row, or nullopt when a unique key was taken.
  /// @throws error as insert() does for every other failure.
  std::optional<T> insert_if_absent(T const& row) const {
    auto const key = key_of(row);
    long long id = 0;
    if (!table_.insert_if_absent(&row, key, id)) return std::nullopt;
    T out = row;
    if (key == key_source::generated) set_key(out, id);
    return out;
  }

  /// Stores every row of `rows` in one transaction, each backend's fastest
  /// way: one prepared INSERT per row on SQLite; on PostgreSQL COPY FROM
  /// STDIN (generated keys taken from the key's sequence first, for chunks
  /// of 250 rows or more), else multi-row INSERT … RETURNING; on MySQL
  /// multi-row INSERTs of escaped literals (RETURNING on MariaDB).
  /// Chunks hold up to 1,000 rows, 65,535 parameters and 4 MB.
  /// @returns the rows as stored, generated keys in input order.
  template <std::ranges::input_range R>
  requires std::convertible_to<std::ranges::range_reference_t<R>, T const&> std::vector<T> insert_many(R&& rows) const {
    std::vector<T> out(std::ranges::begin(rows), std::ranges::end(rows));
    if (out.empty()) return out;
    // Rows whose key the database assigns: keyless again on every attempt,
    // so that a retried transaction does not insert the keys a rolled-back
    // one was given.
    std::vector<std::size_t> keyless;
    if (model::columns[model::key_index].generated)
      for (std::size_t i = 0; i < out.size(); ++i)
        if (needs_generated_key(out[i])) keyless.push_back(i);
    db().transact([&] {
      for (auto const i : keyless) set_key(out[i], 0);
      if (db().backend().embedded()) {  // no round trips to save: cached one-row INSERTs
        for (auto& row : out) insert_in_place(row);
        return;
      }
      std::size_t done = 0;
      while (done < out.size()) {
        auto const key = key_of(out[done]);
        std::size_t n = 1;  // a chunk: same key handling, bounded rows and bytes
        std::size_t bytes = layout.bytes(&out[done]);
        while (done + n < out.size() && n < max_chunk_rows && (n + 1) * model::column_count <= max_chunk_params &&
               key_of(out[done + n]) == key && bytes + layout.bytes(&out[done + n]) < max_chunk_bytes) {
          bytes += layout.bytes(&out[done + n]);
          ++n;
        }
        auto const keys = table_.insert_chunk(&out[done], n, key);
        for (std::size_t i = 0; i < keys.size(); ++i) set_key(out[done + i], keys[i]);
        done += n;
      }
    });
    return out;
  }

  /// Inserts `row`, or, when its primary key (or the unique key of the named
  /// members, e.g. `upsert(row, &T::user_id, &T::name)`) exists, updates every
  /// other column, in one statement. A version column is incremented on update.
  /// On MySQL any unique key triggers the update. @returns the row as stored.
  template <class... Ms>
  T upsert(T const& row, Ms T::*... conflict) const {
    std::vector<std::string_view> target;
    if constexpr (sizeof...(Ms) == 0)
      target.push_back(model::columns[model::key_index].name);
    else
      (target.push_back(model::columns[detail::column_index(conflict)].name), ...);
    auto const key = key_of(row);
    long long const id = table_.upsert(sql::upsert_sql<T>(dialect(), key, target), &row, key);
    T out = row;
    if (model::columns[model::key_index].generated) set_key(out, id);
    // Read back: on the update path the version (and, with a unique-key
    // target, the key) are the stored ones.
    if (auto stored = find(out.*model::key_member)) return *stored;
    return out;
  }

  /// The row with `key`, or nullopt.
  /// @throws error corrupt_value when a stored value does not fit its member.
  std::optional<T> find(key_type const& key) const {
    detail::cell k;
    detail::to_cell(key, k);
    std::optional<T> out;
    table_.find(k, sink(out));
    return out;
  }

  /// The rows `q` selects, in its order.
  std::vector<T> find(query<T> const& q) const {
    std::vector<T> out;
    find_into(q, sink(out));
    return out;
  }
  /// The first row `q` selects, or nullopt.
  std::optional<T> find_one(query<T> const& q) const {
    auto rows = find(q.limit(1));
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

  /// Replaces every non-key column of the row with `row`'s key. With a version
  /// column, only when the stored version equals `row`'s; it is then
  /// incremented, in the database and in `row`.
  /// @returns false when no row has that key.
  /// @throws error conflict (stale version) and nothing changes.
  bool update(T& row) const { return write(row, updatable_columns()); }

  /// update(row) for a row read as `before`: writes only the columns whose
  /// value differs from it, so less is bound and sent and, on SQLite, only
  /// the indexes over those columns are rewritten. The same version check and
  /// increment. @returns false when no row has that key.
  /// @throws error conflict (stale version) and nothing changes.
  bool update(T& row, T const& before) const {
    std::array<std::size_t, model::column_count> changed;
    auto const n = layout.changes(&row, &before, changed);
    return write(row, std::span<std::size_t const>(changed.data(), n));
  }

  /// update(row, before) for many rows, in one transaction (one statement
  /// per row on SQLite, else per 100 rows): each row's changed columns are
  /// written, its version checked and incremented (in `rows` too, once all
  /// are written). All or nothing: a missing or stale row throws and nothing
  /// is written (inside a caller's transaction, which the error then rolls
  /// back).
  /// @throws error validation_failed when the spans differ in size or a key
  ///         repeats; not_found for a row that does not exist; conflict for
  ///         a stale version.
  void update_many(std::span<T> rows, std::span<T const> before) const {
    if (rows.size() != before.size())
      throw error(errc::validation_failed, "update_many needs one row as read per row", "before");
    if (rows.empty()) return;
    table_.update_many(rows.data(), before.data(), rows.size());
    if constexpr (model::version_index.has_value())
      for (auto& r : rows) ++(r.*version_member());
  }

  /// Sets columns of every row `q` selects (`set(&T::a, v)…`); a version
  /// column is incremented. `q` may not have a limit or offset.
  /// @returns the number of rows changed.
  template <class... Assignments>
  std::size_t update_where(query<T> const& q, Assignments const&... assignments) const {
    static_assert(sizeof...(Assignments) > 0, "update_where needs at least one set(&T::member, value)");
    reject_paging(q, "update_where");
    auto b = table_.builder("UPDATE ");
    b.text += " SET ";
    bool first = true;
    auto add = [&](auto const& a) {
      if (!first) b.text += ", ";
      first = false;
      a.render(b);
    };
    (add(assignments), ...);
    if constexpr (model::version_index.has_value()) {
      auto const v = sql::quote(dialect(), model::columns[*model::version_index].name);
      b.text += ", " + v + " = " + v + " + 1";
    }
    q.render_where(b);
    return table_.execute_count(b);
  }

  /// The work-queue take: in one transaction, selects the rows `q` selects
  /// (its order and limit: "the oldest n eligible") that no other transaction
  /// holds, sets `assignments` on them and returns them as stored. Concurrent
  /// takers never get the same row and never wait for each other's rows
  /// (query::skip_locked()). Joins the caller's transaction, so that more
  /// writes (events) commit or roll back with the take.
  /// @throws error corrupt_value when a selected row cannot be read (see
  ///         take_readable()), and nothing is taken.
  template <class... Assignments>
  std::vector<T> take(query<T> const& q, Assignments const&... assignments) const {
    return take_rows(q, false, assignments...).rows;
  }

  /// A row take_readable() selected but could not read into a T.
  struct unreadable_row {
    key_type key;
    std::string problem;  ///< the corrupt_value error's message
  };
  /// What take_readable() took, and what it could not read.
  struct taken_rows {
    std::vector<T> rows;
    std::vector<unreadable_row> unreadable;
  };

  /// take() that goes on past a selected row whose stored values do not fit
  /// T (corrupt_value: an unknown enum name, JSON of the wrong shape): that
  /// row is neither changed nor returned, but its key is, so that the caller
  /// takes it out of circulation in the same transaction (by key, without
  /// reading it); otherwise the next take selects it first again. It counts
  /// towards `q`'s limit, so the caller takes again for the rest. Reading a
  /// row costs what it does in find(); nothing more is read for the rows
  /// that fit.
  template <class... Assignments>
  taken_rows take_readable(query<T> const& q, Assignments const&... assignments) const {
    return take_rows(q, true, assignments...);
  }

  /// take_readable() that changes only the rows `admit` keeps: it is called
  /// with the selected readable rows (locked, in `q`'s order) and returns
  /// those to take, e.g. as many as a limit admits; the rest stay as they
  /// were, locked until the transaction ends. `admit` runs inside the
  /// transaction, and again when it is retried.
  template <class Admit, class... Assignments>
  requires std::is_invocable_r_v<std::vector<T>, Admit const&, std::vector<T>&&> taken_rows
  take_admitted(query<T> const& q, Admit const& admit, Assignments const&... assignments) const {
    return take_rows_if(q, true, admit, assignments...);
  }

  /// Removes the row with `key`; false when there was none.
  /// @throws error foreign_key_violation when a RESTRICT reference blocks it.
  bool remove(key_type const& key) const {
    detail::cell k;
    detail::to_cell(key, k);
    return table_.remove(k) > 0;
  }
  /// Removes every row `q` selects (no limit or offset). @returns how many.
  std::size_t remove_where(query<T> const& q) const {
    reject_paging(q, "remove_where");
    auto b = table_.builder("DELETE FROM ");
    q.render_where(b);
    return table_.execute_count(b);
  }

  /// The number of rows.
  std::size_t count() const { return table_.count(table_.builder("SELECT COUNT(*) FROM ")); }
  /// The number of rows `q` selects (its limit and offset ignored).
  std::size_t count(query<T> const& q) const {
    auto b = table_.builder("SELECT COUNT(*) FROM ");
    q.render_where(b);
    return table_.count(b);
  }
  /// Whether `q` selects any row.
  bool exists(query<T> const& q) const {
    auto b = table_.builder("SELECT 1 FROM ");
    q.render_where(b);
    b.text += " LIMIT 1";
    return table_.exists(b);
  }

  /// How the database would run find(q), with q's own values (its EXPLAIN):
  /// the indexes it reads, the tables it reads whole, whether it sorts.
  /// Reads no row; doctor() checks the library's hot queries with it.
  /// @throws error unsupported where the backend cannot explain.
  query_plan explain(query<T> const& q) const { return table_.explain(select_of(q)); }
  /// How the database would find the rows count(q), remove_where(q) and
  /// update_where(q) act on: q's condition alone, without its order.
  query_plan explain_where(query<T> const& q) const {
    auto b = table_.builder("SELECT COUNT(*) FROM ");
    q.render_where(b);
    return table_.explain(b);
  }

 private:
  static constexpr std::size_t max_chunk_rows = 1000;
  static constexpr std::size_t max_chunk_params = 65535;    // PostgreSQL's limit per statement
  static constexpr std::size_t max_chunk_bytes = 4u << 20;  // under MariaDB's default max_allowed_packet

  sql::dialect const& dialect() const noexcept { return table_.dialect(); }

  /// Stores `row`, setting the key the database generated (if it did).
  void insert_in_place(T& row) const {
    auto const key = key_of(row);
    long long const id = table_.insert(&row, key);
    if (key == key_source::generated) set_key(row, id);
  }

  /// Both update()s: writes `row`'s columns at `columns` by key (and version).
  bool write(T& row, std::span<std::size_t const> columns) const {
    if constexpr (!model::version_index.has_value()) {
      if (columns.empty()) return find(row.*model::key_member).has_value();  // nothing to write
    }
    return updated(row, table_.update(&row, columns));
  }

  /// The end of write(): `affected` rows matched key (and version).
  /// None with a version column is a stale version when the key exists;
  /// otherwise the row's version follows the database's increment.
  bool updated(T& row, std::size_t affected) const {
    if constexpr (model::version_index.has_value()) {
      if (affected == 0) {
        if (find(row.*model::key_member))
          throw error(errc::conflict,
                      "stale version of a " + std::string(model::table) + " row: it changed since read");
        return false;
      }
      ++(row.*version_member());
    }
    return affected > 0;
  }

  static void reject_paging(query<T> const& q, char const* what) {
    if (q.limit_value() || q.offset_value())
      throw error(errc::validation_failed, std::string(what) + " takes a query without limit or offset");
  }

  static bool needs_generated_key(T const& row) {
    if constexpr (std::is_integral_v<key_type>)
      return model::columns[model::key_index].generated && row.*model::key_member == 0;
    else
      return false;
  }
  /// Where `row`'s key comes from when inserted.
  static key_source key_of(T const& row) { return needs_generated_key(row) ? key_source::generated : key_source::row; }
  static void set_key(T& row, long long id) {
    if constexpr (std::is_integral_v<key_type>) row.*model::key_member = static_cast<key_type>(id);
  }
  /// The columns update(row) writes: all but the key and the version.
  static std::span<std::size_t const> updatable_columns() {
    static std::vector<std::size_t> const all = sql::updatable_columns(model::info);
    return all;
  }

  /// The table's statements and slots, built on first use.
  static detail::table_plan const& plan() {
    static detail::table_plan const p(model::info);
    return p;
  }

  /// T's members, for the row-independent code.
  static constexpr detail::row_layout layout = detail::row_layout::of<T>();

  static detail::row_sink sink(std::optional<T>& out) {
    return {&out, [](void* o) { static_cast<std::optional<T>*>(o)->reset(); },
            [](void* o, std::vector<detail::cell> const& cells) {
              detail::read_row(cells, static_cast<std::optional<T>*>(o)->emplace());
            }};
  }
  /// take() (`tolerate` false: an unreadable row throws before anything is
  /// written) and take_readable().
  template <class... Assignments>
  taken_rows take_rows(query<T> const& q, bool tolerate, Assignments const&... assignments) const {
    return take_rows_if(
        q, tolerate, [](std::vector<T>&& rows) { return std::move(rows); }, assignments...);
  }
  template <class Admit, class... Assignments>
  taken_rows take_rows_if(query<T> const& q, bool tolerate, Admit const& admit,
                          Assignments const&... assignments) const {
    static_assert(sizeof...(Assignments) > 0, "take needs at least one set(&T::member, value)");
    return db().transact([&] {
      taken_rows out;
      find_into(q.skip_locked(), tolerant_sink(out));
      if (!tolerate && !out.unreadable.empty()) throw error(errc::corrupt_value, out.unreadable.front().problem);
      if (!out.rows.empty()) out.rows = admit(std::move(out.rows));
      if (out.rows.empty()) return out;
      std::vector<key_type> keys;
      keys.reserve(out.rows.size());
      for (auto const& r : out.rows) keys.push_back(r.*model::key_member);
      if (update_where(query<T>{col(model::key_member).in(std::move(keys))}, assignments...) != out.rows.size())
        throw error(errc::conflict, "rows taken from " + std::string(model::table) + " changed while locked");
      for (auto& r : out.rows) {  // the same values the database just wrote
        (assignments.apply(r), ...);
        if constexpr (model::version_index.has_value()) ++(r.*version_member());
      }
      return out;
    });
  }

  void find_into(query<T> const& q, detail::row_sink out) const { table_.find(select_of(q), out); }

  /// The SELECT find() runs for `q`.
  detail::sql_builder select_of(query<T> const& q) const {
    detail::sql_builder b{dialect(), sql::select_sql<T>(dialect())};
    q.render_index_hint(b);
    q.render_where(b);
    q.render_order_and_page(b);
    return b;
  }

  /// Reads each row into out.rows; a row that does not fit T goes, by its
  /// key alone, to out.unreadable.
  static detail::row_sink tolerant_sink(taken_rows& out) {
    return {&out,
            [](void* o) {
              static_cast<taken_rows*>(o)->rows.clear();
              static_cast<taken_rows*>(o)->unreadable.clear();
            },
            [](void* o, std::vector<detail::cell> const& cells) {
              auto& t = *static_cast<taken_rows*>(o);
              try {
                detail::read_row(cells, t.rows.emplace_back());
              } catch (error const& e) {
                if (e.code() != errc::corrupt_value) throw;
                t.rows.pop_back();
                key_type key{};
                detail::from_cell(cells[model::key_index], key, model::columns[model::key_index].name);
                t.unreadable.push_back({std::move(key), e.what()});
              }
            }};
  }
  static detail::row_sink sink(std::vector<T>& out) {
    return {&out, [](void* o) { static_cast<std::vector<T>*>(o)->clear(); },
            [](void* o, std::vector<detail::cell> const& cells) {
              detail::read_row(cells, static_cast<std::vector<T>*>(o)->emplace_back());
            }};
  }

  /// The version member; only called where the table has one (any use
  /// without is guarded by `if constexpr`, so explicit instantiation works).
  static constexpr auto version_member() {
    if constexpr (model::version_index.has_value())
      return std::remove_cvref_t<decltype(model::traits::version)>::member;
    else
      return nullptr;
  }

  detail::soci_table table_;
};

}  // namespace taskstore
