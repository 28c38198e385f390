// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/postgresql/postgresql_backend.hpp>: included
// at its end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/backend/postgresql/copy.hpp>
#include <taskstore/backend/postgresql/listener.hpp>
#include <taskstore/backend/postgresql/postgresql_backend.hpp>
#include <taskstore/db/detail/each_row.hpp>
#include <taskstore/db/detail/explain.hpp>
#include <taskstore/sql/statements.hpp>
#include <taskstore/value/detail/row_access.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

namespace taskstore::detail {

std::string postgresql_dialect::sql_type(column_info const& c) const {
  switch (c.type) {
    case column_type::boolean: return "BOOLEAN";
    case column_type::int32: return "INTEGER";
    case column_type::int64: return "BIGINT";
    case column_type::real: return "DOUBLE PRECISION";
    case column_type::text:
    case column_type::enumeration:
      // Byte order, as the other backends compare.
      return c.max_length() ? "VARCHAR(" + std::to_string(c.max_length()) + ") COLLATE \"C\""
                            : std::string("TEXT COLLATE \"C\"");
    case column_type::timestamp: return "TIMESTAMPTZ(6)";
    case column_type::uuid: return "UUID";
    case column_type::json: return "JSONB";
  }
  return "TEXT";
}

// The column's type without a length, so that a text too long for its
// column fails the assignment instead of being cut short by the cast.
std::string_view postgresql_dialect::value_cast(taskstore::column_type t) const noexcept {
  switch (t) {
    case column_type::boolean: return "::boolean";
    case column_type::int32: return "::integer";
    case column_type::int64: return "::bigint";
    case column_type::real: return "::double precision";
    case column_type::text:
    case column_type::enumeration: return "::text";
    case column_type::timestamp: return "::timestamptz";
    case column_type::uuid: return "::uuid";
    case column_type::json: return "::jsonb";
  }
  return "::text";
}

translated translate_postgresql(std::string_view state, std::string message) {
  // Input-syntax messages quote the offending value: keep only the type.
  if (state == "22P02" || state == "22007" || state == "22008" || state == "22P05" || state == "22021") {
    if (auto q = message.find(": \""); q != std::string::npos) message.resize(q);
    return {errc::validation_failed, message};
  }
  if (state == "23505") return {errc::already_exists, message};
  if (state == "23503") return {errc::foreign_key_violation, message};
  if (state == "23514" || state == "23502" || state == "22001" || state == "23P01" || state == "22003")
    return {errc::constraint_violation, message};
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014")
    return {errc::busy_or_deadlock, message};
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    return {errc::connection_lost, message};
  if (state == "42P01" || state == "42703") return {errc::schema_mismatch, message};
  return {errc::database_error, message};
}

void postgresql_backend::notify(soci::session& s, std::string const& channel, std::string const& payload) const {
  s << "SELECT pg_notify(:c, :p)", soci::use(channel), soci::use(payload);
}

void postgresql_backend::commit(soci::session& s, std::string const& channel,
                                std::vector<std::string> const& notifications) const {
  if (notifications.empty()) return s.commit();
  // Literals, since a query of several statements takes no parameters:
  // E'…' reads a backslash as an escape whatever standard_conforming_strings says.
  auto const literal = [](std::string_view text) {
    std::string out = "E'";
    for (char c : text) {
      if (c == '\'' || c == '\\') out += c;
      out += c;
    }
    return out + "'";
  };
  std::string sql = "SELECT ";
  for (auto const& payload : notifications) {
    if (&payload != &notifications.front()) sql += ", ";
    sql += "pg_notify(" + literal(channel) + ", " + literal(payload) + ")";
  }
  s << sql + "; COMMIT";
}

std::unique_ptr<detail::listener> postgresql_backend::listen(std::unique_ptr<soci::session> s,
                                                             std::string const& channel) const {
  try {
    return std::make_unique<detail::postgresql_listener>(std::move(s), channel);
  } catch (error const&) {
    throw;
  } catch (...) {
    rethrow_translated();
  }
}

[[noreturn]] void postgresql_backend::rethrow_translated() const {
  try {
    throw;
  } catch (soci::postgresql_soci_error const& e) {
    std::string const state = e.sqlstate();
    auto t = translate_postgresql(state, clean_driver_message(e.get_error_message()));
    throw translated_error(t, "[postgresql " + state + "] ");
  } catch (...) {
    backend::rethrow_translated();
  }
}

soci::backend_factory const& postgresql_backend::factory() const { return *soci::factory_postgresql(); }

postgresql_backend::postgresql_backend(std::chrono::milliseconds pooled_lock_timeout)
    : pooled_(true),
      transaction_settings_("; SET LOCAL lock_timeout = " + std::to_string(pooled_lock_timeout.count()) +
                            "; SET LOCAL client_min_messages = WARNING") {}

backend const& postgresql_backend::for_server(soci::session&, connection_options const& o) const {
  if (!o.transaction_pooler) return *this;
  // One per lock timeout, for the program's life, as every backend object.
  static std::mutex mutex;
  static std::map<std::chrono::milliseconds, std::unique_ptr<postgresql_backend>> pooled;
  std::lock_guard lock(mutex);
  auto& flavor = pooled[o.busy_timeout];
  if (!flavor) flavor = std::make_unique<postgresql_backend>(o.busy_timeout);
  return *flavor;
}

void postgresql_backend::set_up(soci::session& s, connection_options const& o) const {
  // A library prints nothing: libpq would write the server's notices to stderr.
  PQsetNoticeProcessor(
      pg_native(s), [](void*, char const*) {}, nullptr);
  // A pooler keeps these three for each client (PgBouncer tracks them), the rest only a transaction's SET LOCAL.
  s << "SET TIME ZONE 'UTC'";
  s << "SET DateStyle = 'ISO, YMD'";
  s << "SET client_encoding = 'UTF8'";
  if (pooled_) return;
  s << "SET client_min_messages = WARNING";
  s << "SET lock_timeout = " + std::to_string(o.busy_timeout.count());
}

bool postgresql_backend::try_lock_migrations(soci::session& s, bool session_scope) const {
  int got = 0;
  s << std::string("SELECT CASE WHEN ") + (session_scope ? "pg_try_advisory_lock" : "pg_try_advisory_xact_lock") +
           "(hashtext('taskstore.migrate.' || current_schema())) THEN 1 ELSE 0 END",
      soci::into(got);
  return got == 1;
}

void postgresql_backend::unlock_migrations(soci::session& s) const {
  int released = 0;
  s << "SELECT CASE WHEN pg_advisory_unlock(hashtext('taskstore.migrate.' || current_schema())) THEN 1 ELSE 0 END",
      soci::into(released);
}

void postgresql_backend::raise_fault(soci::session& s, fault_kind kind) const {
  if (kind == fault_kind::connection_lost) {
    s << "SELECT pg_terminate_backend(pg_backend_pid())";  // fails: the server ends this very session
    return;
  }
  char const* state = kind == fault_kind::deadlock                ? "40P01"
                      : kind == fault_kind::serialization_failure ? "40001"
                                                                  : "55P03";
  s << "DO $$BEGIN RAISE EXCEPTION 'injected " + std::string(to_string(kind)) + "' USING ERRCODE = '" + state +
           "'; END$$";
}

bool postgresql_backend::table_exists(soci::session& s, std::string const& table) const {
  int n = 0;
  s << "SELECT CASE WHEN to_regclass(:t) IS NULL THEN 0 ELSE 1 END", soci::use(table), soci::into(n);
  return n > 0;
}

std::vector<std::string> postgresql_backend::table_names(soci::session& s) const {
  std::vector<std::string> names;
  each_row(s, "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
           [&](soci::row const& r) { names.push_back(r.get<std::string>(0)); });
  return names;
}

std::string postgresql_backend::write_position(soci::session& s) const {
  // The insert position, not pg_current_wal_lsn(): with synchronous_commit=off a commit may not be written out
  // yet. Right after a page's header it is the page's start, where replay of the record before it ends.
  std::string lsn;
  s << "SELECT (CASE WHEN (l - '0/0') % seg = 40 THEN l - 40 WHEN (l - '0/0') % page = 24 THEN l - 24 ELSE l END)"
       "::text FROM (SELECT pg_current_wal_insert_lsn() AS l, current_setting('wal_block_size')::numeric AS page, "
       "pg_size_bytes(current_setting('wal_segment_size'))::numeric AS seg) AS w",
      soci::into(lsn);
  return lsn;
}

standby_progress postgresql_backend::progress_of_standby(soci::session& s, std::string const& position) const {
  std::string const lsn = position.empty() ? "0/0" : position;
  int standby = 0, reached = 0;
  long long lag_ms = 0;
  // Replay time is the primary's commit time of the last transaction replayed: on an idle primary it ages
  // although nothing is missing, so the lag counts only while received WAL waits to be replayed.
  s << "SELECT pg_is_in_recovery()::int, COALESCE((pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn))::int, 0), "
       "CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 ELSE "
       "COALESCE(floor(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000), 0) END::bigint",
      soci::use(lsn), soci::into(standby), soci::into(reached), soci::into(lag_ms);
  return {standby != 0, standby != 0 && reached != 0, std::chrono::milliseconds{std::max(0LL, lag_ms)}};
}

std::int64_t postgresql_backend::size_bytes(soci::session& s) const {
  long long size = 0;
  s << "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN "
       "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'",
      soci::into(size);
  return size;
}

std::string postgresql_backend::columns_query() const {
  return "SELECT column_name, data_type, is_nullable, CASE WHEN column_default IS NULL AND is_identity = 'NO' "
         "THEN 0 ELSE 1 END FROM information_schema.columns WHERE table_schema = current_schema() AND "
         "table_name = :t ORDER BY ordinal_position";
}

std::string postgresql_backend::schema_index_names_query() const {
  return "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = :t AND "
         "indexname NOT IN (SELECT conname FROM pg_constraint)";
}

std::string postgresql_backend::carried_value(std::string value, std::string_view type) const {
  return type == "uuid" ? "CAST(" + value + " AS UUID)" : value;
}

std::string postgresql_backend::reset_key_sequence(std::string const& table, std::string const& key) const {
  auto const k = dialect_.quote(key), t = dialect_.quote(table);
  return "SELECT setval(pg_get_serial_sequence(" + sql::literal(t) + ", " + sql::literal(key) + "), COALESCE(MAX(" + k +
         "), 1), MAX(" + k + ") IS NOT NULL) FROM " + t;
}

// COPY. Keys to generate are first taken from the key's sequence, when the
// chunk pays for that round trip; else, and without a sequence, the caller's
// INSERT … RETURNING.
bool postgresql_backend::insert_rows(soci::session& s, bulk_rows const& r, std::vector<long long>& keys) const {
  bool const reserve = r.table.key().generated && r.key == key_source::generated;
  if (reserve && r.count < reserve_min_rows) return false;
  bool const keyed = r.key == key_source::row || reserve;
  auto const& slots = keyed ? r.keyed : r.slots;
  std::vector<cell> cells(r.count * slots.size());
  r.rows.write_insert(r.first, r.count, keyed ? key_source::row : key_source::generated, cells, 0);
  keys.clear();
  if (reserve) {
    keys = pg_next_keys(s, dialect_.quote(r.table.name), std::string(r.table.key().name), r.count);
    if (keys.empty()) return false;  // no sequence
    for (std::size_t i = 0; i < r.count; ++i) cells[i * slots.size() + r.table.key_index].integer = keys[i];
  }
  std::string target;
  for (auto const& c : r.table.columns)
    if (keyed || !c.generated) target += (target.empty() ? "" : ", ") + dialect_.quote(c.name);
  pg_copy_rows(s, dialect_.quote(r.table.name) + " (" + target + ")", cells, slots, r.count);
  return true;
}

query_plan postgresql_backend::explain(soci::session& s, std::string const& select, std::vector<cell> const& params,
                                       std::vector<cell_slot> const& slots) const {
  std::string json;
  each_plan_row(s, "EXPLAIN (FORMAT JSON) " + select, params, slots, {cell_slot::text},
                [&](auto const& row) { json += row[0].text; });
  query_plan plan;
  // Nodes nest under "Plans": "Seq Scan" reads a relation whole, and so does
  // an index scan without an "Index Cond" (all of the index, for its order);
  // the index scans name their index; "Sort" and "Incremental Sort" sort.
  auto walk = [&](auto const& self, boost::json::object const& node) -> void {
    auto text = [&](char const* key) {
      auto const* v = node.if_contains(key);
      return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    auto const type = text("Node Type");
    if (type == "Seq Scan" || (type.starts_with("Index") && !node.contains("Index Cond")))
      plan.full_scans.push_back(text("Relation Name"));
    if (!text("Index Name").empty()) plan.indexes.push_back(text("Index Name"));
    if (type.ends_with("Sort")) plan.sorts = true;
    plan.text += (plan.text.empty() ? "" : "\n") + type +
                 (text("Relation Name").empty() ? "" : " on " + text("Relation Name")) +
                 (text("Index Name").empty() ? "" : " using " + text("Index Name"));
    if (auto const* children = node.if_contains("Plans"); children && children->is_array())
      for (auto const& c : children->get_array())
        if (c.is_object()) self(self, c.get_object());
  };
  auto const parsed = boost::json::parse(json);
  for (auto const& statement : parsed.as_array())
    if (auto const* root = statement.as_object().if_contains("Plan"); root && root->is_object())
      walk(walk, root->get_object());
  return plan;
}

std::vector<table_health> postgresql_backend::health_of_tables(soci::session& s,
                                                               std::vector<std::string> const& tables) const {
  std::vector<table_health> out;
  each_row(s,
           // The larger of the live count (sent to the statistics a moment after each transaction) and
           // ANALYZE's estimate (written by ANALYZE itself).
           "SELECT s.relname::text, GREATEST(s.n_live_tup, c.reltuples::bigint), "
           "(s.last_analyze IS NULL AND s.last_autoanalyze IS NULL)::int, s.n_mod_since_analyze, s.n_dead_tup, "
           "pg_total_relation_size(s.relid) FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
           "WHERE s.schemaname = current_schema() ORDER BY s.relname",
           [&](soci::row const& r) {
             auto const name = r.get<std::string>(0);
             if (std::find(tables.begin(), tables.end(), name) == tables.end()) return;
             table_health h;
             h.table = name;
             h.rows = r.get<long long>(1);
             h.never_analyzed = r.get<int>(2) != 0;
             h.changed_since_analyze = r.get<long long>(3);
             h.dead_rows = r.get<long long>(4);
             h.bytes = r.get<long long>(5);
             out.push_back(std::move(h));
           });
  return out;
}

std::optional<std::vector<index_usage>> postgresql_backend::index_use(soci::session& s, std::string& why_not) const {
  (void)why_not;
  std::vector<index_usage> out;
  each_row(s,
           "SELECT u.relname::text, u.indexrelname::text, u.idx_scan, (i.indisunique OR i.indisprimary)::int "
           "FROM pg_stat_user_indexes u JOIN pg_index i ON i.indexrelid = u.indexrelid "
           "WHERE u.schemaname = current_schema() ORDER BY u.relname, u.indexrelname",
           [&](soci::row const& r) {
             out.push_back({r.get<std::string>(0), r.get<std::string>(1), r.get<long long>(2), r.get<int>(3) != 0});
           });
  return out;
}

std::optional<std::vector<open_transaction>> postgresql_backend::long_transactions(soci::session& s,
                                                                                   std::chrono::seconds older_than,
                                                                                   std::string& why_not) const {
  (void)why_not;
  std::vector<open_transaction> out;
  long long const seconds = older_than.count();
  each_row(
      s,
      "SELECT a.pid::text || COALESCE(' ' || NULLIF(a.application_name, ''), '') || "
      "COALESCE(' from ' || host(a.client_addr), ''), "
      "floor(extract(epoch FROM clock_timestamp() - a.xact_start))::bigint, "
      "COALESCE(a.state, '') || CASE WHEN a.wait_event_type = 'Lock' THEN ', waiting for a lock' ELSE '' END, "
      "(SELECT count(*) FROM pg_locks l WHERE l.pid = a.pid AND l.granted), left(COALESCE(a.query, ''), 200) "
      "FROM pg_stat_activity a WHERE a.datname = current_database() AND a.backend_type = 'client backend' "
      "AND a.pid <> pg_backend_pid() "
      "AND a.xact_start < clock_timestamp() - make_interval(secs => :s) ORDER BY a.xact_start",
      [&](soci::row const& r) {
        out.push_back({r.get<std::string>(0), std::chrono::seconds(r.get<long long>(1)), r.get<std::string>(2),
                       r.get<long long>(3), r.get<std::string>(4)});
      },
      seconds);
  return out;
}

void postgresql_backend::optimize(soci::session& s, std::vector<std::string> const& tables) const {
  for (auto const& t : tables) s << "VACUUM ANALYZE " + dialect_.quote(t);
}

}  // namespace taskstore::detail
