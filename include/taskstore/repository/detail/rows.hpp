// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Running a repository's statements: retries and backoff.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>

namespace taskstore::detail {

enum class statement_effect { reads, writes };

/// Runs `body(fn, lease)` on a session of `db`. Outside a transaction, a
/// statement that hit a busy database or a deadlock runs again (it changed
/// nothing); a read runs again on a new connection when its connection dropped
/// (a write's outcome would be unknown, so it is raised as temporary).
/// Not a template, so that every repository shares one copy.
TASKSTORE_DECL void run_statement(database const& db, statement_effect what, void (*body)(void*, session_lease&),
                                  void* fn);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/repository/detail/impl/rows.ipp>
#endif
