// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The text of the row statements a repository runs. Parameters are named
/// :p0, :p1, … in the order the repository binds them; values are never
/// spliced into SQL.

#include <taskstore/detail/config.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/sql/dialect.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::sql {

TASKSTORE_DECL std::string param(std::size_t i);

// Each builder takes the type-erased table_info, so it is compiled once per
// program rather than once per table; the templates below forward to it.

/// `a, b, c` for every column.
TASKSTORE_DECL std::string column_list(dialect const& d, table_info const& t);

/// ` RETURNING key`, for dialects that report generated keys that way.
TASKSTORE_DECL std::string returning_key_sql(dialect const& d, table_info const& t);

/// INSERT of every column, or every column but a generated key when
/// `key` is generated.
TASKSTORE_DECL std::string insert_sql(dialect const& d, table_info const& t, key_source key);

/// SELECT every column, with `where` appended when not empty.
TASKSTORE_DECL std::string select_sql(dialect const& d, table_info const& t, std::string const& where = {});

/// `key = :p0`
TASKSTORE_DECL std::string key_condition(dialect const& d, table_info const& t, std::size_t param_index = 0);

/// UPDATE by key of the columns at `columns` (indexes into t.columns,
/// ascending, neither the key nor the version; empty only when the table has
/// a version column); with a version column, also `version = version + 1 …
/// AND version = :expected`. Parameters: those columns in order, then the
/// key, then the expected version.
TASKSTORE_DECL std::string update_sql(dialect const& d, table_info const& t, std::span<std::size_t const> columns);

/// The columns a full-row UPDATE writes: every one but the key and the version.
TASKSTORE_DECL std::vector<std::size_t> updatable_columns(table_info const& t);

/// UPDATE of every non-key column by key, as update_sql(d, t, columns).
TASKSTORE_DECL std::string update_sql(dialect const& d, table_info const& t);

TASKSTORE_DECL std::string delete_sql(dialect const& d, table_info const& t);

TASKSTORE_DECL std::string count_sql(dialect const& d, table_info const& t);

/// `INSERT INTO t (a, b, …) VALUES ` (a generated key left out unless `key` is the row's).
TASKSTORE_DECL std::string insert_head_sql(dialect const& d, table_info const& t, key_source key);

/// Multi-row INSERT of `rows` rows (every column but a generated key unless
/// `key` is the row's), with `RETURNING key` when the key is generated and the
/// dialect returns keys that way.

TASKSTORE_DECL std::string insert_many_sql(dialect const& d, table_info const& t, std::size_t rows, key_source key);

/// INSERT … or update on a conflict on `target` (dialect::upsert()) of
/// every column that is not the key or the target; a version column is
/// incremented on the update path. Parameters as insert_sql().
TASKSTORE_DECL std::string upsert_sql(dialect const& d, table_info const& t, key_source key,
                                      std::vector<std::string_view> const& target);

// The same statements by the table's C++ type.

template <class T>
std::string column_list(dialect const& d) {
  return column_list(d, table_model<T>::info);
}
template <class T>
std::string returning_key_sql(dialect const& d) {
  return returning_key_sql(d, table_model<T>::info);
}
template <class T>
std::string insert_sql(dialect const& d, key_source key) {
  return insert_sql(d, table_model<T>::info, key);
}
template <class T>
std::string select_sql(dialect const& d, std::string const& where = {}) {
  return select_sql(d, table_model<T>::info, where);
}
template <class T>
std::string key_condition(dialect const& d, std::size_t param_index = 0) {
  return key_condition(d, table_model<T>::info, param_index);
}
template <class T>
std::string update_sql(dialect const& d) {
  return update_sql(d, table_model<T>::info);
}
template <class T>
std::string delete_sql(dialect const& d) {
  return delete_sql(d, table_model<T>::info);
}
template <class T>
std::string count_sql(dialect const& d) {
  return count_sql(d, table_model<T>::info);
}
template <class T>
std::string insert_many_sql(dialect const& d, std::size_t rows, key_source key) {
  return insert_many_sql(d, table_model<T>::info, rows, key);
}
template <class T>
std::string upsert_sql(dialect const& d, key_source key, std::vector<std::string_view> const& target) {
  return upsert_sql(d, table_model<T>::info, key, target);
}

}  // namespace taskstore::sql

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/sql/impl/statements.ipp>
#endif
