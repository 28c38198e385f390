// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/sqlite/sqlite_backend.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/backend/sqlite/sqlite_backend.hpp>
#include <taskstore/db/detail/each_row.hpp>
#include <taskstore/db/detail/explain.hpp>

#include <cstdlib>
#include <map>

namespace taskstore::detail {

std::string sqlite_dialect::sql_type(column_info const& c) const {
  switch (c.type) {
    case column_type::boolean:
    case column_type::int32:
    case column_type::int64: return "INTEGER";
    case column_type::real: return "REAL";
    case column_type::text:
    case column_type::enumeration:
      return c.max_length() ? "VARCHAR(" + std::to_string(c.max_length()) + ")" : std::string("TEXT");
    case column_type::timestamp: return "TEXT";
    case column_type::uuid: return "CHAR(36)";
    case column_type::json: return "TEXT";
  }
  return "TEXT";
}

void sqlite_dialect::type_checks(column_info const& c, std::string const& col, std::vector<std::string>& add) const {
  if (c.type == column_type::boolean) add.push_back(col + " IN (0, 1)");
  if (c.max_length() && (c.type == column_type::text || c.type == column_type::enumeration))
    add.push_back("length(" + col + ") <= " + std::to_string(c.max_length()));  // SQLite does not enforce VARCHAR(n)
  if (c.type == column_type::uuid) add.push_back("length(" + col + ") = 36");
  if (c.type == column_type::json)  // json_valid(NULL) is 0, not NULL
    add.push_back(c.nullable ? "(" + col + " IS NULL OR json_valid(" + col + "))" : "json_valid(" + col + ")");
}

translated translate_sqlite(int result, std::string message) {
  switch (result) {
    case 2067:  // SQLITE_CONSTRAINT_UNIQUE
    case 1555:  // SQLITE_CONSTRAINT_PRIMARYKEY
      return {errc::already_exists, message};
    case 787:  // SQLITE_CONSTRAINT_FOREIGNKEY
      return {errc::foreign_key_violation, message};
    case 275:   // SQLITE_CONSTRAINT_CHECK
    case 1299:  // SQLITE_CONSTRAINT_NOTNULL
      return {errc::constraint_violation, message};
    default: break;
  }
  switch (result & 0xFF) {
    case 19: return {errc::constraint_violation, message};  // SQLITE_CONSTRAINT, other kinds
    case 5:                                                 // SQLITE_BUSY
    case 6:                                                 // SQLITE_LOCKED
      return {errc::busy_or_deadlock, message};
    case 14: return {errc::connection_failed, message};  // SQLITE_CANTOPEN
    case 11:                                             // SQLITE_CORRUPT
    case 26:                                             // SQLITE_NOTADB
      return {errc::corrupt_value, message};
    case 1:  // SQLITE_ERROR: the one code for every SQL error; only the words tell a missing table
      if (message.find("no such table") != std::string::npos || message.find("no such column") != std::string::npos)
        return {errc::schema_mismatch, message};
      return {errc::database_error, message};
    default: return {errc::database_error, message};
  }
}

[[noreturn]] void sqlite_backend::rethrow_translated() const {
  try {
    throw;
  } catch (soci::sqlite3_soci_error const& e) {
    auto t = translate_sqlite(e.result(), clean_driver_message(e.get_error_message()));
    throw translated_error(t, "[sqlite " + std::to_string(e.result()) + "] ");
  } catch (...) {
    backend::rethrow_translated();
  }
}

soci::backend_factory const& sqlite_backend::factory() const { return *soci::factory_sqlite3(); }

void sqlite_backend::set_up(soci::session& s, connection_options const& o) const {
  // Only called on SQLite sessions; SOCI exports no typeinfo for dynamic_cast.
  auto* be = static_cast<soci::sqlite3_session_backend*>(s.get_backend());
  sqlite3_extended_result_codes(be->conn_, 1);
  sqlite3_db_config(be->conn_, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  s << "PRAGMA foreign_keys = ON";
  s << "PRAGMA case_sensitive_like = ON";
  s << "PRAGMA busy_timeout = " + std::to_string(o.busy_timeout.count());
  if (!o.in_memory) {
    std::string mode;
    s << "PRAGMA journal_mode = WAL", soci::into(mode);
    static constexpr char const* sync[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
    s << std::string("PRAGMA synchronous = ") + sync[static_cast<int>(o.synchronous)];
  }
}

void sqlite_backend::raise_fault(soci::session&, fault_kind kind) const {
  // SQLite has no statement that raises these: the driver's exception is made here.
  std::string const what = "injected " + std::string(to_string(kind));
  if (kind == fault_kind::connection_lost) throw soci::soci_error("connection lost (" + what + ")");
  int const code = kind == fault_kind::deadlock                ? 6    // SQLITE_LOCKED
                   : kind == fault_kind::serialization_failure ? 517  // SQLITE_BUSY_SNAPSHOT
                                                               : 5;   // SQLITE_BUSY
  throw soci::sqlite3_soci_error(what, code);
}

bool sqlite_backend::table_exists(soci::session& s, std::string const& table) const {
  int n = 0;
  s << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :t", soci::use(table), soci::into(n);
  return n > 0;
}

std::vector<std::string> sqlite_backend::table_names(soci::session& s) const {
  soci::rowset<std::string> rows =
      s.prepare << "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
  return {rows.begin(), rows.end()};
}

std::int64_t sqlite_backend::size_bytes(soci::session& s) const {
  long long size = 0;
  s << "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", soci::into(size);
  return size;
}

std::string sqlite_backend::columns_query() const {
  return "SELECT name, type, CASE WHEN \"notnull\" = 1 OR pk = 1 THEN 'NO' ELSE 'YES' END, "
         "CASE WHEN dflt_value IS NULL AND pk = 0 THEN 0 ELSE 1 END FROM pragma_table_info(:t) ORDER BY cid";
}

std::string sqlite_backend::schema_index_names_query() const {
  return "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL";
}

void sqlite_backend::check_integrity(soci::session& s, std::vector<std::string>& checks,
                                     std::vector<integrity_problem>& problems) const {
  checks.emplace_back("SQLite integrity_check");
  std::string verdict;
  s << "PRAGMA integrity_check", soci::into(verdict);
  if (verdict != "ok") problems.push_back({"SQLite integrity_check", "", 1, {verdict}});
  checks.emplace_back("SQLite foreign_key_check");
  soci::rowset<soci::row> rows = (s.prepare << "PRAGMA foreign_key_check");
  std::map<std::string, integrity_problem> by_table;
  for (auto const& row : rows) {
    auto& p = by_table[row.get<std::string>(0)];
    p.check = "SQLite foreign_key_check";
    p.table = row.get<std::string>(0);
    ++p.rows;
  }
  for (auto& [table, p] : by_table) problems.push_back(std::move(p));
}

query_plan sqlite_backend::explain(soci::session& s, std::string const& select, std::vector<cell> const& params,
                                   std::vector<cell_slot> const& slots) const {
  // Each row's detail: "SEARCH t USING [COVERING] INDEX i (…)", "SCAN t" (the
  // whole table), "SCAN t USING [COVERING] INDEX i" (all of it, in the index's
  // order), "USE TEMP B-TREE FOR ORDER BY" (a sort); before 3.36 "SCAN TABLE t".
  query_plan plan;
  each_plan_row(s, "EXPLAIN QUERY PLAN " + select, params, slots,
                {cell_slot::integer, cell_slot::integer, cell_slot::integer, cell_slot::text}, [&](auto const& row) {
                  std::string const detail = row[3].text;
                  plan.text += (plan.text.empty() ? "" : "\n") + detail;
                  auto word = [&](std::size_t from) {
                    auto const end = detail.find(' ', from);
                    return detail.substr(from, end == std::string::npos ? std::string::npos : end - from);
                  };
                  if (detail.starts_with("USE TEMP B-TREE")) plan.sorts = true;
                  if (!detail.starts_with("SCAN ") && !detail.starts_with("SEARCH ")) return;
                  auto at = detail.find(' ') + 1;
                  if (detail.compare(at, 6, "TABLE ") == 0) at += 6;
                  auto const table = word(at);
                  if (auto const i = detail.find("INDEX "); i != std::string::npos)
                    plan.indexes.push_back(word(i + 6));
                  else if (detail.find("PRIMARY KEY") != std::string::npos)
                    plan.indexes.push_back(table + " primary key");
                  if (detail.starts_with("SCAN ")) plan.full_scans.push_back(table);
                });
  return plan;
}

std::optional<std::vector<index_usage>> sqlite_backend::index_use(soci::session&, std::string& why_not) const {
  why_not = "SQLite does not count how often an index is read";
  return std::nullopt;
}

std::optional<std::vector<open_transaction>> sqlite_backend::long_transactions(soci::session&, std::chrono::seconds,
                                                                               std::string& why_not) const {
  why_not = "SQLite cannot see another connection's transaction";
  return std::nullopt;
}

std::vector<table_health> sqlite_backend::health_of_tables(soci::session& s,
                                                           std::vector<std::string> const& tables) const {
  std::map<std::string, std::int64_t> analyzed;  // ANALYZE's row count per table (sqlite_stat1)
  if (table_exists(s, "sqlite_stat1"))
    each_row(s, "SELECT tbl, stat FROM sqlite_stat1", [&](soci::row const& r) {
      auto const stat = r.get<std::string>(1, "");
      analyzed[r.get<std::string>(0)] = std::atoll(stat.c_str());
    });
  std::vector<table_health> out;
  for (auto const& t : tables) {
    table_health h;
    h.table = t;
    if (auto const it = analyzed.find(t); it != analyzed.end()) {
      h.rows = it->second;
    } else {
      h.never_analyzed = true;
      long long n = 0;
      s << "SELECT COUNT(*) FROM " + dialect_.quote(t), soci::into(n);
      h.rows = n;
    }
    out.push_back(std::move(h));
  }
  // Free pages belong to the file, not to a table.
  long long free_pages = 0, pages = 0, page_size = 0;
  s << "SELECT f.freelist_count, c.page_count, z.page_size FROM pragma_freelist_count() f, pragma_page_count() c, "
       "pragma_page_size() z",
      soci::into(free_pages), soci::into(pages), soci::into(page_size);
  table_health file;
  file.free_bytes = free_pages * page_size;
  file.bytes = pages * page_size;
  out.push_back(std::move(file));
  return out;
}

void sqlite_backend::optimize(soci::session& s, std::vector<std::string> const&) const {
  s << "ANALYZE";
  s << "VACUUM";
  s << "PRAGMA optimize";
}

void sqlite_backend::backup_file(soci::session& s, std::filesystem::path const& path) const {
  s << "VACUUM INTO " + sql::literal(path.string());
}

}  // namespace taskstore::detail
