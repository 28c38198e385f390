// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/backends.hpp>
#include <taskstore/db/detail/statement_cache.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/error.hpp>

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace taskstore::detail {

/// Runs taskstore's per-connection set-up on a new (or replaced) session.
inline void set_up_session(soci::session& s, connection_options const& o) {
  switch (o.backend) {
    case backend_kind::sqlite: {
      enable_sqlite_extended_codes(s);
      s << "PRAGMA foreign_keys = ON";
      s << "PRAGMA case_sensitive_like = ON";
      s << "PRAGMA busy_timeout = " + std::to_string(o.busy_timeout.count());
      if (!o.in_memory) {
        std::string mode;
        s << "PRAGMA journal_mode = WAL", soci::into(mode);
        static constexpr char const* sync[] = {"OFF", "NORMAL", "FULL", "EXTRA"};
        s << std::string("PRAGMA synchronous = ") + sync[static_cast<int>(o.synchronous)];
      }
      break;
    }
    case backend_kind::postgresql:
      s << "SET TIME ZONE 'UTC'";
      s << "SET DateStyle = 'ISO, YMD'";
      s << "SET client_encoding = 'UTF8'";
      s << "SET client_min_messages = WARNING";
      s << "SET lock_timeout = " + std::to_string(o.busy_timeout.count());
      break;
    case backend_kind::mysql:
      s << "SET time_zone = '+00:00'";
      s << "SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin";
      s << "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
           "NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'";
      s << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
      s << "SET SESSION innodb_lock_wait_timeout = " +
               std::to_string(std::max<long long>(1, o.busy_timeout.count() / 1000));
      break;
  }
}

class pool;

/// A pooled connection: a set-up session and its prepared statements.
struct connection {
  std::unique_ptr<soci::session> session;
  statement_cache cache;  // declared after the session: destroyed first
  bool broken = false;    ///< its connection dropped: discard, never reuse
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
  ~session_lease();

  connection& conn() const noexcept { return pinned_ ? *pinned_ : *owned_; }
  soci::session& get() const noexcept { return *conn().session; }
  soci::session* operator->() const noexcept { return &get(); }
  statement_cache& cache() const noexcept { return conn().cache; }
  /// True when this lease is a transaction's pinned session.
  bool pinned() const noexcept { return pinned_ != nullptr; }

  /// Discard the session instead of returning it (a transaction's pinned
  /// session too, when the transaction ends).
  void mark_broken() noexcept { conn().broken = true; }
  /// Marks the session broken when the exception in flight says the connection
  /// dropped. Call from a catch block.
  void mark_if_broken() noexcept;

 private:
  pool* owner_ = nullptr;
  std::unique_ptr<connection> owned_;
  connection* pinned_ = nullptr;
};

/// A lock with a bounded wait, for SQLite's one writer. Not std::timed_mutex:
/// its try_lock_for takes pthread_mutex_clocklock, which ThreadSanitizer (GCC
/// 12) does not intercept, so it would report every unlock as of an unlocked
/// mutex.
class writer_gate {
 public:
  bool try_lock_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    if (held_ && !free_.wait_for(lock, timeout, [&] { return !held_; })) return false;
    held_ = true;
    return true;
  }
  void unlock() noexcept {
    {
      std::lock_guard lock(mutex_);
      held_ = false;
    }
    free_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable free_;
  bool held_ = false;
};

/// The sessions of one database: created on demand up to pool_size, reused,
/// replaced (with the set-up run again) when broken.
class pool {
 public:
  explicit pool(connection_options options) : options_(std::move(options)) {
    backend_factory(options_.backend);                         // bad_config now if the backend is not built in
    idle_.push_back(connect(error_category::admin_required));  // fail now, not at first use
    ++open_;
  }

  connection_options const& options() const noexcept { return options_; }

  /// How often a transaction or statement was run again after a transient error.
  std::size_t retries() const noexcept { return retries_.load(std::memory_order_relaxed); }
  void count_retry() noexcept { retries_.fetch_add(1, std::memory_order_relaxed); }

  /// SQLite admits one writer per database file. This process's write
  /// transactions queue here rather than in SQLite's busy handler, which
  /// sleeps in steps of milliseconds; other processes still meet the busy
  /// timeout. Held from BEGIN IMMEDIATE to COMMIT or ROLLBACK.
  /// @throws error busy_or_deadlock after busy_timeout_ms, as SQLite itself
  ///         would answer a writer of another process.
  std::unique_lock<writer_gate> lock_sqlite_writer() {
    if (!sqlite_writer_.try_lock_for(options_.busy_timeout))
      throw error(errc::busy_or_deadlock, error_category::temporary,
                  "another transaction of this process held the SQLite write lock of " + options_.redacted_url +
                      " for " + std::to_string(options_.busy_timeout.count()) + " ms (busy_timeout_ms)");
    return std::unique_lock(sqlite_writer_, std::adopt_lock);
  }

  session_lease borrow() {
    if (auto* pinned = pinned_session()) return session_lease(pinned);
    std::unique_lock lock(mutex_);
    auto const ready = [&] { return !idle_.empty() || open_ < options_.pool_size; };
    if (!ready() && !available_.wait_for(lock, options_.pool_timeout, ready)) throw_exhausted();
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return session_lease(this, std::move(s));
    }
    ++open_;
    lock.unlock();
    try {
      // Reachable once: failing now is an outage (a restart, a network blip) that may pass.
      return session_lease(this, connect(error_category::temporary));
    } catch (...) {
      release(nullptr);
      throw;
    }
  }

  /// Returns a connection (or, with nullptr, the slot of a discarded one).
  void release(std::unique_ptr<connection> s) noexcept {
    {
      std::lock_guard lock(mutex_);
      if (s)
        idle_.push_back(std::move(s));
      else
        --open_;
    }
    available_.notify_one();
  }
  /// Discards a connection that dropped, and the idle ones with it: they
  /// talk to the same server, so after a restart they are dead too, and each
  /// would fail one more operation before being replaced.
  void discard_broken() noexcept {
    std::vector<std::unique_ptr<connection>> dead;
    {
      std::lock_guard lock(mutex_);
      --open_;
      open_ -= idle_.size();
      dead.swap(idle_);
    }
    available_.notify_all();
  }

  /// The connection pinned by a transaction on this thread, if any.
  connection* pinned_session() const noexcept {
    for (auto const& [p, s] : pins())
      if (p == this) return s;
    return nullptr;
  }
  bool pinned() const noexcept { return pinned_session() != nullptr; }

  using pin_list = std::vector<std::pair<pool const*, connection*>>;
  static pin_list& pins() noexcept {
    thread_local pin_list list;
    return list;
  }

 private:
  std::unique_ptr<connection> connect(error_category failure) {
    try {
      auto c = std::make_unique<connection>();
      c->session = std::make_unique<soci::session>(backend_factory(options_.backend), options_.connect_string);
      set_up_session(*c->session, options_);
      return c;
    } catch (error const&) {
      throw;
    } catch (...) {
      try {
        rethrow_translated(options_.backend);
      } catch (error const& e) {
        throw error(errc::connection_failed, failure, "cannot connect to " + options_.redacted_url + ": " + e.what());
      }
    }
  }

  /// Bounded, so that a thread holding a session while it waits for another
  /// of a full pool gets an error rather than hanging.
  [[noreturn]] void throw_exhausted() const {
    throw error(errc::pool_exhausted, error_category::temporary,
                "all " + std::to_string(options_.pool_size) + " sessions of " + options_.redacted_url +
                    " stayed in use for " + std::to_string(options_.pool_timeout.count()) +
                    " ms (pool_timeout_ms): raise pool_size, or shorten what holds them");
  }

  connection_options options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<connection>> idle_;
  std::size_t open_ = 0;
  std::atomic<std::size_t> retries_{0};
  writer_gate sqlite_writer_;
};

