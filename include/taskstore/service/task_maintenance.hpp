// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// task_maintenance: what operators and the system do to tasks, with neither
/// an owner nor a claim: rescue, expiry, retention, storage cleanup.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/retry_backoff.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/service/detail/task_transitions.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// What rescue_expired() did.
struct rescue_report {
  std::size_t requeued = 0;  ///< back to QUEUED, with backoff
  std::size_t failed = 0;    ///< FAILED with retry_limit_exceeded: no attempts left
};

/// A finished task whose stored files are due for deletion (the task API's
/// storage retention), with the prefix to delete under.
struct storage_cleanup_candidate {
  uuid task_id;
  std::int64_t user_id = 0;
  std::string prefix;  ///< `users/{user_id}/tasks/{task_id}/inputs/` or `.../outputs/`
};

/// The task API's retention periods: metadata, input files, output files.
inline constexpr auto task_metadata_retention = std::chrono::days(365);
inline constexpr auto input_files_retention = std::chrono::days(7);
inline constexpr auto output_files_retention = std::chrono::days(30);

/// The operator's and the system's side of the task lifecycle
/// (docs/lifecycle.md): whoever owns a task, without a claim. Every state
/// change runs in one transaction with its STATUS_CHANGE event, as
/// task_service's do. cleanup() and the scheduler run the periodic ones.
/// Thread-safe like its database.
class task_maintenance {
 public:
  /// `backoff` spaces out rescued tasks.
  TASKSTORE_DECL explicit task_maintenance(database const& db, retry_backoff backoff = {});

  /// Tasks whose lease expired before `cutoff` (default: now; their worker
  /// died or hung) return to QUEUED with backoff from now, or become
  /// FAILED with error_code `retry_limit_exceeded` when their attempts are
  /// used up; each in its own transaction with its STATUS_CHANGE event. A
  /// worker that renews or finishes at the same moment wins or loses cleanly
  /// (version check).
  TASKSTORE_DECL rescue_report rescue_expired(std::optional<timestamp> cutoff = {});

  /// An operator puts a task back in the queue, claimable now, without
  /// spending an attempt: a PROCESSING task (its lease is revoked, so its
  /// worker's next heartbeat finds the lease lost) or a QUEUED task waiting
  /// for its run_after. Whoever owns it; a soft-deleted task is missing.
  /// @throws error not_found; invalid_transition for any other status (nothing changes).
  TASKSTORE_DECL task requeue(uuid const& id);

  /// The system (not a worker) fails a PROCESSING task, e.g. billing with
  /// BILLING_INSUFFICIENT_CREDITS; no claim is needed.
  /// @throws error not_found; invalid_transition when the task is not PROCESSING.
  TASKSTORE_DECL task fail_by_system(uuid const& id, std::string const& error_code, std::string const& message);

  /// Expires CREATED tasks created before `cutoff` (default: 15 minutes ago),
  /// each with its event. @returns how many.
  TASKSTORE_DECL std::size_t expire_before(std::optional<timestamp> cutoff = {});

  /// The 1-year retention of task metadata: soft-deletes every task created before
  /// `cutoff` (default: a year ago), whatever its status. @returns how many.
  TASKSTORE_DECL std::size_t soft_delete_before(std::optional<timestamp> cutoff = {});

  /// COMPLETED tasks whose input files are due (completed before `cutoff`,
  /// default 7 days ago, not yet cleaned), oldest completion first.
  TASKSTORE_DECL std::vector<storage_cleanup_candidate> inputs_to_clean(std::optional<timestamp> cutoff = {},
                                                                        std::size_t limit = 1000) const;
  /// COMPLETED tasks whose output files are due (the task API's S3 cleanup query:
  /// completed before `cutoff`, default 30 days ago, `s3_cleaned` false).
  TASKSTORE_DECL std::vector<storage_cleanup_candidate> outputs_to_clean(std::optional<timestamp> cutoff = {},
                                                                         std::size_t limit = 1000) const;
  /// Records that the tasks' input files were deleted. @returns how many changed.
  std::size_t mark_inputs_cleaned(std::vector<uuid> const& ids) { return mark_cleaned(&task::inputs_cleaned, ids); }
  /// Records that the tasks' output files were deleted (`s3_cleaned`); their
  /// downloads are no longer available. @returns how many changed.
  std::size_t mark_outputs_cleaned(std::vector<uuid> const& ids) { return mark_cleaned(&task::s3_cleaned, ids); }

 private:
  /// Returns an expired task to QUEUED with backoff, or FAILED on its last
  /// attempt, with its event. @throws error conflict when it changed since `t` was read.
  TASKSTORE_DECL task_status rescue(task const& seen);

  TASKSTORE_DECL std::vector<storage_cleanup_candidate> cleanup_candidates(
      bool task::*flag, timestamp before, std::size_t limit, std::string (*prefix)(std::int64_t, uuid const&)) const;
  TASKSTORE_DECL std::size_t mark_cleaned(bool task::*flag, std::vector<uuid> const& ids);

  detail::task_transitions life_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/task_maintenance.ipp>
#endif
