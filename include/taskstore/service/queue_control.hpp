// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// queue_control: pause and resume a tool's queue, and limit how many tasks
/// are PROCESSING at once per tool and per user, from any process.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/task_queue.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// One tool's queue as `taskstore queue stats` shows it.
struct queue_stats {
  std::string tool_id;
  bool paused = false;
  std::optional<std::int32_t> max_processing;  ///< nullopt: no limit
  std::int64_t queued = 0;                     ///< QUEUED and not deleted (delayed ones too)
  std::int64_t processing = 0;
  std::optional<std::chrono::seconds> oldest_queued_age;  ///< of the oldest QUEUED task; nullopt when none
};

/// The owner's and operator's control of the queues (docs/usage.md, Queue
/// control). Settings live in the database, so every process's claims obey
/// them: task_claims::claim_next(), claim_batch() and start_processing() skip
/// or refuse a paused tool's tasks and never let more than a limit's number of
/// tasks of its key be PROCESSING at commit, on every backend and across hosts.
///
/// When a change takes effect: a claim reads the settings once, at the start
/// of its transaction. A claim that began before pause() or a new limit
/// committed may still take tasks under the old settings; every claim that
/// begins after the call returned obeys the new ones. Lowering a limit below
/// the tasks PROCESSING evicts none: claims admit nothing more until fewer
/// are left. Thread-safe like its database.
class queue_control {
 public:
  TASKSTORE_DECL explicit queue_control(database const& db);

  /// Claims stop taking `tool_id`'s tasks (see the class comment for when).
  /// Pausing a paused tool keeps its first paused_at.
  /// @throws error validation_failed for a tool id check_tool_id() refuses; nothing changes.
  TASKSTORE_DECL void pause(std::string const& tool_id);
  /// Claims take `tool_id`'s tasks again. @throws error as pause().
  TASKSTORE_DECL void resume(std::string const& tool_id);
  /// At most `max_processing` tasks of `tool_id` PROCESSING at once; nullopt
  /// removes the limit (0 admits none, unlike a pause it still lets tasks be
  /// counted as limited).
  /// @throws error validation_failed for a negative limit (field `max_processing`) or a bad tool id; nothing changes.
  TASKSTORE_DECL void set_limit(std::string const& tool_id, std::optional<std::int32_t> max_processing);
  /// At most `max_processing` PROCESSING tasks of the user, over all tools, in
  /// place of the default; nullopt removes the user's own limit.
  /// @throws error validation_failed for a negative limit; foreign_key_violation when no such user; nothing changes.
  TASKSTORE_DECL void set_user_limit(std::int64_t user_id, std::optional<std::int32_t> max_processing);
  /// The limit of every user without an own one; nullopt: none.
  /// @throws error validation_failed for a negative limit; nothing changes.
  TASKSTORE_DECL void set_default_user_limit(std::optional<std::int32_t> max_processing);

  /// The tools with settings (paused or limited), by tool id.
  TASKSTORE_DECL std::vector<task_queue> settings() const;
  /// The users' own limits, by user id.
  TASKSTORE_DECL std::vector<task_user_limit> user_limits() const;
  TASKSTORE_DECL std::optional<std::int32_t> default_user_limit() const;
  /// Counts and settings of the tools named, or with none named, of every
  /// tool with settings or with QUEUED or PROCESSING tasks; by tool id. A few
  /// indexed reads per tool, counted through database::reads() (from a
  /// standby where the URL names one).
  /// @throws error validation_failed for a bad tool id.
  TASKSTORE_DECL std::vector<queue_stats> stats(std::vector<std::string> const& tool_ids = {}) const;

 private:
  TASKSTORE_DECL void change(std::string const& tool_id, bool set_pause, bool pause,
                             std::optional<std::optional<std::int32_t>> limit);

  database db_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/queue_control.ipp>
#endif
