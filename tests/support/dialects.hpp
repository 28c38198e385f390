// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The SQL dialect of a backend, for tests that build SQL without a database.

#include <taskstore/backend/registry.hpp>

namespace taskstore::test {

inline sql::dialect const& dialect_of(backend_kind kind) { return backend_for(kind).dialect(); }

}  // namespace taskstore::test
