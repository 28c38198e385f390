// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/detail/pool.hpp>
#include <taskstore/detail/config.hpp>

#include <string>

namespace taskstore::detail {

/// Whether a table exists in the session's current schema (PostgreSQL's
/// search path, MariaDB's current database).
TASKSTORE_DECL bool table_exists(session_lease& lease, backend const& backend, std::string const& table);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/detail/impl/catalog.ipp>
#endif
