// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The database URL parser, parse_url().

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/url_parse.hpp>

#include <string_view>

namespace taskstore {

/// Parses a database URL (docs/database-urls.md):
/// `sqlite:///relative.db`, `sqlite:////absolute.db`, `sqlite://:memory:`,
/// `postgresql://user:password@host:port/db?sslmode=disable` (`postgres://`),
/// `mysql://user:password@host:port/db` (`mariadb://`), or SOCI's own connect
/// strings (`sqlite3://db=…`, `postgresql://dbname=… user=…`, `mysql://db=…`).
/// Percent-encoding is decoded. taskstore's parameters `pool_size`,
/// `pool_timeout_ms`, `busy_timeout_ms`, `synchronous` (SQLite) and
/// `retry_attempts` are removed before the driver sees the rest.
///
/// @throws error with code bad_config naming what is wrong; the message never
///         contains the password.
inline connection_options parse_url(std::string_view url) { return detail::parse_url(url); }

}  // namespace taskstore
