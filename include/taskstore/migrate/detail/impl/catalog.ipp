// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/detail/catalog.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/detail/catalog.hpp>

#include <taskstore/db/errors.hpp>

namespace taskstore::detail {

bool table_exists(session_lease& lease, backend const& backend, std::string const& table) {
  return guarded(lease, backend, [&] { return backend.table_exists(lease.get(), table); });
}

}  // namespace taskstore::detail
