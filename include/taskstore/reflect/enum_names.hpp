// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The stored names of described enums, both ways.

#include <taskstore/error.hpp>
#include <taskstore/reflect/described.hpp>

#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

namespace detail {
/// An enumerator's stored name: its identifier, less one trailing underscore,
/// so that a C++ keyword can be a stored name (`export_` is stored as "export").
constexpr std::string_view stored_name(char const* identifier) noexcept {
  std::string_view name(identifier);
  if (name.size() > 1 && name.back() == '_') name.remove_suffix(1);
  return name;
}
}  // namespace detail

/// Every stored enumerator name of E, in declaration order.
template <described_enum E>
inline constexpr auto enum_names = [] {
  using D = boost::describe::describe_enumerators<E>;
  std::array<std::string_view, boost::mp11::mp_size<D>::value> names{};
  std::size_t i = 0;
  boost::mp11::mp_for_each<D>([&](auto d) { names[i++] = detail::stored_name(d.name); });
  return names;
}();

/// The length of E's longest name: the column width that stores it.
template <described_enum E>
inline constexpr std::size_t enum_max_length = [] {
  std::size_t n = 0;
  for (auto name : enum_names<E>) n = name.size() > n ? name.size() : n;
  return n;
}();

/// The stored name of `value`; an empty view for a value that has no name.
template <described_enum E>
constexpr std::string_view enum_to_string(E value) noexcept {
  std::string_view out;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (d.value == value) out = detail::stored_name(d.name);
  });
  return out;
}

/// The enumerator named `name` (exact, case-sensitive), or nullopt.
template <described_enum E>
constexpr std::optional<E> enum_from_string(std::string_view name) noexcept {
  std::optional<E> out;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (!out && name == detail::stored_name(d.name)) out = d.value;
  });
  return out;
}

/// `one, two, three`: the accepted names, for error messages.
template <described_enum E>
std::string enum_name_list() {
  std::string out;
  for (auto name : enum_names<E>) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

/// The enumerator named `name`. An unknown name is an error, never a default.
/// @throws error with code `code` (validation_failed for caller input,
///         corrupt_value for data read from storage).
template <described_enum E>
E parse_enum(std::string_view name, errc code = errc::validation_failed) {
  if (auto v = enum_from_string<E>(name)) return *v;
  throw error(code,
              "unknown value '" + std::string(name.substr(0, 64)) + "' (expected one of " + enum_name_list<E>() + ")");
}

}  // namespace taskstore
