// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Running a repository's statements: retries and backoff.

#include <taskstore/db/database.hpp>
#include <taskstore/db/errors.hpp>

#include <cstddef>

namespace taskstore::detail {

enum class statement_effect { reads, writes };

/// Runs `body(fn, lease)` on a session of `db`. Outside a transaction, a
/// statement that hit a busy database or a deadlock runs again (it changed
/// nothing); a read runs again on a new connection when its connection dropped
/// (a write's outcome would be unknown, so it is raised as temporary).
/// Not a template, so that every repository shares one copy.
inline void run_statement(database const& db, statement_effect what, void (*body)(void*, session_lease&), void* fn) {
  for (std::size_t attempt = 1;; ++attempt) {
    auto lease = db.session();
    try {
      guarded(lease, db.backend(), [&] { body(fn, lease); });
      return;
    } catch (error const& e) {
      bool const again = e.code() == errc::busy_or_deadlock || (what == statement_effect::reads && is_transient(e));
      if (lease.pinned() || !again || attempt >= db.options().retry_attempts) throw;
      db.count_retry();
      backoff(attempt);
    }
  }
}

}  // namespace taskstore::detail