/// Runs `f()` on a borrowed session: a driver error marks the session broken
/// when its connection dropped and comes out as a taskstore::error.
template <class F>
decltype(auto) guarded(session_lease& lease, backend_kind backend, F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (...) {
    lease.mark_if_broken();
    rethrow_translated(backend);
  }
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
inline void backoff(std::size_t attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  auto const base = std::min<long long>(250, 5LL << std::min<std::size_t>(attempt - 1, 6));
  std::uniform_int_distribution<long long> jitter(base / 2, base + base / 2);
  std::this_thread::sleep_for(std::chrono::milliseconds{jitter(rng)});
}

/// Pins a session to this thread for a transaction's duration.
class pin_guard {
 public:
  pin_guard(pool const& p, connection& c) { pool::pins().emplace_back(&p, &c); }
  ~pin_guard() { pool::pins().pop_back(); }
  pin_guard(pin_guard const&) = delete;
  pin_guard& operator=(pin_guard const&) = delete;
};

inline session_lease::~session_lease() {
  if (!owner_) return;
  // An in-memory SQLite database lives only in its one connection: never drop it.
  if (owned_->broken && !owner_->options().in_memory) {
    owned_.reset();
    owner_->discard_broken();
  } else {
    owner_->release(std::move(owned_));
  }
}

inline void session_lease::mark_if_broken() noexcept {
  try {
    throw;
  } catch (error const& e) {
    if (e.code() == errc::connection_lost) mark_broken();
  } catch (soci::soci_error const& e) {
    if (is_lost_connection_message(e.get_error_message())) mark_broken();
  } catch (...) {
  }
}

}  // namespace taskstore::detail
