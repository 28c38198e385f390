// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/backends.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/backends.hpp>
#include <taskstore/error.hpp>

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

soci::backend_factory const& backend_factory(backend_kind kind) {
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

void enable_sqlite_extended_codes([[maybe_unused]] soci::session& session) {
#if TASKSTORE_HAVE_SQLITE3
  // Only called on SQLite sessions; SOCI exports no typeinfo for dynamic_cast.
  auto* be = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  sqlite3_extended_result_codes(be->conn_, 1);
  sqlite3_db_config(be->conn_, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
#endif
}

}  // namespace taskstore::detail
