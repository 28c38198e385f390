// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// SQLite's URLs: `sqlite:///relative.db`, `sqlite:////absolute.db`, `sqlite://:memory:`. Needs no driver: URLs
// parse in every build, and a URL naming a backend the build left out fails
// only when opened.

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/url_parts.hpp>
#include <taskstore/detail/config.hpp>

#include <string_view>

namespace taskstore::detail {

TASKSTORE_DECL void read_sqlite_url(url_location const& where, connection_options& o);
TASKSTORE_DECL bool sqlite_opens_in_memory(std::string_view connect_string) noexcept;
inline constexpr url_syntax sqlite_url{&read_sqlite_url, &sqlite_opens_in_memory, conninfo_quotes::single_and_double};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/sqlite/impl/url.ipp>
#endif
