// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Running a backend's EXPLAIN of a SELECT with the SELECT's own bound values,
// for backend::explain(): the planner sees the values the library would send.

#include <taskstore/db/detail/statement_cache.hpp>
#include <taskstore/value/detail/cell.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <string>
#include <vector>

namespace taskstore::detail {

/// Runs `sql` (an EXPLAIN of a SELECT) once, unprepared, with `params`
/// bound, and calls `on_row` with each result row read into `results` slots.
template <class OnRow>
void each_plan_row(soci::session& s, std::string const& sql, std::vector<cell> const& params,
                   std::vector<cell_slot> const& slots, std::vector<cell_slot> const& results, OnRow&& on_row) {
  prepared_statement st(s, sql, slots, results, false);
  std::copy(params.begin(), params.end(), st.params().begin());
  for (bool row = st.execute(); row; row = st.fetch()) on_row(st.results());
}

}  // namespace taskstore::detail
