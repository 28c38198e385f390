// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Database administration over the domain tables: a logical dump to JSON
/// Lines and its restore, copying between any two databases, statistics.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/entities.hpp>
#include <taskstore/migrate/schema.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace taskstore {

/// Called after each batch: the table and how many of its rows are done.
using admin_progress = std::function<void(std::string_view table, std::size_t rows_done, std::size_t rows_total)>;

namespace detail {

inline constexpr std::size_t admin_batch_rows = 1000;
inline constexpr std::string_view dump_format = "taskstore-dump";

/// A JSON value with every object's keys sorted, so that equal data
/// serializes equally whichever database stored it (PostgreSQL's JSONB
/// reorders keys).
TASKSTORE_DECL boost::json::value canonical_json(boost::json::value const& v);

/// Every row of T, in primary-key order, in batches (keyset pages).
template <class T, class F>
void for_each_batch(database const& db, F&& on_batch) {
  soci_repository<T> rows(db);
  auto const key = table_model<T>::key_member;
  std::vector<T> batch = rows.find(query<T>{}.order_by(asc(key)).limit(admin_batch_rows));
  while (!batch.empty()) {
    on_batch(batch);
    if (batch.size() < admin_batch_rows) break;
    batch = rows.find(query<T>{}.order_by(asc(key)).after(batch.back()).limit(admin_batch_rows));
  }
}

/// After rows were written with explicit generated keys, moves the key
/// generator past them (PostgreSQL identities; SQLite and MariaDB follow
/// explicit keys on their own).
template <class T>
void reset_key_generator(database const& db) {
  using model = table_model<T>;
  if constexpr (table_traits<T>::primary_key.generated) {
    if (db.backend() != backend_kind::postgresql) return;
    auto const table = sql::quote(db.backend(), model::table);
    auto const key = std::string(model::columns[model::key_index].name);
    db.execute("SELECT setval(pg_get_serial_sequence('" + table + "', '" + key + "'), COALESCE(MAX(" +
               sql::quote(db.backend(), key) + "), 1), MAX(" + sql::quote(db.backend(), key) + ") IS NOT NULL) FROM " +
               table);
  }
}

template <class Entities, class F>
void for_each_entity(F&& f) {
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, Entities>>(f);
}

TASKSTORE_DECL std::int64_t schema_version(database const& db);

}  // namespace detail

// The functions below take the list of tables (`Entities`, parents first;
// the domain's by default) as a template parameter: a program that never
// calls them does not compile them, and they work on your own tables too.

/// Rows per table, in dependency order.
template <class Entities = domain_entities>
std::vector<std::pair<std::string, std::size_t>> table_row_counts(database const& db) {
  std::vector<std::pair<std::string, std::size_t>> out;
  detail::for_each_entity<Entities>([&](auto entity) {
    using T = typename decltype(entity)::type;
    out.emplace_back(std::string(table_model<T>::table), soci_repository<T>(db).count(query<T>{}));
  });
  return out;
}

/// Writes every domain table as JSON Lines: a header line
/// `{"format":"taskstore-dump","version":1,"schema_version":N,"tables":{…counts…}}`,
/// then `{"table":"…","row":{…}}` per row, tables parents first, rows by
/// primary key, object keys sorted: equal data gives byte-identical dumps
/// from every backend. Runs in one transaction (a consistent snapshot on
/// SQLite and PostgreSQL). @returns the number of rows written.
template <class Entities = domain_entities>
std::size_t dump(database const& db, std::ostream& out, admin_progress const& progress = {}) {
  return db.transact([&] {
    boost::json::object counts;
    auto const tables = table_row_counts<Entities>(db);
    for (auto const& [table, n] : tables) counts[table] = n;
    out << boost::json::serialize(boost::json::object{{"format", std::string(detail::dump_format)},
                                                      {"version", 1},
                                                      {"schema_version", detail::schema_version(db)},
                                                      {"tables", std::move(counts)}})
        << '\n';
    std::size_t written = 0;
    detail::for_each_entity<Entities>([&](auto entity) {
      using T = typename decltype(entity)::type;
      std::string const table(table_model<T>::table);
      std::size_t done = 0, total = 0;
      for (auto const& [name, n] : tables)
        if (name == table) total = n;
      detail::for_each_batch<T>(db, [&](std::vector<T> const& batch) {
        for (auto const& row : batch)
          out << boost::json::serialize(
                     boost::json::object{{"table", table}, {"row", detail::canonical_json(to_json(row))}})
              << '\n';
        done += batch.size();
        if (progress) progress(table, done, total);
      });
      written += done;
    });
    if (!out) throw error(errc::database_error, "writing the dump failed");
    return written;
  });
}

