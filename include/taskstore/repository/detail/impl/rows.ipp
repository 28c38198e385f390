// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/repository/detail/rows.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/repository/detail/rows.hpp>

#include <taskstore/db/errors.hpp>

#include <cstddef>
#include <optional>

namespace taskstore::detail {

void run_statement(database const& db, statement_effect what, void (*body)(void*, session_lease&), void* fn) {
  for (std::size_t attempt = 1;; ++attempt) {
    auto lease = detail::session_of(db);
    std::optional<fault_injector::attempt> counted;  // a statement outside a transaction is an attempt of its own
    if (!lease.pinned() && lease.conn().faults) counted.emplace(*lease.conn().faults, attempt == 1);
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
