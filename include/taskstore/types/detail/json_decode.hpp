// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/error.hpp>
#include <taskstore/limits.hpp>
#include <taskstore/reflect/described.hpp>
#include <taskstore/reflect/enum_names.hpp>
#include <taskstore/types/json.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace taskstore {

/// What the decoder does with an object key no member describes.
enum class unknown_keys { reject, ignore };

/// How from_json treats its input.
struct decode_options {
  unknown_keys unknown = unknown_keys::reject;
  errc code = errc::validation_failed;  ///< corrupt_value when decoding stored data
};

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_json_column : std::false_type {};
template <class T>
struct is_json_column<json<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

/// The nesting depth of arrays and objects in `v` (a scalar is 0), measured
/// with an explicit stack so that no input exhausts the call stack; stops at
/// `max` + 1 (`max` is at most limits::max_json_read_depth).
inline std::size_t json_depth(boost::json::value const& v, std::size_t max) noexcept {
  struct frame {
    boost::json::value const* container;
    std::size_t next;
  };
  std::array<frame, limits::max_json_read_depth + 1> stack;
  if (max > limits::max_json_read_depth) max = limits::max_json_read_depth;
  std::size_t depth = 0, deepest = 0;
  auto const enter = [&](boost::json::value const& e) {
    if (!e.is_array() && !e.is_object()) return true;
    if (depth == max) return false;
    stack[depth++] = {&e, 0};
    if (depth > deepest) deepest = depth;
    return true;
  };
  if (!enter(v)) return max + 1;
  while (depth > 0) {
    auto& top = stack[depth - 1];
    boost::json::value const* next = nullptr;
    if (auto const* a = top.container->if_array()) {
      if (top.next < a->size()) next = &(*a)[top.next++];
    } else if (auto const& o = top.container->get_object(); top.next < o.size()) {
      next = &(o.begin() + top.next++)->value();
    }
    if (!next)
      --depth;
    else if (!enter(*next))
      return max + 1;
  }
  return deepest;
}

/// How taskstore parses JSON it reads (requests, stored values, dumps).
inline boost::json::parse_options read_json_options() noexcept {
  boost::json::parse_options o;
  o.max_depth = limits::max_json_read_depth;
  return o;
}

inline std::string_view kind_name(boost::json::value const& v) {
  switch (v.kind()) {
    case boost::json::kind::null: return "null";
    case boost::json::kind::bool_: return "a boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return "a number";
    case boost::json::kind::string: return "a string";
    case boost::json::kind::array: return "an array";
    case boost::json::kind::object: return "an object";
  }
  return "unknown";
}

/// Walks a JSON value into a C++ object, keeping the path for errors.
struct json_decoder {
  decode_options const& options;
  std::string& path;

  [[noreturn]] void fail(std::string const& what) const {
    auto const where = path.empty() ? std::string("the document") : "field '" + path + "'";
    throw error(options.code, where + ": " + what, path);
  }
  [[noreturn]] void expected(std::string_view what, boost::json::value const& v) const {
    fail("expected " + std::string(what) + ", got " + std::string(kind_name(v)));
  }

