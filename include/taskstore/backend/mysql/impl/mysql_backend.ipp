// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/mysql/mysql_backend.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/backend/mysql/literal_insert.hpp>
#include <taskstore/backend/mysql/mysql_backend.hpp>
#include <taskstore/db/detail/each_row.hpp>
#include <taskstore/db/detail/explain.hpp>
#include <taskstore/sql/statements.hpp>
#include <taskstore/value/detail/row_access.hpp>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <tuple>
#include <utility>

namespace taskstore::detail {

// Both compare by code point with trailing spaces significant, as SQLite and
// PostgreSQL compare: MariaDB's name for it, and MySQL's (8.0.17+).
inline std::string_view nopad_binary_collation(mysql_server server) noexcept {
  return server == mysql_server::mysql ? "utf8mb4_0900_bin" : "utf8mb4_nopad_bin";
}

// MySQL's flavor of migration 1 is MariaDB's frozen text with what MySQL
// needs: its collation's name, and the defaults of a LONGTEXT and a JSON
// column as expressions. A unit test pins the result's checksum, so the text
// is as frozen as the one it is made from.
mysql_dialect::mysql_dialect(mysql_server flavor, mysql_server server)
    : flavor_(flavor),
      table_options_(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=" + std::string(nopad_binary_collation(server))),
      set_names_("SET NAMES utf8mb4 COLLATE " + std::string(nopad_binary_collation(server))) {
  std::vector<std::pair<std::string, std::string>> changes{
      {"COLLATE=utf8mb4_nopad_bin", "COLLATE=" + std::string(nopad_binary_collation(server))}};
  if (flavor == mysql_server::mysql) {
    changes.emplace_back("LONGTEXT NOT NULL DEFAULT '',", "LONGTEXT NOT NULL DEFAULT (''),");
    changes.emplace_back("JSON NOT NULL DEFAULT '[]',", "JSON NOT NULL DEFAULT ('[]'),");
  }
  for (auto const statement : mysql::schema_v0001) {
    std::string text(statement);
    for (auto const& [from, to] : changes)
      for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    schema_text_.push_back(std::move(text));
  }
  schema_v0001_.assign(schema_text_.begin(), schema_text_.end());
}

std::string mysql_dialect::default_value(column_info const& c) const {
  auto value = dialect::default_value(c);
  // MySQL takes a default of a LONGTEXT or JSON column only as an expression.
  bool const unbounded = c.type == column_type::json ||
                         ((c.type == column_type::text || c.type == column_type::enumeration) && !c.max_length());
  if (flavor_ == mysql_server::mysql && unbounded && !value.empty() && value.front() != '(') return "(" + value + ")";
  return value;
}

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
  if (sets.empty()) add(quote(target.front()) + " = " + quote(target.front()));  // nothing else: a no-op
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
    case 1213:  // Galera reports a failed certification (another node committed first) as a deadlock
    case 1205:
    case 1047:  // Galera: WSREP has not yet prepared node for application use (joining, or without quorum)
      return {errc::busy_or_deadlock, message};
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

mysql_backend::mysql_backend(mysql_server flavor, mysql_server server)
    : dialect_(flavor, server),
      description_(server == mysql_server::mysql     ? "MySQL"
                   : flavor == mysql_server::mariadb ? "MariaDB"
                                                     : "MariaDB (MySQL flavor)") {}

soci::backend_factory const& mysql_backend::factory() const { return *soci::factory_mysql(); }

inline MYSQL* native_connection(soci::session& s) {
  return static_cast<soci::mysql_session_backend*>(s.get_backend())->conn_;
}

// MariaDB's version names it (`10.11.6-MariaDB-0+deb12u1`; the client
// library drops the `5.5.5-` some servers put first); MySQL's does not.
backend const& mysql_backend::for_server(soci::session& s, connection_options const& o) const {
  std::string const version = mysql_get_server_info(native_connection(s));
  auto const server = version.find("MariaDB") != std::string::npos ? mysql_server::mariadb : mysql_server::mysql;
  int major = 0, minor = 0, patch = 0;
  std::sscanf(version.c_str(), "%d.%d.%d", &major, &minor, &patch);
  // MariaDB: INSERT … RETURNING (10.5), SKIP LOCKED (10.6). MySQL: CHECK
  // constraints (8.0.16), the NO PAD binary collation (8.0.17).
  auto const at_least = [&](int a, int b, int c) { return std::tie(major, minor, patch) >= std::tie(a, b, c); };
  if (server == mysql_server::mariadb ? !at_least(10, 6, 0) : !at_least(8, 0, 17))
    throw error(errc::unsupported, error_category::admin_required,
                "taskstore needs MariaDB 10.6 or MySQL 8.0.17 or later; the server is " + version);
  auto flavor = server;
  if (o.flavor == "mysql") flavor = mysql_server::mysql;
  if (o.flavor == "mariadb" && server == mysql_server::mysql)
    throw error(errc::bad_config, error_category::admin_required,
                "flavor=mariadb, but the server is MySQL " + version + ", which refuses MariaDB's SQL: drop flavor");
  return of(flavor, server);
}

backend const* mysql_backend::flavor(std::string_view name) const {
  if (name == "mariadb") return &of(mysql_server::mariadb, mysql_server::mariadb);
  if (name == "mysql") return &of(mysql_server::mysql, mysql_server::mysql);
  return nullptr;
}

mysql_backend const& mysql_backend::of(mysql_server flavor, mysql_server server) {
  static mysql_backend const mariadb(mysql_server::mariadb, mysql_server::mariadb);
  static mysql_backend const mysql(mysql_server::mysql, mysql_server::mysql);
  static mysql_backend const mysql_on_mariadb(mysql_server::mysql, mysql_server::mariadb);
  if (flavor == mysql_server::mariadb) return mariadb;  // MySQL refuses it (for_server())
  return server == mysql_server::mysql ? mysql : mysql_on_mariadb;
}

void mysql_backend::set_up(soci::session& s, connection_options const& o) const {
  s << "SET time_zone = '+00:00'";
  s << dialect_.set_names();
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

// One INSERT of escaped literals (literal_insert.hpp says why). MariaDB
// returns the generated keys. MySQL has no RETURNING: the statement is a
// "simple insert" (its row count known before it runs: literal VALUES, no
// subquery, no ON DUPLICATE KEY UPDATE, no key given for any row), for which
// InnoDB reserves the keys of all its rows at once, under the table's
// auto-increment mutex, in every innodb_autoinc_lock_mode: 0 and 1 by
// definition, 2 ("interleaved") too, whose gaps come only from statements of
// unknown size (INSERT … SELECT, LOAD DATA). So row i has the first key
// (mysql_insert_id(), LAST_INSERT_ID()) plus i steps of
// auto_increment_increment (above 1 under Galera or group replication).
// The row count is checked all the same.
bool mysql_backend::insert_rows(soci::session& s, bulk_rows const& r, std::vector<long long>& keys) const {
  bool const generated = r.table.key().generated;
  bool const returning = generated && dialect_.returns_generated_keys();
  bool const counted = generated && !returning && r.key == key_source::generated;  // else the rows' own
  std::vector<cell> cells(r.count * r.slots.size());
  r.rows.write_insert(r.first, r.count, r.key, cells, 0);
  keys.clear();
  auto const done = mysql_insert_literal(s, sql::insert_head_sql(dialect_, r.table, r.key), cells, r.slots, r.count,
                                         returning ? sql::returning_key_sql(dialect_, r.table) : std::string(),
                                         returning ? &keys : nullptr);
  if (counted) {
    if (done.inserted != r.count || done.first_id == 0)
      throw error(errc::database_error, "an INSERT of " + std::to_string(r.count) + " rows reported " +
                                            std::to_string(done.inserted) + " rows inserted");
    long long step = 1;
    s << "SELECT @@SESSION.auto_increment_increment", soci::into(step);
    for (std::size_t i = 0; i < r.count; ++i)
      keys.push_back(static_cast<long long>(done.first_id) + static_cast<long long>(i) * step);
  }
  if (returning && keys.size() != r.count)
    throw error(errc::database_error, "INSERT … RETURNING returned fewer keys than rows");
  return true;
}

query_plan mysql_backend::explain(soci::session& s, std::string const& select, std::vector<cell> const& params,
                                  std::vector<cell_slot> const& slots) const {
  std::string json;
  each_plan_row(s, "EXPLAIN FORMAT=JSON " + select, params, slots, {cell_slot::text},
                [&](auto const& row) { json += row[0].text; });
  query_plan plan;
  // Every object naming a table says how it is read: access_type ALL is the
  // whole table and `index` the whole of an index, `key` names the index; a
  // "filesort" member anywhere is a sort.
  auto walk = [&](auto const& self, boost::json::value const& v) -> void {
    if (auto const* a = v.if_array()) {
      for (auto const& e : *a) self(self, e);
      return;
    }
    auto const* o = v.if_object();
    if (!o) return;
    auto text = [&](char const* key) {
      auto const* m = o->if_contains(key);
      return m && m->is_string() ? std::string(m->get_string()) : std::string();
    };
    if (auto const table = text("table_name"); !table.empty()) {
      auto const access = text("access_type");
      plan.text += (plan.text.empty() ? "" : "\n") + table + ": " + access +
                   (text("key").empty() ? "" : " using " + text("key"));
      if (access == "ALL" || access == "index") plan.full_scans.push_back(table);
      if (!text("key").empty()) plan.indexes.push_back(text("key"));
    }
    for (auto const& [key, member] : *o) {
      if (key == "filesort") plan.sorts = true;
      self(self, member);
    }
  };
  walk(walk, boost::json::parse(json));
  return plan;
}

std::vector<table_health> mysql_backend::health_of_tables(soci::session& s,
                                                          std::vector<std::string> const& tables) const {
  std::vector<table_health> out;
  each_row(s,
           "SELECT CAST(table_name AS CHAR), CAST(COALESCE(table_rows, 0) AS SIGNED), CAST(COALESCE(data_free, 0) AS "
           "SIGNED), "
           "CAST(COALESCE(data_length, 0) + COALESCE(index_length, 0) AS SIGNED) FROM information_schema.tables "
           "WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
           [&](soci::row const& r) {
             auto const name = r.get<std::string>(0);
             if (std::find(tables.begin(), tables.end(), name) == tables.end()) return;
             table_health h;
             h.table = name;
             h.rows = r.get<long long>(1);
             h.free_bytes = r.get<long long>(2);
             h.bytes = r.get<long long>(3);
             out.push_back(std::move(h));
           });
  return out;
}

std::optional<std::vector<index_usage>> mysql_backend::index_use(soci::session& s, std::string& why_not) const {
  int on = 0;
  s << "SELECT @@performance_schema", soci::into(on);
  if (!on) {
    why_not = std::string(description()) +
              " counts index reads only with performance_schema=ON in the server's configuration";
    return std::nullopt;
  }
  std::vector<index_usage> out;
  each_row(
      s,
      "SELECT CAST(u.object_name AS CHAR), CAST(u.index_name AS CHAR), CAST(u.count_read AS SIGNED), "
      "CAST(MIN(COALESCE(x.non_unique, 1)) = 0 AS SIGNED) "
      "FROM performance_schema.table_io_waits_summary_by_index_usage u "
      "LEFT JOIN information_schema.statistics x ON x.table_schema = u.object_schema "
      "AND x.table_name = u.object_name AND x.index_name = u.index_name "
      "WHERE u.object_schema = DATABASE() AND u.index_name IS NOT NULL "
      "GROUP BY u.object_name, u.index_name, u.count_read ORDER BY u.object_name, u.index_name",
      [&](soci::row const& r) {
        out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<long long>(2), r.get<long long>(3) != 0});
      });
  return out;
}

// InnoDB shows a copy of its transactions, refreshed when it was last read over 100 ms ago: one that just ended
// may still be listed by a read that soon after the previous one.
std::optional<std::vector<open_transaction>> mysql_backend::long_transactions(soci::session& s,
                                                                              std::chrono::seconds older_than,
                                                                              std::string& why_not) const {
  (void)why_not;
  std::vector<open_transaction> out;
  long long const seconds = older_than.count();
  each_row(
      s,
      "SELECT CAST(CONCAT(t.trx_mysql_thread_id, COALESCE(CONCAT(' ', p.user, '@', p.host), '')) AS CHAR), "
      "CAST(TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS SIGNED), "
      "CAST(CASE t.trx_state WHEN 'LOCK WAIT' THEN 'waiting for a lock' ELSE LOWER(t.trx_state) END AS CHAR), "
      "CAST(t.trx_rows_locked AS SIGNED), CAST(LEFT(COALESCE(t.trx_query, ''), 200) AS CHAR) "
      "FROM information_schema.innodb_trx t LEFT JOIN information_schema.processlist p "
      "ON p.id = t.trx_mysql_thread_id WHERE t.trx_mysql_thread_id <> CONNECTION_ID() AND p.db = DATABASE() "
      "AND t.trx_started < NOW() - INTERVAL :s SECOND ORDER BY t.trx_started",
      [&](soci::row const& r) {
        out.push_back({r.get<std::string>(0), std::chrono::seconds(r.get<long long>(1)), r.get<std::string>(2),
                       r.get<long long>(3), r.get<std::string>(4)});
      },
      seconds);
  return out;
}

void mysql_backend::optimize(soci::session& s, std::vector<std::string> const& tables) const {
  for (auto const& t : tables) {
    soci::rowset<soci::row> result = (s.prepare << "OPTIMIZE TABLE " + dialect_.quote(t));
    for (auto const& row : result) (void)row;  // the server answers with a result set
  }
}

}  // namespace taskstore::detail
