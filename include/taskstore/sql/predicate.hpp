// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Predicates over member pointers: `col(&task::user_id) == 7 && col(&task::status).in({…})`.
/// Every value is a bound parameter. A predicate renders SQL for any dialect
/// and also evaluates against a row in memory with SQL's three-valued logic
/// (a comparison with NULL is unknown; unknown rows are not selected), so
/// memory_repository answers exactly as the databases do.

#include <taskstore/sql/detail/query_support.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
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

/// A condition on rows of T.
template <class T>
class predicate {
 public:
  using render_fn = std::function<void(detail::sql_builder&)>;
  using eval_fn = std::function<std::optional<bool>(T const&)>;

  predicate(render_fn render, eval_fn eval)
      : node_(std::make_shared<node const>(node{std::move(render), std::move(eval)})) {}

  /// TRUE or FALSE.
  static predicate constant(bool value) {
    return {[value](detail::sql_builder& b) { b.text += value ? "1 = 1" : "1 = 0"; },
            [value](T const&) -> std::optional<bool> { return value; }};
  }

  void render(detail::sql_builder& b) const { node_->render(b); }
  /// True, false, or unknown (nullopt) for `row`, as SQL would judge it.
  std::optional<bool> evaluate(T const& row) const { return node_->eval(row); }
  /// Whether SQL would select `row`.
  bool matches(T const& row) const { return evaluate(row).value_or(false); }

  friend predicate operator&&(predicate a, predicate b) {
    return {[a, b](detail::sql_builder& s) {
              s.text += '(';
              a.render(s);
              s.text += " AND ";
              b.render(s);
              s.text += ')';
            },
            [a, b](T const& row) -> std::optional<bool> {
              auto const x = a.evaluate(row), y = b.evaluate(row);
              if (x == false || y == false) return false;
              if (!x || !y) return std::nullopt;
              return true;
            }};
  }
  friend predicate operator||(predicate a, predicate b) {
    return {[a, b](detail::sql_builder& s) {
              s.text += '(';
              a.render(s);
              s.text += " OR ";
              b.render(s);
              s.text += ')';
            },
            [a, b](T const& row) -> std::optional<bool> {
              auto const x = a.evaluate(row), y = b.evaluate(row);
              if (x == true || y == true) return true;
              if (!x || !y) return std::nullopt;
              return false;
            }};
  }
  friend predicate operator!(predicate a) {
    return {[a](detail::sql_builder& s) {
              s.text += "NOT (";
              a.render(s);
              s.text += ')';
            },
            [a](T const& row) -> std::optional<bool> {
              auto const x = a.evaluate(row);
              if (!x) return std::nullopt;
              return !*x;
            }};
  }

 private:
  struct node {
    render_fn render;
    eval_fn eval;
  };
  std::shared_ptr<node const> node_;
};

/// A column of T in a query: `col(&task::status)`.
template <class T, class M>
class column_ref {
 public:
  using value_type = detail::value_of_t<M>;
  static constexpr bool nullable = column_type_of<M>::nullable;

  explicit column_ref(M T::*member) : member_(member), index_(detail::column_index(member)) {
    if (index_ >= table_model<T>::column_count) throw error(errc::validation_failed, "member is not a column");
  }

  M T::*member() const noexcept { return member_; }
  column_info const& info() const noexcept { return table_model<T>::columns[index_]; }

  /// `column <op> value`; `op` is the SQL operator, `cmp` the C++ test.
  template <class Cmp>
  predicate<T> compare(char const* op, value_type value, Cmp cmp) const {
    auto const self = *this;
    return {[self, op, value](detail::sql_builder& b) {
              b.column(self.info().name);
              b.text += ' ';
              b.text += op;
              b.text += ' ';
              b.param(value, self.info().type);
            },
            [self, value, cmp](T const& row) -> std::optional<bool> {
              auto const* v = self.get(row);
              if (!v) return std::nullopt;
              return cmp(*v, value);
            }};
  }

  /// `column IN (values…)`; an empty list matches nothing.
  predicate<T> in(std::vector<value_type> values) const requires comparable_value<value_type> {
    return membership(std::move(values), false);
  }
  predicate<T> in(std::initializer_list<value_type> values) const requires comparable_value<value_type> {
    return membership(std::vector<value_type>(values), false);
  }
  /// `column NOT IN (values…)`; an empty list matches every row.
  predicate<T> not_in(std::vector<value_type> values) const requires comparable_value<value_type> {
    return membership(std::move(values), true);
  }
  predicate<T> not_in(std::initializer_list<value_type> values) const requires comparable_value<value_type> {
    return membership(std::vector<value_type>(values), true);
  }

