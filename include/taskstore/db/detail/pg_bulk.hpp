// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Bulk inserts on PostgreSQL through COPY FROM STDIN on the native
// connection, for rows whose keys are known (nothing to return). A
// multi-row INSERT binds every value as a separate parameter that SOCI
// formats and libpq ships; COPY streams the rows as text, several times
// faster (issue 9's profile). Same values, same constraints and triggers;
// errors come back with their SQLSTATE and are translated as SOCI's are.

#include <taskstore/db/detail/cell.hpp>

#if TASKSTORE_HAVE_POSTGRESQL
#include <soci/postgresql/soci-postgresql.h>

#include <charconv>
#include <cstddef>
#include <string>
#include <vector>

namespace taskstore::detail {

/// Appends `c` in COPY's text format.
inline void append_copy_field(std::string& out, cell const& c, cell_slot slot) {
  if (c.ind == soci::i_null) {
    out += "\\N";
    return;
  }
  char buf[32];
  switch (slot) {
    case cell_slot::integer: out.append(buf, std::to_chars(buf, buf + sizeof buf, c.integer).ptr); return;
    case cell_slot::real: out.append(buf, std::to_chars(buf, buf + sizeof buf, c.real).ptr); return;
    case cell_slot::text:
      for (char ch : c.text) {
        switch (ch) {
          case '\\': out += "\\\\"; break;
          case '\t': out += "\\t"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          default: out += ch;
        }
      }
      return;
  }
}

/// COPY `table_and_columns` FROM STDIN with `rows` rows of `cells`
/// (`slots.size()` per row). Call inside a transaction.
/// @throws soci::postgresql_soci_error, for detail::guarded() to translate.
inline void pg_copy_rows(soci::session& session, std::string const& table_and_columns, std::vector<cell> const& cells,
                         std::vector<cell_slot> const& slots, std::size_t rows) {
  PGconn* conn = static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
  auto const check = [conn](PGresult* r, ExecStatusType want) {
    bool const ok = r && PQresultStatus(r) == want;
    std::string state = r && PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "";
    std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
    PQclear(r);
    if (!ok) throw soci::postgresql_soci_error(message, state.c_str());
  };
  check(PQexec(conn, ("COPY " + table_and_columns + " FROM STDIN").c_str()), PGRES_COPY_IN);
  std::string buf;
  bool sent = true;
  std::size_t at = 0;
  for (std::size_t r = 0; r < rows && sent; ++r) {
    for (std::size_t i = 0; i < slots.size(); ++i, ++at) {
      if (i) buf += '\t';
      append_copy_field(buf, cells[at], slots[i]);
    }
    buf += '\n';
    if (buf.size() >= (1u << 16) || r + 1 == rows) {
      sent = PQputCopyData(conn, buf.data(), static_cast<int>(buf.size())) == 1;
      buf.clear();
    }
  }
  if (!sent || PQputCopyEnd(conn, nullptr) != 1)
    throw soci::postgresql_soci_error(PQerrorMessage(conn), "08006");  // the connection failed mid-copy
  PGresult* last = nullptr;
  while (PGresult* r = PQgetResult(conn)) {  // COPY's outcome, then nullptr
    if (last) PQclear(last);
    last = r;
  }
  check(last, PGRES_COMMAND_OK);
}

}  // namespace taskstore::detail
#endif
