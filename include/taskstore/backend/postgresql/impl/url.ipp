// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/postgresql/url.hpp>: included at its end when
// header-only, else compiled once by the registration.

#include <taskstore/backend/postgresql/url.hpp>

#include <algorithm>

namespace taskstore::detail {

void read_postgresql_url(url_location const& where, connection_options& o) {
  o.connect_string = server_connect_string(where, {.product = "PostgreSQL", .dbname_key = "dbname", .known_keys = {}});
}

}  // namespace taskstore::detail
