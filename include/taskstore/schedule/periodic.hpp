// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Periodic tasks: a schedule creates and queues one task per period, once
/// across every process, enforced by the unique key of `task_periodic_runs`
/// on (schedule id, period start).

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/types/timestamp.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace taskstore {

/// "Every `every`, a task like `task`." Periods are aligned to the Unix epoch
/// in UTC: with `every` = 15 min they start at :00, :15, :30 and :45.
///
/// Catch-up rule: only the period in progress is ever created. After
/// downtime the missed periods are skipped, and the current one is created
/// at the first look, unless more than `max_delay` of it has passed (then it
/// is skipped too, and the next one is created when it starts).
struct periodic_schedule {
  /// Names the schedule in `task_periodic_runs` (1 to 100 characters); every
  /// process running the schedule uses the same id.
  std::string id{};
  /// The period (at least 1 s, whole seconds).
  std::chrono::seconds every{};
  /// The task each period creates and queues. No idempotency key: the
  /// schedule's unique key already makes the creation once per period.
  new_task task{};
  /// How late in its period a period is still created; nullopt: until it ends.
  std::optional<std::chrono::seconds> max_delay{};
};

/// The start of the period of `s` that contains `at`.
TASKSTORE_DECL timestamp period_start(periodic_schedule const& s, timestamp at);

/// Checks a schedule as create_periodic() would, changing nothing.
/// @throws error validation_failed naming the field (id, every, max_delay,
///         task.idempotency_key, and the task's tool_id, agents, max_attempts).
TASKSTORE_DECL void check_periodic_schedule(periodic_schedule const& s);

/// Creates and queues the task of the period containing `now`, in one
/// transaction with its `task_periodic_runs` row, unless that row exists
/// (another process, or an earlier call, created it) or the period is past
/// `max_delay`.
/// @returns the task created, or nullopt.
/// @throws error validation_failed for a bad schedule, or as
///         task_service::create() does; nothing is stored then.
TASKSTORE_DECL std::optional<task> create_periodic(database const& db, periodic_schedule const& s,
                                                   timestamp now = timestamp::now());

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/schedule/impl/periodic.ipp>
#endif
