// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/errors.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/url_redact.hpp>
#include <taskstore/db/errors.hpp>

#include <string>
#include <vector>

namespace taskstore {

namespace detail {

std::string clean_driver_message(std::string message) {
  if (auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
  while (!message.empty() && (message.back() == ' ' || message.back() == '\r')) message.pop_back();
  return message;
}

std::string connect_failure_reason(std::string_view message) {
  std::vector<std::string_view> lines;
  while (!message.empty()) {
    auto const nl = message.find('\n');
    auto line = message.substr(0, nl);
    message = nl == std::string_view::npos ? std::string_view{} : message.substr(nl + 1);
    while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
  }
  // SOCI's own sentence ("Cannot establish connection to the database.")
  // says nothing the caller's message does not; libpq's lines say why.
  std::string reason;
  for (std::size_t i = lines.size() > 1 ? 1 : 0; i < lines.size(); ++i) {
    if (!reason.empty()) reason += "; ";
    reason += lines[i];
  }
  return reason;
}

std::string with_schema_advice(std::string message) {
  return message + " (the schema is missing or older than this build: run `taskstore init` (`ts::migrate_to_latest`))";
}

bool is_lost_connection_message(std::string_view m) noexcept {
  return m.find("connection") != std::string_view::npos || m.find("server closed") != std::string_view::npos ||
         m.find("gone away") != std::string_view::npos || m.find("Lost connection") != std::string_view::npos;
}

error translated_error(translated const& t, std::string const& prefix) {
  return error(t.code, prefix + (t.code == errc::schema_mismatch ? with_schema_advice(t.message) : t.message));
}

}  // namespace detail

}  // namespace taskstore
