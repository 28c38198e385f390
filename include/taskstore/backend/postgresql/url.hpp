// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// PostgreSQL's URLs: `postgresql://user:password@host:port/dbname?libpq parameters`. Needs no driver: URLs
// parse in every build, and a URL naming a backend the build left out fails
// only when opened.

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/url_parts.hpp>
#include <taskstore/detail/config.hpp>

#include <string_view>

namespace taskstore::detail {

TASKSTORE_DECL void read_postgresql_url(url_location const& where, connection_options& o);

inline constexpr url_syntax postgresql_url{&read_postgresql_url, [](std::string_view) noexcept { return false; },
                                           conninfo_quotes::single};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/postgresql/impl/url.ipp>
#endif
