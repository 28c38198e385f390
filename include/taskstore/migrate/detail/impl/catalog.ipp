// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/detail/catalog.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/detail/catalog.hpp>

#include <taskstore/db/errors.hpp>

#include <soci/soci.h>

namespace taskstore::detail {

bool table_exists(session_lease& lease, backend_kind backend, std::string const& table) {
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
