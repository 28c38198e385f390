// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/value/detail/cell.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/value/detail/cell.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace taskstore::detail {

bool is_storable_text(std::string_view s) noexcept {
  auto const* p = reinterpret_cast<unsigned char const*>(s.data());
  auto const* const end = p + s.size();
  while (p < end) {
    // Eight ASCII bytes without NUL at a time: no high bit, no zero byte.
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (std::uint64_t w; end - p >= 8; p += 8) {
      std::memcpy(&w, p, 8);
      if ((w & highs) != 0 || ((w - ones) & ~w & highs) != 0) break;
    }
    if (p == end) break;
    unsigned const lead = *p;
    if (lead == 0) return false;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    std::size_t n = 0;  // continuation bytes
    std::uint32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      n = 1;
      cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 2;
      cp = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 3;
      cp = lead & 0x07;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= n) return false;
    for (std::size_t i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;  // overlong, beyond Unicode, or a surrogate
    p += n + 1;
  }
  return true;
}

void check_storable(std::string_view s) {
  if (!is_storable_text(s))
    throw error(errc::validation_failed, "a text value is not valid UTF-8 or contains a NUL character");
}
inline void check_json_values(boost::json::value const& v) {  // recursion bounded by json_depth() first
  if (auto const* s = v.if_string()) check_storable(std::string_view(s->data(), s->size()));
  if (auto const* d = v.if_double(); d && !std::isfinite(*d))
    throw error(errc::validation_failed, "a JSON number is not finite");
  if (auto const* a = v.if_array())
    for (auto const& e : *a) check_json_values(e);
  if (auto const* o = v.if_object())
    for (auto const& kv : *o) {
      check_storable(std::string_view(kv.key().data(), kv.key().size()));
      check_json_values(kv.value());
    }
}

void check_storable(boost::json::value const& v) {
  if (json_depth(v, limits::max_json_depth) > limits::max_json_depth)
    throw error(errc::validation_failed,
                "JSON nested deeper than " + std::to_string(limits::max_json_depth) + " levels");
  check_json_values(v);
}

void check_finite(double v) {
  if (!std::isfinite(v)) throw error(errc::validation_failed, "not a finite number");
}

void check_time(timestamp t) {
  if (!t.storable())
    throw error(errc::validation_failed, "a time outside 0001-01-01 00:00:00 … 9999-12-31 23:59:59.999999 UTC");
}

[[noreturn]] void corrupt(std::string_view column, std::string const& what) {
  throw error(errc::corrupt_value, "column '" + std::string(column) + "': " + what, std::string(column));
}

}  // namespace taskstore::detail
