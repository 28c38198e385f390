// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/adopt.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/each_row.hpp>
#include <taskstore/migrate/adopt.hpp>

#include <taskstore/migrate/builtin/migrations.hpp>
#include <taskstore/migrate/detail/catalog.hpp>
#include <taskstore/migrate/ledger.hpp>
#include <taskstore/migrate/migrator.hpp>
#include <taskstore/migrate/schema.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/sql/ddl.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <cctype>

namespace taskstore {

namespace detail {

std::vector<catalog_column_info> columns_of(session_lease& lease, backend const& backend, std::string const& table) {
  std::vector<catalog_column_info> out;
  guarded(lease, backend, [&] {
    auto const sql = backend.columns_query();
    detail::each_row(
        lease.get(), sql,
        [&](soci::row const& row) {
          catalog_column_info c;
          c.name = row.get<std::string>(0);
          c.type = row.get<std::string>(1);
          std::transform(c.type.begin(), c.type.end(), c.type.begin(),
                         [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
          c.nullable = row.get<std::string>(2) == "YES";
          switch (row.get_properties(3).get_data_type()) {  // SQLite reports expression columns as text
            case soci::dt_integer: c.has_default = row.get<int>(3) != 0; break;
            case soci::dt_long_long: c.has_default = row.get<long long>(3) != 0; break;
            default: c.has_default = row.get<std::string>(3) != "0"; break;
          }
          out.push_back(std::move(c));
        },
        table);
  });
  return out;
}

std::string adopt_fallback(catalog_column_info const& c) {
  auto const& t = c.type;
  if (t.find("char") != std::string::npos || t.find("text") != std::string::npos) return "''";
  if (t.find("time") != std::string::npos || t.find("date") != std::string::npos) return "CURRENT_TIMESTAMP";
  if (t.find("bool") != std::string::npos) return "FALSE";
  if (t.find("json") != std::string::npos) return "'{}'";
  return "0";
}

}  // namespace detail

std::size_t adopt(database const& db) {
  auto const& backend = db.backend();
  auto const& dialect = db.dialect();
  auto const migrations = builtin_migrations();
  auto const& baseline = migrations.front();
  std::size_t carried = 0;
  auto const run = [&] {
    auto lease = detail::session_of(db);
    auto const exec = [&](std::string const& sql) { detail::guarded(lease, backend, [&] { lease.get() << sql; }); };
    if (detail::table_exists(lease, backend, "schema_migrations"))
      throw error(errc::schema_mismatch, "taskstore already manages this database (it has schema_migrations)");
    std::vector<std::string> existing;
    for (auto const table : migrations::v0001::tables)
      if (detail::table_exists(lease, backend, std::string(table))) existing.emplace_back(table);
    auto const q = [&](std::string const& name) { return dialect.quote(name); };
    auto const aside = [](std::string const& t) { return t + "_pre_taskstore"; };

    for (auto const& t : existing) {
      exec("ALTER TABLE " + q(t) + " RENAME TO " + q(aside(t)));
      // Where index names are per schema (SQLite, PostgreSQL), free the old ones.
      auto const sql = backend.schema_index_names_query();
      if (sql.empty()) continue;
      std::vector<std::string> indexes;
      detail::guarded(lease, backend, [&] {
        detail::each_row(
            lease.get(), sql, [&](soci::row const& row) { indexes.push_back(row.get<std::string>(0)); }, aside(t));
      });
      for (auto const& ix : indexes) exec("DROP INDEX " + q(ix));
    }

    for (auto const& s : sql::create_table_sql<schema_migration>(dialect)) exec(s);
    for (auto const& s : baseline.up(dialect)) exec(s);

    for (auto const& t : existing) {
      auto const old_columns = detail::columns_of(lease, backend, aside(t));
      auto const new_columns = detail::columns_of(lease, backend, t);
      std::string names, values;
      for (auto const& c : new_columns) {
        bool const shared =
            std::any_of(old_columns.begin(), old_columns.end(), [&](auto const& o) { return o.name == c.name; });
        if (!shared && (c.nullable || c.has_default)) continue;
        names += (names.empty() ? "" : ", ") + q(c.name);
        auto value = shared ? q(c.name) : detail::adopt_fallback(c);
        if (shared) value = backend.carried_value(value, c.type);
        values += (values.empty() ? "" : ", ") + value;
      }
      exec("INSERT INTO " + q(t) + " (" + names + ") SELECT " + values + " FROM " + q(aside(t)));
      long long before = 0, after = 0;
      detail::guarded(lease, backend, [&] {
        lease.get() << "SELECT COUNT(*) FROM " + q(aside(t)), soci::into(before);
        lease.get() << "SELECT COUNT(*) FROM " + q(t), soci::into(after);
      });
      if (before != after)
        throw error(errc::database_error,
                    "adopting " + t + " carried " + std::to_string(after) + " of " + std::to_string(before) + " rows");
      carried += static_cast<std::size_t>(after);
      bool const identity = std::any_of(new_columns.begin(), new_columns.end(),
                                        [](auto const& c) { return c.name == "id" && c.type == "bigint"; });
      if (identity)  // the identity goes on after the carried keys
        if (auto const reset = backend.reset_key_sequence(t, "id"); !reset.empty()) exec(reset);
    }
    for (auto it = existing.rbegin(); it != existing.rend(); ++it) exec("DROP TABLE " + q(aside(*it)));
    soci_repository<schema_migration>(db).insert(
        {baseline.version, baseline.name, baseline.checksum(dialect), timestamp::now(), 0});
  };
  if (backend.transactional_ddl())
    db.transact(run);
  else
    run();
  migrate_to_latest(db);
  return carried;
}

}  // namespace taskstore
