// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/sql/statements.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/sql/statements.hpp>

#include <utility>

namespace taskstore::sql {

std::string param(std::size_t i) { return ":p" + std::to_string(i); }

std::string column_list(dialect const& d, table_info const& t) {
  std::string out;
  for (auto const& c : t.columns) out += (out.empty() ? "" : ", ") + quote(d, c.name);
  return out;
}

std::string returning_key_sql(dialect const& d, table_info const& t) { return " RETURNING " + quote(d, t.key().name); }

std::string insert_sql(dialect const& d, table_info const& t, key_source key) {
  std::string cols, vals;
  std::size_t n = 0;
  for (auto const& c : t.columns) {
    if (c.generated && key == key_source::generated) continue;
    cols += (n ? ", " : "") + quote(d, c.name);
    vals += (n ? ", " : "") + param(n);
    ++n;
  }
  return "INSERT INTO " + quote(d, t.name) + " (" + cols + ") VALUES (" + vals + ")";
}

std::string select_sql(dialect const& d, table_info const& t, std::string const& where) {
  std::string out = "SELECT " + column_list(d, t) + " FROM " + quote(d, t.name);
  if (!where.empty()) out += " WHERE " + where;
  return out;
}

std::string key_condition(dialect const& d, table_info const& t, std::size_t param_index) {
  return quote(d, t.key().name) + " = " + param(param_index);
}

std::string update_sql(dialect const& d, table_info const& t, std::span<std::size_t const> columns) {
  std::string sets;
  std::size_t n = 0;
  for (auto const i : columns) {
    sets += (n ? ", " : "") + quote(d, t.columns[i].name) + " = " + param(n);
    ++n;
  }
  if (t.version_index) {
    auto const v = quote(d, t.columns[*t.version_index].name);
    sets += (n ? ", " : "") + v + " = " + v + " + 1";
  }
  std::string out = "UPDATE " + quote(d, t.name) + " SET " + sets + " WHERE " + key_condition(d, t, n++);
  if (t.version_index) out += " AND " + quote(d, t.columns[*t.version_index].name) + " = " + param(n);
  return out;
}

std::vector<std::size_t> updatable_columns(table_info const& t) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (!t.columns[i].primary_key && !t.columns[i].version) out.push_back(i);
  return out;
}

std::string update_sql(dialect const& d, table_info const& t) { return update_sql(d, t, updatable_columns(t)); }

std::string delete_sql(dialect const& d, table_info const& t) {
  return "DELETE FROM " + quote(d, t.name) + " WHERE " + key_condition(d, t);
}

std::string count_sql(dialect const& d, table_info const& t) { return "SELECT COUNT(*) FROM " + quote(d, t.name); }

std::string insert_head_sql(dialect const& d, table_info const& t, key_source key) {
  std::string cols;
  for (auto const& c : t.columns) {
    if (c.generated && key == key_source::generated) continue;
    cols += (cols.empty() ? "" : ", ") + quote(d, c.name);
  }
  return "INSERT INTO " + quote(d, t.name) + " (" + cols + ") VALUES ";
}

std::string insert_many_sql(dialect const& d, table_info const& t, std::size_t rows, key_source key) {
  std::size_t per_row = 0;
  for (auto const& c : t.columns) per_row += c.generated && key == key_source::generated ? 0 : 1;
  std::string out = insert_head_sql(d, t, key);
  out.reserve(out.size() + rows * per_row * 8);
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (std::size_t i = 0; i < per_row; ++i) out += (i ? ", " : "") + param(n++);
    out += ')';
  }
  if (t.key().generated && d.returns_generated_keys()) out += returning_key_sql(d, t);
  return out;
}

std::string upsert_sql(dialect const& d, table_info const& t, key_source key,
                       std::vector<std::string_view> const& target) {
  return d.upsert(t, insert_sql(d, t, key), target);
}

}  // namespace taskstore::sql
