// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/mysql/mysql_backend.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/backend/mysql/literal_insert.hpp>
#include <taskstore/backend/mysql/mysql_backend.hpp>
#include <taskstore/sql/statements.hpp>
#include <taskstore/value/detail/row_access.hpp>

#include <algorithm>

namespace taskstore::detail {

std::string mysql_dialect::sql_type(column_info const& c) const {
  switch (c.type) {
    case column_type::boolean: return "BOOLEAN";
    case column_type::int32: return "INT";
    case column_type::int64: return "BIGINT";
    case column_type::real: return "DOUBLE";
    case column_type::text:
    case column_type::enumeration:
      return c.max_length() ? "VARCHAR(" + std::to_string(c.max_length()) + ")" : std::string("LONGTEXT");
    case column_type::timestamp: return "DATETIME(6)";
    case column_type::uuid: return "CHAR(36)";
    case column_type::json: return "JSON";
  }
  return "TEXT";
}

std::string mysql_dialect::create_index(std::string_view name, std::string_view table,
                                        std::vector<std::string_view> const& columns) const {
  return "CREATE INDEX " + quote(name) + " ON " + quote(table) + " (" + quoted_list(columns) + ")";
}

std::string mysql_dialect::drop_index(std::string_view name, std::string_view table) const {
  return "DROP INDEX " + quote(name) + " ON " + quote(table);
}

// ON DUPLICATE KEY UPDATE, which sets LAST_INSERT_ID() to the key of the row
// it updated, so the caller reads the key either way.
std::string mysql_dialect::upsert(table_info const& t, std::string insert,
                                  std::vector<std::string_view> const& target) const {
  std::string sets;
  auto add = [&](std::string const& s) { sets += (sets.empty() ? "" : ", ") + s; };
  auto const& key = t.key();
  if (key.generated) add(quote(key.name) + " = LAST_INSERT_ID(" + quote(key.name) + ")");
  for (auto const& c : t.columns) {
    if (c.primary_key || std::find(target.begin(), target.end(), c.name) != target.end()) continue;
    auto const q = quote(c.name);
    add(q + " = " + (c.version ? q + " + 1" : "VALUES(" + q + ")"));
  }
  return std::move(insert) + " ON DUPLICATE KEY UPDATE " + sets;
}

translated translate_mysql(int number, std::string message) {
  switch (number) {
    case 1062:
    case 1586: {  // duplicate entry: the message quotes the value; keep the key
      auto const key = message.find("for key");
      return {errc::already_exists,
              key == std::string::npos ? "duplicate entry" : "Duplicate entry " + message.substr(key)};
    }
    case 1451:
    case 1452:
    case 1216:
    case 1217: return {errc::foreign_key_violation, message};
    case 4025:
    case 3819:
    case 1048:
    case 1406:
    case 1264:
    case 1364: return {errc::constraint_violation, message};
    case 1366:
    case 1292:
    case 3140:  // incorrect value / invalid JSON text: messages quote the value
      return {errc::validation_failed, message.substr(0, message.find(": '"))};
    case 1213:
    case 1205: return {errc::busy_or_deadlock, message};
    case 2006:
    case 2013:
    case 2055:
    case 1927:  // connection killed
    case 4031: return {errc::connection_lost, message};
    case 2002:
    case 2003:
    case 2005:
    case 1045:
    case 1044:
    case 1049: return {errc::connection_failed, message};
    case 1146:
    case 1054:
    case 1176:  // an index table_traits declares (named by a keyset page) is missing
      return {errc::schema_mismatch, message};
    default: return {errc::database_error, message};
  }
}

[[noreturn]] void mysql_backend::rethrow_translated() const {
  try {
    throw;
  } catch (soci::mysql_soci_error const& e) {
    auto t = translate_mysql(static_cast<int>(e.err_num_), clean_driver_message(e.get_error_message()));
    throw translated_error(t, "[mysql " + std::to_string(e.err_num_) + "] ");
  } catch (...) {
    backend::rethrow_translated();
  }
}

soci::backend_factory const& mysql_backend::factory() const { return *soci::factory_mysql(); }

void mysql_backend::set_up(soci::session& s, connection_options const& o) const {
  s << "SET time_zone = '+00:00'";
  s << "SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin";
  s << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
       "NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'";
  s << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
  s << "SET SESSION innodb_lock_wait_timeout = " +
           std::to_string(std::max<long long>(1, o.busy_timeout.count() / 1000));
}

// GET_LOCK names are server-wide: the database's name keeps two schemas apart.
bool mysql_backend::try_lock_migrations(soci::session& s, bool) const {
  int got = 0;
  s << "SELECT GET_LOCK(LEFT(CONCAT('taskstore.migrate.', DATABASE()), 64), 1)", soci::into(got);
  return got == 1;
}

void mysql_backend::unlock_migrations(soci::session& s) const {
  int released = 0;
  s << "SELECT RELEASE_LOCK(LEFT(CONCAT('taskstore.migrate.', DATABASE()), 64))", soci::into(released);
}

void mysql_backend::raise_fault(soci::session& s, fault_kind kind) const {
  if (kind == fault_kind::connection_lost) {
    s << "KILL CONNECTION CONNECTION_ID()";
    return;
  }
  bool const lock_wait = kind == fault_kind::lock_timeout || kind == fault_kind::busy;
  s << std::string("SIGNAL SQLSTATE '") + (lock_wait ? "HY000" : "40001") +
           "' SET MYSQL_ERRNO = " + (lock_wait ? "1205" : "1213") + ", MESSAGE_TEXT = 'injected " +
           std::string(to_string(kind)) + "'";
}

bool mysql_backend::table_exists(soci::session& s, std::string const& table) const {
  int n = 0;
  s << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :t",
      soci::use(table), soci::into(n);
  return n > 0;
}

std::vector<std::string> mysql_backend::table_names(soci::session& s) const {
  soci::rowset<std::string> rows = s.prepare << "SELECT CAST(table_name AS CHAR) FROM information_schema.tables "
                                                "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'";
  return {rows.begin(), rows.end()};
}

std::int64_t mysql_backend::size_bytes(soci::session& s) const {
  long long size = 0;
  s << "SELECT CAST(COALESCE(SUM(data_length + index_length), 0) AS SIGNED) FROM "
       "information_schema.tables WHERE table_schema = DATABASE()",
      soci::into(size);
  return size;
}

std::string mysql_backend::columns_query() const {
  return "SELECT column_name, data_type, is_nullable, CASE WHEN column_default IS NULL AND extra NOT LIKE "
         "'%auto_increment%' THEN 0 ELSE 1 END FROM information_schema.columns WHERE table_schema = DATABASE() "
         "AND table_name = :t ORDER BY ordinal_position";
}

// One INSERT of escaped literals (literal_insert.hpp says why).
bool mysql_backend::insert_rows(soci::session& s, bulk_rows const& r, std::vector<long long>& keys) const {
  bool const generated = r.table.key().generated;
  std::vector<cell> cells(r.count * r.slots.size());
  r.rows.write_insert(r.first, r.count, r.key, cells, 0);
  keys.clear();
  mysql_insert_literal(s, sql::insert_head_sql(dialect_, r.table, r.key), cells, r.slots, r.count,
                       generated ? sql::returning_key_sql(dialect_, r.table) : std::string(),
                       generated ? &keys : nullptr);
  if (generated && keys.size() != r.count)
    throw error(errc::database_error, "INSERT … RETURNING returned fewer keys than rows");
  return true;
}

void mysql_backend::optimize(soci::session& s, std::vector<std::string> const& tables) const {
  for (auto const& t : tables) {
    soci::rowset<soci::row> result = (s.prepare << "OPTIMIZE TABLE " + dialect_.quote(t));
    for (auto const& row : result) (void)row;  // the server answers with a result set
  }
}

}  // namespace taskstore::detail
