// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The compile-time model of a described struct's table, table_model<T>.

#include <taskstore/reflect/column.hpp>
#include <taskstore/reflect/described.hpp>
#include <taskstore/reflect/table_traits.hpp>

#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace taskstore {

/// One column of a table as the SQL layer sees it.
struct column_info {
  std::string_view name;
  column_type type{};
  bool nullable = false;
  bool primary_key = false;
  bool generated = false;  ///< auto-increment key
  bool version = false;    ///< optimistic-locking column
  column_options options{};
  std::string_view const* enum_names = nullptr;  ///< the stored names, for enumerations
  std::size_t enum_count = 0;
  std::size_t enum_max_length = 0;

  /// VARCHAR length: the stated maximum, or the longest name of an enum; 0 for unbounded text.
  constexpr std::size_t max_length() const noexcept {
    return options.max_length ? options.max_length : enum_max_length;
  }
};

/// Where an inserted row's key comes from: the database generates it (the
/// INSERT leaves the key's column out) or the row carries it.
enum class key_source : bool { generated, row };

/// One named index.
struct index_info {
  std::string_view name;
  bool unique = false;
  std::string_view const* columns = nullptr;
  std::size_t column_count = 0;
};

/// A table's model without its C++ type: what the SQL text builders read, so
/// that they are compiled once rather than once per table.
struct table_info {
  std::string_view name;
  std::span<column_info const> columns;
  std::size_t key_index = 0;
  std::optional<std::size_t> version_index;
  std::span<index_info const> indexes;

  constexpr column_info const& key() const noexcept { return columns[key_index]; }
};

/// A table that has a table_traits specialization.
template <class T>
concept has_table_traits = requires {
  { table_traits<T>::table } -> std::convertible_to<std::string_view>;
  table_traits<T>::primary_key;
};

namespace detail {
/// The described enum a member stores (directly or in a std::optional), else void.
template <class M>
struct enum_of {
  using type = void;
};
template <described_enum E>
struct enum_of<E> {
  using type = E;
};
template <described_enum E>
struct enum_of<std::optional<E>> {
  using type = E;
};
template <class M>
using enum_of_t = typename enum_of<M>::type;

template <class D>
constexpr column_info describe_column() {
  using M = member_type_t<decltype(D::pointer)>;
  static_assert(column_value<M>,
                "taskstore: a described member has a type with no column mapping (bool, std::int32_t, std::int64_t, "
                "double, std::string, timestamp, uuid, json<T>, boost::json::value, a described enum, or "
                "std::optional of one)");
  column_info c;
  c.name = D::name;
  c.type = column_type_of<M>::type;
  c.nullable = column_type_of<M>::nullable;
  using E = enum_of_t<M>;
  if constexpr (!std::is_void_v<E>) {
    c.enum_names = enum_names<E>.data();
    c.enum_count = enum_names<E>.size();
    c.enum_max_length = enum_max_length<E>;
  }
  return c;
}

/// The position of `member` among the descriptors of `Members`, or their count.
template <class Members, class P>
constexpr std::size_t member_index(P member) noexcept {
  return []<template <class...> class L, class... D>(L<D...>*, P m) {
    std::size_t index = sizeof...(D), i = 0;
    ((index = same_pointer(D::pointer, m) && index == sizeof...(D) ? i : index, ++i), ...);
    return index;
  }(static_cast<Members*>(nullptr), member);
}
}  // namespace detail

/// The compile-time model of T's table: columns in described order, key,
/// version column and indexes, merged from BOOST_DESCRIBE_STRUCT, the C++
/// types and table_traits<T>. The SQL layer reads only this.
template <class T>
struct table_model {
  static_assert(described_struct<T>, "taskstore: T is not described: add BOOST_DESCRIBE_STRUCT(T, (), (...))");
  static_assert(has_table_traits<T>,
                "taskstore: T has no table: specialize taskstore::table_traits<T> with `table` and `primary_key`");

