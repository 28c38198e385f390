// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/backend.hpp>
#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/fault_injector.hpp>
#include <taskstore/db/detail/signal_hub.hpp>
#include <taskstore/db/detail/statement_cache.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace taskstore::detail {

class pool;
class replica_reads;

/// A pooled connection: a set-up session and its prepared statements.
struct connection {
  std::unique_ptr<soci::session> session;
  statement_cache cache;               // declared after the session: destroyed first
  bool broken = false;                 ///< its connection dropped: discard, never reuse
  fault_injector* faults = nullptr;    ///< the pool's, which outlives its connections
  bool in_transaction = false;         ///< run by transact(): notifications wait for its commit
  std::vector<std::string> announced;  ///< the notifications its transaction sent, published after commit
};

/// Marks a transaction's connection for its duration: what database::notify()
/// sends meanwhile is published to this process's subscribers only once the
/// transaction commits, and forgotten when it rolls back or runs again.
class transaction_scope {
 public:
  explicit transaction_scope(connection& c) noexcept : c_(c) {
    c_.announced.clear();
    c_.in_transaction = true;
  }
  ~transaction_scope() {
    c_.announced.clear();
    c_.in_transaction = false;
  }
  transaction_scope(transaction_scope const&) = delete;
  transaction_scope& operator=(transaction_scope const&) = delete;
  /// What the committed transaction sent.
  std::vector<std::string> take_announced() noexcept { return std::exchange(c_.announced, {}); }

 private:
  connection& c_;
};

/// A borrowed session; returns it to the pool when destroyed. A session
/// marked broken (its connection dropped) is discarded instead.
class session_lease {
 public:
  session_lease() = default;
  session_lease(pool* owner, std::unique_ptr<connection> c) : owner_(owner), owned_(std::move(c)) {}
  explicit session_lease(connection* pinned) : pinned_(pinned) {}
  session_lease(session_lease&& o) noexcept
      : owner_(std::exchange(o.owner_, nullptr)),
        owned_(std::move(o.owned_)),
        pinned_(std::exchange(o.pinned_, nullptr)) {}
  session_lease& operator=(session_lease&&) = delete;
  TASKSTORE_DECL ~session_lease();

  connection& conn() const noexcept { return pinned_ ? *pinned_ : *owned_; }
  soci::session& get() const noexcept { return *conn().session; }
  soci::session* operator->() const noexcept { return &get(); }
  statement_cache& cache() const noexcept { return conn().cache; }
  /// True when this lease is a transaction's pinned session.
  bool pinned() const noexcept { return pinned_ != nullptr; }

  /// Discard the session instead of returning it (a transaction's pinned
  /// session too, when the transaction ends).
  void mark_broken() noexcept { conn().broken = true; }

  /// A read's session: returning it is no write that the standby's readers
  /// must wait for (pool::note_write()).
  void keep_unmarked() noexcept { marks_ = false; }

 private:
  pool* owner_ = nullptr;
  std::unique_ptr<connection> owned_;
  connection* pinned_ = nullptr;
  bool marks_ = true;
};

/// A lock with a bounded wait, for SQLite's one writer. Not std::timed_mutex:
/// its try_lock_for takes pthread_mutex_clocklock, which ThreadSanitizer (GCC
/// 12) does not intercept, so it would report every unlock as of an unlocked
/// mutex.
class writer_gate {
 public:
  TASKSTORE_DECL bool try_lock_for(std::chrono::milliseconds timeout);
  TASKSTORE_DECL void unlock() noexcept;

 private:
  std::mutex mutex_;
  std::condition_variable free_;
  bool held_ = false;
};

/// The sessions of one database: created on demand up to pool_size, reused,
/// replaced (with the set-up run again) when broken.
class pool {
 public:
  TASKSTORE_DECL explicit pool(connection_options options);
  TASKSTORE_DECL ~pool();
  pool(pool const&) = delete;
  pool& operator=(pool const&) = delete;

  connection_options const& options() const noexcept { return options_; }
  /// The backend the URL names, in the flavor the server speaks.
  taskstore::backend const& backend() const noexcept { return *backend_; }

  /// How often a transaction or statement was run again after a transient error.
  std::size_t retries() const noexcept { return retries_.load(std::memory_order_relaxed); }
  void count_retry() noexcept { retries_.fetch_add(1, std::memory_order_relaxed); }

  /// The failures this pool's connections inject (fault_plan); none unless armed.
  fault_injector& faults() noexcept { return faults_; }

