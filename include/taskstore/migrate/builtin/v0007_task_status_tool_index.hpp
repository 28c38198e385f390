// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 7: tasks indexed by status, then tool, then creation, found by
/// the dashboard's measurements (docs/dashboard.md): queue statistics (the
/// tools with QUEUED or PROCESSING tasks, and their counts) and a tool's
/// tasks of one status newest first, which otherwise read every task of the
/// tool or of the status. Frozen like every migration.

#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace taskstore::migrations::v0007 {

/// This migration's number: the only place it is written.
inline constexpr std::int64_t version = 7;

TASKSTORE_DECL std::vector<std::string> up(sql::dialect const& d);

TASKSTORE_DECL std::vector<std::string> down(sql::dialect const& d);

}  // namespace taskstore::migrations::v0007

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/builtin/impl/v0007_task_status_tool_index.ipp>
#endif
