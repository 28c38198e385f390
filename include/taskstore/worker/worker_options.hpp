// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// How a worker runs (worker_options) and what it has done (worker_stats).

#include <taskstore/domain/retry_backoff.hpp>

#include <chrono>
#include <cstddef>
#include <string>

namespace taskstore {

/// How a worker hears of work between polls.
enum class wakeup_mode {
  /// It subscribes to the database's notifications (database::subscribe()):
  /// a task queued, released or retried with no delay, or a held task
  /// cancelled, through this process's database handles at once, and
  /// through other processes' on PostgreSQL (LISTEN, unless the URL says
  /// listen=off). It still polls: other backends' processes and delayed
  /// tasks announce nothing.
  push,
  /// It only polls, and sees a cancellation at its next heartbeat.
  poll,
};

/// How a worker claims, renews and stops. worker's constructor checks them.
struct worker_options {
  /// Names the worker in its claims (`locked_by`, at most 100 characters); empty: `host:pid:random`.
  std::string worker_id{};
  /// How many handlers run at once, each on its own thread (1 to 1024).
  std::size_t slots = 4;
  /// Tasks claimed beyond the free slots (0 to 1024), waiting in the worker
  /// for a slot; heartbeats keep their leases, stop() gives them back at
  /// once. Claims then come in larger batches, which pays for short tasks;
  /// for long ones keep 0: a prefetched task waits behind running ones while
  /// another worker may be idle.
  std::size_t prefetch = 0;
  /// Each claim's lease (at least 1 s); heartbeats renew it while its handler runs.
  std::chrono::seconds lease{60};
  /// Heartbeats run every lease × this (more than 0, less than 1). They also
  /// notice a cancelled or lost task: its handler's stop token fires within
  /// one heartbeat interval.
  double heartbeat_fraction = 1.0 / 3;
  /// Adaptive polling: after a claim that finds nothing the worker waits
  /// poll_min, doubling up to poll_max; a claim that finds work resets it.
  std::chrono::milliseconds poll_min{50};
  std::chrono::milliseconds poll_max{1000};
  /// Whether notifications wake it between polls.
  wakeup_mode wakeup = wakeup_mode::push;
  /// How long stop() without an argument, and the destructor, let running
  /// handlers finish before their tasks go back to the queue.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(30)};
  /// Spaces out the retries of attempts whose handler threw.
  retry_backoff backoff{};
};

/// What a worker has done since it was constructed; each count only rises.
struct worker_stats {
  std::size_t claimed = 0;      ///< tasks claimed
  std::size_t completed = 0;    ///< results recorded: COMPLETED
  std::size_t failed = 0;       ///< permanent failures recorded: FAILED
  std::size_t retried = 0;      ///< other exceptions recorded: QUEUED with backoff, or FAILED on the last attempt
  std::size_t snoozed = 0;      ///< snoozes recorded: QUEUED after the delay, the attempt not spent
  std::size_t released = 0;     ///< given back by stop(), not started or past the grace period, attempt not spent
  std::size_t cancelled = 0;    ///< stop tokens fired because the owner cancelled the task
  std::size_t leases_lost = 0;  ///< stop tokens fired because the worker no longer held the task
  std::size_t discarded = 0;    ///< outcomes dropped because the handler's stop token had fired
  std::size_t conflicts = 0;    ///< outcomes the database refused: the lease was lost before a heartbeat saw it
  std::size_t errors = 0;  ///< claims, heartbeats and records that failed otherwise (tried again, or left to rescue)
};

}  // namespace taskstore
