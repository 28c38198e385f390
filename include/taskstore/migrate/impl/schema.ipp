// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/schema.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/schema.hpp>

#include <taskstore/domain/entities.hpp>
#include <taskstore/sql/ddl.hpp>

#include <boost/mp11/algorithm.hpp>

namespace taskstore {

std::vector<std::string> canonical_schema_sql(sql::dialect const& d) {
  std::vector<std::string> out;
  auto const add = [&](auto entity) {
    using T = typename decltype(entity)::type;
    for (auto& statement : sql::create_table_sql<T>(d)) out.push_back(std::move(statement));
  };
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, domain_entities>>(add);
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, schema_lock_tables>>(add);
  return out;
}

void migrate_to_latest(database const& db) { migrator(db, builtin_migrations()).up(); }

void migrate_to_latest(database const& db, std::vector<migration> const& yours) {
  auto all = builtin_migrations();
  all.insert(all.end(), yours.begin(), yours.end());
  migrator(db, std::move(all)).up();
}

}  // namespace taskstore
