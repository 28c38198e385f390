// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The SQL dialect of a backend, for tests that build SQL without a database.

#include <taskstore/backend/registry.hpp>

namespace taskstore::test {

inline sql::dialect const& dialect_of(backend_kind kind) { return backend_for(kind).dialect(); }

/// The MySQL backend's flavor for MySQL 8.0 servers.
inline sql::dialect const& mysql_flavor_dialect() {
  return backend_for(backend_kind::mysql).flavor("mysql")->dialect();
}

}  // namespace taskstore::test
