// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/mysql/url.hpp>: included at its end when
// header-only, else compiled once by the registration.

#include <taskstore/backend/mysql/url.hpp>

#include <algorithm>
#include <vector>

namespace taskstore::detail {

// SOCI's MySQL backend takes these keys and rejects others with an unhelpful message.
void read_mysql_url(url_location const& where, connection_options& o) {
  static constexpr std::string_view keys[] = {"unix_socket",     "sslca",        "sslcert",
                                              "sslkey",          "local_infile", "charset",
                                              "connect_timeout", "read_timeout", "write_timeout"};
  std::vector<query_param> driver;  // all but taskstore's own flavor
  for (auto const& p : where.params) {
    if (p.key == "reconnect") bad_url("reconnect is not supported: it loses the per-connection set-up", where.masked);
    if (p.key != "flavor") {
      driver.push_back(p);
      continue;
    }
    if (p.value != "mysql" && p.value != "mariadb") bad_url("flavor must be mysql or mariadb", where.masked);
    o.flavor = p.value;
  }
  o.connect_string = server_connect_string({where.body, driver, where.masked},
                                           {.product = "MySQL", .dbname_key = "db", .known_keys = keys});
  if (std::none_of(driver.begin(), driver.end(), [](auto const& p) { return p.key == "charset"; }))
    o.connect_string += " charset=" + quote_conninfo("utf8mb4");
}

}  // namespace taskstore::detail