/// Loads a dump() into `db`: migrates it to the latest schema first, which
/// must be the dump's; every domain table must be empty. Rows keep their keys,
/// and key generators move past them. Runs in one transaction where the
/// backend allows it, so a bad line leaves the database as it was.
/// @throws error validation_failed for a malformed dump (naming the line);
///         schema_mismatch for another schema version; already_exists when
///         the database holds rows. @returns the number of rows loaded.
template <class Entities = domain_entities>
std::size_t restore(database const& db, std::istream& in, admin_progress const& progress = {}) {
  migrate_to_latest(db);
  std::string line;
  if (!std::getline(in, line)) throw error(errc::validation_failed, "the dump is empty");
  boost::json::value header;
  try {
    header = boost::json::parse(line, {}, detail::read_json_options());
  } catch (std::exception const&) {
    throw error(errc::validation_failed, "line 1 of the dump is not JSON");
  }
  auto const* h = header.if_object();
  auto const* format = h ? h->if_contains("format") : nullptr;
  if (!format || !format->is_string() || format->get_string() != detail::dump_format || !h->contains("schema_version"))
    throw error(errc::validation_failed, "line 1 is not a taskstore dump header");
  if (auto const v = h->at("schema_version").to_number<std::int64_t>(); v != detail::schema_version(db))
    throw error(errc::schema_mismatch, "the dump has schema version " + std::to_string(v) + ", the database " +
                                           std::to_string(detail::schema_version(db)));
  for (auto const& [table, n] : table_row_counts<Entities>(db))
    if (n > 0) throw error(errc::already_exists, "restore needs empty tables; " + table + " has rows");

  std::map<std::string, std::function<void(std::vector<boost::json::value> const&)>> loaders;
  detail::for_each_entity<Entities>([&](auto entity) {
    using T = typename decltype(entity)::type;
    loaders[std::string(table_model<T>::table)] = [&db](std::vector<boost::json::value> const& rows) {
      std::vector<T> typed;
      typed.reserve(rows.size());
      for (auto const& r : rows) typed.push_back(from_json<T>(r));
      soci_repository<T>(db).insert_many(typed);
    };
  });
  std::size_t loaded = 0, line_no = 1;
  db.transact([&] {
    std::string current;
    std::vector<boost::json::value> batch;
    auto flush = [&] {
      if (batch.empty()) return;
      loaders.at(current)(batch);
      loaded += batch.size();
      if (progress) progress(current, loaded, 0);
      batch.clear();
    };
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty()) continue;
      try {
        auto v = boost::json::parse(line, {}, detail::read_json_options());  // as deep as a row holds
        auto const& o = v.as_object();
        std::string const table(o.at("table").as_string());
        if (!loaders.count(table)) throw error(errc::validation_failed, "unknown table " + table);
        if (table != current || batch.size() >= detail::admin_batch_rows) {
          flush();
          current = table;
        }
        batch.push_back(o.at("row"));
      } catch (error const& e) {
        throw error(e.code(), "line " + std::to_string(line_no) + " of the dump: " + e.what(), e.field());
      } catch (std::exception const& e) {
        throw error(errc::validation_failed, "line " + std::to_string(line_no) + " of the dump: " + e.what());
      }
    }
    flush();
  });
  detail::for_each_entity<Entities>(
      [&](auto entity) { detail::reset_key_generator<typename decltype(entity)::type>(db); });
  return loaded;
}

