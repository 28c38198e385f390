// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The dialects' SQL pieces: identifier quoting, literals, column types and defaults.

#include <taskstore/db/connection_options.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/reflect/table_model.hpp>

#include <string>
#include <string_view>

namespace taskstore::sql {

/// The SQL dialects: one per backend.
using dialect = backend_kind;

/// An identifier quoted for the dialect: "name" or `name`.
TASKSTORE_DECL std::string quote(dialect d, std::string_view name);

/// A string literal: 'it''s'. Only for DDL text taskstore writes itself;
/// values are always bound.
TASKSTORE_DECL std::string literal(std::string_view text);

/// The column's SQL type (docs/design.md, The type mapping).
TASKSTORE_DECL std::string column_type_sql(dialect d, column_info const& c);

/// PostgreSQL's type for a parameter that nothing else types (a VALUES
/// list): the column's type without a length, so that a text too long for
/// its column fails the assignment instead of being cut short by the cast.
TASKSTORE_DECL char const* postgresql_value_type(column_type t);

TASKSTORE_DECL std::string real_literal(double v);

/// The DEFAULT expression, or empty.
TASKSTORE_DECL std::string default_sql(dialect d, column_info const& c);

/// The CHECK expressions the column needs, joined with AND, or empty.
TASKSTORE_DECL std::string check_sql(dialect d, column_info const& c);

TASKSTORE_DECL std::string_view on_delete_sql(on_delete action);

}  // namespace taskstore::sql

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/sql/impl/dialect.ipp>
#endif
