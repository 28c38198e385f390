// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The text of the row statements a repository runs. Parameters are named
/// :p0, :p1, … in the order the repository binds them; values are never
/// spliced into SQL.

#include <taskstore/reflect/table_model.hpp>
#include <taskstore/sql/dialect.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::sql {

inline std::string param(std::size_t i) { return ":p" + std::to_string(i); }

// Each builder takes the type-erased table_info, so it is compiled once per
// program rather than once per table; the templates below forward to it.

/// `a, b, c` for every column.
inline std::string column_list(dialect d, table_info const& t) {
  std::string out;
  for (auto const& c : t.columns) out += (out.empty() ? "" : ", ") + quote(d, c.name);
  return out;
}

/// ` RETURNING key`, for dialects that report generated keys that way.
inline std::string returning_key_sql(dialect d, table_info const& t) { return " RETURNING " + quote(d, t.key().name); }

/// INSERT of every column, or every column but a generated key when
/// `with_key` is false.
inline std::string insert_sql(dialect d, table_info const& t, bool with_key) {
  std::string cols, vals;
  std::size_t n = 0;
  for (auto const& c : t.columns) {
    if (c.generated && !with_key) continue;
    cols += (n ? ", " : "") + quote(d, c.name);
    vals += (n ? ", " : "") + param(n);
    ++n;
  }
  return "INSERT INTO " + quote(d, t.name) + " (" + cols + ") VALUES (" + vals + ")";
}

/// SELECT every column, with `where` appended when not empty.
inline std::string select_sql(dialect d, table_info const& t, std::string const& where = {}) {
  std::string out = "SELECT " + column_list(d, t) + " FROM " + quote(d, t.name);
  if (!where.empty()) out += " WHERE " + where;
  return out;
}

/// `key = :p0`
inline std::string key_condition(dialect d, table_info const& t, std::size_t param_index = 0) {
  return quote(d, t.key().name) + " = " + param(param_index);
}

/// UPDATE by key of the columns at `columns` (indexes into t.columns,
/// ascending, neither the key nor the version; empty only when the table has
/// a version column); with a version column, also `version = version + 1 …
/// AND version = :expected`. Parameters: those columns in order, then the
/// key, then the expected version.
inline std::string update_sql(dialect d, table_info const& t, std::span<std::size_t const> columns) {
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

/// The columns a full-row UPDATE writes: every one but the key and the version.
inline std::vector<std::size_t> updatable_columns(table_info const& t) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (!t.columns[i].primary_key && !t.columns[i].version) out.push_back(i);
  return out;
}

/// UPDATE of every non-key column by key, as update_sql(d, t, columns).
inline std::string update_sql(dialect d, table_info const& t) { return update_sql(d, t, updatable_columns(t)); }

inline std::string delete_sql(dialect d, table_info const& t) {
  return "DELETE FROM " + quote(d, t.name) + " WHERE " + key_condition(d, t);
}

inline std::string count_sql(dialect d, table_info const& t) { return "SELECT COUNT(*) FROM " + quote(d, t.name); }

/// Multi-row INSERT of `rows` rows (every column but a generated key unless
/// `with_key`), with `RETURNING key` when the key is generated (MariaDB ≥ 10.5
/// has it too).
/// `INSERT INTO t (a, b, …) VALUES ` (a generated key left out unless `with_key`).
inline std::string insert_head_sql(dialect d, table_info const& t, bool with_key) {
  std::string cols;
  for (auto const& c : t.columns) {
    if (c.generated && !with_key) continue;
    cols += (cols.empty() ? "" : ", ") + quote(d, c.name);
  }
  return "INSERT INTO " + quote(d, t.name) + " (" + cols + ") VALUES ";
}

inline std::string insert_many_sql(dialect d, table_info const& t, std::size_t rows, bool with_key) {
  std::size_t per_row = 0;
  for (auto const& c : t.columns) per_row += c.generated && !with_key ? 0 : 1;
  std::string out = insert_head_sql(d, t, with_key);
  out.reserve(out.size() + rows * per_row * 8);
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    out += r ? ", (" : "(";
    for (std::size_t i = 0; i < per_row; ++i) out += (i ? ", " : "") + param(n++);
    out += ')';
  }
  if (t.key().generated) out += returning_key_sql(d, t);
  return out;
}

/// INSERT … ON CONFLICT (target) DO UPDATE (ON DUPLICATE KEY UPDATE on MySQL)
/// of every column that is not the key or the target; a version column is
/// incremented on the update path. Parameters as insert_sql(); PostgreSQL and
/// SQLite return the key; MySQL sets LAST_INSERT_ID to it.
inline std::string upsert_sql(dialect d, table_info const& t, bool with_key,
                              std::vector<std::string_view> const& target) {
  auto const& key = t.key();
  auto in_target = [&](std::string_view n) {
    for (auto x : target)
      if (x == n) return true;
    return false;
  };
  std::string out = insert_sql(d, t, with_key);
  std::string sets;
  auto add = [&](std::string const& s) { sets += (sets.empty() ? "" : ", ") + s; };
  if (d == dialect::mysql) {
    if (key.generated) add(quote(d, key.name) + " = LAST_INSERT_ID(" + quote(d, key.name) + ")");
    for (auto const& c : t.columns) {
      if (c.primary_key || in_target(c.name)) continue;
      auto const q = quote(d, c.name);
      add(q + " = " + (c.version ? q + " + 1" : "VALUES(" + q + ")"));
    }
    return out + " ON DUPLICATE KEY UPDATE " + sets;
  }
  std::string targets;
  for (auto x : target) targets += (targets.empty() ? "" : ", ") + quote(d, x);
  for (auto const& c : t.columns) {
    if (c.primary_key || in_target(c.name)) continue;
    auto const q = quote(d, c.name);
    add(q + " = " + (c.version ? quote(d, t.name) + "." + q + " + 1" : "excluded." + q));
  }
  // With nothing else to update, a no-op assignment still makes RETURNING
  // yield the existing row (DO NOTHING would return no row).
  if (sets.empty()) add(quote(d, target.front()) + " = excluded." + quote(d, target.front()));
  out += " ON CONFLICT (" + targets + ") DO UPDATE SET " + sets;
  return out + returning_key_sql(d, t);
}

// The same statements by the table's C++ type.

template <class T>
std::string column_list(dialect d) {
  return column_list(d, table_model<T>::info);
}
template <class T>
std::string returning_key_sql(dialect d) {
  return returning_key_sql(d, table_model<T>::info);
}
template <class T>
std::string insert_sql(dialect d, bool with_key) {
  return insert_sql(d, table_model<T>::info, with_key);
}
template <class T>
std::string select_sql(dialect d, std::string const& where = {}) {
  return select_sql(d, table_model<T>::info, where);
}
template <class T>
std::string key_condition(dialect d, std::size_t param_index = 0) {
  return key_condition(d, table_model<T>::info, param_index);
}
template <class T>
std::string update_sql(dialect d) {
  return update_sql(d, table_model<T>::info);
}
template <class T>
std::string delete_sql(dialect d) {
  return delete_sql(d, table_model<T>::info);
}
template <class T>
std::string count_sql(dialect d) {
  return count_sql(d, table_model<T>::info);
}
template <class T>
std::string insert_many_sql(dialect d, std::size_t rows, bool with_key) {
  return insert_many_sql(d, table_model<T>::info, rows, with_key);
}
template <class T>
std::string upsert_sql(dialect d, bool with_key, std::vector<std::string_view> const& target) {
  return upsert_sql(d, table_model<T>::info, with_key, target);
}

}  // namespace taskstore::sql