/// Copies every domain row from `from` to `to` (any backends), parents
/// first, in batches; `to` is migrated first and must be empty. Row counts
/// are verified at the end and key generators reset, so the next insert on
/// `to` succeeds. @returns the number of rows copied.
/// @throws error schema_mismatch when the schemas differ; already_exists
///         when `to` holds rows; database_error when counts differ afterwards.
template <class Entities = domain_entities>
std::size_t copy_database(database const& from, database const& to, admin_progress const& progress = {}) {
  migrate_to_latest(to);
  if (detail::schema_version(from) != detail::schema_version(to))
    throw error(errc::schema_mismatch, "the source has schema version " + std::to_string(detail::schema_version(from)) +
                                           ", the target " + std::to_string(detail::schema_version(to)) +
                                           ": migrate the source first");
  for (auto const& [table, n] : table_row_counts<Entities>(to))
    if (n > 0) throw error(errc::already_exists, "copy needs an empty target; " + table + " has rows");
  auto const source_counts = from.transact([&] { return table_row_counts<Entities>(from); });
  std::size_t copied = 0;
  detail::for_each_entity<Entities>([&](auto entity) {
    using T = typename decltype(entity)::type;
    std::string const table(table_model<T>::table);
    std::size_t done = 0, total = 0;
    for (auto const& [name, n] : source_counts)
      if (name == table) total = n;
    detail::for_each_batch<T>(from, [&](std::vector<T> const& batch) {
      soci_repository<T>(to).insert_many(batch);
      done += batch.size();
      if (progress) progress(table, done, total);
    });
    detail::reset_key_generator<T>(to);
    copied += done;
  });
  auto const target_counts = table_row_counts<Entities>(to);
  for (std::size_t i = 0; i < target_counts.size(); ++i)
    if (target_counts[i].second < source_counts[i].second)
      throw error(errc::database_error, "copy incomplete: " + target_counts[i].first + " has " +
                                            std::to_string(target_counts[i].second) + " rows, the source " +
                                            std::to_string(source_counts[i].second));
  return copied;
}

/// A consistent copy of an SQLite database in a new file (VACUUM INTO),
/// taken while writers go on; the file must not exist.
/// @throws error unsupported on other backends; already_exists for an existing file.
TASKSTORE_DECL void sqlite_backup(database const& db, std::string const& path);

/// What `taskstore stats` shows.
struct database_stats {
  std::map<std::string, std::int64_t> rows;             ///< per domain table
  std::map<std::string, std::int64_t> tasks_by_status;  ///< every status, 0 included
  std::int64_t size_bytes = 0;                          ///< the database's size on disk
  std::int64_t schema_version = 0;
};
BOOST_DESCRIBE_STRUCT(database_stats, (), (rows, tasks_by_status, size_bytes, schema_version))

template <class Entities = domain_entities>
database_stats stats(database const& db) {
  database_stats s;
  for (auto const& [table, n] : table_row_counts<Entities>(db)) s.rows[table] = static_cast<std::int64_t>(n);
  soci_repository<task> tasks(db);
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<task_status>>([&](auto e) {
    s.tasks_by_status[std::string(enum_to_string(e.value))] =
        static_cast<std::int64_t>(tasks.count(query<task>{col(&task::status) == e.value}));
  });
  s.schema_version = detail::schema_version(db);
  auto lease = db.session();
  detail::guarded(lease, db.backend(), [&] {
    long long size = 0;
    switch (db.backend()) {
      case backend_kind::sqlite:
        lease.get() << "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", soci::into(size);
        break;
      case backend_kind::postgresql:
        lease.get()
            << "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN "
               "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'",
            soci::into(size);
        break;
      case backend_kind::mysql:
        lease.get() << "SELECT CAST(COALESCE(SUM(data_length + index_length), 0) AS SIGNED) FROM "
                       "information_schema.tables WHERE table_schema = DATABASE()",
            soci::into(size);
        break;
    }
    s.size_bytes = size;
  });
  return s;
}

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/admin.ipp>
#endif
