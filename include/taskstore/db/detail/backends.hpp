// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The SOCI backends this build links (TASKSTORE_HAVE_* come from CMake).

#include <taskstore/db/connection_options.hpp>
#include <taskstore/detail/config.hpp>

#include <soci/soci.h>

namespace taskstore::detail {

/// The SOCI factory for a backend this build links.
/// @throws error bad_config when the backend was left out of the build.
TASKSTORE_DECL soci::backend_factory const& backend_factory(backend_kind kind);

/// Makes SQLite report extended result codes (SQLITE_CONSTRAINT_UNIQUE rather
/// than SQLITE_CONSTRAINT), so errors translate without reading messages, and
/// report a missing column: with the legacy double-quoted string literals off,
/// a quoted name that matches no column is "no such column", not the text of
/// the name.
TASKSTORE_DECL void enable_sqlite_extended_codes([[maybe_unused]] soci::session& session);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/backends.ipp>
#endif
