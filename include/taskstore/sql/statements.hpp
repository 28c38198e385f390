// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The text of the row statements a repository runs. Parameters are named
// :p0, :p1, … in the order the repository binds them; values are never
// spliced into SQL.

#include <taskstore/reflect/table_model.hpp>
#include <taskstore/sql/dialect.hpp>

#include <cstddef>
#include <string>

namespace taskstore::sql {

inline std::string param(std::size_t i) { return ":p" + std::to_string(i); }

/// `a, b, c` for every column of T.
template <class T>
std::string column_list(dialect d) {
  std::string out;
  for (auto const& c : table_model<T>::columns) out += (out.empty() ? "" : ", ") + quote(d, c.name);
  return out;
}

/// INSERT of every column, or every column but a generated key when
/// `with_key` is false (then `RETURNING key` where the dialect has it).
template <class T>
std::string insert_sql(dialect d, bool with_key) {
  using model = table_model<T>;
  std::string cols, vals;
  std::size_t n = 0;
  for (auto const& c : model::columns) {
    if (c.generated && !with_key) continue;
    cols += (n ? ", " : "") + quote(d, c.name);
    vals += (n ? ", " : "") + param(n);
    ++n;
  }
  std::string out = "INSERT INTO " + quote(d, model::table) + " (" + cols + ") VALUES (" + vals + ")";
  if (!with_key && model::columns[model::key_index].generated && d != dialect::mysql)
    out += " RETURNING " + quote(d, model::columns[model::key_index].name);
  return out;
}

/// SELECT every column FROM T, with `where` appended when not empty.
template <class T>
std::string select_sql(dialect d, std::string const& where = {}) {
  std::string out = "SELECT " + column_list<T>(d) + " FROM " + quote(d, table_model<T>::table);
  if (!where.empty()) out += " WHERE " + where;
  return out;
}

/// `key = :p0`
template <class T>
std::string key_condition(dialect d, std::size_t param_index = 0) {
  return quote(d, table_model<T>::columns[table_model<T>::key_index].name) + " = " + param(param_index);
}

/// UPDATE of every non-key column by key; with a version column, also
/// `version = version + 1 … AND version = :expected`. Parameters: the
/// non-key columns in order (the version column excluded), then the key, then
/// the expected version.
template <class T>
std::string update_sql(dialect d) {
  using model = table_model<T>;
  std::string sets;
  std::size_t n = 0;
  for (auto const& c : model::columns) {
    if (c.primary_key) continue;
    auto const col = quote(d, c.name);
    sets += (sets.empty() ? "" : ", ") + col + " = " + (c.version ? col + " + 1" : param(n++));
  }
  std::string out = "UPDATE " + quote(d, model::table) + " SET " + sets + " WHERE " + key_condition<T>(d, n++);
  if (model::version_index) out += " AND " + quote(d, model::columns[*model::version_index].name) + " = " + param(n);
  return out;
}

template <class T>
std::string delete_sql(dialect d) {
  return "DELETE FROM " + quote(d, table_model<T>::table) + " WHERE " + key_condition<T>(d);
}

template <class T>
std::string count_sql(dialect d) {
  return "SELECT COUNT(*) FROM " + quote(d, table_model<T>::table);
}

}  // namespace taskstore::sql
