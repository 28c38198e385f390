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
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

/// Customization point: the stored names of E's enumerators, where they are
/// not the identifiers. A specialization lists every name in declaration
/// order, so that an enumerator can be spelled safely from macros (`error`,
/// `debug`) while its rows and JSON keep the stored name ("ERROR", "DEBUG"):
/// @code
/// template <> struct enum_stored_names<log_level> {
///   static constexpr std::array<std::string_view, 4> names{"DEBUG", "INFO", "WARNING", "ERROR"};
/// };
/// @endcode
template <class E>
struct enum_stored_names {};

namespace detail {
/// An enumerator's stored name: its identifier, less one trailing underscore,
/// so that a C++ keyword can be a stored name (`export_` is stored as "export").
constexpr std::string_view stored_name(char const* identifier) noexcept {
  std::string_view name(identifier);
  if (name.size() > 1 && name.back() == '_') name.remove_suffix(1);
  return name;
}

/// True when enum_stored_names<E> lists E's stored names.
template <class E>
concept has_stored_names = requires {
  enum_stored_names<E>::names;
};

/// The stored name of E's `index`-th enumerator, whose identifier is `identifier`.
template <class E>
constexpr std::string_view stored_name(std::size_t index, char const* identifier) noexcept {
  if constexpr (has_stored_names<E>) {
    static_assert(
        std::size(enum_stored_names<E>::names) == boost::mp11::mp_size<boost::describe::describe_enumerators<E>>::value,
        "enum_stored_names<E>::names must list one name per enumerator of E, in declaration order");
    return enum_stored_names<E>::names[index];
  } else {
    return stored_name(identifier);
  }
}
}  // namespace detail

/// Every stored enumerator name of E, in declaration order.
template <described_enum E>
inline constexpr auto enum_names = [] {
  using D = boost::describe::describe_enumerators<E>;
  std::array<std::string_view, boost::mp11::mp_size<D>::value> names{};
  std::size_t i = 0;
  boost::mp11::mp_for_each<D>([&](auto d) {
    names[i] = detail::stored_name<E>(i, d.name);
    ++i;
  });
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
  std::size_t i = 0;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (d.value == value) out = detail::stored_name<E>(i, d.name);
    ++i;
  });
  return out;
}

/// The enumerator named `name` (exact, case-sensitive), or nullopt.
template <described_enum E>
constexpr std::optional<E> enum_from_string(std::string_view name) noexcept {
  std::optional<E> out;
  std::size_t i = 0;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto d) {
    if (!out && name == detail::stored_name<E>(i, d.name)) out = d.value;
    ++i;
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
