// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The machinery of <taskstore/service/admin.hpp>: batches, key generators,
// the checks that run before an administration call's first write, and the
// file a backup is written to.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/task_queue.hpp>
#include <taskstore/limits.hpp>
#include <taskstore/migrate/migrator.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/sql/dialect.hpp>
#include <taskstore/types/detail/json_decode.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <istream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::detail {

inline constexpr std::size_t admin_batch_rows = 1000;
inline constexpr std::string_view dump_format = "taskstore-dump";

/// A JSON value with every object's keys sorted, so that equal data
/// serializes equally whichever database stored it (PostgreSQL's JSONB
/// reorders keys).
TASKSTORE_DECL boost::json::value canonical_json(boost::json::value const& v);

/// The highest version in the database's migration ledger (0 for none).
TASKSTORE_DECL std::int64_t schema_version(database const& db);

/// Every table of the database's current schema (MariaDB: database), by name.
TASKSTORE_DECL std::vector<std::string> list_tables(database const& db);

/// taskstore's own migrations followed by `yours`.
TASKSTORE_DECL std::vector<migration> with_builtin(std::vector<migration> const& yours);

/// Where `db` stands against `all`, refusing what an administration call
/// cannot work on: a changed migration, or an applied one the list does not
/// know (told to `*tolerate` instead when given). `side` names the database
/// in messages ("the source", "the target", "the database"). Reads only.
/// @throws error schema_mismatch naming what to change.
TASKSTORE_DECL migration_status checked_status(database const& db, std::vector<migration> const& all,
                                               std::string_view side,
                                               std::function<void(std::string_view)> const* tolerate = nullptr);

/// The longest line a dump holds: a row at limits::max_row_bytes, every
/// character escaped, in its `{"table":…,"row":…}` line.
inline constexpr std::size_t max_dump_line_bytes = 2 * limits::max_row_bytes + 4096;

/// std::getline() that stops at max_dump_line_bytes: a stream without line
/// breaks (a device, a binary file) is refused instead of read into memory
/// without end. @returns false at the end of the stream.
/// @throws error validation_failed for a longer line.
TASKSTORE_DECL bool read_dump_line(std::istream& in, std::string& line, std::size_t line_no);

/// How a dump's row lines are parsed: as deep as taskstore reads any JSON,
/// so that a stored value nested as deep as a column accepts still parses
/// inside its `{"table":…,"row":{…}}` line.
inline boost::json::parse_options dump_line_parse_options() { return read_json_options(); }

/// The parts of a dump's header line that restore checks.
struct dump_header {
  std::int64_t schema_version = 0;
  std::map<std::string, std::size_t> tables;  ///< rows per table, as the header counts them
};

/// Parses and checks line 1 of a dump. @throws error validation_failed.
TASKSTORE_DECL dump_header parse_dump_header(std::string const& line);

/// Runs `fn` in one read-only snapshot of `db` (a deferred transaction on
/// SQLite, REPEATABLE READ on the servers), never run twice: what `fn` writes
/// outside the database cannot be taken back.
TASKSTORE_DECL void in_read_snapshot(database const& db, std::function<void()> const& fn);

/// A file written beside its target and renamed over it only by commit(), so
/// that a failed backup leaves the target as it was. Refuses a target that is
/// the database's own file (or its -wal, -shm or -journal).
class file_beside {
 public:
  TASKSTORE_DECL file_beside(database const& db, std::filesystem::path target, bool may_replace);
  TASKSTORE_DECL ~file_beside();
  file_beside(file_beside const&) = delete;
  file_beside& operator=(file_beside const&) = delete;

  std::filesystem::path const& temp_path() const noexcept { return temp_; }
  /// The open temporary file, for a text backup.
  TASKSTORE_DECL std::ofstream& stream();
  /// Closes the file and renames it over the target. @throws error bad_config when that fails.
  TASKSTORE_DECL void commit();

 private:
  std::filesystem::path target_, temp_;
  bool may_replace_;
  bool committed_ = false;
  std::ofstream out_;
};

template <class Entities, class F>
void for_each_entity(F&& f) {
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, Entities>>(f);
}

/// The table names of `Entities`.
template <class Entities>
std::vector<std::string> entity_tables() {
  std::vector<std::string> out;
  for_each_entity<Entities>(
      [&](auto entity) { out.emplace_back(table_model<typename decltype(entity)::type>::table); });
  return out;
}

/// The tables of `db` that `Entities` does not cover (the ledger aside):
/// what an administration call over `Entities` leaves out.
template <class Entities>
std::vector<std::string> tables_outside(database const& db) {
  auto const known = entity_tables<Entities>();
  std::vector<std::string> out;
  for (auto& t : list_tables(db))
    if (t != "schema_migrations" && t != table_model<task_limit_gate>::table &&
        std::find(known.begin(), known.end(), t) == known.end())
      out.push_back(t);
  return out;
}

/// Refuses a database in which a table of `Entities` that exists holds rows.
/// @throws error already_exists.
template <class Entities>
void refuse_rows(database const& db, std::string_view what) {
  auto const present = list_tables(db);
  for_each_entity<Entities>([&](auto entity) {
    using T = typename decltype(entity)::type;
    std::string const table(table_model<T>::table);
    if (std::find(present.begin(), present.end(), table) == present.end()) return;
    if (soci_repository<T>(db).count(query<T>{}) > 0)
      throw error(errc::already_exists, std::string(what) + " needs empty tables; " + table + " has rows");
  });
}

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
/// generator past them (backend::reset_key_sequence(): PostgreSQL's
/// identities; SQLite and MariaDB follow explicit keys on their own). Runs in
/// the caller's transaction, so that a failure here takes the rows back too.
template <class T>
void reset_key_generator(database const& db) {
  using model = table_model<T>;
  if constexpr (table_traits<T>::primary_key.generated) {
    auto const reset =
        db.backend().reset_key_sequence(std::string(model::table), std::string(model::columns[model::key_index].name));
    if (!reset.empty()) db.execute(reset);
  }
}

/// Migrates `db` with `all` and runs `load`, in one transaction where the
/// backend has transactional DDL (SQLite, PostgreSQL). Where DDL commits as
/// it runs (MariaDB), the migrations are applied first and only `load` is one
/// transaction.
template <class F>
void migrate_and_load(database const& db, std::vector<migration> const& all, F&& load) {
  if (!db.backend().transactional_ddl()) {
    migrator(db, all).up();
    db.transact(load);
    return;
  }
  db.transact([&] {
    migrator(db, all, {.join_transaction = true}).up();
    load();
  });
}

}  // namespace taskstore::detail
