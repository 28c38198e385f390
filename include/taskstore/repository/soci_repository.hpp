// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The Repository over SOCI (soci_repository), on any backend.

#include <taskstore/db/database.hpp>
#include <taskstore/db/detail/cell.hpp>
#include <taskstore/db/detail/mysql_bulk.hpp>
#include <taskstore/db/detail/pg_bulk.hpp>
#include <taskstore/db/detail/statement_cache.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/repository/concepts.hpp>
#include <taskstore/repository/detail/rows.hpp>
#include <taskstore/sql/ddl.hpp>
#include <taskstore/sql/query.hpp>
#include <taskstore/sql/statements.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <iterator>
#include <optional>
#include <ranges>
#include <string>
#include <vector>

namespace taskstore {

/// The Repository of any described struct with table_traits, over SOCI, on
/// whichever backend the database was opened on. Statements are prepared once
/// per pooled session and reused. Inside database::transact() every call uses
/// the transaction's session. Any number of threads may share one repository.
///
/// @par Exception Safety
/// Every operation either completes or throws taskstore::error and leaves the
/// table as it was (a multi-statement operation runs in one transaction).
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
  void create_table() const {
    for (auto const& statement : sql::create_table_sql<T>(dialect())) db_.execute(statement);
  }
  /// DROP TABLE IF EXISTS.
  void drop_table() const { db_.execute(sql::drop_table_sql<T>(dialect())); }

  /// Stores `row`. A generated key that is 0 is assigned by the database; the
  /// returned row carries it.
  /// @throws error already_exists, foreign_key_violation, constraint_violation, …
  T insert(T const& row) const {
    bool const with_key = !needs_generated_key(row);
    T out = row;
    run([&](detail::session_lease& lease) {
      // PostgreSQL returns the key; SQLite and MySQL report the connection's last insert id.
      bool const returning = !with_key && dialect() == sql::dialect::postgresql;  // as cached_text() writes it
      auto const& text = cached_text(with_key ? stmt::insert_with_key : stmt::insert);
      auto& st = prepare(lease, text, write_slots(with_key), returning ? key_slot() : no_slots());
      detail::write_insert_cells(row, with_key, st.params(), 0);
      execute(lease, text, st);
      if (!with_key) {
        long long id = 0;
        if (returning)
          id = st.results()[0].integer;
        else
          lease.get().get_last_insert_id(std::string(model::table), id);
        set_key(out, id);
      }
      st.finish();
    });
    return out;
  }

  /// Stores `row` unless one of its unique keys (primary key, unique column
  /// or index) is taken. Inside a transaction the attempt runs under a
  /// savepoint, so the transaction goes on either way (PostgreSQL would
  /// otherwise abort it at the violation).
  /// @returns the stored row, or nullopt when a unique key was taken.
  /// @throws error as insert() does for every other failure.
  std::optional<T> insert_if_absent(T const& row) const {
    if (!db_.in_transaction()) {
      try {
        return insert(row);
      } catch (error const& e) {
        if (e.code() == errc::already_exists) return std::nullopt;
        throw;
      }
    }
    auto lease = db_.session();  // the transaction's own session
    auto const sql = [&](char const* text) { detail::guarded(lease, dialect(), [&] { lease.get() << text; }); };
    sql("SAVEPOINT taskstore_insert_if_absent");
    try {
      auto stored = insert(row);
      sql("RELEASE SAVEPOINT taskstore_insert_if_absent");
      return stored;
    } catch (error const& e) {
      sql("ROLLBACK TO SAVEPOINT taskstore_insert_if_absent");
      sql("RELEASE SAVEPOINT taskstore_insert_if_absent");
      if (e.code() == errc::already_exists) return std::nullopt;
      throw;
    }
  }

