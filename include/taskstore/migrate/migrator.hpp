// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The migrator: applies and rolls back migrations and tells where a database stands.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/migrate/detail/catalog.hpp>
#include <taskstore/migrate/ledger.hpp>
#include <taskstore/migrate/migration.hpp>

#include <boost/describe/enum.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// Where one migration stands against the ledger.
enum class migration_state {
  applied,  ///< in the ledger with the checksum it has now
  pending,  ///< not applied yet
  changed,  ///< applied, but its text changed since: migrations refuse to run
  unknown,  ///< in the ledger, but this build does not know it (the database is newer)
};
BOOST_DESCRIBE_ENUM(migration_state, applied, pending, changed, unknown)

/// One migration's line in a migration_status.
struct migration_status_entry {
  std::int64_t version = 0;
  std::string name;
  migration_state state = migration_state::pending;
  std::optional<timestamp> applied_at;
  std::optional<std::int64_t> execution_ms;
};
BOOST_DESCRIBE_STRUCT(migration_status_entry, (), (version, name, state, applied_at, execution_ms))

/// Where a database stands against a list of migrations.
struct migration_status {
  std::vector<migration_status_entry> migrations;  ///< by version
  std::int64_t current_version = 0;                ///< the highest applied version, 0 for none
  std::int64_t latest_version = 0;                 ///< the highest version this build knows

  /// The number of migrations in state `s`.
  TASKSTORE_DECL std::size_t count(migration_state s) const;
};
BOOST_DESCRIBE_STRUCT(migration_status, (), (migrations, current_version, latest_version))

/// How a migrator runs.
struct migrate_options {
  /// How long to wait for another process that is migrating the same database.
  std::chrono::milliseconds lock_timeout = std::chrono::minutes(10);
  /// Run inside the caller's database::transact() instead of a transaction
  /// per migration, so that the migrations commit or roll back with the
  /// caller's other work (restore, copy). SQLite and PostgreSQL only:
  /// MariaDB commits DDL as it runs (unsupported there).
  bool join_transaction = false;
};

/// Applies and rolls back versioned migrations, recording each in the
/// `schema_migrations` ledger with its checksum and duration.
///
/// Each migration runs in its own transaction on SQLite and PostgreSQL, so a
/// failure leaves nothing of it behind. MariaDB commits DDL implicitly: a
/// failure names the statement that failed and the ones that stayed applied,
/// and the ledger does not list the migration. Two processes migrating one
/// database at once are serialized (PostgreSQL advisory lock, MariaDB
/// GET_LOCK, SQLite BEGIN EXCLUSIVE): exactly one applies each migration, the
/// other then finds nothing pending. An applied migration whose checksum
/// changed stops every run with schema_mismatch.
class migrator {
 public:
  /// @throws error bad_config for duplicate or non-positive versions or empty names.
  TASKSTORE_DECL migrator(database db, std::vector<migration> migrations, migrate_options options = {});

  std::vector<migration> const& migrations() const noexcept { return migrations_; }
  std::int64_t latest_version() const noexcept { return migrations_.empty() ? 0 : migrations_.back().version; }

  /// Applied, pending, changed and unknown migrations; writes nothing.
  TASKSTORE_DECL migration_status status() const;

  /// Applies every pending migration. @returns the versions applied, in order.
  std::vector<std::int64_t> up() { return migrate_to(latest_version()); }

  /// Applies pending migrations up to `version` and rolls back applied ones
  /// above it (0 rolls back everything). @returns the versions changed, in order.
  /// @throws error bad_config for an unknown version; schema_mismatch for a
  ///         changed or unknown applied migration; unsupported when one to
  ///         roll back has no down; what a failing statement raised.
  TASKSTORE_DECL std::vector<std::int64_t> migrate_to(std::int64_t version);

  /// Rolls back the `steps` most recently applied (highest) migrations.
  TASKSTORE_DECL std::vector<std::int64_t> rollback(std::size_t steps = 1);

 private:
  static constexpr auto ledger_table = "schema_migrations";
  using ledger = std::map<std::int64_t, schema_migration>;

  TASKSTORE_DECL migration const* find(std::int64_t version) const;

  TASKSTORE_DECL ledger read_ledger() const;

  TASKSTORE_DECL migration_status describe(ledger const& applied) const;

  TASKSTORE_DECL std::vector<std::int64_t> run(std::int64_t target);

  struct migration_step {
    migration const* m;
    bool up;
  };
  /// Roll back the highest applied version above the target first; then apply the lowest pending one up to it.
  TASKSTORE_DECL std::optional<migration_step> next_step(migration_status const& st, std::int64_t target) const;

  TASKSTORE_DECL void refuse_mismatches(migration_status const& st, std::int64_t target) const;

  /// Runs one migration's statements and records it; `ran` counts those that ran.
  TASKSTORE_DECL void apply(detail::session_lease& lease, migration const& m, bool up, std::size_t& ran);

  TASKSTORE_DECL std::string failure_message(migration const& m, bool up, std::size_t k,
                                             std::vector<std::string> const& statements, std::string const& what) const;

  TASKSTORE_DECL void ensure_ledger(detail::session_lease& lease);

  // Transactions: SQLite takes the write lock up front (BEGIN EXCLUSIVE,
  // waiting out another migrator); MariaDB runs without one (DDL commits anyway).
  TASKSTORE_DECL void begin(detail::session_lease& lease);
  TASKSTORE_DECL void commit(detail::session_lease& lease);
  TASKSTORE_DECL void rollback(detail::session_lease& lease) noexcept;

  /// The cross-process lock of a run, or of one step's transaction
  /// (backend::locks_migrations(); SQLite's step transactions are exclusive
  /// instead). `session_scope`: held until destroyed, else until the
  /// transaction ends.
  class run_lock {
   public:
    TASKSTORE_DECL run_lock(migrator const& owner, detail::session_lease& lease, bool session_scope);
    TASKSTORE_DECL ~run_lock();
    run_lock(run_lock const&) = delete;
    run_lock& operator=(run_lock const&) = delete;

   private:
    backend const& backend_;
    detail::session_lease& lease_;
    bool session_lock_ = true;  ///< false: a transaction's lock, released when it ends
  };

  database db_;
  std::vector<migration> migrations_;
  migrate_options options_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/impl/migrator.ipp>
#endif
