// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The database handle: a pooled connection to one database, its transactions and their retries.

#include <taskstore/db/backend.hpp>
#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/pool.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/db/fault_injection.hpp>
#include <taskstore/db/replica_status.hpp>
#include <taskstore/db/url.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace taskstore {

namespace detail {
struct database_access;
}  // namespace detail

/// A connection to one database: a pool of SOCI sessions, each set up for
/// taskstore on connect. A `database` is a cheap handle (copies share the
/// pool) and may be used from many threads at once; each operation borrows a
/// session for its duration, and a transaction pins one.
class database {
 public:
  /// Opens the database a URL names (docs/database-urls.md) and
  /// connects once to prove it is reachable.
  /// @throws error bad_config for a malformed URL or a backend left out of the
  ///         build; connection_failed (admin_required) when it cannot connect.
  static database open(std::string_view url) { return database(parse_url(url)); }

  /// Opens the URL in TASKSTORE_DATABASE_URL.
  /// @throws error bad_config when the variable is unset or empty.
  TASKSTORE_DECL static database open();

  TASKSTORE_DECL explicit database(connection_options options);

  /// The backend that speaks to this database, in the flavor its server
  /// speaks: backend().kind() says which product it is.
  taskstore::backend const& backend() const noexcept { return state_->backend(); }
  /// The SQL this database speaks.
  sql::dialect const& dialect() const noexcept { return state_->backend().dialect(); }
  connection_options const& options() const noexcept { return state_->options(); }
  /// The URL with its password masked.
  std::string const& url() const noexcept { return state_->options().redacted_url; }

  /// Runs `fn` in one transaction on one session, which every repository call
  /// made by `fn` on this thread (through this database) uses too. Commits when
  /// `fn` returns; rolls back and rethrows when it throws. A nested transact()
  /// joins the outer transaction. SQLite transactions begin IMMEDIATE.
  ///
  /// On a transient error (deadlock, serialization failure, SQLITE_BUSY, lost
  /// connection) the whole transaction is rolled back and `fn` runs again, up
  /// to `retry_attempts` times (URL parameter, default 5) with jittered
  /// backoff. So every run of `fn` must start from the same inputs: `fn` is
  /// called as a const object, reads what it was given without consuming it
  /// (copy, never move, a captured input), reads any stream before
  /// transact() rather than inside, and does nothing outside the database
  /// that cannot be repeated. A COMMIT whose connection dropped is never
  /// retried. fault_plan (inject_faults()) tests that a body holds to this.
  /// @returns what `fn` returns.
  /// @throws what `fn` throws; driver errors as taskstore::error (temporary
  ///         ones after the last attempt; outcome_unknown for a lost COMMIT).
  template <class F>
  decltype(auto) transact(F const& fn) const {
    if (state_->pinned()) return fn();
    for (std::size_t attempt = 1;; ++attempt) {
      try {
        return run_transaction(fn, attempt == 1);
      } catch (error const& e) {
        if (!detail::is_transient(e) || attempt >= options().retry_attempts) throw;
        state_->count_retry();
        detail::backoff(attempt);
      }
    }
  }

  /// A handle on the same pool for reads that may lag behind the primary a
  /// little (lists, stats, event pages): where the URL names a standby
  /// (`replica=`, PostgreSQL), its statements outside a transaction read
  /// from the standby while it is up, no further behind than
  /// `replica_max_lag_ms`, and has replayed every write this pool (every
  /// handle sharing it, in this process) finished before the read began;
  /// else from the primary, as every handle does without a standby.
  /// transact() on it runs on the primary. For reads only: a write outside
  /// a transaction through it fails on a standby.
  database reads() const {
    database r = *this;
    r.reads_ = true;
    return r;
  }
  /// Whether this handle is one of reads().
  bool reads_may_lag() const noexcept { return reads_; }

  /// The standby that reads() reads from, asked for its lag now;
  /// `configured` is false when the URL names none.
  TASKSTORE_DECL replica_status replica() const;

  /// True inside transact() (or detail::with_pinned_session()) on this thread.
  bool in_transaction() const noexcept { return state_->pinned(); }

  /// How often transactions and statements were run again after transient errors.
  std::size_t retry_count() const noexcept { return state_->retries(); }
  /// Counts a retry (repositories call this when they run a statement again).
  void count_retry() const noexcept { state_->count_retry(); }

  // --- notifications ---

  /// Ends a subscription when destroyed (database::subscribe()).
  class subscription {
   public:
    subscription() = default;
    subscription(subscription&& o) noexcept : hub_(std::move(o.hub_)), id_(std::exchange(o.id_, 0)) {}
    subscription& operator=(subscription&& o) noexcept {
      if (this != &o) {
        reset();
        hub_ = std::move(o.hub_);
        id_ = std::exchange(o.id_, 0);
      }
      return *this;
    }
    ~subscription() { reset(); }
    /// Ends it: once this returns, its handler is not running and is never called again.
    void reset() noexcept {
      if (id_ != 0) hub_->signals().unsubscribe(std::exchange(id_, 0));
      hub_.reset();
    }

   private:
    friend class database;
    subscription(std::shared_ptr<detail::pool> hub, std::uint64_t id) : hub_(std::move(hub)), id_(id) {}
    std::shared_ptr<detail::pool> hub_;
    std::uint64_t id_ = 0;
  };