  /// An embedded database (SQLite) admits one writer per file. This
  /// process's write transactions queue here rather than in SQLite's busy
  /// handler, which sleeps in steps of milliseconds; other processes still
  /// meet the busy timeout. Held from BEGIN to COMMIT or ROLLBACK.
  /// @throws error busy_or_deadlock after busy_timeout_ms, as SQLite itself
  ///         would answer a writer of another process.
  TASKSTORE_DECL std::unique_lock<writer_gate> lock_writer();

  TASKSTORE_DECL session_lease borrow();
  /// A session for a read that may lag: the transaction's pinned session
  /// on this thread, else the standby's when it may serve (replica_reads),
  /// else one of this pool's.
  TASKSTORE_DECL session_lease borrow_for_read();
  /// The standby reads() may read from; null when the URL names none.
  replica_reads* replica() const noexcept { return replica_.get(); }
  /// A session of this pool was used: a read from the standby must wait
  /// until it has replayed what this pool has written so far.
  TASKSTORE_DECL void note_write() noexcept;

  /// The channel taskstore's notifications travel on (backend::notify()).
  static constexpr char const* channel = "taskstore";
  /// This database's notifications in this process.
  signal_hub& signals() noexcept { return *signals_; }

  /// Returns a connection (or, with nullptr, the slot of a discarded one).
  TASKSTORE_DECL void release(std::unique_ptr<connection> s) noexcept;
  /// Discards a connection that dropped, and the idle ones with it: they
  /// talk to the same server, so after a restart they are dead too, and each
  /// would fail one more operation before being replaced.
  TASKSTORE_DECL void discard_broken() noexcept;

  /// The connection pinned by a transaction on this thread, if any.
  TASKSTORE_DECL connection* pinned_session() const noexcept;
  bool pinned() const noexcept { return pinned_session() != nullptr; }

  using pin_list = std::vector<std::pair<pool const*, connection*>>;
  TASKSTORE_DECL static pin_list& pins() noexcept;

 private:
  /// A new set-up connection; `first` learns the server's flavor, `listener`
  /// goes where LISTEN must (connection_options::listen_connect_string).
  TASKSTORE_DECL std::unique_ptr<connection> connect(error_category failure, bool first = false, bool listener = false);

  /// Bounded, so that a thread holding a session while it waits for another
  /// of a full pool gets an error rather than hanging.
  [[noreturn]] TASKSTORE_DECL void throw_exhausted() const;

  connection_options options_;
  taskstore::backend const* backend_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<connection>> idle_;
  std::size_t open_ = 0;
  std::atomic<std::size_t> retries_{0};
  writer_gate writer_;
  fault_injector faults_;  // before any connection is made: each points to it
  std::unique_ptr<replica_reads> replica_;
  std::unique_ptr<signal_hub> signals_;  // last: its listener thread uses the members above
};

/// Runs `f()` on a borrowed session: a driver error marks the session broken
/// when its connection dropped and comes out as a taskstore::error. For
/// BEGIN, COMMIT and the like; statements use guarded().
template <class F>
decltype(auto) guarded_control(session_lease& lease, taskstore::backend const& backend, F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (...) {
    try {
      backend.rethrow_translated();
    } catch (error const& e) {
      // By the backend's own code: MariaDB's "Connection was killed" (1927) names no lost connection in words.
      if (e.code() == errc::connection_lost) lease.mark_broken();
      throw;
    }
    throw;  // not reached: rethrow_translated() always throws
  }
}

/// guarded_control() for a statement, which a fault_plan may make fail first.
template <class F>
decltype(auto) guarded(session_lease& lease, taskstore::backend const& backend, F&& f) {
  return guarded_control(lease, backend, [&]() -> decltype(auto) {
    if (auto* faults = lease.conn().faults; faults && faults->armed()) faults->before_statement(lease.get(), backend);
    return std::forward<F>(f)();
  });
}

/// True for errors after which running the whole transaction again may
/// succeed: a busy database, a deadlock, a dropped connection, a reconnect
/// that failed; never a COMMIT of unknown outcome, nor a full pool (it has
/// waited pool_timeout_ms already).
inline bool is_transient(error const& e) noexcept {
  return e.category() == error_category::temporary && e.code() != errc::outcome_unknown &&
         e.code() != errc::pool_exhausted;
}

/// Sleeps before retry `attempt` (1, 2, …): exponential from 5 ms, capped at
/// 250 ms, with jitter so that colliding transactions drift apart.
TASKSTORE_DECL void backoff(std::size_t attempt);

/// Pins a session to this thread for a transaction's duration.
class pin_guard {
 public:
  pin_guard(pool const& p, connection& c) { pool::pins().emplace_back(&p, &c); }
  ~pin_guard() { pool::pins().pop_back(); }
  pin_guard(pin_guard const&) = delete;
  pin_guard& operator=(pin_guard const&) = delete;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/pool.ipp>
#endif
