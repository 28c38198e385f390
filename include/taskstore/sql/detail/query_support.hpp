// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/detail/cell.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/sql/dialect.hpp>
#include <taskstore/sql/statements.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace taskstore::detail {

/// Collects a statement's text and its bound values, numbering parameters.
struct sql_builder {
  sql::dialect dialect;
  std::string text;
  std::vector<cell> cells;
  std::vector<cell_slot> slots;

  /// Appends a placeholder bound to `value`.
  template <class V>
  void param(V const& value, column_type type) {
    placeholder(type);
    to_cell(value, cells.emplace_back());
  }
  /// Appends a placeholder bound to a value already converted.
  void bind(cell const& value, column_type type) {
    placeholder(type);
    cells.push_back(value);
  }
  /// Appends a placeholder without a value: for a statement text that is
  /// cached and bound by its runner (then no call here binds a value).
  void placeholder(column_type type) {
    text += sql::param(slots.size());
    slots.push_back(write_slot(type));
  }
  void column(std::string_view name) { text += sql::quote(dialect, name); }
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
inline bool like_match(std::string_view s, std::string_view p) {
  auto char_len = [](std::string_view t, std::size_t i) {
    auto const c = static_cast<unsigned char>(t[i]);
    std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return std::min(n, t.size() - i);
  };
  std::size_t si = 0, pi = 0, star_p = std::string_view::npos, star_s = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '%') {
      star_p = ++pi;
      star_s = si;
      continue;
    }
    if (pi < p.size() && p[pi] == '_') {
      si += char_len(s, si);
      ++pi;
      continue;
    }
    if (pi < p.size()) {
      std::size_t lit = pi;
      if (p[pi] == '!' && pi + 1 < p.size()) lit = pi + 1;
      if (s[si] == p[lit]) {
        ++si;
        pi = lit + 1;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    star_s += char_len(s, star_s);
    si = star_s;
    pi = star_p;
  }
  while (pi < p.size() && p[pi] == '%') ++pi;
  return pi == p.size();
}

}  // namespace taskstore::detail
