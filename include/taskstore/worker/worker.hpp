// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The worker runtime: handlers per tool, run on claimed tasks with their
/// leases renewed, their outcomes recorded, and a graceful stop.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/worker/errors.hpp>
#include <taskstore/worker/task_context.hpp>
#include <taskstore/worker/worker_options.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace taskstore {

namespace detail {
struct worker_state;
}  // namespace detail

/// Runs a handler per `tool_id` on the tasks it claims (task_claims
/// underneath): up to `slots` at once, each on its own thread. It claims as
/// many tasks as it has free slots (plus worker_options::prefetch), only of
/// the tools it handles, when a notification says a task is claimable
/// (worker_options::wakeup) and by polling with an adaptive interval; a
/// heartbeat thread renews every held lease. Results that slots hand in at
/// the same time are committed together, in one transaction.
/// A handler's outcome is recorded under its claim:
///
/// - a returned task_result completes the task;
/// - permanent_failure fails it (no retry);
/// - attempt_failure fails the attempt with its own error code: QUEUED with
///   backoff while attempts remain, else FAILED;
/// - snooze gives it back for the delay without spending its attempt;
/// - any other exception fails the attempt: QUEUED with backoff while
///   attempts remain, else FAILED (error code `handler_error`).
///
/// When a heartbeat finds the task cancelled or no longer held (at once for a
/// cancel that a notification announces), the handler's
/// stop token fires and its outcome is discarded; an outcome the database
/// refuses because the lease was lost meanwhile is counted (worker_stats),
/// not thrown. Thread-safe: stop() may be called from any thread.
class worker {
 public:
  /// A stopped worker on `db`.
  /// @throws error validation_failed naming the option (field) that does not fit.
  TASKSTORE_DECL explicit worker(database const& db, worker_options options = {});
  /// stop() with the default grace.
  TASKSTORE_DECL ~worker();
  worker(worker const&) = delete;
  worker& operator=(worker const&) = delete;

  /// Runs `handler` for the tasks of `tool_id` (replacing a previous one),
  /// on as many slots at once as there are tasks: it must be safe to call concurrently.
  /// @throws error validation_failed for an invalid tool id; invalid_transition while the worker runs.
  TASKSTORE_DECL void handle(std::string const& tool_id, task_handler handler);

  /// Starts claiming, on threads of its own; does nothing when running.
  /// @throws error invalid_transition when no handler is registered.
  TASKSTORE_DECL void start();

  /// Stops claiming at once and gives back the claimed tasks no handler has
  /// started; lets running handlers finish until `grace` (default: the
  /// options' shutdown_grace) has passed; then fires the remaining handlers'
  /// stop tokens (stop_reason::shutdown) and gives their tasks back, their
  /// attempts not spent, discarding what those handlers return; then joins
  /// the worker's threads, which waits for every handler to return. Leaves
  /// no task of this worker PROCESSING unless the database refused. Does
  /// nothing when stopped. The worker may be started again. Never call it
  /// from a handler: it waits for the handlers to return.
  TASKSTORE_DECL void stop(std::optional<std::chrono::milliseconds> grace = {});

  /// Starts the worker, waits until a claim finds nothing while no handler
  /// runs (or stop() is called), and stops it. For tests and batch runs.
  /// That claim comes as soon as the last task in hand has been written, not
  /// after a poll interval.
  /// @returns how many claimed tasks it took in hand (ran, or found stopped first).
  /// @throws error invalid_transition when running, or as start(); the
  ///         error of a claim that failed otherwise than temporarily (e.g.
  ///         schema_mismatch), after stopping.
  TASKSTORE_DECL std::size_t run_until_idle();

  /// Claims at once rather than at the next poll: for a process that has just
  /// queued a task its own worker handles.
  TASKSTORE_DECL void wake();

  /// True between start() and stop().
  TASKSTORE_DECL bool running() const;
  /// The worker id its claims carry.
  TASKSTORE_DECL std::string const& id() const noexcept;
  /// What it has done so far.
  TASKSTORE_DECL worker_stats stats() const;

 private:
  std::unique_ptr<detail::worker_state> state_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/worker/impl/worker.ipp>
#endif
