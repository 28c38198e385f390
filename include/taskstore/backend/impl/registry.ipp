// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/registry.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>. A backend's own
// definitions are compiled here too, and only when the build includes it.

#include <taskstore/backend/registry.hpp>
#include <taskstore/error.hpp>

#if TASKSTORE_HAVE_SQLITE3
#include <taskstore/backend/sqlite/impl/sqlite_backend.ipp>
#include <taskstore/backend/sqlite/sqlite_backend.hpp>
#endif
#if TASKSTORE_HAVE_POSTGRESQL
#include <taskstore/backend/postgresql/impl/copy.ipp>
#include <taskstore/backend/postgresql/impl/listener.ipp>
#include <taskstore/backend/postgresql/impl/postgresql_backend.ipp>
#include <taskstore/backend/postgresql/postgresql_backend.hpp>
#endif
#if TASKSTORE_HAVE_MYSQL
#include <taskstore/backend/mysql/impl/literal_insert.ipp>
#include <taskstore/backend/mysql/impl/mysql_backend.ipp>
#include <taskstore/backend/mysql/mysql_backend.hpp>
#endif

#include <string>

namespace taskstore {

backend const& backend_for(backend_kind kind) {
  switch (kind) {
#if TASKSTORE_HAVE_SQLITE3
    case backend_kind::sqlite: {
      static detail::sqlite_backend const sqlite;
      return sqlite;
    }
#endif
#if TASKSTORE_HAVE_POSTGRESQL
    case backend_kind::postgresql: {
      static detail::postgresql_backend const postgresql;
      return postgresql;
    }
#endif
#if TASKSTORE_HAVE_MYSQL
    case backend_kind::mysql: return detail::mysql_backend::of();  // MariaDB's flavor, until connected
#endif
    default: break;
  }
  throw error(errc::bad_config, "this taskstore build does not include the " + std::string(to_string(kind)) +
                                    " backend (CMake option TASKSTORE_WITH_*)");
}

backend const* find_backend(std::string_view name) noexcept {
  for (auto kind : {backend_kind::sqlite, backend_kind::postgresql, backend_kind::mysql}) {
    if (to_string(kind) != name) continue;
    try {
      return &backend_for(kind);
    } catch (error const&) {
      return nullptr;
    }
  }
  return nullptr;
}

}  // namespace taskstore
