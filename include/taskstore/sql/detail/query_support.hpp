// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/detail/config.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/sql/dialect.hpp>
#include <taskstore/value/detail/cell.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace taskstore::detail {

/// Collects a statement's text and its bound values, numbering parameters.
struct sql_builder {
  sql::dialect const& dialect;
  std::string text;
  std::vector<cell> cells{};
  std::vector<cell_slot> slots{};

  /// Appends a placeholder bound to `value`.
  template <class V>
  void param(V const& value, column_type type) {
    placeholder(type);
    to_cell(value, cells.emplace_back());
  }
  /// Appends a placeholder bound to a value already converted.
  TASKSTORE_DECL void bind(cell const& value, column_type type);
  /// Appends a placeholder without a value: for a statement text that is
  /// cached and bound by its runner (then no call here binds a value).
  TASKSTORE_DECL void placeholder(column_type type);
  void column(std::string_view name) { text += dialect.quote(name); }
};

/// The value a member holds: M, or the U of std::optional<U>.
template <class M>
struct value_of {
  using type = M;
};
template <class U>
struct value_of<std::optional<U>> {
  using type = U;
};
template <class M>
using value_of_t = typename value_of<M>::type;

/// The position of `member` among T's columns.
template <class T, class M>
std::size_t column_index(M T::*member) noexcept {
  return table_model<T>::index_of(member);
}

/// SQL LIKE with `!` as the escape character, case-sensitive, on bytes: what
/// every backend does (SQLite with case_sensitive_like, PostgreSQL, MariaDB
/// with a binary collation). `_` matches one UTF-8 character.
TASKSTORE_DECL bool like_match(std::string_view s, std::string_view p);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/sql/detail/impl/query_support.ipp>
#endif
