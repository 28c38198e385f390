// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/types/timestamp.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/types/timestamp.hpp>

#include <taskstore/types/detail/timestamp_text.hpp>

namespace taskstore {

timestamp timestamp::parse(std::string_view text) {
  std::string why;
  if (auto us = detail::parse_timestamp_us(text, why)) return timestamp(time_point(duration(*us)));
  throw error(errc::validation_failed, "invalid timestamp '" + std::string(text.substr(0, 64)) + "': " + why);
}
std::optional<timestamp> timestamp::try_parse(std::string_view text) noexcept {
  std::string why;
  if (auto us = detail::parse_timestamp_us(text, why)) return timestamp(time_point(duration(*us)));
  return std::nullopt;
}

void timestamp::out_of_range(std::string_view field) {
  throw error(errc::validation_failed,
              std::string(field) + " is outside 0001-01-01 00:00:00 … 9999-12-31 23:59:59.999999 UTC",
              std::string(field));
}

std::string timestamp::to_sql() const { return detail::format_timestamp_us(count(), ' ', false); }
std::string timestamp::to_iso() const { return detail::format_timestamp_us(count(), 'T', true); }

timestamp tag_invoke(boost::json::value_to_tag<timestamp>, boost::json::value const& v) {
  if (!v.is_string()) throw error(errc::validation_failed, "expected a timestamp string");
  return timestamp::parse(v.get_string());
}

}  // namespace taskstore
