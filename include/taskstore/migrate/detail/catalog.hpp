// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/detail/pool.hpp>
#include <taskstore/db/errors.hpp>

#include <soci/soci.h>

#include <string>

namespace taskstore::detail {

/// Whether a table exists in the session's current schema (PostgreSQL's
/// search path, MariaDB's current database).
inline bool table_exists(session_lease& lease, backend_kind backend, std::string const& table) {
  int n = 0;
  guarded(lease, backend, [&] {
    auto& s = lease.get();
    switch (backend) {
      case backend_kind::sqlite:
        s << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :t", soci::use(table), soci::into(n);
        break;
      case backend_kind::postgresql:
        s << "SELECT CASE WHEN to_regclass(:t) IS NULL THEN 0 ELSE 1 END", soci::use(table), soci::into(n);
        break;
      case backend_kind::mysql:
        s << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :t",
            soci::use(table), soci::into(n);
        break;
    }
  });
  return n > 0;
}

}  // namespace taskstore::detail
