// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/mysql/literal_insert.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/backend/mysql/literal_insert.hpp>

#include <charconv>

namespace taskstore::detail {

void append_mysql_literal(MYSQL* conn, std::string& out, cell const& c, cell_slot slot) {
  if (c.null) {
    out += "NULL";
    return;
  }
  char buf[32];
  switch (slot) {
    case cell_slot::integer: {
      auto const end = std::to_chars(buf, buf + sizeof buf, c.integer).ptr;
      out.append(buf, end);
      return;
    }
    case cell_slot::real: {  // shortest text that reads back as the same double
      auto const end = std::to_chars(buf, buf + sizeof buf, c.real).ptr;
      out.append(buf, end);
      return;
    }
    case cell_slot::text: {
      auto const at = out.size();
      out.resize(at + 2 * c.text.size() + 3);
      out[at] = '\'';
      auto const n = mysql_real_escape_string(conn, out.data() + at + 1, c.text.data(), c.text.size());
      out.resize(at + 1 + n);
      out += '\'';
      return;
    }
  }
}

literal_insert_result mysql_insert_literal(soci::session& session, std::string const& head,
                                           std::vector<cell> const& cells, std::vector<cell_slot> const& slots,
                                           std::size_t rows, std::string_view tail, std::vector<long long>* keys) {
  MYSQL* conn = static_cast<soci::mysql_session_backend*>(session.get_backend())->conn_;
  auto const fail = [conn] { throw soci::mysql_soci_error(mysql_error(conn), static_cast<int>(mysql_errno(conn))); };
  std::string text = head;
  std::size_t bytes = 0;
  for (auto const& c : cells) bytes += c.text.size() * 2 + 8;
  text.reserve(head.size() + bytes + rows * 4 + tail.size());
  std::size_t at = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    text += r ? ", (" : "(";
    for (std::size_t i = 0; i < slots.size(); ++i, ++at) {
      if (i) text += ", ";
      append_mysql_literal(conn, text, cells[at], slots[i]);
    }
    text += ')';
  }
  text += tail;
  if (mysql_real_query(conn, text.data(), text.size()) != 0) fail();
  MYSQL_RES* result = mysql_store_result(conn);
  if (!result) {
    if (mysql_field_count(conn) != 0) fail();
    return {mysql_affected_rows(conn), mysql_insert_id(conn)};
  }
  literal_insert_result done{mysql_num_rows(result), 0};
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    if (!keys || !row[0]) continue;
    long long key = 0;
    auto const* lengths = mysql_fetch_lengths(result);
    std::from_chars(row[0], row[0] + lengths[0], key);
    keys->push_back(key);
  }
  mysql_free_result(result);
  return done;
}

}  // namespace taskstore::detail