  template <class T>
  void decode(boost::json::value const& v, T& out) const {
    if constexpr (is_optional<T>::value) {
      if (v.is_null()) {
        out.reset();
      } else {
        typename T::value_type inner{};
        decode(v, inner);
        out = std::move(inner);
      }
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!v.is_bool()) expected("a boolean", v);
      out = v.get_bool();
    } else if constexpr (std::is_integral_v<T>) {
      decode_integer(v, out);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (v.is_double())
        out = static_cast<T>(v.get_double());
      else if (v.is_int64())
        out = static_cast<T>(v.get_int64());
      else if (v.is_uint64())
        out = static_cast<T>(v.get_uint64());
      else
        expected("a number", v);
      check_finite(v);
    } else if constexpr (std::is_same_v<T, std::chrono::duration<double>>) {
      double seconds = 0;
      decode(v, seconds);
      out = T(seconds);
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!v.is_string()) expected("a string", v);
      out.assign(v.get_string().data(), v.get_string().size());
    } else if constexpr (described_enum<T>) {
      if (!v.is_string()) expected("one of " + enum_name_list<T>(), v);
      auto e = enum_from_string<T>(v.get_string());
      if (!e)
        fail("unknown value '" + std::string(std::string_view(v.get_string()).substr(0, 64)) + "' (expected one of " +
             enum_name_list<T>() + ")");
      out = *e;
    } else if constexpr (std::is_same_v<T, timestamp>) {
      if (!v.is_string()) expected("a timestamp string", v);
      auto t = timestamp::try_parse(v.get_string());
      if (!t) fail("invalid timestamp (expected YYYY-MM-DD HH:MM:SS[.ffffff] or ISO-8601)");
      out = *t;
    } else if constexpr (std::is_same_v<T, uuid>) {
      if (!v.is_string()) expected("a uuid string", v);
      auto u = uuid::try_parse(v.get_string());
      if (!u) fail("invalid uuid (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
      out = *u;
    } else if constexpr (std::is_same_v<T, boost::json::value>) {
      check_finite(v);
      out = v;
    } else if constexpr (std::is_same_v<T, boost::json::object>) {
      if (!v.is_object()) expected("an object", v);
      check_finite(v);
      out = v.get_object();
    } else if constexpr (std::is_same_v<T, boost::json::array>) {
      if (!v.is_array()) expected("an array", v);
      check_finite(v);
      out = v.get_array();
    } else if constexpr (is_json_column<T>::value) {
      decode(v, out.get());
    } else if constexpr (is_vector<T>::value) {
      if (!v.is_array()) expected("an array", v);
      auto const& arr = v.get_array();
      out.clear();
      out.reserve(arr.size());
      auto const mark = path.size();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        path += '[' + std::to_string(i) + ']';
        decode(arr[i], out.emplace_back());
        path.resize(mark);
      }
    } else if constexpr (is_string_map<T>::value) {
      if (!v.is_object()) expected("an object", v);
      out.clear();
      auto const mark = path.size();
      for (auto const& kv : v.get_object()) {
        append_key(kv.key());
        decode(kv.value(), out[std::string(kv.key())]);
        path.resize(mark);
      }
    } else if constexpr (described_struct<T>) {
      decode_struct(v, out);
    } else {
      static_assert(always_false<T>,
                    "taskstore::from_json: T is not described: add BOOST_DESCRIBE_STRUCT(T, (), (...)) or "
                    "BOOST_DESCRIBE_ENUM");
    }
  }

  void append_key(std::string_view key) const {
    if (!path.empty()) path += '.';
    path += key;
  }

  /// JSON has no infinities, but Boost.JSON reads a number beyond the double
  /// range (1e400) as one, which then serializes as text that is not JSON.
  void check_finite(boost::json::value const& v) const {
    auto const mark = path.size();
    if (v.is_double() && !std::isfinite(v.get_double())) {
      fail("number out of range");
    } else if (v.is_array()) {
      auto const& arr = v.get_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        path += '[' + std::to_string(i) + ']';
        check_finite(arr[i]);
        path.resize(mark);
      }
    } else if (v.is_object()) {
      for (auto const& kv : v.get_object()) {
        append_key(kv.key());
        check_finite(kv.value());
        path.resize(mark);
      }
    }
  }

  template <class T>
  void decode_integer(boost::json::value const& v, T& out) const {
    using limits = std::numeric_limits<T>;
    if (v.is_int64()) {
      auto const n = v.get_int64();
      if constexpr (std::is_signed_v<T>) {
        if (n < static_cast<std::int64_t>(limits::min()) || n > static_cast<std::int64_t>(limits::max()))
          fail(std::to_string(n) + " is out of range");
      } else {
        if (n < 0 || static_cast<std::uint64_t>(n) > limits::max()) fail(std::to_string(n) + " is out of range");
      }
      out = static_cast<T>(n);
    } else if (v.is_uint64()) {
      auto const n = v.get_uint64();
      if (n > static_cast<std::uint64_t>(limits::max())) fail(std::to_string(n) + " is out of range");
      out = static_cast<T>(n);
    } else if (v.is_double() && std::trunc(v.get_double()) == v.get_double() &&
               std::abs(v.get_double()) < 9007199254740992.0) {
      // 1e2 is how Boost.JSON writes 100.0; accept a whole number in range.
      auto const n = static_cast<long long>(v.get_double());
      if (n < static_cast<long long>(limits::min()) || (n > 0 && static_cast<unsigned long long>(n) > limits::max()))
        fail(std::to_string(n) + " is out of range");
      out = static_cast<T>(n);
    } else {
      expected("an integer", v);
    }
  }

  template <class T>
  void decode_struct(boost::json::value const& v, T& out) const {
    if (!v.is_object()) expected("an object", v);
    auto const& obj = v.get_object();
    auto const mark = path.size();
    using members = public_members<T>;
    std::size_t matched = 0;
    boost::mp11::mp_for_each<members>([&](auto d) {
      auto& member = out.*d.pointer;
      using M = std::remove_cvref_t<decltype(member)>;
      append_key(d.name);
      if (auto const* field = obj.if_contains(d.name)) {
        ++matched;
        if (field->is_null() && !is_optional<M>::value) fail("must not be null");
        decode(*field, member);
      } else if constexpr (!is_optional<M>::value) {
        fail("is required");
      }
      path.resize(mark);
    });
    if (options.unknown == unknown_keys::reject && matched != obj.size()) {
      for (auto const& kv : obj) {
        bool known = false;
        boost::mp11::mp_for_each<members>([&](auto d) { known = known || kv.key() == d.name; });
        if (!known) {
          append_key(kv.key());
          fail("unknown field");
        }
      }
    }
  }
};

}  // namespace detail
}  // namespace taskstore
