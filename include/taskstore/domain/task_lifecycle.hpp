// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The task state machine (docs/lifecycle.md), pure: no database.
///
/// @code{.unparsed}
///   CREATED       -> UPLOADING | QUEUED | EXPIRED
///   UPLOADING     -> QUEUED | UPLOAD_FAILED | EXPIRED
///   UPLOAD_FAILED -> UPLOADING | PROCESSING | EXPIRED
///   QUEUED        -> PROCESSING | CANCELLED
///   PROCESSING    -> COMPLETED | FAILED | CANCELLED | QUEUED (retry or rescued lease)
///   FAILED        -> QUEUED (explicit retry while attempt < max_attempts)
/// @endcode

#include <taskstore/detail/config.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/error.hpp>

#include <cstdint>
#include <string>

namespace taskstore {

/// Whether the lifecycle allows `from` → `to`.
constexpr bool can_transition(task_status from, task_status to) noexcept {
  using enum task_status;
  switch (from) {
    case CREATED: return to == UPLOADING || to == QUEUED || to == EXPIRED;
    case UPLOADING: return to == QUEUED || to == UPLOAD_FAILED || to == EXPIRED;
    case UPLOAD_FAILED: return to == UPLOADING || to == PROCESSING || to == EXPIRED;
    case QUEUED: return to == PROCESSING || to == CANCELLED;
    case PROCESSING: return to == COMPLETED || to == FAILED || to == CANCELLED || to == QUEUED;
    case FAILED: return to == QUEUED;
    case COMPLETED:
    case CANCELLED:
    case EXPIRED: return false;
  }
  return false;
}

/// COMPLETED, FAILED, CANCELLED, EXPIRED. FAILED is terminal for
/// workers; only an explicit retry revives it.
constexpr bool is_terminal(task_status s) noexcept {
  using enum task_status;
  return s == COMPLETED || s == FAILED || s == CANCELLED || s == EXPIRED;
}
/// A worker may start QUEUED and UPLOAD_FAILED tasks.
constexpr bool can_process(task_status s) noexcept {
  return s == task_status::QUEUED || s == task_status::UPLOAD_FAILED;
}
/// PROCESSING and QUEUED tasks can be cancelled; abandoned
/// CREATED/UPLOADING/UPLOAD_FAILED tasks expire instead.
constexpr bool can_cancel(task_status s) noexcept { return s == task_status::PROCESSING || s == task_status::QUEUED; }

/// `users/{user_id}/tasks/{task_id}/`: where a task's files live in object storage.
TASKSTORE_DECL std::string storage_prefix(std::int64_t user_id, uuid const& task_id);
TASKSTORE_DECL std::string inputs_prefix(std::int64_t user_id, uuid const& task_id);
TASKSTORE_DECL std::string outputs_prefix(std::int64_t user_id, uuid const& task_id);
TASKSTORE_DECL std::string parameters_key(std::int64_t user_id, uuid const& task_id);

/// Moves `t` to `to` at `now`: sets the timestamp of the new state and `updated_at`; COMPLETED sets progress to 100;
/// going back to QUEUED resets progress and clears the lease and current agent.
/// @throws error invalid_transition (user_fixable); `t` is unchanged.
TASKSTORE_DECL void apply_transition(task& t, task_status to, timestamp now);

/// Sets progress: 0–100, only while PROCESSING, never lower than before.
/// @throws error validation_failed (out of range, falling), invalid_transition (not PROCESSING).
TASKSTORE_DECL void apply_progress(task& t, std::int32_t progress, timestamp now);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/domain/impl/task_lifecycle.ipp>
#endif
