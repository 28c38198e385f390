// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/mysql/url.hpp>: included at its end when
// header-only, else compiled once by the registration.

#include <taskstore/backend/mysql/url.hpp>

#include <algorithm>

namespace taskstore::detail {

// SOCI's MySQL backend takes these keys and rejects others with an unhelpful message.
void read_mysql_url(url_location const& where, connection_options& o) {
  static constexpr std::string_view keys[] = {"unix_socket",     "sslca",        "sslcert",
                                              "sslkey",          "local_infile", "charset",
                                              "connect_timeout", "read_timeout", "write_timeout"};
  for (auto const& p : where.params)
    if (p.key == "reconnect") bad_url("reconnect is not supported: it loses the per-connection set-up", where.masked);
  o.connect_string = server_connect_string(where, {.product = "MySQL", .dbname_key = "db", .known_keys = keys});
  if (std::none_of(where.params.begin(), where.params.end(), [](auto const& p) { return p.key == "charset"; }))
    o.connect_string += " charset=" + quote_conninfo("utf8mb4");
}

}  // namespace taskstore::detail
