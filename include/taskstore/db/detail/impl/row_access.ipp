// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/row_access.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/row_access.hpp>

namespace taskstore::detail {

std::size_t row_layout::write_insert(void const* first, std::size_t n, bool with_key, std::vector<cell>& cells,
                                     std::size_t at) const {
  auto const* row = static_cast<char const*>(first);
  for (std::size_t r = 0; r < n; ++r, row += size)
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (with_key || !table.columns[i].generated) columns[i].write(row, cells[at++]);
  return at;
}

void row_layout::write_update(void const* row, std::span<std::size_t const> changed, std::vector<cell>& cells) const {
  std::size_t n = 0;
  for (auto const i : changed) columns[i].write(row, cells[n++]);
  columns[table.key_index].write(row, cells[n++]);
  if (table.version_index) columns[*table.version_index].write(row, cells[n++]);
}

std::size_t row_layout::changes(void const* row, void const* before, std::span<std::size_t> out) const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    auto const& c = table.columns[i];
    if (!c.primary_key && !c.version && !columns[i].equal(row, before)) out[n++] = i;
  }
  return n;
}

std::size_t row_layout::bytes(void const* row) const {
  std::size_t n = 16;
  for (auto const& c : columns) n += c.bytes(row);
  return n;
}

}  // namespace taskstore::detail
