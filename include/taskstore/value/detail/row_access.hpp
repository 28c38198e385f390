// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Rows as data rather than code: a table of one entry per column, each the
// member's address in a row and the codec of the member's C++ type. A codec
// is compiled once per C++ type (std::string, timestamp, an enum, …) and
// shared by every table, so a row type costs one small table and one tiny
// function per member, where a fold over the members in every operation
// compiled each member's conversion once per operation and table. Reading a
// result row is the exception (read_row, below): the hot path keeps its fold.

#include <taskstore/detail/config.hpp>
#include <taskstore/reflect/described.hpp>
#include <taskstore/reflect/member.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/value/detail/cell.hpp>

#include <array>
#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace taskstore::detail {

/// How values of one C++ type move to and from a cell.
struct value_codec {
  /// to_cell(): `checked` refuses what no backend stores alike.
  void (*write)(void const* value, cell& c, bool checked);
  /// a == b; false for a type without == (its column always counts as changed).
  bool (*equal)(void const* a, void const* b);
  /// What the value adds to a statement, roughly: its size() or 16.
  std::size_t (*bytes)(void const* value);
};

/// About what `v` adds to a statement: text its size, JSON its serialized
/// size (so that chunks of rows with large JSON stay under a server's
/// packet limit), anything else 16.
template <class U>
std::size_t approx_bytes(U const& v) {
  if constexpr (is_optional<U>::value) {
    return v ? approx_bytes(*v) : 16;
  } else if constexpr (std::is_same_v<U, std::string>) {
    return v.size();
  } else if constexpr (std::is_same_v<U, boost::json::value>) {
    // The serializer recurses: a value too deep to store is refused later, when bound.
    return json_depth(v, limits::max_json_depth) > limits::max_json_depth ? 16 : boost::json::serialize(v).size();
  } else if constexpr (is_json_column<U>::value) {
    if constexpr (std::is_same_v<typename U::value_type, boost::json::value>)
      return approx_bytes(v.get());
    else
      return boost::json::serialize(to_json(v.get())).size();
  } else {
    return 16;
  }
}

template <class U>
inline constexpr value_codec codec_of{
    [](void const* v, cell& c, bool checked) { to_cell(*static_cast<U const*>(v), c, checked); },
    [](void const* a, void const* b) {
      if constexpr (std::equality_comparable<U>)
        return *static_cast<U const*>(a) == *static_cast<U const*>(b);
      else
        return false;
    },
    [](void const* v) -> std::size_t { return approx_bytes(*static_cast<U const*>(v)); },
};

/// One column of a row type: where its member is, and how it converts.
struct column_access {
  void* (*address)(void* row) noexcept;
  value_codec const* codec;

  void write(void const* row, cell& c, bool checked = true) const {
    codec->write(address(const_cast<void*>(row)), c, checked);  // read only
  }
  bool equal(void const* a, void const* b) const {
    return codec->equal(address(const_cast<void*>(a)), address(const_cast<void*>(b)));  // read only
  }
  std::size_t bytes(void const* row) const { return codec->bytes(address(const_cast<void*>(row))); }
};

template <class T, auto Member>
void* member_address(void* row) noexcept {
  return &(static_cast<T*>(row)->*Member);
}

/// T's columns in table_model<T>::columns order.
template <class T>
inline constexpr auto row_access = []<template <class...> class L, class... D>(L<D...>*) {
  return std::array<column_access, sizeof...(D)>{
      column_access{&member_address<T, D::pointer>, &codec_of<member_type_t<decltype(D::pointer)>>}...};
}(static_cast<public_members<T>*>(nullptr));

/// Refuses what `v`, bound to column `c` of table `t`, may not hold: beyond a
/// constraint table_traits declares (max_length, non_empty, min/max), a
/// version at its type's maximum (it could not be incremented), text or JSON
/// over limits::max_value_bytes. The database's CHECK stays as the backstop.
/// @throws error validation_failed naming `table.column`, the same text on every backend.
TASKSTORE_DECL void check_value(table_info const& t, column_info const& c, cell const& v);

/// @throws error validation_failed `table.column: what`, naming `table.column`.
[[noreturn]] TASKSTORE_DECL void refuse(table_info const& t, column_info const& c, std::string_view what);

/// to_cell(v, c) for column `i` of `t`, its refusals naming `table.column`;
/// `constraints`: check_value() too (a value written, not one compared).
template <class V>
void to_column_cell(table_info const& t, std::size_t i, V const& v, cell& c, bool constraints) {
  try {
    to_cell(v, c);
  } catch (error const& e) {
    if (e.code() != errc::validation_failed || !e.field().empty()) throw;
    refuse(t, t.columns[i], e.what());
  }
  if (constraints) check_value(t, t.columns[i], c);
}

/// A row type as the row-independent code sees it.
struct row_layout {
  table_info const& table;  // table_model<T>::info
  std::span<column_access const> columns;
  std::size_t size;  ///< sizeof the row type: the stride of an array of rows

  template <class T>
  static constexpr row_layout of() noexcept {
    return {table_model<T>::info, row_access<T>, sizeof(T)};
  }

  /// Writes column `i` of `row` into `c` and check_value()s it: every value
  /// a statement binds from a row goes through here.
  /// @throws error validation_failed naming `table.column`.
  TASKSTORE_DECL void write(std::size_t i, void const* row, cell& c) const;

  /// Writes the columns an INSERT binds, of rows [first, first + n) of an
  /// array, into `cells` from position `at`; returns the next position.
  /// @throws error validation_failed naming the column of a value write()
  ///         refuses, or the one that takes a row's text and JSON beyond
  ///         limits::max_row_bytes.
  TASKSTORE_DECL std::size_t write_insert(void const* first, std::size_t n, key_source key, std::vector<cell>& cells,
                                          std::size_t at) const;

  /// Writes the columns at `changed` (ascending), then the key, then the
  /// version: what an UPDATE by key binds. Like write_insert(), refuses a
  /// row whose text and JSON exceed limits::max_row_bytes together.
  TASKSTORE_DECL void write_update(void const* row, std::span<std::size_t const> changed,
                                   std::vector<cell>& cells) const;

  /// Writes into `out` (room for every column) the positions of the
  /// non-key, non-version columns whose values differ between `row` and
  /// `before`, ascending. @returns how many.
  TASKSTORE_DECL std::size_t changes(void const* row, void const* before, std::span<std::size_t> out) const;

  /// About what `row` adds to a multi-row statement.
  TASKSTORE_DECL std::size_t bytes(void const* row) const;
};

/// Reads a whole row from result cells in column order. Compiled per row
/// type, unlike the rest: every get and every row of a list runs it, and
/// through the codec table a get took measurably longer than hand-written SOCI.
template <class T>
void read_row(std::vector<cell> const& cells, T& out) {
  std::size_t i = 0;
  table_model<T>::for_each_column(out,
                                  [&](column_info const& c, auto& member) { from_cell(cells[i++], member, c.name); });
}

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/value/detail/impl/row_access.ipp>
#endif
