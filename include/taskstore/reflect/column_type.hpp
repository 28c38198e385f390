// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// How a C++ member type is stored (docs/design.md, The type mapping).

#include <taskstore/fwd.hpp>
#include <taskstore/reflect/described.hpp>

#include <boost/json/fwd.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

/// The storage classes of the type mapping (docs/design.md).
enum class column_type { boolean, int32, int64, real, text, timestamp, uuid, json, enumeration };

constexpr std::string_view to_string(column_type t) noexcept {
  switch (t) {
    case column_type::boolean: return "boolean";
    case column_type::int32: return "int32";
    case column_type::int64: return "int64";
    case column_type::real: return "real";
    case column_type::text: return "text";
    case column_type::timestamp: return "timestamp";
    case column_type::uuid: return "uuid";
    case column_type::json: return "json";
    case column_type::enumeration: return "enumeration";
  }
  return "unknown";
}

/// How a C++ member type is stored: `type`, and `nullable` for std::optional.
/// A type with no mapping fails to compile where it is used as a column.
template <class U>
struct column_type_of {
  static constexpr bool supported = false;
};

namespace detail {
template <column_type T>
struct column_type_is {
  static constexpr bool supported = true;
  static constexpr column_type type = T;
  static constexpr bool nullable = false;
};
}  // namespace detail

template <>
struct column_type_of<bool> : detail::column_type_is<column_type::boolean> {};
template <>
struct column_type_of<std::int32_t> : detail::column_type_is<column_type::int32> {};
template <>
struct column_type_of<std::int64_t> : detail::column_type_is<column_type::int64> {};
template <>
struct column_type_of<double> : detail::column_type_is<column_type::real> {};
/// A duration in seconds, as `task::execution_time`: stored as a real.
template <>
struct column_type_of<std::chrono::duration<double>> : detail::column_type_is<column_type::real> {};
template <>
struct column_type_of<std::string> : detail::column_type_is<column_type::text> {};
template <>
struct column_type_of<timestamp> : detail::column_type_is<column_type::timestamp> {};
template <>
struct column_type_of<uuid> : detail::column_type_is<column_type::uuid> {};
template <>
struct column_type_of<boost::json::value> : detail::column_type_is<column_type::json> {};
template <class T>
struct column_type_of<json<T>> : detail::column_type_is<column_type::json> {};
template <described_enum E>
struct column_type_of<E> : detail::column_type_is<column_type::enumeration> {};
template <class U>
requires column_type_of<U>::supported struct column_type_of<std::optional<U>> : column_type_of<U> {
  static constexpr bool nullable = true;
};

/// A C++ type that can be a column.
template <class U>
concept column_value = column_type_of<U>::supported;

}  // namespace taskstore
