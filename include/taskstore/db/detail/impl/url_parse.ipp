// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/url_parse.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/url_parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <iterator>
#include <utility>

namespace taskstore::detail {

std::vector<query_param> take_own_params(std::string_view query, connection_options& options,
                                         masked_url const& masked) {
  std::vector<query_param> rest;
  while (!query.empty()) {
    auto const amp = query.find('&');
    auto const item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    auto const eq = item.find('=');
    if (eq == std::string_view::npos) bad_url("query parameter " + masked.quote(item, item) + " has no value", masked);
    query_param p{percent_decode(item.substr(0, eq), "parameter name", masked),
                  percent_decode(item.substr(eq + 1), "parameter value", masked), item};
    if (p.key == "pool_size") {
      options.pool_size = static_cast<std::size_t>(number_param(p, 1, 1024, masked));
    } else if (p.key == "retry_attempts") {
      options.retry_attempts = static_cast<std::size_t>(number_param(p, 1, 100, masked));
    } else if (p.key == "busy_timeout_ms") {
      options.busy_timeout = std::chrono::milliseconds{number_param(p, 0, 3'600'000, masked)};
    } else if (p.key == "pool_timeout_ms") {
      options.pool_timeout = std::chrono::milliseconds{number_param(p, 0, 3'600'000, masked)};
    } else if (p.key == "inject_fault") {
      options.inject_fault = parse_fault_plan(p.value);
      if (!options.inject_fault)
        bad_url(
            "inject_fault must be KIND[:STATEMENT[:ATTEMPTS]], KIND one of deadlock, serialization_failure, "
            "lock_timeout, busy, connection_lost, commit_lost",
            masked);
    } else if (p.key == "listen") {
      if (p.value != "on" && p.value != "off") bad_url("listen must be on or off", masked);
      options.listen = p.value == "on";
    } else if (p.key == "synchronous") {
      std::string v = p.value;
      std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (v == "off")
        options.synchronous = sqlite_synchronous::off;
      else if (v == "normal")
        options.synchronous = sqlite_synchronous::normal;
      else if (v == "full")
        options.synchronous = sqlite_synchronous::full;
      else if (v == "extra")
        options.synchronous = sqlite_synchronous::extra;
      else
        bad_url("synchronous must be off, normal, full or extra", masked);
    } else {
      rest.push_back(std::move(p));
    }
  }
  return rest;
}

connection_options parse_url(std::string_view url) {
  auto const sep = url.find("://");
  std::string scheme(url.substr(0, sep == std::string_view::npos ? 0 : sep));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto const known = find_url_scheme(scheme);
  auto const masked = mask_url(url, known ? known->syntax->quotes : conninfo_quotes::either);
  connection_options options;
  options.redacted_url = masked.redacted;
  if (sep == std::string_view::npos || !is_scheme(url.substr(0, sep)))
    bad_url("expected scheme://…, for example sqlite:///tasks.db", masked);
  auto rest = url.substr(sep + 3);
  if (!known) bad_url("unknown scheme '" + scheme + "' (expected sqlite, postgresql or mysql)", masked);
  options.backend = known->kind;

  if (is_soci_connect_string(rest)) {
    options.connect_string = std::string(rest);
    options.in_memory = known->syntax->opens_in_memory(rest);
    options.pool_size = options.in_memory ? 1 : 4;
    return options;
  }
  auto const q = rest.find('?');
  auto const body = rest.substr(0, q);
  auto const params =
      take_own_params(q == std::string_view::npos ? std::string_view{} : rest.substr(q + 1), options, masked);
  known->syntax->read({body, params, masked}, options);
  if (options.pool_size == 0) options.pool_size = options.in_memory ? 1 : 4;
  // A private in-memory database lives in one connection.
  if (options.in_memory && options.pool_size != 1)
    bad_url("an in-memory SQLite database has exactly one connection; drop pool_size", masked);
  return options;
}

}  // namespace taskstore::detail
