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
#include <string_view>
#include <vector>

namespace taskstore::sql {

inline std::string param(std::size_t i) { return ":p" + std::to_string(i); }

/// `a, b, c` for every column of T.
template <class T>
std::string column_list(dialect d) {
  std::string out;
  for (auto const& c : table_model<T>::columns) out += (out.empty() ? "" : ", ") + quote(d, c.name);
  return out;
}

/// ` RETURNING key`, for dialects that report generated keys that way.
template <class T>
std::string returning_key_sql(dialect d) {
  return " RETURNING " + quote(d, table_model<T>::columns[table_model<T>::key_index].name);
}

/// INSERT of every column, or every column but a generated key when
/// `with_key` is false.
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
  return "INSERT INTO " + quote(d, model::table) + " (" + cols + ") VALUES (" + vals + ")";
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

namespace taskstore::sql {

/// Multi-row INSERT of `rows` rows (every column but a generated key unless
/// `with_key`), with `RETURNING key` on every dialect (MariaDB ≥ 10.5 has it).
template <class T>
std::string insert_many_sql(dialect d, std::size_t rows, bool with_key) {
  using model = table_model<T>;
  std::string cols;
  std::size_t per_row = 0;
  for (auto const& c : model::columns) {
    if (c.generated && !with_key) continue;
    cols += (per_row++ ? ", " : "") + quote(d, c.name);
  }
  std::string out = "INSERT INTO " + quote(d, model::table) + " (" + cols + ") VALUES ";
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (std::size_t i = 0; i < per_row; ++i) out += (i ? ", " : "") + param(n++);
    out += ')';
  }
  if (model::columns[model::key_index].generated) out += returning_key_sql<T>(d);
  return out;
}

/// INSERT … ON CONFLICT (target) DO UPDATE (ON DUPLICATE KEY UPDATE on MySQL)
/// of every column that is not the key or the target; a version column is
/// incremented on the update path. Parameters as insert_sql(); PostgreSQL and
/// SQLite return the key; MySQL sets LAST_INSERT_ID to it.
template <class T>
std::string upsert_sql(dialect d, bool with_key, std::vector<std::string_view> const& target) {
  using model = table_model<T>;
  auto const& key = model::columns[model::key_index];
  auto in_target = [&](std::string_view n) {
    for (auto t : target)
      if (t == n) return true;
    return false;
  };
  std::string out = insert_sql<T>(d, with_key);
  std::string sets;
  auto add = [&](std::string const& s) { sets += (sets.empty() ? "" : ", ") + s; };
  if (d == dialect::mysql) {
    if (key.generated) add(quote(d, key.name) + " = LAST_INSERT_ID(" + quote(d, key.name) + ")");
    for (auto const& c : model::columns) {
      if (c.primary_key || in_target(c.name)) continue;
      auto const q = quote(d, c.name);
      add(q + " = " + (c.version ? q + " + 1" : "VALUES(" + q + ")"));
    }
    return out + " ON DUPLICATE KEY UPDATE " + sets;
  }
  std::string targets;
  for (auto t : target) targets += (targets.empty() ? "" : ", ") + quote(d, t);
  for (auto const& c : model::columns) {
    if (c.primary_key || in_target(c.name)) continue;
    auto const q = quote(d, c.name);
    add(q + " = " + (c.version ? quote(d, model::table) + "." + q + " + 1" : "excluded." + q));
  }
  // With nothing else to update, a no-op assignment still makes RETURNING
  // yield the existing row (DO NOTHING would return no row).
  if (sets.empty()) add(quote(d, target.front()) + " = excluded." + quote(d, target.front()));
  out += " ON CONFLICT (" + targets + ") DO UPDATE SET " + sets;
  return out + returning_key_sql<T>(d);
}

}  // namespace taskstore::sql
