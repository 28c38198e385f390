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

#include <taskstore/sql/predicate.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace taskstore {

/// One ORDER BY term: `asc(&T::m)` or `desc(&T::m)`.
template <class T>
struct order_term {
  std::size_t index = 0;
  bool descending = false;
  /// <0 when `a` comes first, as the database orders.
  std::function<int(T const&, T const&)> compare;
  /// The column equals the cursor's value (IS NULL for a NULL).
  std::function<predicate<T>(T const&)> equal_to;
  /// The column comes after the cursor's value in this term's direction.
  std::function<predicate<T>(T const&)> after;
  /// The column equals or comes after the cursor's value: implied by the
  /// keyset condition, and what lets an index range start at the cursor.
  std::function<std::optional<predicate<T>>(T const&)> at_or_after;
};

namespace detail {
template <class T, class M>
order_term<T> make_order(M T::*member, bool descending) {
  column_ref<T, M> const c(member);
  order_term<T> t;
  t.index = column_index(member);
  t.descending = descending;
  t.compare = [c, descending](T const& a, T const& b) {
    auto const *x = c.get(a), *y = c.get(b);
    int r = 0;
    if (!x || !y)
      r = (x ? 1 : 0) - (y ? 1 : 0);  // NULL is smallest
    else
      r = *x < *y ? -1 : *y < *x ? 1 : 0;
    return descending ? -r : r;
  };
  t.equal_to = [c](T const& cursor) {
    auto const* v = c.get(cursor);
    return v ? c == *v : c.is_null();
  };
  t.after = [c, descending](T const& cursor) {
    auto const* v = c.get(cursor);
    if (!descending) return v ? c > *v : c.is_not_null();
    if (!v) return predicate<T>::constant(false);
    if constexpr (column_ref<T, M>::nullable)
      return c < *v || c.is_null();
    else
      return c < *v;
  };
  t.at_or_after = [c, descending](T const& cursor) -> std::optional<predicate<T>> {
    auto const* v = c.get(cursor);
    if (!v) return std::nullopt;  // NULL is smallest: no range to start from
    if (!descending) return c >= *v;
    if constexpr (column_ref<T, M>::nullable)
      return c <= *v || c.is_null();
    else
      return c <= *v;
  };
  return t;
}
}  // namespace detail

/// Ascending, NULLs first.
template <class T, class M>
requires orderable_value<detail::value_of_t<M>> order_term<T> asc(M T::*member) {
  return detail::make_order(member, false);
}
/// Descending, NULLs last.
template <class T, class M>
requires orderable_value<detail::value_of_t<M>> order_term<T> desc(M T::*member) {
  return detail::make_order(member, true);
}

