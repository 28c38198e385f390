// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Reading a query's rows without a prepared statement: SOCI's rowset prepares
// a named statement, which a pooler in transaction mode (PgBouncer) may hand to
// another server connection between PREPARE and EXECUTE.

#include <soci/soci.h>

#include <string>
#include <utility>

namespace taskstore::detail {

/// Runs `sql` once on `s`, each `params` bound in order, and calls `on_row`
/// with each row of its result.
template <class OnRow, class... Params>
void each_row(soci::session& s, std::string const& sql, OnRow&& on_row, Params const&... params) {
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  (st.exchange(soci::use(params)), ...);
  st.alloc();
  st.prepare(sql, soci::details::st_one_time_query);
  st.define_and_bind();
  for (bool more = st.execute(true); more; more = st.fetch()) on_row(std::as_const(row));
}

}  // namespace taskstore::detail
