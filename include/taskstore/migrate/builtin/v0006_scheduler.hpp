// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 6: the scheduler's tables, `task_leaders` (leader leases) and
/// `task_periodic_runs` (one row per periodic schedule and period). Frozen
/// like every migration.

#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace taskstore::migrations::v0006 {

/// This migration's number: the only place it is written.
inline constexpr std::int64_t version = 6;

TASKSTORE_DECL std::vector<std::string> up(sql::dialect const& d);

TASKSTORE_DECL std::vector<std::string> down(sql::dialect const& d);

}  // namespace taskstore::migrations::v0006

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/builtin/impl/v0006_scheduler.ipp>
#endif
