// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The DDL of a table per dialect: CREATE TABLE with named constraints, its indexes, DROP TABLE.

#include <taskstore/detail/config.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/sql/dialect.hpp>

#include <string>
#include <vector>

namespace taskstore::sql {

/// The index taskstore adds on a foreign-key column that no declared index
/// leads: `ix_<table>_<column>`.
TASKSTORE_DECL std::vector<index_info> effective_indexes(table_info const& t);

/// The index's name, generating `ix_<table>_<column>` for FK indexes.
TASKSTORE_DECL std::string index_name(table_info const& t, index_info const& ix);

TASKSTORE_DECL std::string index_columns(dialect const& d, index_info const& ix);

/// CREATE TABLE IF NOT EXISTS and its indexes, one statement per string.
/// Constraints are named: `pk_<table>`, `uq_<table>_<column>`,
/// `fk_<table>_<column>`, `ck_<table>_<column>`. On MySQL the indexes are
/// declared inline, so that InnoDB does not add its own index for each foreign
/// key.
TASKSTORE_DECL std::vector<std::string> create_table_sql(dialect const& d, table_info const& t);

/// DROP TABLE IF EXISTS (indexes go with it).
TASKSTORE_DECL std::string drop_table_sql(dialect const& d, table_info const& t);

template <class T>
std::vector<index_info> effective_indexes() {
  return effective_indexes(table_model<T>::info);
}
template <class T>
std::string index_name(index_info const& ix) {
  return index_name(table_model<T>::info, ix);
}
template <class T>
std::vector<std::string> create_table_sql(dialect const& d) {
  return create_table_sql(d, table_model<T>::info);
}
template <class T>
std::string drop_table_sql(dialect const& d) {
  return drop_table_sql(d, table_model<T>::info);
}

}  // namespace taskstore::sql

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/sql/impl/ddl.ipp>
#endif
