// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Moving whole rows between C++ objects and bound cells.

#include <taskstore/db/database.hpp>
#include <taskstore/db/detail/cell.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/reflect/table_model.hpp>

#include <cstddef>
#include <vector>

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

/// Writes the columns an INSERT binds into `cells` from position `at`; returns the next position.
template <class T>
std::size_t write_insert_cells(T const& row, bool with_key, std::vector<cell>& cells, std::size_t at) {
  table_model<T>::for_each_column(row, [&](column_info const& c, auto const& member) {
    if (with_key || !c.generated) to_cell(member, cells[at++]);
  });
  return at;
}

/// Reads a whole row from result cells in column order.
template <class T>
void read_row(std::vector<cell> const& cells, T& out) {
  std::size_t i = 0;
  table_model<T>::for_each_column(out,
                                  [&](column_info const& c, auto& member) { from_cell(cells[i++], member, c.name); });
}

}  // namespace taskstore::detail
