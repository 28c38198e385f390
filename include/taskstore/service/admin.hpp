// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Database administration over the domain tables: a logical dump to JSON
/// Lines and its restore, copying between any two databases, file backups,
/// statistics. Each call checks what it can before its first write and
/// leaves the target as it was when it fails (see each one for MariaDB).

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/entities.hpp>
#include <taskstore/migrate/migration.hpp>
#include <taskstore/migrate/schema.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/detail/admin.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <map>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace taskstore {

/// Called after each batch: the table and how many of its rows are done.
using admin_progress = std::function<void(std::string_view table, std::size_t rows_done, std::size_t rows_total)>;

/// Called with a sentence about something an administration call left out
/// (a table outside its list of tables, a migration it was not given).
using admin_warning = std::function<void(std::string_view message)>;

/// How an administration call runs.
struct admin_options {
  /// Your own migrations (load_migrations(), or C++ ones), taken with
  /// taskstore's own: the database is checked against, and migrated with,
  /// both. Needed when the database has migrations of yours applied.
  std::vector<migration> migrations{};
  admin_progress progress{};
  /// Told about every table of the database that the call's list of tables
  /// (`Entities`) leaves out, and about migrations it was not given; no
  /// warnings are given when empty.
  admin_warning warning{};
};

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

/// Writes every table of `Entities` as JSON Lines: a header line
/// `{"format":"taskstore-dump","version":1,"schema_version":N,"tables":{…counts…}}`,
/// then `{"table":"…","row":{…}}` per row, tables parents first, rows by
/// primary key, object keys sorted: equal data gives byte-identical dumps
/// from every backend. Reads one snapshot (a read-only transaction, never
/// retried: what was written to `out` cannot be taken back).
/// @throws error schema_mismatch when the database is behind the migrations
///         (migrate it first); database_error when writing to `out` fails.
///         Warns about the tables it leaves out, the applied migrations it
///         was not given (a restore needs them) and changed ones.
/// @returns the number of rows written.
template <class Entities = domain_entities>
std::size_t dump(database const& db, std::ostream& out, admin_options const& options = {}) {
  auto const all = detail::with_builtin(options.migrations);
  auto const latest = migrator(db, all).latest_version();
  auto const st = detail::checked_status(db, all, "the database", &options.warning);
  if (st.current_version < latest)
    throw error(errc::schema_mismatch, "the database is at schema version " + std::to_string(st.current_version) +
                                           ", the migrations given reach " + std::to_string(latest) +
                                           ": migrate it first (`taskstore migrate up`, migrate_to_latest())");
  std::size_t written = 0;
  std::vector<std::string> skipped;
  detail::in_read_snapshot(db, [&] {
    boost::json::object counts;
    auto const tables = table_row_counts<Entities>(db);
    for (auto const& [table, n] : tables) counts[table] = n;
    out << boost::json::serialize(boost::json::object{{"format", std::string(detail::dump_format)},
                                                      {"version", 1},
                                                      {"schema_version", detail::schema_version(db)},
                                                      {"tables", std::move(counts)}})
        << '\n';
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
        if (options.progress) options.progress(table, done, total);
      });
      written += done;
    });
    skipped = detail::tables_outside<Entities>(db);
  });
  if (!out.flush()) throw error(errc::database_error, "writing the dump failed");
  if (options.warning)
    for (auto const& t : skipped)
      options.warning("table " + t + " is not in the list of tables to dump: its rows are not in the dump");
  return written;
}

/// dump() into the file `path`, which is replaced only when the dump is
/// complete: the rows go to a temporary file beside it, renamed over `path`
/// after the last row. The database is read before any file is touched.
/// @throws error validation_failed when `path` is the database's own file
///         (SQLite, with its -wal, -shm and -journal files); bad_config when
///         the file cannot be written; what dump() throws. `path` is then as
///         it was. @returns the number of rows written.
template <class Entities = domain_entities>
std::size_t dump_to_file(database const& db, std::filesystem::path const& path, admin_options const& options = {}) {
  detail::schema_version(db);  // the database answers before any file is touched
  detail::file_beside file(db, path, true);
  auto const n = dump<Entities>(db, file.stream(), options);
  file.commit();
  return n;
}

/// A dump read into memory and checked, every row converted: what restore()
/// loads. Holds the whole dump, so that restoring never reads a stream twice.
template <class Entities = domain_entities>
struct dump_contents {
  std::int64_t schema_version = 0;  ///< the header's
  std::size_t rows = 0;
  /// The rows of each table of `Entities`, in its order.
  boost::mp11::mp_apply<std::tuple, boost::mp11::mp_transform<std::vector, Entities>> tables;
};

