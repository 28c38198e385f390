// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// JSON for described types, naming the offending field: to_json(), from_json(), parse_json().

#include <taskstore/error.hpp>
#include <taskstore/types/detail/json_decode.hpp>
#include <taskstore/types/detail/json_encode.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>

#include <string>
#include <string_view>

namespace taskstore {

/// Converts any described struct, enum or taskstore value type to JSON:
/// timestamps as ISO-8601 with `Z`, uuids as canonical text, enums as names,
/// `std::chrono::duration<double>` as a number of seconds, empty optionals
/// as null; other types by boost::json::value_from.
template <class T>
boost::json::value to_json(T const& value) {
  boost::json::value out;
  detail::encode_json(value, out);
  return out;
}

/// Converts JSON to T, naming the offending field in every error, unlike
/// Boost.JSON's described-class conversion: a missing std::optional member is
/// empty, a missing required member, a wrong type, an unknown enum name or
/// (by default) an unknown key is an error whose `field()` is the path, e.g.
/// `agents[2]` or `progress_detail.current_agent`.
///
/// JSON nested deeper than limits::max_json_read_depth is refused before any
/// member is decoded.
///
/// @throws error with `options.code` (validation_failed for input from callers,
///         corrupt_value for data read back from storage).
template <class T>
T from_json(boost::json::value const& value, decode_options const& options = {}) {
  if (detail::json_depth(value, limits::max_json_read_depth) > limits::max_json_read_depth)
    throw error(options.code,
                "the document: JSON nested deeper than " + std::to_string(limits::max_json_read_depth) + " levels");
  T out{};
  std::string path;
  detail::json_decoder{options, path}.decode(value, out);
  return out;
}

/// Parses JSON text, then converts it as from_json() does.
/// @throws error with `options.code` when the text is not JSON or does not fit T.
template <class T>
T parse_json(std::string_view text, decode_options const& options = {}) {
  boost::system::error_code ec;
  auto const value = boost::json::parse(text, ec, {}, detail::read_json_options());
  if (ec) throw error(options.code, "invalid JSON: " + ec.message());
  return from_json<T>(value, options);
}

}  // namespace taskstore
