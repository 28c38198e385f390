// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/sql/dialect.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/sql/dialect.hpp>

#include <charconv>

namespace taskstore::sql {

std::string quote(dialect d, std::string_view name) {
  char const q = d == dialect::mysql ? '`' : '"';
  std::string out(1, q);
  for (char c : name) {
    if (c == q) out += q;
    out += c;
  }
  out += q;
  return out;
}

std::string literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string column_type_sql(dialect d, column_info const& c) {
  auto const n = c.max_length();
  auto varchar = [&] { return "VARCHAR(" + std::to_string(n) + ")"; };
  switch (c.type) {
    case column_type::boolean: return d == dialect::sqlite ? "INTEGER" : "BOOLEAN";
    case column_type::int32: return d == dialect::mysql ? "INT" : "INTEGER";
    case column_type::int64: return d == dialect::sqlite ? "INTEGER" : "BIGINT";
    case column_type::real:
      return d == dialect::sqlite ? "REAL" : d == dialect::postgresql ? "DOUBLE PRECISION" : "DOUBLE";
    case column_type::text:
    case column_type::enumeration:
      if (n) return varchar() + (d == dialect::postgresql ? " COLLATE \"C\"" : "");
      return d == dialect::mysql ? "LONGTEXT" : d == dialect::postgresql ? "TEXT COLLATE \"C\"" : "TEXT";
    case column_type::timestamp:
      return d == dialect::sqlite ? "TEXT" : d == dialect::postgresql ? "TIMESTAMPTZ(6)" : "DATETIME(6)";
    case column_type::uuid: return d == dialect::postgresql ? "UUID" : "CHAR(36)";
    case column_type::json: return d == dialect::sqlite ? "TEXT" : d == dialect::postgresql ? "JSONB" : "JSON";
  }
  return "TEXT";
}

char const* postgresql_value_type(column_type t) {
  switch (t) {
    case column_type::boolean: return "boolean";
    case column_type::int32: return "integer";
    case column_type::int64: return "bigint";
    case column_type::real: return "double precision";
    case column_type::text:
    case column_type::enumeration: return "text";
    case column_type::timestamp: return "timestamptz";
    case column_type::uuid: return "uuid";
    case column_type::json: return "jsonb";
  }
  return "text";
}

std::string real_literal(double v) {
  char buf[64];
  auto const r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string default_sql(dialect d, column_info const& c) {
  auto const& def = c.options.default_value;
  switch (def.what) {
    case column_default::kind::none: return {};
    case column_default::kind::integer: return std::to_string(def.integer);
    case column_default::kind::real: return real_literal(def.real);
    case column_default::kind::boolean:
      return d == dialect::sqlite ? std::to_string(def.integer) : def.integer ? "TRUE" : "FALSE";
    case column_default::kind::text: return literal(def.text);
    case column_default::kind::json:
      return d == dialect::postgresql ? literal(def.text) + "::jsonb" : literal(def.text);
    case column_default::kind::now:
      // Microseconds, UTC, whatever the session time zone.
      if (d == dialect::sqlite) return "(strftime('%Y-%m-%d %H:%M:%f','now') || '000')";
      if (d == dialect::postgresql) return "CURRENT_TIMESTAMP";
      return "(UTC_TIMESTAMP(6))";
  }
  return {};
}

std::string check_sql(dialect d, column_info const& c) {
  std::string out;
  auto const col = quote(d, c.name);
  auto add = [&](std::string const& expr) {
    if (!out.empty()) out += " AND ";
    out += expr;
  };
  if (c.type == column_type::boolean && d == dialect::sqlite) add(col + " IN (0, 1)");
  if (c.enum_count) {
    std::string names;
    for (std::size_t i = 0; i < c.enum_count; ++i) names += (i ? ", " : "") + literal(c.enum_names[i]);
    add(col + " IN (" + names + ")");
  }
  if (d == dialect::sqlite && c.max_length() && (c.type == column_type::text || c.type == column_type::enumeration))
    add("length(" + col + ") <= " + std::to_string(c.max_length()));  // SQLite does not enforce VARCHAR(n)
  if (d == dialect::sqlite && c.type == column_type::uuid) add("length(" + col + ") = 36");
  if (d == dialect::sqlite && c.type == column_type::json)  // json_valid(NULL) is 0, not NULL
    add(c.nullable ? "(" + col + " IS NULL OR json_valid(" + col + "))" : "json_valid(" + col + ")");
  if (c.options.non_empty) add(col + " <> ''");
  if (c.options.has_min) add(col + " >= " + std::to_string(c.options.min));
  if (c.options.has_max) add(col + " <= " + std::to_string(c.options.max));
  if (!c.options.check.empty()) add("(" + std::string(c.options.check) + ")");
  return out;
}

std::string_view on_delete_sql(on_delete action) {
  switch (action) {
    case on_delete::cascade: return " ON DELETE CASCADE";
    case on_delete::restrict: return " ON DELETE RESTRICT";
    case on_delete::set_null: return " ON DELETE SET NULL";
    case on_delete::no_action: return "";
  }
  return "";
}

}  // namespace taskstore::sql
