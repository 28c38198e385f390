// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The JSON encoder behind to_json(), the mirror of json_decode.hpp: every
// type a column or a request holds, std::chrono durations (as seconds)
// included, which Boost.JSON's value_from cannot be taught: its tag_invoke is
// found by argument-dependent lookup, and a duration's namespace is std's.

#include <taskstore/reflect/described.hpp>
#include <taskstore/reflect/enum_names.hpp>
#include <taskstore/types/detail/json_decode.hpp>
#include <taskstore/types/json.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/mp11/algorithm.hpp>

#include <chrono>
#include <string>
#include <type_traits>

namespace taskstore::detail {

/// Writes `in` into `out`: optionals as null or their value, enums by name,
/// timestamps as ISO-8601 with `Z`, uuids as text, seconds as a number,
/// described structs as objects; anything else by boost::json::value_from.
template <class T>
void encode_json(T const& in, boost::json::value& out) {
  if constexpr (is_optional<T>::value) {
    if (in)
      encode_json(*in, out);
    else
      out = nullptr;
  } else if constexpr (std::is_same_v<T, bool>) {
    out = in;
  } else if constexpr (std::is_integral_v<T> || std::is_floating_point_v<T>) {
    out = in;
  } else if constexpr (std::is_same_v<T, std::chrono::duration<double>>) {
    out = in.count();
  } else if constexpr (std::is_same_v<T, std::string>) {
    out = in;
  } else if constexpr (described_enum<T>) {
    out = enum_to_string(in);
  } else if constexpr (std::is_same_v<T, timestamp>) {
    out = in.to_iso();
  } else if constexpr (std::is_same_v<T, uuid>) {
    out = in.to_string();
  } else if constexpr (std::is_same_v<T, boost::json::value> || std::is_same_v<T, boost::json::object> ||
                       std::is_same_v<T, boost::json::array>) {
    out = in;
  } else if constexpr (is_json_column<T>::value) {
    encode_json(in.get(), out);
  } else if constexpr (is_vector<T>::value) {
    auto& arr = out.emplace_array();
    arr.reserve(in.size());
    for (auto const& e : in) encode_json(e, arr.emplace_back(nullptr));
  } else if constexpr (is_string_map<T>::value) {
    auto& obj = out.emplace_object();
    for (auto const& [key, value] : in) encode_json(value, obj[key]);
  } else if constexpr (described_struct<T>) {
    auto& obj = out.emplace_object();
    boost::mp11::mp_for_each<public_members<T>>([&](auto d) { encode_json(in.*d.pointer, obj[d.name]); });
  } else {
    out = boost::json::value_from(in);
  }
}

}  // namespace taskstore::detail
