// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The SOCI backends this build links (TASKSTORE_HAVE_* come from CMake).

#include <taskstore/db/connection_options.hpp>
#include <taskstore/error.hpp>

#include <soci/soci.h>
#if TASKSTORE_HAVE_SQLITE3
#include <soci/sqlite3/soci-sqlite3.h>
#endif
#if TASKSTORE_HAVE_POSTGRESQL
#include <soci/postgresql/soci-postgresql.h>
#endif
#if TASKSTORE_HAVE_MYSQL
#include <soci/mysql/soci-mysql.h>
#endif

#include <string>

namespace taskstore::detail {

/// The SOCI factory for a backend this build links.
/// @throws error bad_config when the backend was left out of the build.
inline soci::backend_factory const& backend_factory(backend_kind kind) {
  switch (kind) {
#if TASKSTORE_HAVE_SQLITE3
    case backend_kind::sqlite: return *soci::factory_sqlite3();
#endif
#if TASKSTORE_HAVE_POSTGRESQL
    case backend_kind::postgresql: return *soci::factory_postgresql();
#endif
#if TASKSTORE_HAVE_MYSQL
    case backend_kind::mysql: return *soci::factory_mysql();
#endif
    default: break;
  }
  throw error(errc::bad_config, "this taskstore build does not include the " + std::string(to_string(kind)) +
                                    " backend (CMake option TASKSTORE_WITH_*)");
}

/// Makes SQLite report extended result codes (SQLITE_CONSTRAINT_UNIQUE rather
/// than SQLITE_CONSTRAINT), so errors translate without reading messages.
inline void enable_sqlite_extended_codes([[maybe_unused]] soci::session& session) {
#if TASKSTORE_HAVE_SQLITE3
  // Only called on SQLite sessions; SOCI exports no typeinfo for dynamic_cast.
  auto* be = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  sqlite3_extended_result_codes(be->conn_, 1);
#endif
}

}  // namespace taskstore::detail
