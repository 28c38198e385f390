// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/value/detail/row_access.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/value/detail/row_access.hpp>

#include <taskstore/limits.hpp>
#include <taskstore/types/utf8.hpp>

#include <cstdint>
#include <limits>
#include <string>

namespace taskstore::detail {

void refuse(table_info const& t, column_info const& c, std::string_view what) {
  auto name = std::string(t.name) + '.' + std::string(c.name);
  throw error(errc::validation_failed, name + ": " + std::string(what), name);
}

void check_value(table_info const& t, column_info const& c, cell const& v) {
  if (v.null) return;
  auto const& o = c.options;
  switch (write_slot(c.type)) {
    case cell_slot::integer:
      if (o.has_min && v.integer < o.min) refuse(t, c, "is less than " + std::to_string(o.min));
      if (o.has_max && v.integer > o.max) refuse(t, c, "is greater than " + std::to_string(o.max));
      if (o.has_accepts && v.integer < o.accepts_min) refuse(t, c, "is less than " + std::to_string(o.accepts_min));
      if (o.has_accepts && v.integer > o.accepts_max) refuse(t, c, "is greater than " + std::to_string(o.accepts_max));
      if (c.version && v.integer >= (c.type == column_type::int32 ? std::numeric_limits<std::int32_t>::max()
                                                                  : std::numeric_limits<std::int64_t>::max()))
        refuse(t, c, "is at its largest value and cannot be incremented");
      break;
    case cell_slot::real: break;  // to_cell refused what is not finite
    case cell_slot::text:
      if (o.non_empty && v.text.empty()) refuse(t, c, "must not be empty");
      // A character has at least one byte: only a longer text needs counting.
      if (o.max_length && v.text.size() > o.max_length && utf8_length(v.text) > o.max_length)
        refuse(t, c, "is longer than " + std::to_string(o.max_length) + " characters");
      if (v.text.size() > limits::max_value_bytes)
        refuse(t, c, "is larger than " + std::to_string(limits::max_value_bytes >> 20) + " MiB");
      break;
  }
}

void row_layout::write(std::size_t i, void const* row, cell& c) const {
  try {
    columns[i].write(row, c);
  } catch (error const& e) {
    // to_cell's refusals know the value, not the column.
    if (e.code() != errc::validation_failed || !e.field().empty()) throw;
    refuse(table, table.columns[i], e.what());
  }
  check_value(table, table.columns[i], c);
}

/// Adds what column `i` put in `c` to a row's `total`, refusing the column that takes it past max_row_bytes.
inline void add_row_bytes(table_info const& t, std::size_t i, cell const& c, std::size_t& total) {
  if (c.null || write_slot(t.columns[i].type) != cell_slot::text) return;
  total += c.text.size();
  if (total > limits::max_row_bytes)
    refuse(t, t.columns[i],
           "the row's text and JSON values total more than " + std::to_string(limits::max_row_bytes >> 20) + " MiB");
}

std::size_t row_layout::write_insert(void const* first, std::size_t n, key_source key, std::vector<cell>& cells,
                                     std::size_t at) const {
  auto const* row = static_cast<char const*>(first);
  for (std::size_t r = 0; r < n; ++r, row += size) {
    std::size_t total = 0;
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (key == key_source::row || !table.columns[i].generated) {
        write(i, row, cells[at]);
        add_row_bytes(table, i, cells[at++], total);
      }
  }
  return at;
}

void row_layout::write_update(void const* row, std::span<std::size_t const> changed, std::vector<cell>& cells) const {
  std::size_t n = 0, total = 0;
  for (auto const i : changed) {
    write(i, row, cells[n]);
    add_row_bytes(table, i, cells[n++], total);
  }
  write(table.key_index, row, cells[n++]);
  if (table.version_index) write(*table.version_index, row, cells[n++]);
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