/// Reads a whole dump() and checks it: the header, every line, every row
/// converted to its type (generated keys positive), and each table's row
/// count against the header's, so that a truncated dump is refused.
/// @throws error validation_failed naming the line; bad_config when the
///         stream cannot be read.
template <class Entities = domain_entities>
dump_contents<Entities> read_dump(std::istream& in) {
  dump_contents<Entities> d;
  std::string line;
  if (!detail::read_dump_line(in, line, 1)) {
    if (in.bad()) throw error(errc::bad_config, "the dump cannot be read");
    throw error(errc::validation_failed, "the dump is empty");
  }
  auto const header = detail::parse_dump_header(line);
  d.schema_version = header.schema_version;
  auto const known = detail::entity_tables<Entities>();
  for (auto const& [table, n] : header.tables)
    if (std::find(known.begin(), known.end(), table) == known.end())
      throw error(errc::validation_failed,
                  "the dump holds table " + table + ", which is not in the list of tables to restore");
  std::map<std::string, std::function<void(boost::json::value const&)>> add;
  std::map<std::string, std::size_t> read;
  detail::for_each_entity<Entities>([&](auto entity) {
    using T = typename decltype(entity)::type;
    add[std::string(table_model<T>::table)] = [&d](boost::json::value const& v) {
      auto row = from_json<T>(v);
      if constexpr (table_traits<T>::primary_key.generated) {
        if (row.*table_model<T>::key_member <= 0)
          throw error(errc::validation_failed, "a generated key must be positive",
                      std::string(table_model<T>::columns[table_model<T>::key_index].name));
      }
      std::get<std::vector<T>>(d.tables).push_back(std::move(row));
    };
  });
  for (std::size_t line_no = 2; detail::read_dump_line(in, line, line_no); ++line_no) {
    if (line.empty()) continue;
    auto const where = "line " + std::to_string(line_no) + " of the dump: ";
    try {
      boost::system::error_code ec;
      auto const v = boost::json::parse(line, ec, {}, detail::dump_line_parse_options());
      if (ec) throw error(errc::validation_failed, "not JSON (" + ec.message() + ")");
      auto const* o = v.if_object();
      auto const* table = o ? o->if_contains("table") : nullptr;
      auto const* row = o ? o->if_contains("row") : nullptr;
      if (!table || !table->is_string() || !row || o->size() != 2)
        throw error(errc::validation_failed, R"(not a {"table":…,"row":…} line)");
      std::string const name(table->get_string());
      auto const it = add.find(name);
      if (it == add.end()) throw error(errc::validation_failed, "table " + name + " is not in the list of tables");
      it->second(*row);
      ++read[name];
    } catch (error const& e) {
      throw error(e.code(), e.category(), where + e.what(), e.field());
    } catch (std::exception const&) {  // a conversion's own exception: its text may name Boost's sources
      throw error(errc::validation_failed, where + "not a row of its table");
    }
  }
  if (in.bad()) throw error(errc::bad_config, "the dump cannot be read");
  for (auto const& table : known) {
    auto const h = header.tables.find(table);
    auto const counted = h == header.tables.end() ? 0 : h->second;
    if (read[table] != counted)
      throw error(errc::validation_failed, "the dump is incomplete: its header counts " + std::to_string(counted) +
                                               " rows of " + table + ", it holds " + std::to_string(read[table]));
    d.rows += counted;
  }
  return d;
}

/// Loads a dump into `db`, which must be empty: migrates it to the dump's
/// schema version (taskstore's migrations and `options.migrations`; that
/// version must be the latest of them), then inserts every row with its
/// key and moves key generators past them. Everything is checked before
/// the first write, and the migrations, the rows and the key generators are
/// one transaction on SQLite and PostgreSQL: a failure leaves the database
/// as it was. MariaDB commits DDL as it runs: there a failure after the
/// checks can leave the schema migrated, with every table empty, and the
/// same restore may simply run again.
/// @throws error schema_mismatch for another schema version or a database
///         with migrations not given; already_exists when the database
///         holds rows; what the database raises (nothing of it stays).
/// @returns the number of rows loaded.
template <class Entities = domain_entities>
std::size_t restore(database const& db, dump_contents<Entities> const& dump, admin_options const& options = {}) {
  auto const all = detail::with_builtin(options.migrations);
  auto const latest = migrator(db, all).latest_version();
  if (dump.schema_version > latest)
    throw error(errc::schema_mismatch,
                "the dump has schema version " + std::to_string(dump.schema_version) + ", the migrations given reach " +
                    std::to_string(latest) +
                    ": give the migrations that made it (`--migrations DIR`, admin_options::migrations), or use the "
                    "newer taskstore that wrote it");
  if (dump.schema_version < latest)
    throw error(errc::schema_mismatch, "the dump has schema version " + std::to_string(dump.schema_version) +
                                           ", the migrations given reach " + std::to_string(latest) +
                                           ": migrate the database it came from to " + std::to_string(latest) +
                                           " and back it up again");
  detail::checked_status(db, all, "the database");
  detail::refuse_rows<Entities>(db, "restore");
  std::vector<std::string> skipped;
  detail::migrate_and_load(db, all, [&] {
    detail::refuse_rows<Entities>(db, "restore");
    detail::for_each_entity<Entities>([&](auto entity) {
      using T = typename decltype(entity)::type;
      auto const& rows = std::get<std::vector<T>>(dump.tables);
      std::string const table(table_model<T>::table);
      for (std::size_t done = 0; done < rows.size();) {
        auto const n = std::min(detail::admin_batch_rows, rows.size() - done);
        soci_repository<T>(db).insert_many(std::span<T const>(rows.data() + done, n));
        done += n;
        if (options.progress) options.progress(table, done, rows.size());
      }
      detail::reset_key_generator<T>(db);
    });
    skipped = detail::tables_outside<Entities>(db);
  });
  if (options.warning)
    for (auto const& t : skipped)
      options.warning("table " + t + " is not in the list of tables to restore: the dump holds none of its rows");
  return dump.rows;
}

