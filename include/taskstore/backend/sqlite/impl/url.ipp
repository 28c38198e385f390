// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/sqlite/url.hpp>: included at its end when
// header-only, else compiled once by the registration.

#include <taskstore/backend/sqlite/url.hpp>

#include <algorithm>

namespace taskstore::detail {

void read_sqlite_url(url_location const& where, connection_options& o) {
  auto const& masked = where.masked;
  if (!where.params.empty())
    bad_url("unknown SQLite parameter " + masked.quote(where.params.front().item, where.params.front().key), masked);
  if (where.body == ":memory:") {
    o.in_memory = true;
    o.connect_string = "db=:memory:";
    return;
  }
  if (where.body.empty() || where.body.front() != '/')
    bad_url("write sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite://:memory:", masked);
  o.path = percent_decode(where.body.substr(1), "path", masked);
  if (o.path.empty()) bad_url("the SQLite file path is empty", masked);
  if (o.path.find('"') != std::string::npos) bad_url("the SQLite file path may not contain '\"'", masked);
  o.connect_string = "db=\"" + o.path + "\"";
}

bool sqlite_opens_in_memory(std::string_view connect_string) noexcept {
  return connect_string.find(":memory:") != std::string_view::npos;
}

}  // namespace taskstore::detail
