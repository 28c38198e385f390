// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The per-column options of a table_traits specialization: `column<&T::m>`, defaults, foreign keys.

#include <taskstore/reflect/column_type.hpp>
#include <taskstore/reflect/enum_names.hpp>
#include <taskstore/reflect/member.hpp>

#include <cstddef>
#include <string_view>

namespace taskstore {

/// What a foreign key does when the referenced row is deleted.
enum class on_delete { no_action, cascade, restrict, set_null };

/// A database DEFAULT clause, dialect-neutral.
struct column_default {
  enum class kind { none, integer, real, boolean, text, now, json } what = kind::none;
  long long integer = 0;
  double real = 0;
  std::string_view text{};  ///< text, enum name or JSON literal
};

/// A reference to another table's key.
struct foreign_key {
  std::string_view table{};
  std::string_view column{};
  on_delete action = on_delete::no_action;
  constexpr bool present() const noexcept { return !table.empty(); }
};

/// Per-column facts beyond what the C++ type says. Built fluently from
/// `column<&T::member>`; every setter returns a modified copy (constexpr).
struct column_options {
  std::size_t max_length = 0;  ///< VARCHAR(n) and a length check; 0: unbounded text
  bool unique = false;         ///< a single-column unique key named `uq_<table>_<column>`
  bool non_empty = false;      ///< `CHECK (column <> '')`
  bool has_min = false, has_max = false;
  long long min = 0, max = 0;  ///< CHECK (column BETWEEN min AND max)
  /// Bounds the repository checks before each write, with no database
  /// CHECK: for a column the library increments, so that it never overflows.
  bool has_accepts = false;
  long long accepts_min = 0, accepts_max = 0;
  std::string_view check{};  ///< a further CHECK expression, written in portable SQL
  column_default default_value{};
  foreign_key references{};
};

/// The options of the column storing `Member`. Use the `column<&T::m>` variable.
template <auto Member>
struct column_spec : column_options {
  static_assert(std::is_member_object_pointer_v<decltype(Member)>,
                "taskstore: column<...> takes a pointer to a data member, e.g. column<&note::text>");
  static_assert(is_described_member<Member>,
                "taskstore: table_traits names a member that BOOST_DESCRIBE_STRUCT does not list");

  using member_type = detail::member_type_t<decltype(Member)>;
  static constexpr auto member = Member;

  constexpr column_spec max_length(std::size_t n) const {
    return with([&](auto& o) { o.max_length = n; });
  }
  constexpr column_spec unique() const {
    return with([](auto& o) { o.unique = true; });
  }
  constexpr column_spec non_empty() const {
    return with([](auto& o) { o.non_empty = true; });
  }
  constexpr column_spec min(long long v) const {
    return with([&](auto& o) { o.has_min = true, o.min = v; });
  }
  constexpr column_spec max(long long v) const {
    return with([&](auto& o) { o.has_max = true, o.max = v; });
  }
  constexpr column_spec range(long long lo, long long hi) const { return min(lo).max(hi); }
  /// Values in [lo, hi] only, checked by the repository before each write
  /// (error validation_failed naming `table.column`) but not by the database,
  /// so that the schema does not change: for counters the library increments.
  constexpr column_spec accepts(long long lo, long long hi) const {
    return with([&](auto& o) { o.has_accepts = true, o.accepts_min = lo, o.accepts_max = hi; });
  }
  constexpr column_spec check(std::string_view sql) const {
    return with([&](auto& o) { o.check = sql; });
  }

  /// DEFAULT of the current UTC time (timestamps).
  constexpr column_spec default_now() const {
    static_assert(column_type_of<member_type>::type == column_type::timestamp, "default_now() needs a timestamp");
    return with([](auto& o) { o.default_value.what = column_default::kind::now; });
  }
  /// DEFAULT of a literal: a number, bool, string or enumerator.
  template <class V>
  constexpr column_spec default_value(V v) const {
    return with([&](auto& o) {
      if constexpr (std::is_same_v<V, bool>)
        o.default_value = {column_default::kind::boolean, v ? 1 : 0};
      else if constexpr (std::is_integral_v<V>)
        o.default_value = {column_default::kind::integer, v};
      else if constexpr (std::is_floating_point_v<V>)
        o.default_value = {column_default::kind::real, 0, v};
      else if constexpr (described_enum<V>)
        o.default_value = {column_default::kind::text, 0, 0, enum_to_string(v)};
      else
        o.default_value = {column_default::kind::text, 0, 0, std::string_view(v)};
    });
  }
  /// DEFAULT of a JSON literal such as `[]`.
  constexpr column_spec default_json(std::string_view literal) const {
    return with([&](auto& o) { o.default_value = {column_default::kind::json, 0, 0, literal}; });
  }
  /// A foreign key to `Key`, the key column of another described struct with table_traits.
  template <auto Key, class Traits = table_traits<detail::member_class_t<decltype(Key)>>>
  constexpr column_spec references(on_delete action = on_delete::no_action) const {
    return with([&](auto& o) { o.references = {Traits::table, member_name<Key>, action}; });
  }

 private:
  template <class F>
  constexpr column_spec with(F f) const {
    column_spec copy = *this;
    f(static_cast<column_options&>(copy));
    return copy;
  }
};

/// The column storing `Member`, e.g. `column<&task::tool_id>.max_length(50).non_empty()`.
template <auto Member>
inline constexpr column_spec<Member> column{};

}  // namespace taskstore