  predicate<T> is_null() const { return null_test(true); }
  predicate<T> is_not_null() const { return null_test(false); }

  /// `column LIKE pattern ESCAPE '!'`: `%` and `_` are wildcards, `!` escapes;
  /// case-sensitive on every backend. Put user text through escape_like().
  predicate<T> like(std::string pattern) const requires std::is_same_v<value_type, std::string> {
    auto const self = *this;
    return {[self, pattern](detail::sql_builder& b) {
              b.column(self.info().name);
              b.text += " LIKE ";
              b.param(pattern, column_type::text);
              b.text += " ESCAPE '!'";
            },
            [self, pattern](T const& row) -> std::optional<bool> {
              auto const* v = self.get(row);
              if (!v) return std::nullopt;
              return detail::like_match(*v, pattern);
            }};
  }

  /// `column BETWEEN low AND high` (both included).
  predicate<T> between(value_type low, value_type high) const requires orderable_value<value_type> {
    auto const self = *this;
    return {[self, low, high](detail::sql_builder& b) {
              b.column(self.info().name);
              b.text += " BETWEEN ";
              b.param(low, self.info().type);
              b.text += " AND ";
              b.param(high, self.info().type);
            },
            [self, low, high](T const& row) -> std::optional<bool> {
              auto const* v = self.get(row);
              if (!v) return std::nullopt;
              return !(*v < low) && !(high < *v);
            }};
  }

  /// The member's value in `row`, or nullptr for NULL.
  value_type const* get(T const& row) const {
    auto const& m = row.*member_;
    if constexpr (nullable)
      return m ? &*m : nullptr;
    else
      return &m;
  }

 private:
  predicate<T> membership(std::vector<value_type> values, bool negate) const {
    if (values.empty()) return predicate<T>::constant(negate);
    auto const self = *this;
    return {[self, values, negate](detail::sql_builder& b) {
              b.column(self.info().name);
              b.text += negate ? " NOT IN (" : " IN (";
              for (std::size_t i = 0; i < values.size(); ++i) {
                if (i) b.text += ", ";
                b.param(values[i], self.info().type);
              }
              b.text += ')';
            },
            [self, values, negate](T const& row) -> std::optional<bool> {
              auto const* v = self.get(row);
              if (!v) return std::nullopt;
              bool const found = std::find(values.begin(), values.end(), *v) != values.end();
              return found != negate;
            }};
  }
  predicate<T> null_test(bool want_null) const {
    auto const self = *this;
    return {[self, want_null](detail::sql_builder& b) {
              b.column(self.info().name);
              b.text += want_null ? " IS NULL" : " IS NOT NULL";
            },
            [self, want_null](T const& row) -> std::optional<bool> { return (self.get(row) == nullptr) == want_null; }};
  }

  M T::*member_;
  std::size_t index_;
};

/// The column storing `member`, for building predicates.
template <class T, class M>
requires has_table_traits<T> && column_value<M> column_ref<T, M> col(M T::*member) { return column_ref<T, M>(member); }

// Comparisons. The value converts to the member's type (std::optional's inner type).
template <class T, class M, class V>
requires comparable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator==(column_ref<T, M> c, V const& v) {
  return c.compare("=", v, [](auto const& a, auto const& b) { return a == b; });
}
template <class T, class M, class V>
requires comparable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator!=(column_ref<T, M> c, V const& v) {
  return c.compare("<>", v, [](auto const& a, auto const& b) { return !(a == b); });
}
template <class T, class M, class V>
requires orderable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator<(column_ref<T, M> c, V const& v) {
  return c.compare("<", v, [](auto const& a, auto const& b) { return a < b; });
}
template <class T, class M, class V>
requires orderable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator<=(column_ref<T, M> c, V const& v) {
  return c.compare("<=", v, [](auto const& a, auto const& b) { return !(b < a); });
}
template <class T, class M, class V>
requires orderable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator>(column_ref<T, M> c, V const& v) {
  return c.compare(">", v, [](auto const& a, auto const& b) { return b < a; });
}
template <class T, class M, class V>
requires orderable_value<detail::value_of_t<M>> && std::convertible_to<V, detail::value_of_t<M>> predicate<T>
operator>=(column_ref<T, M> c, V const& v) {
  return c.compare(">=", v, [](auto const& a, auto const& b) { return !(a < b); });
}

/// `text` with LIKE's wildcards and the escape character escaped, so that it
/// matches itself: `like(escape_like(user_text) + "%")`.
inline std::string escape_like(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out;
}

}  // namespace taskstore
