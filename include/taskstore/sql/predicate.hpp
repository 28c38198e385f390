// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Predicates over member pointers: `col(&task::user_id) == 7 && col(&task::status).in({…})`.
/// Every value is a bound parameter. A predicate renders SQL for any dialect
/// and also evaluates against a row in memory with SQL's three-valued logic
/// (a comparison with NULL is unknown; unknown rows are not selected), so
/// memory_repository answers exactly as the databases do.

#include <taskstore/detail/config.hpp>
#include <taskstore/sql/detail/condition.hpp>
#include <taskstore/sql/detail/query_support.hpp>
#include <taskstore/value/detail/row_access.hpp>

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// A column that supports `<`, `>`, ordering: not an enum (names do not sort by
/// meaning; store a rank column) and not JSON.
template <class V>
concept orderable_value = column_value<V> && !described_enum<V> && column_type_of<V>::type != column_type::json;
/// A column that supports `==`, `in`, …: anything but JSON.
template <class V>
concept comparable_value = column_value<V> && column_type_of<V>::type != column_type::json;

namespace detail {
/// Reads column `index` of a T (behind `row`) into `out`, unchecked: one
/// function per table, through which the type-independent conditions see rows.
template <class T>
void read_column(void const* row, std::size_t index, cell& out) {
  row_access<T>[index].write(row, out, false);
}
template <class T>
row_ref row_ref_of(T const& row) noexcept {
  return {&row, &read_column<T>};
}
}  // namespace detail

/// A condition on rows of T: a typed handle on a detail::condition.
template <class T>
class predicate {
 public:
  explicit predicate(detail::condition_ptr c) : node_(std::move(c)) {}

  /// TRUE or FALSE.
  static predicate constant(bool value) { return predicate(detail::constant_condition(value)); }

  void render(detail::sql_builder& b) const { detail::render(*node_, table_model<T>::info, b); }
  /// The condition tree, for the SQL layer.
  detail::condition const& node() const noexcept { return *node_; }
  /// True, false, or unknown (nullopt) for `row`, as SQL would judge it.
  std::optional<bool> evaluate(T const& row) const {
    return detail::evaluate(*node_, table_model<T>::info, detail::row_ref_of(row));
  }
  /// Whether SQL would select `row`.
  bool matches(T const& row) const { return evaluate(row).value_or(false); }

  friend predicate operator&&(predicate a, predicate b) {
    return predicate(detail::and_condition(std::move(a.node_), std::move(b.node_)));
  }
  friend predicate operator||(predicate a, predicate b) {
    return predicate(detail::or_condition(std::move(a.node_), std::move(b.node_)));
  }
  friend predicate operator!(predicate a) { return predicate(detail::not_condition(std::move(a.node_))); }

 private:
  detail::condition_ptr node_;
};

/// A column of T in a query: `col(&task::status)`. Values are converted to
/// what the column binds when the predicate is built, so that text no backend
/// stores alike is refused there (error validation_failed).
template <class T, class M>
class column_ref {
 public:
  using value_type = detail::value_of_t<M>;
  static constexpr bool nullable = column_type_of<M>::nullable;

  explicit column_ref(M T::*member) : index_(detail::column_index(member)) {
    if (index_ >= table_model<T>::column_count) throw error(errc::validation_failed, "member is not a column");
  }

  std::size_t index() const noexcept { return index_; }
  column_info const& info() const noexcept { return table_model<T>::columns[index_]; }

  /// `column <op> value`.
  predicate<T> compare(detail::compare_op op, value_type const& value) const {
    return predicate<T>(detail::compare_condition(index_, op, cell_of(value)));
  }

  /// `column IN (values…)`; an empty list matches nothing.
  predicate<T> in(std::vector<value_type> const& values) const requires comparable_value<value_type> {
    return membership(values, false);
  }
  predicate<T> in(std::initializer_list<value_type> values) const requires comparable_value<value_type> {
    return membership(values, false);
  }
  /// `column NOT IN (values…)`; an empty list matches every row.
  predicate<T> not_in(std::vector<value_type> const& values) const requires comparable_value<value_type> {
    return membership(values, true);
  }
  predicate<T> not_in(std::initializer_list<value_type> values) const requires comparable_value<value_type> {
    return membership(values, true);
  }

  predicate<T> is_null() const { return predicate<T>(detail::null_condition(index_, true)); }
  predicate<T> is_not_null() const { return predicate<T>(detail::null_condition(index_, false)); }

  /// `column LIKE pattern ESCAPE '!'`: `%` and `_` are wildcards, `!` escapes;
  /// case-sensitive on every backend. Put user text through escape_like().
  predicate<T> like(std::string const& pattern) const requires std::is_same_v<value_type, std::string> {
    return predicate<T>(detail::like_condition(index_, cell_of(pattern)));
  }

  /// `column BETWEEN low AND high` (both included).
  predicate<T> between(value_type const& low, value_type const& high) const requires orderable_value<value_type> {
    return predicate<T>(detail::between_condition(index_, cell_of(low), cell_of(high)));
  }

 private:
  detail::cell cell_of(value_type const& v) const {
    detail::cell c;
    detail::to_column_cell(table_model<T>::info, index_, v, c, false);
    return c;
  }
  template <class Values>
  predicate<T> membership(Values const& values, bool negate) const {
    std::vector<detail::cell> cells;
    cells.reserve(values.size());
    for (auto const& v : values) cells.push_back(cell_of(v));
    return predicate<T>(detail::in_condition(index_, std::move(cells), negate));
  }

  std::size_t index_;
};

/// The column storing `member`, for building predicates.
template <class T, class M>
requires has_table_traits<T> && column_value<M> column_ref<T, M> col(M T::*member) { return column_ref<T, M>(member); }

// Comparisons. The value converts to the member's type (std::optional's inner type).
template <class T, class M, class V>
requires comparable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator==(column_ref<T, M> c, V const& v) { return c.compare(detail::compare_op::eq, v); }
template <class T, class M, class V>
requires comparable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator!=(column_ref<T, M> c, V const& v) { return c.compare(detail::compare_op::ne, v); }
template <class T, class M, class V>
requires orderable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator<(column_ref<T, M> c, V const& v) { return c.compare(detail::compare_op::lt, v); }
template <class T, class M, class V>
requires orderable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator<=(column_ref<T, M> c, V const& v) { return c.compare(detail::compare_op::le, v); }
template <class T, class M, class V>
requires orderable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator>(column_ref<T, M> c, V const& v) { return c.compare(detail::compare_op::gt, v); }
template <class T, class M, class V>
requires orderable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator>=(column_ref<T, M> c, V const& v) { return c.compare(detail::compare_op::ge, v); }

/// `text` with LIKE's wildcards and the escape character escaped, so that it
/// matches itself: `like(escape_like(user_text) + "%")`.
TASKSTORE_DECL std::string escape_like(std::string_view text);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/sql/impl/predicate.ipp>
#endif
