// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The worker's threads and what they share: worker's implementation.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/worker/task_context.hpp>
#include <taskstore/worker/worker_options.hpp>

#include <boost/json/value.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace taskstore::detail {

/// A handler's outcome, as the worker records it.
struct task_outcome {
  enum class kind { complete, fail, retry, snooze };
  kind what = kind::complete;
  task_result result{};
  std::string error_code{};
  std::string message{};
  std::optional<boost::json::value> context{};
  std::chrono::seconds delay{};
};

/// `host:pid:random`, a worker id unlikely to be taken.
TASKSTORE_DECL std::string default_worker_id();

/// The options as the worker runs with them: a worker id filled in.
/// @throws error validation_failed naming the field that does not fit.
TASKSTORE_DECL worker_options checked(worker_options options);

/// A worker's threads: one claims, one renews leases, `slots` run handlers.
/// Lock order: `mutex`, then a task_context's; neither is held across a
/// database call or a handler.
struct worker_state {
  TASKSTORE_DECL worker_state(database const& db, worker_options options);

  /// Starts the threads unless running. Callers hold `control`.
  TASKSTORE_DECL void start();
  /// worker::stop(). Callers hold `control`.
  TASKSTORE_DECL void stop(std::chrono::milliseconds grace);
  TASKSTORE_DECL worker_stats stats() const;

  /// A database notification: wakes the claimer for a task of a handled
  /// tool, the heartbeat for a held task that was cancelled.
  TASKSTORE_DECL void on_signal(std::string_view payload) noexcept;

  TASKSTORE_DECL void claim_loop() noexcept;
  TASKSTORE_DECL void slot_loop() noexcept;
  TASKSTORE_DECL void heartbeat_loop() noexcept;

  TASKSTORE_DECL void record_loop() noexcept;

  /// Whether the claimer has room to claim. Tasks whose results the recorder
  /// is writing do not count: the next claim overlaps their commit (up to a
  /// capacity's worth of them). With tasks prefetched and waiting, a claim
  /// waits until it can take a batch worth its transaction: half the prefetch
  /// at least. Callers hold `mutex`, and wake the claimer only when this holds
  /// (a wake-up that finds no room costs a context switch per task).
  TASKSTORE_DECL bool claim_due() const noexcept;
  /// claim_due(), or the claimer waits for the tasks in hand to leave and
  /// they have. Callers hold `mutex`.
  TASKSTORE_DECL bool claimer_due() const noexcept;

  /// Runs the task's handler and records its outcome unless its token fired:
  /// a failure, retry or snooze at once; a result by handing it to the
  /// recorder. @returns whether it handed a result over (the task then stays
  /// held, in its reporting phase, until the recorder has written it).
  TASKSTORE_DECL bool run(std::shared_ptr<task_context> const& ctx);
  /// Records an outcome under `claim`; a conflict is counted, not thrown.
  TASKSTORE_DECL void record(task_claim const& claim, task_outcome outcome) noexcept;
  /// A result handed to the recorder.
  struct finished_task {
    std::shared_ptr<task_context> ctx;
    task_claim claim;
    task_result result;
  };
  /// Writes `batch` in one complete_batch(); one by one when that fails
  /// (a lost lease, an outcome that cannot be stored) so each meets its own fate.
  TASKSTORE_DECL void commit_results(std::span<finished_task const> batch) noexcept;
  /// Renews the task's lease, or fires its token when the lease is gone.
  TASKSTORE_DECL void beat(task_context& ctx) noexcept;
  /// Gives a task back (stop()): QUEUED, claimable at once, the attempt not spent.
  TASKSTORE_DECL void give_back(task_context& ctx) noexcept;
  /// Sets the task's stop reason unless one is set. Callers hold `ctx.mutex_`
  /// and fire `ctx.stop_` after unlocking: a stop callback may call back into `ctx`.
  TASKSTORE_DECL static bool mark_stopped(task_context& ctx, stop_reason why) noexcept;

  // Fixed while running.
  database db;
  worker_options options;
  task_claims tasks;
  std::map<std::string, task_handler, std::less<>> handlers;
  claim_filter filter;

  std::mutex control;    // start() and stop() one at a time
  bool running = false;  // guarded by control and mutex (written under both)

  std::mutex mutex;
  std::condition_variable claimer_wakeup;  // a slot is free, wake(), or stop
  std::condition_variable slot_wakeup;     // a claim waits for a slot, or stop
  std::condition_variable heartbeat_wakeup;
  std::condition_variable changed;                    // a task left the worker, an idle claim, or stop
  std::deque<std::shared_ptr<task_context>> pending;  // claimed, no slot yet
  std::vector<std::shared_ptr<task_context>> held;    // every task in hand: pending, running, reporting
  std::size_t recording = 0;                          // held tasks whose result the recorder has, not yet written
  bool claiming = false;
  bool stopping = false;  // slots and heartbeats end
  bool woken = false;
  bool recheck_when_empty = false;   // the last claim found nothing while tasks were held
  std::vector<uuid> to_check;        // held tasks a notification says were cancelled: beat them now
  std::uint64_t idle_claims = 0;     // claims that found nothing while nothing was held
  std::exception_ptr claim_failure;  // the first claim that failed for a reason other than a temporary one

  // Results go to the recorder thread, which writes all that have come in
  // since its last commit in one transaction: slots go on to their next task
  // meanwhile, so results pile up while a commit runs and batches grow with
  // the load.
  std::mutex results_mutex;  // never held with `mutex` or a context's
  std::condition_variable results_ready;
  std::vector<finished_task> results;  // handed in, not yet taken by a commit
  bool recorder_stopping = false;      // guarded by results_mutex
  std::atomic<std::size_t> busy{0};    // handlers running

  database::subscription signals;  // while running, with wakeup_mode::push
  std::thread claimer;
  std::thread heartbeater;
  std::thread recorder;
  std::vector<std::thread> slots;

  struct counters {
    std::atomic<std::size_t> claimed{0}, completed{0}, failed{0}, retried{0}, snoozed{0}, released{0}, cancelled{0},
        leases_lost{0}, discarded{0}, conflicts{0}, errors{0}, taken{0};
  } count;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/worker/detail/impl/worker_state.ipp>
#endif
