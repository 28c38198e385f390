// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The vocabulary of a table_traits<T> specialization:
///
/// @code
///   template <> struct taskstore::table_traits<note> {
///     static constexpr std::string_view table = "notes";
///     static constexpr auto primary_key = auto_increment<&note::id>;
///     static constexpr auto columns = std::tuple{column<&note::text>.max_length(200).non_empty()};
///     static constexpr auto indexes = std::tuple{index<&note::due>("ix_notes_due")};
///     static constexpr auto version = version_column<&note::version>;   // optional
///   };
/// @endcode
///
/// Unstated facts come from the C++ type: std::optional allows NULL, anything
/// else is NOT NULL; a described enum gets a CHECK of its names.

#include <taskstore/fwd.hpp>
#include <taskstore/reflect/column.hpp>
#include <taskstore/reflect/member.hpp>

#include <array>
#include <cstdint>
#include <string_view>
#include <tuple>

namespace taskstore {

/// The primary key column. Use `auto_increment<&T::id>` or `natural_key<&T::key>`.
template <auto Member>
struct primary_key_spec {
  static_assert(is_described_member<Member>,
                "taskstore: the primary key names a member that BOOST_DESCRIBE_STRUCT does not list");
  static constexpr auto member = Member;
  bool generated = false;  ///< the database assigns it
};

/// A key the database assigns (an int64 identity / AUTO_INCREMENT column).
template <auto Member>
inline constexpr primary_key_spec<Member> auto_increment = [] {
  static_assert(std::is_same_v<detail::member_type_t<decltype(Member)>, std::int64_t>,
                "taskstore: an auto_increment key must be a std::int64_t member");
  return primary_key_spec<Member>{true};
}();

/// A key the application assigns (a uuid, a user id, …).
template <auto Member>
inline constexpr primary_key_spec<Member> natural_key{false};

/// A named index on one or more columns, in order.
template <auto... Members>
struct index_spec {
  static_assert(sizeof...(Members) > 0, "taskstore: an index needs at least one column");
  static_assert((is_described_member<Members> && ...),
                "taskstore: an index names a member that BOOST_DESCRIBE_STRUCT does not list");
  std::string_view name;
  bool unique = false;
  static constexpr std::array<std::string_view, sizeof...(Members)> column_names{member_name<Members>...};
};

/// A non-unique index, e.g. `index<&task::user_id, &task::status>("idx_tasks_user_status")`.
template <auto... Members>
constexpr index_spec<Members...> index(std::string_view name) {
  return {name, false};
}
/// A unique key over the columns, e.g. `unique_index<&draft::task_id, &draft::version>("uq_drafts_task_version")`.
template <auto... Members>
constexpr index_spec<Members...> unique_index(std::string_view name) {
  return {name, true};
}

/// The optimistic-locking column: an int32 or int64 the repository checks and
/// increments on every update.
template <auto Member>
struct version_spec {
  static_assert(is_described_member<Member>,
                "taskstore: the version column names a member that BOOST_DESCRIBE_STRUCT does not list");
  static_assert(std::is_same_v<detail::member_type_t<decltype(Member)>, std::int32_t> ||
                    std::is_same_v<detail::member_type_t<decltype(Member)>, std::int64_t>,
                "taskstore: a version column must be std::int32_t or std::int64_t");
  static constexpr auto member = Member;
};
template <auto Member>
inline constexpr version_spec<Member> version_column{};

}  // namespace taskstore
