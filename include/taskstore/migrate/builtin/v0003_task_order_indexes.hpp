// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 3: indexes in the order two hot queries read tasks, found by the
/// benchmarks (docs/performance.md): a user's tasks newest first (lists and keyset pages,
/// which otherwise sort every task of the user per page) and the queue oldest
/// first (claims, which otherwise sort every queued task per claim). Frozen
/// like every migration.

#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore::migrations::v0003 {

TASKSTORE_DECL std::vector<std::string> up(sql::dialect const& d);

TASKSTORE_DECL std::vector<std::string> down(sql::dialect const& d);

}  // namespace taskstore::migrations::v0003

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/builtin/impl/v0003_task_order_indexes.ipp>
#endif