  /// Stores every row of `rows` in one transaction, each backend's fastest
  /// way: one prepared INSERT per row on SQLite; on PostgreSQL COPY FROM
  /// STDIN when no key is generated, else multi-row INSERT … RETURNING; on
  /// MySQL multi-row INSERTs of escaped literals (RETURNING on MariaDB).
  /// Chunks hold up to 1,000 rows, 65,535 parameters and 4 MB.
  /// @returns the rows as stored, generated keys in input order.
  template <std::ranges::input_range R>
  requires std::convertible_to<std::ranges::range_reference_t<R>, T const&> std::vector<T> insert_many(R&& rows) const {
    std::vector<T> out(std::ranges::begin(rows), std::ranges::end(rows));
    if (out.empty()) return out;
    db_.transact([&] {
      if (dialect() == sql::dialect::sqlite) {
        for (auto& row : out) row = insert(row);
        return;
      }
      std::size_t done = 0;
      while (done < out.size()) {
        bool const with_key = !needs_generated_key(out[done]);
        std::size_t n = 1;  // a chunk: same key handling, bounded rows and bytes
        std::size_t bytes = row_bytes(out[done]);
        while (done + n < out.size() && n < max_chunk_rows && (n + 1) * model::column_count <= max_chunk_params &&
               needs_generated_key(out[done + n]) == !with_key && bytes + row_bytes(out[done + n]) < max_chunk_bytes) {
          bytes += row_bytes(out[done + n]);
          ++n;
        }
        insert_chunk(out, done, n, with_key);
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
    bool const with_key = !needs_generated_key(row);
    T out = row;
    run([&](detail::session_lease& lease) {
      bool const mysql = dialect() == sql::dialect::mysql;
      auto const text = sql::upsert_sql<T>(dialect(), with_key, target);
      auto& st = prepare(lease, text, detail::insert_slots<T>(with_key), mysql ? no_slots() : key_slot());
      detail::write_insert_cells(row, with_key, st.params(), 0);
      execute(lease, text, st);
      long long id = 0;
      if (!mysql)
        id = st.results()[0].integer;
      else if (model::columns[model::key_index].generated)
        lease.get().get_last_insert_id(std::string(model::table), id);
      st.finish();
      if (model::columns[model::key_index].generated) set_key(out, id);
    });
    // Read back: on the update path the version (and, with a unique-key
    // target, the key) are the stored ones.
    if (auto stored = find(out.*model::key_member)) return *stored;
    return out;
  }

  /// The row with `key`, or nullopt.
  /// @throws error corrupt_value when a stored value does not fit its member.
  std::optional<T> find(key_type const& key) const {
    std::optional<T> out;
    run(
        [&](detail::session_lease& lease) {
          auto const& text = cached_text(stmt::select_by_key);
          auto& st = prepare(lease, text, key_param_slots(), detail::row_read_slots<T>());
          detail::to_cell(key, st.params()[0]);
          if (execute(lease, text, st)) {
            out.emplace();
            detail::read_row(st.results(), *out);
            st.finish();
          }
        },
        effect::reads);
    return out;
  }

  /// The rows `q` selects, in its order.
  std::vector<T> find(query<T> const& q) const {
    std::vector<T> out;
    detail::sql_builder b{dialect(), sql::select_sql<T>(dialect())};
    q.render_where(b);
    q.render_order_and_page(b);
    run(
        [&](detail::session_lease& lease) {
          out.clear();
          auto& st = prepare(lease, b.text, b.slots, detail::row_read_slots<T>());
          std::copy(b.cells.begin(), b.cells.end(), st.params().begin());
          for (bool more = execute(lease, b.text, st); more; more = st.fetch())
            detail::read_row(st.results(), out.emplace_back());
        },
        effect::reads);
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
  bool update(T& row) const {
    std::size_t affected = 0;
    run([&](detail::session_lease& lease) {
      auto const& text = cached_text(stmt::update);
      auto& st = prepare(lease, text, update_slots(), no_slots());
      std::size_t n = 0;
      model::for_each_column(row, [&](column_info const& c, auto const& member) {
        if (!c.primary_key && !c.version) detail::to_cell(member, st.params()[n++]);
      });
      detail::to_cell(row.*model::key_member, st.params()[n++]);
      if constexpr (model::version_index.has_value()) detail::to_cell(row.*version_member(), st.params()[n++]);
      execute(lease, text, st);
      affected = st.affected_rows();
    });
    return updated(row, affected);
  }

  /// update(row) for a row read as `before`: writes only the columns whose
  /// value differs from it, so less is bound and sent and, on SQLite, only
  /// the indexes over those columns are rewritten. The same version check and
  /// increment. @returns false when no row has that key.
  /// @throws error conflict (stale version) and nothing changes.
  bool update(T& row, T const& before) const {
    detail::sql_builder b{dialect(), "UPDATE " + sql::quote(dialect(), model::table) + " SET "};
    bool first = true;
    model::for_each_column_pair(row, before, [&](column_info const& c, auto const& now, auto const& was) {
      if (c.primary_key || c.version) return;
      if constexpr (std::equality_comparable<std::remove_cvref_t<decltype(now)>>) {
        if (now == was) return;  // unchanged; a type without == is always written
      }
      if (!first) b.text += ", ";
      first = false;
      b.column(c.name);
      b.text += " = ";
      b.param(now, c.type);
    });
    if constexpr (model::version_index.has_value()) {
      auto const v = sql::quote(dialect(), model::columns[*model::version_index].name);
      b.text += (first ? "" : ", ") + v + " = " + v + " + 1";
    } else if (first) {
      return find(row.*model::key_member).has_value();  // nothing to write
    }
    b.text += " WHERE ";
    b.column(model::columns[model::key_index].name);
    b.text += " = ";
    b.param(row.*model::key_member, model::columns[model::key_index].type);
    if constexpr (model::version_index.has_value()) {
      b.text += " AND ";
      b.column(model::columns[*model::version_index].name);
      b.text += " = ";
      b.param(row.*version_member(), model::columns[*model::version_index].type);
    }
    return updated(row, execute_count(b));
  }

  /// Sets columns of every row `q` selects (`set(&T::a, v)…`); a version
  /// column is incremented. `q` may not have a limit or offset.
  /// @returns the number of rows changed.
  template <class... Assignments>
  std::size_t update_where(query<T> const& q, Assignments const&... assignments) const {
    static_assert(sizeof...(Assignments) > 0, "update_where needs at least one set(&T::member, value)");
    reject_paging(q, "update_where");
    detail::sql_builder b{dialect(), "UPDATE " + sql::quote(dialect(), model::table) + " SET "};
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
    return execute_count(b);
  }

  /// The work-queue take: in one transaction, selects the rows `q` selects
  /// (its order and limit: "the oldest n eligible") that no other transaction
  /// holds, sets `assignments` on them and returns them as stored. Concurrent
  /// takers never get the same row and never wait for each other's rows
  /// (query::skip_locked()). Joins the caller's transaction, so that more
  /// writes (events) commit or roll back with the take.
  template <class... Assignments>
  std::vector<T> take(query<T> const& q, Assignments const&... assignments) const {
    static_assert(sizeof...(Assignments) > 0, "take needs at least one set(&T::member, value)");
    return db_.transact([&] {
      auto rows = find(q.skip_locked());
      if (rows.empty()) return rows;
      std::vector<key_type> keys;
      keys.reserve(rows.size());
      for (auto const& r : rows) keys.push_back(r.*model::key_member);
      if (update_where(query<T>{col(model::key_member).in(std::move(keys))}, assignments...) != rows.size())
        throw error(errc::conflict, "rows taken from " + std::string(model::table) + " changed while locked");
      for (auto& r : rows) {  // the same values the database just wrote
        (assignments.apply(r), ...);
        if constexpr (model::version_index.has_value()) ++(r.*version_member());
      }
      return rows;
    });
  }

  /// Removes the row with `key`; false when there was none.
  /// @throws error foreign_key_violation when a RESTRICT reference blocks it.
  bool remove(key_type const& key) const {
    std::size_t affected = 0;
    run([&](detail::session_lease& lease) {
      auto const& text = cached_text(stmt::remove);
      auto& st = prepare(lease, text, key_param_slots(), no_slots());
      detail::to_cell(key, st.params()[0]);
      execute(lease, text, st);
      affected = st.affected_rows();
    });
    return affected > 0;
  }
  /// Removes every row `q` selects (no limit or offset). @returns how many.
  std::size_t remove_where(query<T> const& q) const {
    reject_paging(q, "remove_where");
    detail::sql_builder b{dialect(), "DELETE FROM " + sql::quote(dialect(), model::table)};
    q.render_where(b);
    return execute_count(b);
  }

  /// The number of rows.
  std::size_t count() const { return count(query<T>{}); }
  /// The number of rows `q` selects (its limit and offset ignored).
  std::size_t count(query<T> const& q) const {
    detail::sql_builder b{dialect(), "SELECT COUNT(*) FROM " + sql::quote(dialect(), model::table)};
    q.render_where(b);
    long long n = 0;
    run(
        [&](detail::session_lease& lease) {
          auto& st = prepare(lease, b.text, b.slots, {detail::cell_slot::integer});
          std::copy(b.cells.begin(), b.cells.end(), st.params().begin());
          execute(lease, b.text, st);
          n = st.results()[0].integer;
          st.finish();
        },
        effect::reads);
    return static_cast<std::size_t>(n);
  }
  /// Whether `q` selects any row.
  bool exists(query<T> const& q) const {
    detail::sql_builder b{dialect(), "SELECT 1 FROM " + sql::quote(dialect(), model::table)};
    q.render_where(b);
    b.text += " LIMIT 1";
    bool found = false;
    run(
        [&](detail::session_lease& lease) {
          auto& st = prepare(lease, b.text, b.slots, {detail::cell_slot::integer});
          std::copy(b.cells.begin(), b.cells.end(), st.params().begin());
          found = execute(lease, b.text, st);
          if (found) st.finish();
        },
        effect::reads);
    return found;
  }

 private:
  static constexpr std::size_t max_chunk_rows = 1000;
  static constexpr std::size_t max_chunk_params = 65535;    // PostgreSQL's limit per statement
  static constexpr std::size_t max_chunk_bytes = 4u << 20;  // under MariaDB's default max_allowed_packet

  sql::dialect dialect() const noexcept { return db_.backend(); }

  using effect = detail::statement_effect;
  template <class F>
  void run(F&& f, effect what = effect::writes) const {
    detail::run_statement(
        db_, what, [](void* fn, detail::session_lease& lease) { (*static_cast<F*>(fn))(lease); }, &f);
  }

  static detail::prepared_statement& prepare(detail::session_lease& lease, std::string const& text,
                                             std::vector<detail::cell_slot> const& params,
                                             std::vector<detail::cell_slot> const& results) {
    return lease.cache().get(lease.get(), text, params, results);
  }
  static bool execute(detail::session_lease& lease, std::string const& text, detail::prepared_statement& st) {
    try {
      return st.execute();
    } catch (...) {
      lease.cache().evict(text);
      throw;
    }
  }
  std::size_t execute_count(detail::sql_builder const& b) const {
    std::size_t affected = 0;
    run([&](detail::session_lease& lease) {
      auto& st = prepare(lease, b.text, b.slots, no_slots());
      std::copy(b.cells.begin(), b.cells.end(), st.params().begin());
      execute(lease, b.text, st);
      affected = st.affected_rows();
    });
    return affected;
  }

  /// The end of both update()s: `affected` rows matched key (and version).
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

  void insert_chunk(std::vector<T>& rows, std::size_t first, std::size_t n, bool with_key) const {
    bool const generated = model::columns[model::key_index].generated;
#if TASKSTORE_HAVE_POSTGRESQL
    if (dialect() == sql::dialect::postgresql && !(generated && !with_key)) {  // no key to return: COPY
      std::vector<detail::cell> cells(n * write_slots(with_key).size());
      std::size_t at = 0;
      for (std::size_t i = 0; i < n; ++i) at = detail::write_insert_cells(rows[first + i], with_key, cells, at);
      run([&](detail::session_lease& lease) {
        detail::pg_copy_rows(lease.get(), copy_target(with_key), cells, write_slots(with_key), n);
      });
      return;
    }
#endif
#if TASKSTORE_HAVE_MYSQL
    if (dialect() == sql::dialect::mysql) {
      std::vector<detail::cell> cells(n * write_slots(with_key).size());
      std::size_t at = 0;
      for (std::size_t i = 0; i < n; ++i) at = detail::write_insert_cells(rows[first + i], with_key, cells, at);
      run([&](detail::session_lease& lease) {
        std::vector<long long> keys;
        detail::mysql_insert_literal(
            lease.get(), sql::insert_head_sql(dialect(), model::info, with_key), cells, write_slots(with_key), n,
            generated ? sql::returning_key_sql(dialect(), model::info) : std::string(), generated ? &keys : nullptr);
        if (!generated) return;
        if (keys.size() != n) throw error(errc::database_error, "INSERT … RETURNING returned fewer keys than rows");
        for (std::size_t i = 0; i < n; ++i) set_key(rows[first + i], keys[i]);
      });
      return;
    }
#endif
    run([&](detail::session_lease& lease) {
      auto const text = sql::insert_many_sql<T>(dialect(), n, with_key);
      auto& st = prepare(lease, text, detail::insert_slots<T>(with_key, n), generated ? key_slot() : no_slots());
      std::size_t at = 0;
      for (std::size_t i = 0; i < n; ++i) at = detail::write_insert_cells(rows[first + i], with_key, st.params(), at);
      bool more = execute(lease, text, st);
      if (!generated) return;
      for (std::size_t i = 0; i < n; ++i, more = st.fetch()) {
        if (!more) throw error(errc::database_error, "INSERT … RETURNING returned fewer keys than rows");
        set_key(rows[first + i], st.results()[0].integer);
      }
    });
  }

  /// `"table" ("a", "b", …)` for COPY.
  std::string copy_target(bool with_key) const {
    std::string cols;
    for (auto const& c : model::columns)
      if (with_key || !c.generated) cols += (cols.empty() ? "" : ", ") + sql::quote(dialect(), c.name);
    return sql::quote(dialect(), model::table) + " (" + cols + ")";
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
  static void set_key(T& row, long long id) {
    if constexpr (std::is_integral_v<key_type>) row.*model::key_member = static_cast<key_type>(id);
  }
  static std::size_t row_bytes(T const& row) {
    std::size_t n = 16;
    model::for_each_column(row, [&](column_info const&, auto const& member) {
      if constexpr (requires { member.size(); })
        n += member.size();
      else
        n += 16;
    });
    return n;
  }
  static detail::cell_slot key_write_slot() { return detail::write_slot(model::columns[model::key_index].type); }
  static std::vector<detail::cell_slot> const& key_param_slots() {
    static std::vector<detail::cell_slot> const s{key_write_slot()};
    return s;
  }
  static std::vector<detail::cell_slot> const& write_slots(bool with_key) {
    static std::vector<detail::cell_slot> const with = detail::insert_slots<T>(true),
                                                without = detail::insert_slots<T>(false);
    return with_key ? with : without;
  }

  /// The fixed statements, built once per dialect rather than on every call.
  enum class stmt { insert, insert_with_key, select_by_key, update, remove, count_ };
  std::string const& cached_text(stmt which) const {
    static auto const texts = [] {
      std::array<std::array<std::string, static_cast<std::size_t>(stmt::count_)>, 3> t;
      for (auto d : {sql::dialect::sqlite, sql::dialect::postgresql, sql::dialect::mysql}) {
        auto& row = t[static_cast<std::size_t>(d)];
        // PostgreSQL returns the generated key; SQLite and MySQL report the last insert id.
        row[0] =
            sql::insert_sql<T>(d, false) + (d == sql::dialect::postgresql && model::columns[model::key_index].generated
                                                ? sql::returning_key_sql<T>(d)
                                                : std::string());
        row[1] = sql::insert_sql<T>(d, true);
        row[2] = sql::select_sql<T>(d, sql::key_condition<T>(d));
        row[3] = sql::update_sql<T>(d);
        row[4] = sql::delete_sql<T>(d);
      }
      return t;
    }();
    return texts[static_cast<std::size_t>(dialect())][static_cast<std::size_t>(which)];
  }
  static std::vector<detail::cell_slot> const& key_slot() {
    static std::vector<detail::cell_slot> const s{detail::cell_slot::integer};
    return s;
  }
  static std::vector<detail::cell_slot> const& no_slots() {
    static std::vector<detail::cell_slot> const s;
    return s;
  }
  static std::vector<detail::cell_slot> const& update_slots() {
    static std::vector<detail::cell_slot> const s = [] {
      std::vector<detail::cell_slot> out;
      for (auto const& c : model::columns)
        if (!c.primary_key && !c.version) out.push_back(detail::write_slot(c.type));
      out.push_back(key_write_slot());
      if (model::version_index) out.push_back(detail::cell_slot::integer);
      return out;
    }();
    return s;
  }
  /// The version member; only called where the table has one (any use
  /// without is guarded by `if constexpr`, so explicit instantiation works).
  static constexpr auto version_member() {
    if constexpr (model::version_index.has_value())
      return std::remove_cvref_t<decltype(model::traits::version)>::member;
    else
      return nullptr;
  }

  database db_;  // a handle: copies share the pool
};

}  // namespace taskstore