/// read_dump(), then restore(): the database is checked first, the whole
/// stream is read and checked before the first write.
template <class Entities = domain_entities>
std::size_t restore(database const& db, std::istream& in, admin_options const& options = {}) {
  detail::checked_status(db, detail::with_builtin(options.migrations), "the database");
  return restore<Entities>(db, read_dump<Entities>(in), options);
}

/// Copies every row of `Entities` from `from` to `to` (any backends),
/// parents first, in batches. Checked before the first write: `from` must be
/// at the latest version of taskstore's migrations and `options.migrations`;
/// `to` must be new (no migration applied) or at that version, and its
/// tables empty. `to` is then migrated, and the rows, the row-count check
/// and the key generators are one transaction on `to` (with the migrations,
/// on SQLite and PostgreSQL): a failure leaves `to` as it was (on MariaDB,
/// migrated and empty, so that the copy can simply run again).
/// @throws error schema_mismatch naming the database to migrate or the
///         migrations to give; already_exists when `to` holds rows;
///         database_error when counts differ afterwards.
/// @returns the number of rows copied.
template <class Entities = domain_entities>
std::size_t copy_database(database const& from, database const& to, admin_options const& options = {}) {
  auto const all = detail::with_builtin(options.migrations);
  auto const latest = migrator(from, all).latest_version();
  auto const source = detail::checked_status(from, all, "the source");
  if (source.current_version != latest)
    throw error(errc::schema_mismatch, "the source is at schema version " + std::to_string(source.current_version) +
                                           ", the migrations given reach " + std::to_string(latest) +
                                           ": migrate the source to " + std::to_string(latest) +
                                           " first (`taskstore --db SOURCE migrate up`)");
  auto const target = detail::checked_status(to, all, "the target");
  if (target.current_version != 0 && target.current_version != latest)
    throw error(errc::schema_mismatch, "the target is at schema version " + std::to_string(target.current_version) +
                                           ", the source at " + std::to_string(latest) +
                                           ": copy into a new database, or migrate the target to " +
                                           std::to_string(latest) + " first (`taskstore --db TARGET migrate up`)");
  detail::refuse_rows<Entities>(to, "copy");
  auto const source_counts = from.transact([&] { return table_row_counts<Entities>(from); });
  auto const skipped = detail::tables_outside<Entities>(from);
  std::size_t copied = 0;
  detail::migrate_and_load(to, all, [&] {
    detail::refuse_rows<Entities>(to, "copy");
    copied = 0;
    detail::for_each_entity<Entities>([&](auto entity) {
      using T = typename decltype(entity)::type;
      std::string const table(table_model<T>::table);
      std::size_t done = 0, total = 0;
      for (auto const& [name, n] : source_counts)
        if (name == table) total = n;
      detail::for_each_batch<T>(from, [&](std::vector<T> const& batch) {
        soci_repository<T>(to).insert_many(batch);
        done += batch.size();
        if (options.progress) options.progress(table, done, total);
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
  });
  if (options.warning)
    for (auto const& t : skipped)
      options.warning("table " + t + " is not in the list of tables to copy: its rows are not copied");
  return copied;
}

/// A consistent copy of an SQLite database in a new file (VACUUM INTO),
/// taken while writers go on. The copy is made beside `path` and renamed to
/// it when complete, so a failure leaves no file behind.
/// @throws error unsupported on other backends; already_exists for an
///         existing file; validation_failed when `path` is the database's
///         own file; bad_config when it cannot be written.
TASKSTORE_DECL void sqlite_backup(database const& db, std::filesystem::path const& path);

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
  auto lease = detail::session_of(db);
  s.size_bytes = detail::guarded(lease, db.backend(), [&] { return db.backend().size_bytes(lease.get()); });
  return s;
}

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/admin.ipp>
#endif
