// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/postgresql/url.hpp>: included at its end when
// header-only, else compiled once by the registration.

#include <taskstore/backend/postgresql/url.hpp>

#include <algorithm>

namespace taskstore::detail {

// The connect string of a parameter whose value is itself a postgresql:// URL
// (listen_url, replica). Its errors quote none of it: the whole value is
// masked, as it may hold a password.
inline std::string nested_connect_string(query_param const& p, masked_url const& masked) {
  std::string_view const url = p.value;
  auto const sep = url.find("://");
  auto const scheme = url.substr(0, sep == std::string_view::npos ? 0 : sep);
  if (scheme != "postgresql" && scheme != "postgres")
    bad_url(p.key + " must be a percent-encoded postgresql:// URL", masked);
  auto const rest = url.substr(sep + 3);
  auto const q = rest.find('?');
  std::vector<query_param> params;
  for (auto query = q == std::string_view::npos ? std::string_view{} : rest.substr(q + 1); !query.empty();) {
    auto const amp = query.find('&');
    auto const item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    auto const eq = item.find('=');
    if (eq == std::string_view::npos) bad_url("a parameter of " + p.key + " has no value", masked);
    params.push_back({percent_decode(item.substr(0, eq), p.key, masked),
                      percent_decode(item.substr(eq + 1), p.key, masked), p.item});
  }
  return server_connect_string({rest.substr(0, q), params, masked},
                               {.product = "PostgreSQL", .dbname_key = "dbname", .known_keys = {}, .host_list = true});
}

void read_postgresql_url(url_location const& where, connection_options& o) {
  std::vector<query_param> driver;
  for (auto const& p : where.params) {
    if (p.key == "pooler") {
      if (p.value != "transaction" && p.value != "none") bad_url("pooler must be transaction or none", where.masked);
      o.transaction_pooler = p.value == "transaction";
    } else if (p.key == "listen_url") {
      o.listen_connect_string = nested_connect_string(p, where.masked);
    } else if (p.key == "replica") {
      o.replica_connect_string = nested_connect_string(p, where.masked);
    } else if (p.key == "replica_max_lag_ms") {
      o.replica_max_lag = std::chrono::milliseconds{number_param(p, 0, 86'400'000, where.masked)};
    } else {
      driver.push_back(p);
    }
  }
  o.connect_string =
      server_connect_string({where.body, driver, where.masked},
                            {.product = "PostgreSQL", .dbname_key = "dbname", .known_keys = {}, .host_list = true});
  // A pooler in transaction mode keeps no session's LISTEN: without a direct URL, subscribers poll.
  if (o.transaction_pooler && o.listen_connect_string.empty()) o.listen = false;
}

}  // namespace taskstore::detail
