// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// libFuzzer target for JSON text -> domain types (taskstore::parse_json<T>,
// include/taskstore/types/from_json.hpp). Built and run by scripts/fuzz.
//
// Input: one selector byte, then JSON text. The selector's low five bits pick
// the type (modulo the number of types, in the order of `types` below), bit
// 0x20 decodes with unknown_keys::ignore and bit 0x80 with errc::corrupt_value;
// so '@', 'A', … 'T' select the types with the default options.
//
// The contract checked:
// - parse_json<T> returns, or throws taskstore::error with the code of the
//   options; anything else escaping is a finding;
// - a decoded value round-trips from its first serialization on:
//   from_json<T>(to_json(x)) succeeds and serializes to the same JSON value,
//   and parse_json<T>(serialize(to_json(x))) succeeds and serializes to the
//   same JSON value, doubles aside: Boost 1.81's default number parsing is not
//   guaranteed correctly rounded, so a double read back from text may differ
//   in its last bit;
// - validate() (request shapes) and normalize_email() return or throw
//   validation_failed; normalize_email() is idempotent.

#include <taskstore/domain/api.hpp>
#include <taskstore/domain/entities.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/error.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/src.hpp>  // Boost.JSON compiled into this target, instrumented, instead of linked
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

namespace {

namespace ts = taskstore;
namespace json = boost::json;

using types = boost::mp11::mp_list<
    // api.hpp: request and response shapes
    ts::task_create_request, ts::progress_report_request, ts::task_list_request, ts::progress_detail, ts::task_response,
    ts::pagination, ts::task_list_response, ts::task_completion_create, ts::task_completion_update,
    ts::task_completion_out,
    // entities
    ts::task, ts::event_log, ts::agent_run, ts::task_completion, ts::session, ts::session_task, ts::user, ts::draft,
    ts::email_message, ts::credit_wallet, ts::credit_transaction>;

[[noreturn]] void finding(char const* what, std::string_view detail = {}) {
  std::fprintf(stderr, "json_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  __builtin_trap();
}

/// JSON equality, except that doubles may differ by a few units in the last place.
bool nearly_equal(json::value const& a, json::value const& b) {
  if (a.is_double() && b.is_double()) {
    double const x = a.get_double(), y = b.get_double();
    if (x == y) return true;
    double step = x;
    for (int i = 0; i < 4; ++i) {
      step = std::nextafter(step, y);
      if (step == y) return true;
    }
    return false;
  }
  if (a.kind() != b.kind()) return a == b;
  if (a.is_array()) {
    auto const &p = a.get_array(), &q = b.get_array();
    if (p.size() != q.size()) return false;
    for (std::size_t i = 0; i < p.size(); ++i)
      if (!nearly_equal(p[i], q[i])) return false;
    return true;
  }
  if (a.is_object()) {
    auto const &p = a.get_object(), &q = b.get_object();
    if (p.size() != q.size()) return false;
    for (auto const& kv : p) {
      auto const* other = q.if_contains(kv.key());
      if (!other || !nearly_equal(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

template <class T>
void check_validation(T const& value) {
  try {
    if constexpr (requires { ts::validate(value); }) ts::validate(value);
    if constexpr (std::is_same_v<T, ts::user> || std::is_same_v<T, ts::email_message>) {
      std::string const& address = [&]() -> std::string const& {
        if constexpr (std::is_same_v<T, ts::user>)
          return value.email;
        else
          return value.recipient;
      }();
      auto const once = ts::normalize_email(address);
      if (ts::normalize_email(once) != once) finding("normalize_email is not idempotent", address);
    }
  } catch (ts::error const& e) {
    if (e.code() != ts::errc::validation_failed) finding("validation error code is not validation_failed", e.what());
  }
}

template <class T>
void check(std::string_view text, ts::decode_options const& options) {
  T value;
  try {
    value = ts::parse_json<T>(text, options);
  } catch (ts::error const& e) {
    if (e.code() != options.code) finding("decode error has the wrong code", e.what());
    return;
  }
  check_validation(value);

  auto const first = ts::to_json(value);
  json::value second;
  try {
    second = ts::to_json(ts::from_json<T>(first, options));
  } catch (ts::error const& e) {
    finding("from_json rejects to_json's output", std::string(e.what()) + " in " + json::serialize(first));
  }
  if (second != first) finding("from_json(to_json(x)) does not round-trip", json::serialize(first));

  auto const text1 = json::serialize(first);
  json::value third;
  try {
    third = ts::to_json(ts::parse_json<T>(text1, options));
  } catch (ts::error const& e) {
    finding("parse_json rejects serialize(to_json(x))", std::string(e.what()) + " in " + text1);
  }
  if (!nearly_equal(third, first)) finding("parse_json(serialize(to_json(x))) does not round-trip", text1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size == 0) return 0;
  std::uint8_t const selector = data[0];
  std::string_view const text(reinterpret_cast<char const*>(data) + 1, size - 1);
  ts::decode_options options;
  if (selector & 0x20) options.unknown = ts::unknown_keys::ignore;
  if (selector & 0x80) options.code = ts::errc::corrupt_value;
  std::size_t const index = (selector & 0x1F) % boost::mp11::mp_size<types>::value;
  try {
    boost::mp11::mp_with_index<boost::mp11::mp_size<types>::value>(
        index, [&](auto i) { check<boost::mp11::mp_at_c<types, i>>(text, options); });
  } catch (std::exception const& e) {
    finding("a non-taskstore exception escaped", e.what());
  } catch (...) {
    finding("an unknown exception escaped");
  }
  return 0;
}
