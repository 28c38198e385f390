// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// A backend: one database product as taskstore drives it. Everything that differs between databases lives in a
/// class derived from `backend` (and its sql::dialect), in include/taskstore/backend/NAME/; docs/design.md says
/// how to add one.

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/listener.hpp>
#include <taskstore/db/fault_injection.hpp>
#include <taskstore/db/health.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>
#include <taskstore/value/detail/cell.hpp>

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore {

namespace detail {
struct row_layout;
}  // namespace detail

/// One failed check: what it checks, where, how many rows, and a few of their keys.
struct integrity_problem {
  std::string check;
  std::string table;
  std::int64_t rows = 0;
  std::vector<std::string> examples;  ///< up to 5 keys
};

/// A chunk of rows to insert, as soci_table hands it to a backend's own bulk path.
struct bulk_rows {
  table_info const& table;
  detail::row_layout const& rows;
  void const* first;  ///< the first of `count` rows of an array of the row type
  std::size_t count;
  key_source key;                               ///< where the rows' keys come from
  std::vector<detail::cell_slot> const& slots;  ///< one per column inserted, as `key` says
  std::vector<detail::cell_slot> const& keyed;  ///< one per column, the key included
};

/// How far a standby has replayed what its primary wrote, as a backend measures it.
struct standby_progress {
  bool standby = false;  ///< false: the server is no standby (never was, or was promoted)
  bool reached = false;  ///< it has replayed up to the position asked about
  /// Since the last transaction it replayed committed on the primary, while
  /// it has received more than it replayed; 0 once it has replayed all it received.
  std::chrono::milliseconds lag{0};
};

/// One database product. An object of each registered backend lives for the
/// whole program (backend_for()); a database keeps the one its URL names,
/// or the flavor of it the server speaks (for_server()).
class backend {
 public:
  backend() = default;
  backend(backend const&) = delete;
  backend& operator=(backend const&) = delete;
  virtual ~backend() = default;

  /// The product family, as a URL names it.
  virtual backend_kind kind() const noexcept = 0;
  /// The SQL it speaks.
  virtual sql::dialect const& dialect() const noexcept = 0;
  /// For messages: the dialect's name, or the server a flavor speaks to (`MariaDB`).
  virtual std::string_view description() const noexcept { return dialect().name(); }

  // --- connections ---

  /// SOCI's factory for the driver.
  virtual soci::backend_factory const& factory() const = 0;
  /// Sets up a new session for taskstore: time zone, encoding, strictness,
  /// lock timeouts.
  virtual void set_up(soci::session& s, connection_options const& o) const = 0;
  /// The flavor of this backend that the server behind `s` speaks (MySQL or
  /// MariaDB), as `o` may force it; *this where there is one flavor. Called
  /// once per database, on its first session before set_up(), so it may
  /// send only what every flavor accepts. @throws error when the server is
  /// one taskstore cannot drive.
  virtual backend const& for_server(soci::session& s, connection_options const& o) const {
    (void)s, (void)o;
    return *this;
  }
  /// The flavor called `name` (MySQL: `mysql`, `mariadb`) as it speaks to
  /// its own server, or null when there is none by that name.
  virtual backend const* flavor(std::string_view name) const {
    (void)name;
    return nullptr;
  }
  /// True for a database in this process (SQLite): a statement costs no
  /// round trip, so row-by-row cached statements beat multi-row ones; and
  /// one writer at a time, queued in the pool rather than in a busy handler.
  virtual bool embedded() const noexcept { return false; }
  /// Whether a session keeps its prepared statements from one transaction
  /// to the next; not behind a pooler in transaction mode, which may hand
  /// each transaction another server connection.
  virtual bool keeps_prepared_statements() const noexcept { return true; }

  // --- transactions ---

  /// Begins a read-write transaction.
  virtual void begin(soci::session& s) const { s.begin(); }
  /// Begins a read-only transaction that sees one snapshot of every table.
  virtual void begin_snapshot(soci::session& s) const = 0;
  /// Whether DDL runs inside a transaction (MySQL commits each statement).
  virtual bool transactional_ddl() const noexcept { return true; }
  /// Begins the transaction a migration step runs in (transactional_ddl()).
  virtual void begin_migration_step(soci::session& s) const { s << "BEGIN"; }

  /// Takes the lock that keeps two processes from migrating one database at
  /// once, without waiting. `session_scope`: held until unlock_migrations(),
  /// else until the transaction ends. @returns false when another holds it.
  /// A backend whose migration step transaction excludes others needs none.
  virtual bool try_lock_migrations(soci::session& s, bool session_scope) const {
    (void)s, (void)session_scope;
    return true;
  }
  virtual void unlock_migrations(soci::session& s) const { (void)s; }
  /// Whether try_lock_migrations() takes a lock at all.
  virtual bool locks_migrations() const noexcept { return false; }
  /// Whether the migration lock is taken in each step's transaction rather
  /// than on the session for the whole run: behind a pooler in transaction
  /// mode a session lock would stay on a server connection others get.
  virtual bool locks_migrations_per_step() const noexcept { return false; }

  // --- notifications ---

  /// Whether notify() reaches sessions of other processes, which listen():
  /// PostgreSQL's NOTIFY. Elsewhere a database's subscribers hear only
  /// their own process (database::notify()).
  virtual bool pushes() const noexcept { return false; }
  /// Sends `payload` on `channel` to the sessions listening on it, outside
  /// a transaction. Sends nothing unless pushes().
  virtual void notify(soci::session& s, std::string const& channel, std::string const& payload) const {
    (void)s, (void)channel, (void)payload;
  }
  /// Commits the transaction on `s`, sending `notifications` on `channel`
  /// with it where pushes() (they reach listeners if and when it commits); a
  /// backend may send both in one round trip.
  virtual void commit(soci::session& s, std::string const& channel,
                      std::vector<std::string> const& notifications) const {
    for (auto const& payload : notifications) notify(s, channel, payload);
    s.commit();
  }
  /// Makes `s`, a set-up session of its own, receive what notify() sends
  /// on `channel`. @throws error unsupported unless pushes().
  TASKSTORE_DECL virtual std::unique_ptr<detail::listener> listen(std::unique_ptr<soci::session> s,
                                                                  std::string const& channel) const;

  // --- standbys ---

  /// Whether database::reads() may read from a standby of this database
  /// (URL parameter replica).
  virtual bool reads_from_standbys() const noexcept { return false; }
  /// How far the primary behind `s` has written (PostgreSQL: its WAL
  /// position), for progress_of_standby() to compare with.
  virtual std::string write_position(soci::session& s) const {
    (void)s;
    return {};
  }
  /// What the standby behind `s` has replayed: whether it reached
  /// `position` (a write_position() of its primary; empty: any), and its lag.
  virtual standby_progress progress_of_standby(soci::session& s, std::string const& position) const {
    (void)s, (void)position;
    return {};
  }

  // --- errors ---

  /// Translates the exception in flight (call from a catch block) into a
  /// taskstore::error: driver errors by the backend's own code, with the
  /// driver's message and never its bound values; anything else as
  /// database_error. taskstore errors and std::bad_alloc pass through
  /// unchanged. A missing table or column is schema_mismatch on every
  /// backend, its message saying to run `taskstore init`
  /// (`ts::migrate_to_latest`). An override catches its driver's exception
  /// and leaves the rest to this one.
  [[noreturn]] TASKSTORE_DECL virtual void rethrow_translated() const;

  /// Fails the statement about to run on `s` the way the server fails it
  /// for `kind` (fault_plan).
  virtual void raise_fault(soci::session& s, fault_kind kind) const = 0;

  // --- catalog ---

  virtual bool table_exists(soci::session& s, std::string const& table) const = 0;
  /// The base tables of the current schema.
  virtual std::vector<std::string> table_names(soci::session& s) const = 0;
  /// Bytes the current schema takes, indexes included.
  virtual std::int64_t size_bytes(soci::session& s) const = 0;
  /// A query of `:t`'s columns, each row: name, type, is_nullable ('YES'/'NO'),
  /// has a default (1/0).
  virtual std::string columns_query() const = 0;
  /// A query of `:t`'s index names when they are unique per schema (they
  /// must be freed before a table takes the name), else empty.
  virtual std::string schema_index_names_query() const { return {}; }
  /// `value` as it must be written to fill a column of `type` from another
  /// table's column of the same name.
  virtual std::string carried_value(std::string value, std::string_view type) const {
    (void)type;
    return value;
  }
  /// The statement that makes the generated key of `table` go on after
  /// the keys it holds, or empty where the database does that itself.
  virtual std::string reset_key_sequence(std::string const& table, std::string const& key) const {
    (void)table, (void)key;
    return {};
  }

  // --- bulk paths ---

  /// Inserts `rows` its own way, faster than a multi-row INSERT, appending
  /// generated keys to `keys` in row order. @returns false when it has no
  /// such way for them (the caller then runs a multi-row INSERT).
  virtual bool insert_rows(soci::session& s, bulk_rows const& rows, std::vector<long long>& keys) const {
    (void)s, (void)rows, (void)keys;
    return false;
  }
  /// Whether update_many() writes a batch whose rows change the same
  /// columns by joining a VALUES list (sql::dialect::value_cast()).
  virtual bool updates_by_join() const noexcept { return false; }

  // --- health (doctor()) ---

  /// How the database would run `select`, its placeholders bound to
  /// `params` (of `slots`), read from its EXPLAIN; runs nothing else.
  /// @throws error unsupported where the backend cannot explain.
  TASKSTORE_DECL virtual query_plan explain(soci::session& s, std::string const& select,
                                            std::vector<detail::cell> const& params,
                                            std::vector<detail::cell_slot> const& slots) const;
  /// Statistics and reclaimable space of `tables`.
  virtual std::vector<table_health> health_of_tables(soci::session& s, std::vector<std::string> const& tables) const {
    (void)s, (void)tables;
    return {};
  }
  /// How often each index of the current schema was read, or nullopt (with
  /// why in `why_not`) where the database does not count it.
  virtual std::optional<std::vector<index_usage>> index_use(soci::session& s, std::string& why_not) const {
    (void)s;
    why_not = std::string(description()) + " does not count how often an index is read";
    return std::nullopt;
  }
  /// Transactions of other sessions open longer than `older_than`, or
  /// nullopt (with why in `why_not`) where other sessions cannot be seen.
  virtual std::optional<std::vector<open_transaction>> long_transactions(soci::session& s,
                                                                         std::chrono::seconds older_than,
                                                                         std::string& why_not) const {
    (void)s, (void)older_than;
    why_not = std::string(description()) + " does not show other sessions' transactions";
    return std::nullopt;
  }

  // --- maintenance ---

  /// Runs the database's own integrity checks, appending what they found.
  virtual void check_integrity(soci::session& s, std::vector<std::string>& checks,
                               std::vector<integrity_problem>& problems) const {
    (void)s, (void)checks, (void)problems;
  }
  /// Refreshes statistics and reclaims space for `tables`.
  virtual void optimize(soci::session& s, std::vector<std::string> const& tables) const = 0;
  /// Whether backup_file() works: the database is a file (SQLite).
  virtual bool backs_up_files() const noexcept { return false; }
  /// Writes a consistent copy of the database to `path`.
  /// @throws error unsupported unless backs_up_files().
  TASKSTORE_DECL virtual void backup_file(soci::session& s, std::filesystem::path const& path) const;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/impl/backend.ipp>
#endif
