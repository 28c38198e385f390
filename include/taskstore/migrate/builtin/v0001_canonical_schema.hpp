// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Migration 1, the canonical schema (docs/design.md), frozen as it was
/// released: each backend keeps its text, which must never change (its
/// checksum is in every migrated database's ledger). Later schema changes are
/// later migrations; a test checks that all migrations together produce
/// exactly what the table_traits describe.

#include <taskstore/sql/dialect.hpp>

#include <span>
#include <string_view>

namespace taskstore::migrations::v0001 {
/// The migration's statements in `d`'s SQL, which its backend keeps
/// (include/taskstore/backend/NAME/schema_v0001.hpp).
inline std::span<std::string_view const> statements(sql::dialect const& d) { return d.schema_v0001(); }

/// Every table, parents first (down drops them in reverse).
inline constexpr std::string_view tables[] = {
    "users",         "tasks",  "event_logs",     "agent_runs",     "task_completions",   "sessions",
    "session_tasks", "drafts", "email_messages", "credit_wallets", "credit_transactions"};

}  // namespace taskstore::migrations::v0001
