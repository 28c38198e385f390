// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// A typed query: a predicate, an order, a page.
///
/// @code
///   auto q = query<task>{col(&task::user_id) == 7 && col(&task::status).in({QUEUED, PROCESSING})}
///                .order_by(desc(&task::created_at))
///                .limit(50);
///   auto page = repo.find(q);
///   auto next = repo.find(q.after(page.back()));   // keyset pagination
/// @endcode
///
/// Results are in the same order on every backend and in memory: NULLs first
/// when ascending (last when descending), strings byte-wise, and ties broken by
/// the primary key.

#include <taskstore/limits.hpp>
#include <taskstore/sql/predicate.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace taskstore {

/// One ORDER BY term of T: `asc(&T::m)` or `desc(&T::m)`.
template <class T>
struct order_term : detail::order_column {};

/// Ascending, NULLs first.
template <class T, class M>
requires orderable_value<detail::value_of_t<M>> order_term<T> asc(M T::*member) {
  return {{column_ref<T, M>(member).index(), false}};
}
/// Descending, NULLs last.
template <class T, class M>
requires orderable_value<detail::value_of_t<M>> order_term<T> desc(M T::*member) {
  return {{column_ref<T, M>(member).index(), true}};
}

/// A typed query of T's rows: a predicate, an order and a page, which
/// repositories run (see sql/query.hpp).
template <class T>
requires has_table_traits<T>
class query {
 public:
  /// Every row.
  query() = default;
  /// The rows matching `p`.
  query(predicate<T> p) : where_(std::move(p)) {}  // NOLINT: a predicate is a query

  /// Adds a condition (AND).
  query where(predicate<T> p) const {
    query q = *this;
    q.where_ = where_ ? *where_ && std::move(p) : std::move(p);
    return q;
  }
  /// Sets the order; the primary key breaks ties.
  template <class... Terms>
  query order_by(Terms... terms) const {
    static_assert((std::is_same_v<Terms, order_term<T>> && ...), "order_by takes asc(&T::m) and desc(&T::m) of T");
    query q = *this;
    q.order_ = {terms...};
    return q;
  }
  /// At most `n` rows.
  /// @throws error validation_failed when `n` exceeds limits::max_rows.
  query limit(std::size_t n) const {
    check_rows(n, "limit");
    query q = *this;
    q.limit_ = n;
    return q;
  }
  /// Skips the first `n` rows.
  /// @throws error validation_failed when `n` exceeds limits::max_rows.
  query offset(std::size_t n) const {
    check_rows(n, "offset");
    query q = *this;
    q.offset_ = n;
    return q;
  }
  /// Locks the selected rows for the rest of the transaction and passes over
  /// rows another transaction holds, so that concurrent takers get disjoint
  /// rows without waiting: `FOR NO KEY UPDATE SKIP LOCKED` on PostgreSQL (it
  /// does not block inserts referencing the row), `FOR UPDATE SKIP LOCKED` on
  /// MariaDB. SQLite needs no clause: its write transaction (BEGIN IMMEDIATE)
  /// admits one writer at a time. Meaningful inside database::transact().
  query skip_locked() const {
    query q = *this;
    q.skip_locked_ = true;
    return q;
  }
  /// Locks the selected rows for the rest of the transaction, waiting for
  /// rows another transaction holds: ` FOR UPDATE` on PostgreSQL and MariaDB,
  /// no clause on SQLite (one writer at a time). Meaningful inside
  /// database::transact(); skip_locked() wins over it.
  query locked() const {
    query q = *this;
    q.locked_ = true;
    return q;
  }
  /// The rows that come after `cursor` (the last row of the previous page) in
  /// this query's order: keyset pagination, which stays fast on large tables.
  query after(T const& cursor) const {
    query q = where(predicate<T>(detail::keyset_after(table_model<T>::info, full_order(), detail::row_ref_of(cursor))));
    q.keyset_ = true;
    return q;
  }

  std::optional<predicate<T>> const& condition() const noexcept { return where_; }
  std::optional<std::size_t> limit_value() const noexcept { return limit_; }
  std::optional<std::size_t> offset_value() const noexcept { return offset_; }
  bool skips_locked() const noexcept { return skip_locked_; }

  /// The order with the primary key appended as the final tie-break.
  std::vector<detail::order_column> full_order() const {
    auto out = order_;
    bool has_key = false;
    for (auto const& t : out) has_key = has_key || t.index == table_model<T>::key_index;
    if (!has_key) out.push_back({table_model<T>::key_index, false});
    return out;
  }

  /// After a SELECT's table, before render_where(): for a keyset page on
  /// MySQL and MariaDB, the index that reads it from the cursor (` FORCE
  /// INDEX (…)`, see detail::render_keyset_index_hint); nothing otherwise.
  void render_index_hint(detail::sql_builder& b) const {
    if (keyset_)
      detail::render_keyset_index_hint(b, table_model<T>::info, where_ ? &where_->node() : nullptr, full_order());
  }
  /// Appends ` WHERE …` (if any).
  void render_where(detail::sql_builder& b) const {
    if (!where_) return;
    b.text += " WHERE ";
    where_->render(b);
  }
  /// Appends ` ORDER BY …` (the primary key last), then LIMIT / OFFSET in
  /// the dialect's form, then the locking clause.
  void render_order_and_page(detail::sql_builder& b) const {
    detail::render_order_and_page(b, table_model<T>::info, full_order(), limit_, offset_, skip_locked_, locked_);
  }

 private:
  static void check_rows(std::size_t n, char const* what) {
    if (n > limits::max_rows)
      throw error(errc::validation_failed,
                  std::string(what) + " " + std::to_string(n) + " exceeds " + std::to_string(limits::max_rows), what);
  }

  std::optional<predicate<T>> where_;
  std::vector<detail::order_column> order_;
  std::optional<std::size_t> limit_, offset_;
  bool skip_locked_ = false;
  bool locked_ = false;
  bool keyset_ = false;  ///< after() set a cursor
};

/// `set(&T::m, value)` for update_where(): assigns a column.
template <class T>
struct assignment {
  std::size_t index = 0;
  detail::cell value;             ///< converted and checked when built
  bool increment = false;         ///< `col = col + value`
  std::function<void(T&)> apply;  ///< the same, in memory

  /// `col = :p` (or `col = col + :p`).
  void render(detail::sql_builder& b) const {
    detail::render_assignment(b, table_model<T>::columns[index], value, increment);
  }
};

template <class T, class M, class V>
requires has_table_traits<T> && column_value<M> && std::convertible_to<V, M> assignment<T> set(M T::*member,
                                                                                               V const& value) {
  M const v = static_cast<M>(value);
  auto const index = detail::column_index(member);
  if (table_model<T>::columns[index].primary_key)
    throw error(errc::validation_failed, "update_where cannot change the primary key");
  detail::cell c;
  detail::to_column_cell(table_model<T>::info, index, v, c, true);
  return {index, std::move(c), false, [member, v](T& row) { row.*member = v; }};
}

/// `increment(&T::m, n)` for update_where(): `m = m + n`, computed by the
/// database from the stored value (no read-modify-write race).
template <class T, class M>
requires has_table_traits<T> && std::integral<M> assignment<T> increment(M T::*member, std::type_identity_t<M> by) {
  auto const index = detail::column_index(member);
  auto const& info = table_model<T>::columns[index];
  if (info.primary_key || info.version)
    throw error(errc::validation_failed, "update_where cannot increment the primary key or the version");
  detail::cell c;
  detail::to_cell(by, c);
  return {index, std::move(c), true, [member, by](T& row) { row.*member += by; }};
}

}  // namespace taskstore
