// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/sql/detail/query_support.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/sql/detail/query_support.hpp>
#include <taskstore/sql/statements.hpp>

#include <algorithm>

namespace taskstore::detail {

void sql_builder::bind(cell const& value, column_type type) {
  placeholder(type);
  cells.push_back(value);
}
void sql_builder::placeholder(column_type type) {
  text += sql::param(slots.size());
  slots.push_back(write_slot(type));
}

bool like_match(std::string_view s, std::string_view p) {
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
