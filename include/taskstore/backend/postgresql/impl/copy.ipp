// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/postgresql/copy.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/backend/postgresql/copy.hpp>

#include <algorithm>
#include <charconv>

namespace taskstore::detail {

void pg_expect(PGconn* conn, PGresult* r, ExecStatusType want) {
  if (r && PQresultStatus(r) == want) return;
  std::string const state = r && PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "";
  std::string const message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn);
  PQclear(r);
  throw soci::postgresql_soci_error(message, state.c_str());
}

std::vector<long long> pg_next_keys(soci::session& session, std::string const& quoted_table, std::string const& column,
                                    std::size_t n) {
  PGconn* conn = pg_native(session);
  // The CTE looks the sequence up once; evaluated per row, the lookup cost
  // seven times what nextval does.
  static constexpr char const* text =
      "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence($1, $2)::regclass AS seq) "
      "SELECT nextval(s.seq) FROM s, generate_series(1, $3::bigint)";
  auto const count = std::to_string(n);
  char const* params[] = {quoted_table.c_str(), column.c_str(), count.c_str()};
  PGresult* r = PQexecParams(conn, text, 3, nullptr, params, nullptr, nullptr, 0);
  pg_expect(conn, r, PGRES_TUPLES_OK);
  std::vector<long long> keys;
  int const rows = PQntuples(r);
  if (rows > 0 && static_cast<std::size_t>(rows) == n && !PQgetisnull(r, 0, 0)) {  // NULL: no sequence
    keys.resize(n);
    for (int i = 0; i < rows; ++i) {
      char const* v = PQgetvalue(r, i, 0);
      std::from_chars(v, v + PQgetlength(r, i, 0), keys[static_cast<std::size_t>(i)]);
    }
  }
  PQclear(r);
  std::sort(keys.begin(), keys.end());  // input order gets ascending keys, as INSERT … RETURNING gives
  return keys;
}

void append_copy_field(std::string& out, cell const& c, cell_slot slot) {
  if (c.null) {
    out += "\\N";
    return;
  }
  char buf[32];
  switch (slot) {
    case cell_slot::integer: out.append(buf, std::to_chars(buf, buf + sizeof buf, c.integer).ptr); return;
    case cell_slot::real: out.append(buf, std::to_chars(buf, buf + sizeof buf, c.real).ptr); return;
    case cell_slot::text: {
      // Runs of plain characters go in one append: char by char, the
      // escaping was the bulk of a COPY's client time (perf).
      auto const plain = [](char ch) { return ch != '\\' && ch != '\t' && ch != '\n' && ch != '\r'; };
      char const* p = c.text.data();
      char const* const end = p + c.text.size();
      while (p != end) {
        char const* run = p;
        while (p != end && plain(*p)) ++p;
        out.append(run, static_cast<std::size_t>(p - run));
        if (p == end) break;
        char const escaped[] = {'\\', *p == '\\' ? '\\' : *p == '\t' ? 't' : *p == '\n' ? 'n' : 'r'};
        out.append(escaped, 2);
        ++p;
      }
      return;
    }
  }
}

void pg_copy_rows(soci::session& session, std::string const& table_and_columns, std::vector<cell> const& cells,
                  std::vector<cell_slot> const& slots, std::size_t rows) {
  PGconn* conn = pg_native(session);
  PGresult* started = PQexec(conn, ("COPY " + table_and_columns + " FROM STDIN").c_str());
  pg_expect(conn, started, PGRES_COPY_IN);
  PQclear(started);
  std::string buf;
  buf.reserve(std::size_t{1} << 17);  // a flush's worth and the row that passes it, mostly
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
  pg_expect(conn, last, PGRES_COMMAND_OK);
  PQclear(last);
}

}  // namespace taskstore::detail
