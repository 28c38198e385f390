// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// What a worker's handler is given for one claimed task (task_context), and
/// what a handler is (task_handler).

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/service/task_claims.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

namespace taskstore {

namespace detail {
struct worker_state;
}  // namespace detail

/// Why a handler's stop token fired.
enum class stop_reason {
  none,        ///< it has not fired
  cancelled,   ///< the task's owner cancelled it
  lease_lost,  ///< the worker no longer holds the task (e.g. it was rescued after its lease expired)
  shutdown,    ///< worker::stop()'s grace period ended; the task went back to the queue
};

/// The stable name of a stop reason.
constexpr std::string_view to_string(stop_reason why) noexcept {
  switch (why) {
    case stop_reason::none: return "none";
    case stop_reason::cancelled: return "cancelled";
    case stop_reason::lease_lost: return "lease_lost";
    case stop_reason::shutdown: return "shutdown";
  }
  return "unknown";
}

/// One claimed task as its handler sees it, on the handler's thread. The
/// worker renews the claim's lease while the handler runs; when the task is
/// cancelled, its lease is lost, or stop()'s grace period ends, the stop token
/// fires and whatever the handler then returns or throws is discarded. The
/// runtime never interrupts a handler: one that ignores its token runs on.
class task_context {
 public:
  task_context(task_context const&) = delete;
  task_context& operator=(task_context const&) = delete;

  /// The task as claimed: PROCESSING, its attempt counting this run.
  task const& current() const noexcept { return task_; }
  /// The worker that holds the task.
  std::string const& worker_id() const noexcept { return worker_id_; }

  /// Fires when the handler should give up (why_stopped() says why).
  std::stop_token stop_token() const noexcept { return stop_.get_token(); }
  /// Why the stop token fired; stop_reason::none while it has not.
  stop_reason why_stopped() const noexcept { return reason_.load(); }

  /// Records progress (0–100, rising) and the current agent under the claim
  /// (task_claims::report_progress()).
  /// @throws error conflict when the worker no longer holds the task;
  ///         validation_failed as report_progress() does. Nothing changes then.
  TASKSTORE_DECL void progress(std::int32_t percent, std::optional<std::string> const& agent = {});

  /// Appends a LOG event of `level` to the task's event log, in one
  /// transaction that checks the worker still holds the task.
  /// @throws error conflict when it does not (nothing is appended).
  TASKSTORE_DECL void event(log_level level, std::string const& text);

 private:
  friend struct detail::worker_state;

  /// Where a claim stands in the worker; the worker's threads read and write it under `mutex_`.
  enum class phase {
    pending,    ///< claimed, waiting for a slot
    running,    ///< its handler runs
    reporting,  ///< its handler returned; the outcome is being recorded
    released,   ///< stop() gave it back; any outcome is discarded
  };

  TASKSTORE_DECL task_context(task_claims& tasks, database const& db, task_claim claim);

  /// The claim as it stands (heartbeats move its expiry).
  TASKSTORE_DECL task_claim claim() const;

  task_claims* tasks_;
  database db_;
  std::string const worker_id_;
  mutable std::mutex mutex_;
  task_claim claim_;              // guarded by mutex_
  phase phase_ = phase::pending;  // guarded by mutex_
  task const task_;
  std::stop_source stop_;
  std::atomic<stop_reason> reason_{stop_reason::none};  // set once, under mutex_, before stop_ fires
};

/// A worker's handler for one tool's tasks: returns the result that completes
/// the task, or throws (permanent_failure, snooze, or anything else to retry;
/// see <taskstore/worker/errors.hpp>).
using task_handler = std::function<task_result(task_context&)>;

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/worker/impl/task_context.ipp>
#endif