  using traits = table_traits<T>;
  using members = detail::public_members<T>;
  /// The C++ type of the primary key.
  using key_type = detail::member_type_t<decltype(std::remove_cvref_t<decltype(traits::primary_key)>::member)>;
  /// The pointer to the key member.
  static constexpr auto key_member = std::remove_cvref_t<decltype(traits::primary_key)>::member;
  static constexpr std::size_t column_count = boost::mp11::mp_size<members>::value;
  static constexpr std::string_view table = traits::table;

  static constexpr std::array<column_info, column_count> columns = [] {
    // One describe_column per member and one lookup per spec, rather than
    // every spec tested against every member: this runs for every table in
    // every translation unit.
    auto out = []<template <class...> class L, class... D>(L<D...>*) {
      return std::array<column_info, column_count>{detail::describe_column<D>()...};
    }(static_cast<members*>(nullptr));
    if constexpr (requires { traits::columns; }) {
      std::apply(
          [&](auto const&... specs) { ((out[detail::member_index<members>(specs.member)].options = specs), ...); },
          traits::columns);
    }
    if (auto const k = detail::member_index<members>(traits::primary_key.member); k < column_count) {
      out[k].primary_key = true;
      out[k].generated = traits::primary_key.generated;
      if (out[k].nullable) throw "taskstore: the primary key cannot be std::optional";
    }
    if constexpr (requires { traits::version; }) {
      if (auto const k = detail::member_index<members>(traits::version.member); k < column_count) out[k].version = true;
    }
    for (auto const& c : out)
      if (c.options.references.action == on_delete::set_null && !c.nullable)
        throw "taskstore: ON DELETE SET NULL needs a std::optional column";
    return out;
  }();

  /// The position of the primary key in `columns`.
  static constexpr std::size_t key_index = [] {
    for (std::size_t i = 0; i < column_count; ++i)
      if (columns[i].primary_key) return i;
    return column_count;
  }();
  static_assert(key_index < column_count, "taskstore: table_traits<T>::primary_key must name a described member");

  /// The position of the version column, if any.
  static constexpr std::optional<std::size_t> version_index = []() -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < column_count; ++i)
      if (columns[i].version) return i;
    return std::nullopt;
  }();

  static constexpr auto indexes = [] {
    if constexpr (requires { traits::indexes; }) {
      return std::apply(
          [](auto const&... specs) {
            return std::array<index_info, sizeof...(specs)>{
                index_info{specs.name, specs.unique, std::remove_cvref_t<decltype(specs)>::column_names.data(),
                           std::remove_cvref_t<decltype(specs)>::column_names.size()}...};
          },
          traits::indexes);
    } else {
      return std::array<index_info, 0>{};
    }
  }();

  /// The same model, type-erased.
  static constexpr table_info info{table, columns, key_index, version_index, indexes};

  /// The column named `name`, or nullptr.
  static constexpr column_info const* find_column(std::string_view name) noexcept {
    for (auto const& c : columns)
      if (c.name == name) return &c;
    return nullptr;
  }

  /// The position of `member` in `columns`, or column_count when it is not a column.
  template <class M>
  static constexpr std::size_t index_of(M T::*member) noexcept {
    return detail::member_index<members>(member);
  }

  /// Calls `f(column_info const&, member&)` for every column of `row`, in order.
  template <class Row, class F>
  requires std::is_same_v<std::remove_const_t<Row>, T>
  static void for_each_column(Row& row, F&& f) {
    for_each_member([&]<class... D>() {
      std::size_t i = 0;
      (f(columns[i++], row.*D::pointer), ...);
    });
  }

 private:
  /// Calls `g.template operator()<D...>()` with the member descriptors: a
  /// fold over them in one function compiles faster than mp_for_each's one
  /// lambda instantiation per member, which every row codec would pay.
  template <class G>
  static void for_each_member(G&& g) {
    [&]<template <class...> class L, class... D>(L<D...>*) {
      g.template operator()<D...>();
    }(static_cast<members*>(nullptr));
  }
};

}  // namespace taskstore
