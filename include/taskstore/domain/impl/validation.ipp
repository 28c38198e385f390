// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/domain/validation.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/validation.hpp>

#include <taskstore/limits.hpp>
#include <taskstore/types/detail/json_decode.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace taskstore {

void check_length(std::string_view field, std::string_view value, std::size_t max) {
  if (utf8_length(value) > max)
    throw error(errc::validation_failed, std::string(field) + " is longer than " + std::to_string(max) + " characters",
                std::string(field));
}

void check_non_empty(std::string_view field, std::string_view value) {
  if (value.empty())
    throw error(errc::validation_failed, std::string(field) + " must not be empty", std::string(field));
}

namespace detail {
[[noreturn]] inline void too_deep(std::string_view field) {
  throw error(errc::validation_failed,
              std::string(field) + ": JSON nested deeper than " + std::to_string(limits::max_json_depth) + " levels",
              std::string(field));
}
}  // namespace detail

void check_json_depth(std::string_view field, boost::json::value const& v) {
  if (detail::json_depth(v, limits::max_json_depth) > limits::max_json_depth) detail::too_deep(field);
}
void check_json_depth(std::string_view field, boost::json::object const& v) {
  for (auto const& kv : v)  // the object itself is one level
    if (detail::json_depth(kv.value(), limits::max_json_depth - 1) > limits::max_json_depth - 1)
      detail::too_deep(field);
}

void check_count(std::string_view field, long long value, long long max) {
  if (value < 0 || value > max)
    throw error(errc::validation_failed, std::string(field) + " must be 0 to " + std::to_string(max),
                std::string(field));
}

void check_seconds(std::string_view field, double value) {
  // NaN and infinity are the column's to refuse, as for every real the repository binds.
  if (std::isfinite(value) && value < 0)
    throw error(errc::validation_failed, std::string(field) + " must not be negative", std::string(field));
}

std::int64_t checked_add(std::string_view field, std::int64_t a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum))
    throw error(errc::validation_failed, std::string(field) + " would overflow", std::string(field));
  return sum;
}

std::string normalize_email(std::string_view value, std::string_view field) {
  auto fail = [&](std::string const& why) -> std::string {
    throw error(errc::validation_failed, std::string(field) + " is not a valid e-mail address: " + why,
                std::string(field));
  };
  if (value.size() > 255) fail("longer than 255 characters");
  auto const at = value.find('@');
  if (at == std::string_view::npos || value.find('@', at + 1) != std::string_view::npos) fail("needs exactly one '@'");
  auto const local = value.substr(0, at), domain = value.substr(at + 1);
  if (local.empty() || local.size() > 64) fail("the part before '@' must have 1 to 64 characters");
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    fail("misplaced '.' before '@'");
  for (char c : local)
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)) || c == ',' ||
        c == ';' || c == '<' || c == '>' || c == '"' || c == '(' || c == ')' || c == '[' || c == ']' || c == '\\')
      fail("invalid character before '@'");
  if (domain.find('.') == std::string_view::npos) fail("the domain needs a '.'");
  std::size_t label = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      if (label == 0 || label > 63) fail("empty or over-long domain label");
      if (domain[i - 1] == '-' || domain[i - label] == '-') fail("a domain label starts or ends with '-'");
      label = 0;
      continue;
    }
    char const c = domain[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') fail("invalid character in the domain");
    ++label;
  }
  std::string out(value);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void check_tool_id(std::string_view tool_id) {
  check_non_empty("tool_id", tool_id);
  check_length("tool_id", tool_id, 50);
}

void check_agents(std::vector<std::string> const& agents) {
  for (std::size_t i = 0; i < agents.size(); ++i) {
    auto const field = "agents[" + std::to_string(i) + "]";
    check_non_empty(field, agents[i]);
    check_length(field, agents[i], 100);
  }
}

}  // namespace taskstore
