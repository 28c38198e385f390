// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/sql/ddl.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/sql/ddl.hpp>

#include <cstddef>
#include <utility>

namespace taskstore::sql {

std::vector<index_info> effective_indexes(table_info const& t) {
  std::vector<index_info> out(t.indexes.begin(), t.indexes.end());
  for (auto const& c : t.columns) {
    if (!c.options.references.present() || c.primary_key || c.options.unique) continue;
    bool led = false;
    for (auto const& ix : t.indexes) led = led || ix.columns[0] == c.name;
    if (!led) out.push_back(index_info{{}, false, &c.name, 1});
  }
  return out;
}

std::string index_name(table_info const& t, index_info const& ix) {
  if (!ix.name.empty()) return std::string(ix.name);
  return "ix_" + std::string(t.name) + "_" + std::string(ix.columns[0]);
}

std::string index_columns(dialect const& d, index_info const& ix) {
  std::string out;
  for (std::size_t i = 0; i < ix.column_count; ++i) out += (i ? ", " : "") + quote(d, ix.columns[i]);
  return out;
}

std::vector<std::string> create_table_sql(dialect const& d, table_info const& t) {
  std::string const table(t.name);
  std::string body;
  auto line = [&](std::string const& text) {
    body += body.empty() ? "\n  " : ",\n  ";
    body += text;
  };
  for (auto const& c : t.columns) {
    std::string def = quote(d, c.name) + " ";
    if (c.generated) {
      def += d.generated_key();
    } else {
      def += d.sql_type(c);
      if (!c.nullable) def += " NOT NULL";
      if (auto const dflt = d.default_value(c); !dflt.empty()) def += " DEFAULT " + dflt;
    }
    line(def);
  }
  for (auto const& c : t.columns)  // table-level: MariaDB takes no named column CHECK
    if (auto const check = d.checks(c); !check.empty())
      line("CONSTRAINT " + quote(d, "ck_" + table + "_" + std::string(c.name)) + " CHECK (" + check + ")");
  auto const& key = t.key();
  if (!key.generated) line("CONSTRAINT " + quote(d, "pk_" + table) + " PRIMARY KEY (" + quote(d, key.name) + ")");
  for (auto const& c : t.columns) {
    std::string const name(c.name);
    if (c.options.unique)
      line("CONSTRAINT " + quote(d, "uq_" + table + "_" + name) + " UNIQUE (" + quote(d, name) + ")");
    if (c.options.references.present())
      line("CONSTRAINT " + quote(d, "fk_" + table + "_" + name) + " FOREIGN KEY (" + quote(d, name) + ") REFERENCES " +
           quote(d, c.options.references.table) + " (" + quote(d, c.options.references.column) + ")" +
           std::string(on_delete_sql(c.options.references.action)));
  }
  auto const indexes = effective_indexes(t);
  if (d.declares_indexes_inline())
    for (auto const& ix : indexes)
      line(std::string(ix.unique ? "UNIQUE KEY " : "KEY ") + quote(d, index_name(t, ix)) + " (" + index_columns(d, ix) +
           ")");

  std::vector<std::string> out;
  std::string create = "CREATE TABLE IF NOT EXISTS " + quote(d, table) + " (" + body + "\n)";
  create += d.table_options();
  out.push_back(std::move(create));
  if (!d.declares_indexes_inline())
    for (auto const& ix : indexes)
      out.push_back(std::string(ix.unique ? "CREATE UNIQUE INDEX IF NOT EXISTS " : "CREATE INDEX IF NOT EXISTS ") +
                    quote(d, index_name(t, ix)) + " ON " + quote(d, table) + " (" + index_columns(d, ix) + ")");
  return out;
}

std::string drop_table_sql(dialect const& d, table_info const& t) { return "DROP TABLE IF EXISTS " + quote(d, t.name); }

}  // namespace taskstore::sql
