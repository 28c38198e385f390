// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The pool's side of fault injection (<taskstore/db/fault_injection.hpp>):
// counts each thread's attempts and statements and raises the planned failure.

#include <taskstore/db/backend.hpp>
#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/fault_injection.hpp>
#include <taskstore/detail/config.hpp>

#include <soci/soci.h>

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace taskstore::detail {

/// Makes `s` fail as `kind` would: by the server's own error where it can.
/// @throws the driver's exception (soci::soci_error or a backend's subclass).
[[noreturn]] TASKSTORE_DECL void raise_injected_fault(soci::session& s, backend const& b, fault_kind kind);

class fault_injector {
 public:
  /// Sets or (with nullopt) clears the plan; counts start afresh.
  TASKSTORE_DECL void arm(std::optional<fault_plan> plan);
  /// One load on the hot path: false unless a plan is set.
  bool armed() const noexcept { return armed_.load(std::memory_order_acquire); }

  /// An attempt of a transaction (after its BEGIN), or of a statement outside
  /// one, begins on this thread; `first` for the first attempt.
  TASKSTORE_DECL void begin_attempt(bool first);
  /// The attempt ended (committed, rolled back or returned). Statements
  /// outside attempts (a session borrowed directly) are never failed.
  TASKSTORE_DECL void end_attempt() noexcept;
  /// Before each statement of an attempt: raises the planned failure on `s`
  /// when this is the planned statement of a failing attempt.
  TASKSTORE_DECL void before_statement(soci::session& s, backend const& backend);
  /// After a COMMIT succeeded: true when the plan reports it lost.
  TASKSTORE_DECL bool lose_commit();

  /// begin_attempt() … end_attempt() for a scope.
  class attempt {
   public:
    attempt(fault_injector& f, bool first) : f_(f) { f_.begin_attempt(first); }
    ~attempt() { f_.end_attempt(); }
    attempt(attempt const&) = delete;
    attempt& operator=(attempt const&) = delete;

   private:
    fault_injector& f_;
  };

 private:
  struct thread_state {
    bool in_attempt = false;
    std::size_t statement = 0;  ///< statements of the current attempt so far
    std::size_t failed = 0;     ///< attempts of the current transaction failed so far
  };

  std::atomic<bool> armed_{false};
  std::mutex mutex_;
  fault_plan plan_;
  std::map<std::thread::id, thread_state> threads_;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/fault_injector.ipp>
#endif
