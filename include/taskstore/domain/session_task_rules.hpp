// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// SessionTask's methods, pure: the services persist what they change.

#include <taskstore/detail/config.hpp>
#include <taskstore/domain/session.hpp>
#include <taskstore/error.hpp>
#include <taskstore/reflect/enum_names.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace taskstore {

/// Retries allowed after the first failure.
inline constexpr std::int32_t max_session_task_retries = 3;

constexpr bool is_running(session_task const& st) noexcept { return st.status == session_task_status::running; }

/// SessionTask's `can_retry` / `can_be_retried`: failed, with retries left.
constexpr bool can_retry(session_task const& st) noexcept {
  return st.status == session_task_status::failed && st.retry_count < max_session_task_retries;
}
constexpr bool can_be_retried(session_task const& st) noexcept { return can_retry(st); }

/// Minutes from start to completion or failure; nullopt while running or cancelled.
TASKSTORE_DECL std::optional<double> duration_minutes(session_task const& st);

namespace detail {
[[noreturn]] TASKSTORE_DECL void completed_task_is_final();
[[noreturn]] TASKSTORE_DECL void retries_exhausted();
}  // namespace detail

/// A session's first task record: running `type` as background `task_id`.
TASKSTORE_DECL session_task new_session_task(uuid const& session_id, session_task_type type, uuid const& task_id,
                                             timestamp now);

/// Starts `type` with a new background `task_id`. On a completed or failed
/// record of another type this begins the next workflow step (retry_count
/// back to 0); on a failed record of the same type it is a retry.
/// @throws error invalid_transition when the record is running, or completed
///         with the same type; retry_limit_exceeded (admin_required) when no
///         retries are left.
TASKSTORE_DECL void mark_started(session_task& st, session_task_type type, uuid const& task_id, timestamp now);

/// @throws error "Cannot modify completed task" (user_fixable) on a completed
///         record; invalid_transition when it is not running.
TASKSTORE_DECL void mark_completed(session_task& st, timestamp now);

/// Records a failure with its context and counts a retry.
/// @throws error "Cannot modify completed task" (user_fixable); "Maximum retry
///         attempts exceeded" (admin_required) past the third retry;
///         invalid_transition when it is not running (a failure is counted once).
TASKSTORE_DECL void mark_failed(session_task& st, boost::json::value context, timestamp now);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/domain/impl/session_task_rules.ipp>
#endif