  /// Most bytes a notification's payload may have.
  static constexpr std::size_t max_payload = 1000;

  /// Tells this database's subscribers `payload` (at most max_payload bytes):
  /// those of this process (every handle sharing this pool), and those of
  /// other processes where the backend pushes (PostgreSQL: NOTIFY on the
  /// channel `taskstore`). Inside transact(), only when the transaction
  /// commits, and once however often the transaction sends it; nothing when
  /// it rolls back. Delivery is a hint, not a queue: a subscriber may miss
  /// one (another process's, while its listener reconnects) or hear one
  /// twice, so what it wakes up to do must also happen by polling.
  /// @throws error validation_failed for a longer payload; as a statement would.
  TASKSTORE_DECL void notify(std::string const& payload) const;

  /// Calls `handler(payload)` for each notification (notify()) until the
  /// returned subscription ends: on the notifying thread after its commit,
  /// or on a listener thread for another process's, so it must be quick,
  /// thread-safe, and never subscribe or end a subscription. `other_processes`
  /// opens, while any subscriber of this pool wants it, a connection of its
  /// own that listens (PostgreSQL, unless the URL says listen=off); after it
  /// (re)connects, the handler hears "*": notifications may have been missed.
  [[nodiscard]] TASKSTORE_DECL subscription subscribe(std::function<void(std::string_view)> handler,
                                                      bool other_processes = true) const;

  /// True while this pool hears other processes' notifications: a
  /// subscriber wants them and the listening connection is up.
  bool hears_other_processes() const noexcept { return state_->signals().listening(); }

  /// Runs one SQL statement with no parameters and no result (DDL, PRAGMA).
  /// @throws error translated from the driver.
  TASKSTORE_DECL void execute(std::string const& sql) const;

  /// For tests: from now on, the transactions and statements of this
  /// database (every handle sharing its pool) fail as `plan` says; nullopt
  /// stops it. The URL parameter `inject_fault` sets a plan at open.
  void inject_faults(std::optional<fault_plan> plan) const { state_->faults().arm(plan); }

 private:
  friend struct detail::database_access;

  /// A session for the caller's duration: the transaction's pinned session
  /// inside transact(), else one borrowed from the pool.
  detail::session_lease session() const { return reads_ ? state_->borrow_for_read() : state_->borrow(); }

  /// Runs `fn(lease)` with one session pinned to this thread and no
  /// transaction begun: every repository call `fn` makes uses that session,
  /// and a transact() inside joins instead of beginning. For work that manages
  /// its own transactions and holds session state across them (migrations
  /// holding a lock). @returns what `fn` returns.
  template <class F>
  decltype(auto) with_pinned_session(F&& fn) const {
    auto lease = state_->borrow();
    if (lease.pinned()) return std::forward<F>(fn)(lease);
    detail::pin_guard pin(*state_, lease.conn());
    return std::forward<F>(fn)(lease);
  }

  TASKSTORE_DECL void begin(detail::session_lease& lease) const;
  template <class F>
  decltype(auto) run_transaction(F const& fn, bool first_attempt) const {
    std::unique_lock<detail::writer_gate> writer;  // before the borrow: a queued writer holds no connection
    if (backend().embedded()) writer = state_->lock_writer();
    auto lease = state_->borrow();
    detail::pin_guard pin(*state_, lease.conn());
    begin(lease);
    detail::transaction_scope scope(lease.conn());
    detail::fault_injector::attempt counted(state_->faults(), first_attempt);
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<F const&>>) {
        fn();
        commit(lease);
        publish(scope.take_announced());
      } else {
        decltype(auto) result = fn();
        commit(lease);
        publish(scope.take_announced());
        return result;
      }
    } catch (...) {
      rollback(lease);
      throw;
    }
  }

  TASKSTORE_DECL void commit(detail::session_lease& lease) const;
  TASKSTORE_DECL void rollback(detail::session_lease& lease) const noexcept;
  /// Tells this process's subscribers what a committed transaction sent.
  TASKSTORE_DECL void publish(std::vector<std::string> const& payloads) const noexcept;

  std::shared_ptr<detail::pool> state_;
  bool reads_ = false;  // reads(): statements outside a transaction may go to the standby
};

namespace detail {

/// The sessions behind a database, for taskstore's own layers: not part of
/// the database's public interface.
struct database_access {
  static session_lease session(database const& db) { return db.session(); }
  template <class F>
  static decltype(auto) with_pinned_session(database const& db, F&& fn) {
    return db.with_pinned_session(std::forward<F>(fn));
  }
};

/// A session of `db` for the caller's duration: the transaction's pinned
/// session inside transact(), else one borrowed from the pool.
inline session_lease session_of(database const& db) { return database_access::session(db); }

/// Runs `fn(lease)` with one session of `db` pinned to this thread and no
/// transaction begun: every repository call `fn` makes uses that session,
/// and a transact() inside joins instead of beginning. For work that manages
/// its own transactions and holds session state across them (migrations
/// holding a lock). @returns what `fn` returns.
template <class F>
decltype(auto) with_pinned_session(database const& db, F&& fn) {
  return database_access::with_pinned_session(db, std::forward<F>(fn));
}

}  // namespace detail
}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/impl/database.ipp>
#endif