/// What to read: which rows (`where`), in which order, which page.
namespace detail {
struct order_column {
  std::size_t index = 0;
  bool descending = false;
};

/// query<T>::render_order_and_page() for any table (compiled once).
inline void render_order_and_page(sql_builder& b, table_info const& table, std::vector<order_column> const& order,
                                  std::optional<std::size_t> limit, std::optional<std::size_t> offset,
                                  bool skip_locked) {
  b.text += " ORDER BY ";
  bool first = true;
  for (auto const& t : order) {
    auto const& c = table.columns[t.index];
    if (!first) b.text += ", ";
    first = false;
    b.column(c.name);
    if (t.descending) b.text += " DESC";
    // PostgreSQL sorts NULLs last when ascending; the others first.
    if (b.dialect == sql::dialect::postgresql && c.nullable) b.text += t.descending ? " NULLS LAST" : " NULLS FIRST";
  }
  if (limit) b.text += " LIMIT " + std::to_string(*limit);
  if (offset) {
    if (!limit && b.dialect == sql::dialect::mysql) b.text += " LIMIT 18446744073709551615";
    if (!limit && b.dialect == sql::dialect::sqlite) b.text += " LIMIT -1";
    b.text += " OFFSET " + std::to_string(*offset);
  }
  if (skip_locked && b.dialect == sql::dialect::postgresql) b.text += " FOR NO KEY UPDATE SKIP LOCKED";
  if (skip_locked && b.dialect == sql::dialect::mysql) b.text += " FOR UPDATE SKIP LOCKED";
}
}  // namespace detail

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
    query q = *this;
    q.order_ = {std::move(terms)...};
    return q;
  }
  /// At most `n` rows.
  query limit(std::size_t n) const {
    query q = *this;
    q.limit_ = n;
    return q;
  }
  /// Skips the first `n` rows.
  query offset(std::size_t n) const {
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
  /// The rows that come after `cursor` (the last row of the previous page) in
  /// this query's order: keyset pagination, which stays fast on large tables.
  query after(T const& cursor) const {
    auto const order = full_order();
    std::optional<predicate<T>> any;
    std::optional<predicate<T>> prefix;
    for (auto const& term : order) {
      auto step = prefix ? *prefix && term.after(cursor) : term.after(cursor);
      any = any ? *any || step : step;
      prefix = prefix ? *prefix && term.equal_to(cursor) : term.equal_to(cursor);
    }
    // The leading column's range, stated on its own so that the database
    // seeks to the cursor instead of filtering every earlier row.
    if (auto start = order.front().at_or_after(cursor); start && order.size() > 1) return where(*start && *any);
    return where(*any);
  }

  std::optional<predicate<T>> const& condition() const noexcept { return where_; }
  std::optional<std::size_t> limit_value() const noexcept { return limit_; }
  std::optional<std::size_t> offset_value() const noexcept { return offset_; }
  bool skips_locked() const noexcept { return skip_locked_; }

  /// The order with the primary key appended as the final tie-break.
  std::vector<order_term<T>> full_order() const {
    auto out = order_;
    bool has_key = false;
    for (auto const& t : out) has_key = has_key || t.index == table_model<T>::key_index;
    if (!has_key) out.push_back(asc(table_model<T>::key_member));
    return out;
  }

  /// True when `a` comes before `b`.
  bool before(T const& a, T const& b) const {
    for (auto const& t : full_order())
      if (int const r = t.compare(a, b)) return r < 0;
    return false;
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
    std::vector<detail::order_column> order;
    order.reserve(order_.size() + 1);
    bool has_key = false;
    for (auto const& t : order_) {
      order.push_back({t.index, t.descending});
      has_key = has_key || t.index == table_model<T>::key_index;
    }
    if (!has_key) order.push_back({table_model<T>::key_index, false});
    detail::render_order_and_page(b, table_model<T>::info, order, limit_, offset_, skip_locked_);
  }

 private:
  std::optional<predicate<T>> where_;
  std::vector<order_term<T>> order_;
  std::optional<std::size_t> limit_, offset_;
  bool skip_locked_ = false;
};

/// `set(&T::m, value)` for update_where(): assigns a column.
template <class T>
struct assignment {
  std::function<void(detail::sql_builder&)> render;  ///< `col = :p`
  std::function<void(T&)> apply;                     ///< the same, in memory
  std::size_t index = 0;
};

template <class T, class M, class V>
requires has_table_traits<T> && column_value<M> && std::convertible_to<V, M> assignment<T> set(M T::*member,
                                                                                               V const& value) {
  M const v = static_cast<M>(value);
  auto const index = detail::column_index(member);
  auto const& info = table_model<T>::columns[index];
  if (info.primary_key) throw error(errc::validation_failed, "update_where cannot change the primary key");
  return {[&info, v](detail::sql_builder& b) {
            b.column(info.name);
            b.text += " = ";
            b.param(v, info.type);
          },
          [member, v](T& row) { row.*member = v; }, index};
}

/// `increment(&T::m, n)` for update_where(): `m = m + n`, computed by the
/// database from the stored value (no read-modify-write race).
template <class T, class M>
requires has_table_traits<T> && std::integral<M> assignment<T> increment(M T::*member, std::type_identity_t<M> by) {
  auto const index = detail::column_index(member);
  auto const& info = table_model<T>::columns[index];
  if (info.primary_key || info.version)
    throw error(errc::validation_failed, "update_where cannot increment the primary key or the version");
  return {[&info, by](detail::sql_builder& b) {
            b.column(info.name);
            b.text += " = ";
            b.column(info.name);
            b.text += " + ";
            b.param(by, info.type);
          },
          [member, by](T& row) { row.*member += by; }, index};
}

}  // namespace taskstore
