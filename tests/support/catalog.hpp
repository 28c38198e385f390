// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Reads a table's shape back from the database's own catalog (not from
// taskstore's metadata), for schema checks.

#include <taskstore/db/database.hpp>
#include <taskstore/db/detail/each_row.hpp>

#include <soci/soci.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace taskstore::testing {

/// Every row of a catalog query, each value as text (NULL as "").
inline std::vector<std::vector<std::string>> query_text(database const& db, std::string const& sql) {
  auto lease = detail::session_of(db);
  std::vector<std::vector<std::string>> out;
  detail::each_row(lease.get(), sql, [&](soci::row const& row) {
    auto& values = out.emplace_back();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (row.get_indicator(i) == soci::i_null) {
        values.emplace_back();
        continue;
      }
      switch (row.get_properties(i).get_data_type()) {
        case soci::dt_string: values.push_back(row.get<std::string>(i)); break;
        case soci::dt_integer: values.push_back(std::to_string(row.get<int>(i))); break;
        case soci::dt_long_long: values.push_back(std::to_string(row.get<long long>(i))); break;
        case soci::dt_unsigned_long_long: values.push_back(std::to_string(row.get<unsigned long long>(i))); break;
        case soci::dt_double: values.push_back(std::to_string(row.get<double>(i))); break;
        default: values.push_back("?"); break;
      }
    }
  });
  return out;
}

struct catalog_column {
  std::string name, type;
  bool nullable = false;
};

/// A table as its database describes it.
struct catalog_table {
  std::vector<catalog_column> columns;
  std::set<std::string> indexes;                       ///< index names (SQLite: named indexes only)
  std::set<std::string> constraints;                   ///< named CHECK, UNIQUE, FOREIGN KEY constraints
  std::map<std::string, std::string> fk_delete_rules;  ///< column -> CASCADE / SET NULL / RESTRICT / NO ACTION
};

inline std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

inline catalog_table read_catalog(database const& db, std::string const& table) {
  catalog_table t;
  switch (db.backend().kind()) {
    case backend_kind::sqlite: {
      for (auto const& r :
           query_text(db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info('" + table + "') ORDER BY cid"))
        t.columns.push_back({r[0], upper(r[1]), r[2] == "0" && r[3] == "0"});
      for (auto const& r : query_text(db, "SELECT name FROM pragma_index_list('" + table + "')"))
        if (r[0].rfind("sqlite_autoindex", 0) != 0) t.indexes.insert(r[0]);
      for (auto const& r : query_text(db, "SELECT \"from\", on_delete FROM pragma_foreign_key_list('" + table + "')"))
        t.fk_delete_rules[r[0]] = upper(r[1]);
      // SQLite keeps constraint names only in the table's DDL text.
      auto const ddl = query_text(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'");
      auto const& text = ddl.at(0).at(0);
      for (std::size_t pos = text.find("CONSTRAINT \""); pos != std::string::npos;
           pos = text.find("CONSTRAINT \"", pos + 1)) {
        auto const start = pos + 12;
        t.constraints.insert(text.substr(start, text.find('"', start) - start));
      }
      break;
    }
    case backend_kind::postgresql: {
      for (auto const& r : query_text(db,
                                      "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                                      "WHERE table_schema = current_schema() AND table_name = '" +
                                          table + "' ORDER BY ordinal_position"))
        t.columns.push_back({r[0], upper(r[1]), r[2] == "YES"});
      for (auto const& r : query_text(db,
                                      "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND "
                                      "tablename = '" +
                                          table + "'"))
        t.indexes.insert(r[0]);
      for (auto const& r : query_text(db, "SELECT conname FROM pg_constraint WHERE conrelid = '" + table +
                                              "'::regclass AND contype IN ('c', 'u', 'f', 'p')"))
        t.constraints.insert(r[0]);
      for (auto const& r :
           query_text(db,
                      "SELECT kcu.column_name, rc.delete_rule FROM information_schema.referential_constraints rc "
                      "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND "
                      "kcu.constraint_schema = rc.constraint_schema WHERE rc.constraint_schema = current_schema() AND "
                      "kcu.table_name = '" +
                          table + "'"))
        t.fk_delete_rules[r[0]] = r[1];
      break;
    }
    case backend_kind::mysql: {
      for (auto const& r : query_text(db,
                                      "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                                      "WHERE table_schema = DATABASE() AND table_name = '" +
                                          table + "' ORDER BY ordinal_position"))
        t.columns.push_back({r[0], upper(r[1]), r[2] == "YES"});
      for (auto const& r : query_text(db,
                                      "SELECT DISTINCT index_name FROM information_schema.statistics WHERE "
                                      "table_schema = DATABASE() AND table_name = '" +
                                          table + "'"))
        t.indexes.insert(r[0]);
      for (auto const& r : query_text(db,
                                      "SELECT constraint_name FROM information_schema.table_constraints WHERE "
                                      "table_schema = DATABASE() AND table_name = '" +
                                          table + "'"))
        t.constraints.insert(r[0]);
      for (auto const& r :
           query_text(db,
                      "SELECT kcu.column_name, rc.delete_rule FROM information_schema.referential_constraints rc "
                      "JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND "
                      "kcu.constraint_schema = rc.constraint_schema WHERE rc.constraint_schema = DATABASE() AND "
                      "rc.table_name = '" +
                          table + "'"))
        t.fk_delete_rules[r[0]] = r[1];
      break;
    }
  }
  return t;
}

}  // namespace taskstore::testing
