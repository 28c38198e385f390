// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/types/uuid.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/types/uuid.hpp>

#include <taskstore/types/detail/uuid_v7.hpp>

#include <cstdint>

namespace taskstore {

uuid uuid::generate_v4() { return uuid(detail::make_uuid_v4()); }
uuid uuid::generate_v7() { return uuid(detail::make_uuid_v7()); }

uuid uuid::parse(std::string_view text) {
  if (auto u = try_parse(text)) return *u;
  throw error(errc::validation_failed,
              "invalid uuid '" + std::string(text.substr(0, 64)) + "': expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
}
std::optional<uuid> uuid::try_parse(std::string_view text) noexcept {
  if (text.size() != 36) return std::nullopt;
  boost::uuids::uuid v{};
  std::size_t byte = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int const hi = hex(text[i]), lo = hex(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    v.data[byte++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return uuid(v);
}

std::string uuid::to_string() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(36, '-');
  auto* p = out.data();
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++p;  // past a '-'
    *p++ = digits[value_.data[i] >> 4];
    *p++ = digits[value_.data[i] & 0xF];
  }
  return out;
}

uuid tag_invoke(boost::json::value_to_tag<uuid>, boost::json::value const& v) {
  if (!v.is_string()) throw error(errc::validation_failed, "expected a uuid string");
  return uuid::parse(v.get_string());
}

}  // namespace taskstore
