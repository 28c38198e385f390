// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// MySQL's and MariaDB's URLs: `mysql://user:password@host:port/dbname?driver parameters`. Needs no driver: URLs
// parse in every build, and a URL naming a backend the build left out fails
// only when opened.

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/url_parts.hpp>
#include <taskstore/detail/config.hpp>

#include <string_view>

namespace taskstore::detail {

TASKSTORE_DECL void read_mysql_url(url_location const& where, connection_options& o);

inline constexpr url_syntax mysql_url{&read_mysql_url, [](std::string_view) noexcept { return false; },
                                      conninfo_quotes::single};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/mysql/impl/url.ipp>
#endif
