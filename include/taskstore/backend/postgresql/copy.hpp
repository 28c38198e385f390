// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Bulk inserts on PostgreSQL through COPY FROM STDIN on the native
// connection, for rows whose keys are known: given, or taken from the key's
// sequence beforehand (pg_next_keys). A multi-row INSERT binds every value as
// a separate parameter that SOCI formats and libpq ships; COPY streams the
// rows as text, several times faster (docs/performance.md). Same values, same constraints and triggers;
// errors come back with their SQLSTATE and are translated as SOCI's are.

#include <taskstore/detail/config.hpp>
#include <taskstore/value/detail/cell.hpp>

#include <soci/soci.h>

#include <soci/postgresql/soci-postgresql.h>

#include <cstddef>
#include <string>
#include <vector>

namespace taskstore::detail {

inline PGconn* pg_native(soci::session& session) {
  return static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
}

/// Returns when `r` has the status `want`; else clears it and throws its
/// error with its SQLSTATE (for detail::guarded() to translate).
TASKSTORE_DECL void pg_expect(PGconn* conn, PGresult* r, ExecStatusType want);

/// The next `n` values, ascending, of the sequence behind the generated
/// column `column` of `quoted_table` (a serial or identity column), in one
/// round trip; none when the column owns no sequence. With these keys a
/// bulk insert can COPY rows whose keys it already knows.
/// @throws soci::postgresql_soci_error, for detail::guarded() to translate.
TASKSTORE_DECL std::vector<long long> pg_next_keys(soci::session& session, std::string const& quoted_table,
                                                   std::string const& column, std::size_t n);

/// Appends `c` in COPY's text format.
TASKSTORE_DECL void append_copy_field(std::string& out, cell const& c, cell_slot slot);

/// COPY `table_and_columns` FROM STDIN with `rows` rows of `cells`
/// (`slots.size()` per row). Call inside a transaction.
/// @throws soci::postgresql_soci_error, for detail::guarded() to translate.
TASKSTORE_DECL void pg_copy_rows(soci::session& session, std::string const& table_and_columns,
                                 std::vector<cell> const& cells, std::vector<cell_slot> const& slots, std::size_t rows);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/postgresql/impl/copy.ipp>
#endif
