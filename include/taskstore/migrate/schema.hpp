// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/database.hpp>
#include <taskstore/domain/entities.hpp>
#include <taskstore/sql/ddl.hpp>

#include <boost/mp11/algorithm.hpp>

#include <string>
#include <vector>

namespace taskstore {

/// The canonical schema's DDL for a dialect: every table with its
/// constraints and indexes, parents first.
inline std::vector<std::string> canonical_schema_sql(sql::dialect d) {
  std::vector<std::string> out;
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, domain_entities>>([&](auto entity) {
    using T = typename decltype(entity)::type;
    for (auto& statement : sql::create_table_sql<T>(d)) out.push_back(std::move(statement));
  });
  return out;
}

/// Creates the whole canonical schema; idempotent (every statement is IF NOT
/// EXISTS). On PostgreSQL and SQLite it runs in one transaction; MariaDB
/// commits each DDL statement on its own.
/// @throws error translated from the driver.
inline void migrate_to_latest(database const& db) {
  auto const statements = canonical_schema_sql(db.backend());
  auto run_all = [&] {
    auto lease = db.session();
    detail::guarded(lease, db.backend(), [&] {
      for (auto const& s : statements) lease.get() << s;
    });
  };
  if (db.backend() == backend_kind::mysql)
    run_all();
  else
    db.transact(run_all);
}

}  // namespace taskstore
