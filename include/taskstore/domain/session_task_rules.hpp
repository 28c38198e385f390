// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Seed 002's SessionTask methods, pure: the services persist what they change.

#include <taskstore/domain/session.hpp>
#include <taskstore/error.hpp>
#include <taskstore/reflect/enum_names.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace taskstore {

/// Retries allowed after the first failure (seed 002).
inline constexpr std::int32_t max_session_task_retries = 3;

constexpr bool is_running(session_task const& st) noexcept { return st.status == session_task_status::running; }

/// Seed 002 `can_retry` / `can_be_retried`: failed, with retries left.
constexpr bool can_retry(session_task const& st) noexcept {
  return st.status == session_task_status::failed && st.retry_count < max_session_task_retries;
}
constexpr bool can_be_retried(session_task const& st) noexcept { return can_retry(st); }

/// Minutes from start to completion or failure; nullopt while running or cancelled.
inline std::optional<double> duration_minutes(session_task const& st) {
  std::optional<timestamp> end;
  if (st.status == session_task_status::completed) end = st.completed_at;
  if (st.status == session_task_status::failed) end = st.failed_at;
  if (!end) return std::nullopt;
  return std::chrono::duration<double, std::ratio<60>>(*end - st.started_at).count();
}

namespace detail {
[[noreturn]] inline void completed_task_is_final() {
  throw error(errc::invalid_transition, error_category::user_fixable, "Cannot modify completed task");
}
[[noreturn]] inline void retries_exhausted() {
  throw error(errc::retry_limit_exceeded, error_category::admin_required, "Maximum retry attempts exceeded");
}
}  // namespace detail

/// A session's first task record: running `type` as background `task_id`.
inline session_task new_session_task(uuid const& session_id, session_task_type type, uuid const& task_id,
                                     timestamp now) {
  session_task st;
  st.id = uuid::generate_v7();
  st.session_id = session_id;
  st.task_type = type;
  st.task_id = task_id;
  st.status = session_task_status::running;
  st.started_at = now;
  return st;
}

/// Starts `type` with a new background `task_id`. On a completed or failed
/// record of another type this begins the next workflow step (retry_count
/// back to 0); on a failed record of the same type it is a retry.
/// @throws error invalid_transition when the record is running, or completed
///         with the same type; retry_limit_exceeded (admin_required) when no
///         retries are left.
inline void mark_started(session_task& st, session_task_type type, uuid const& task_id, timestamp now) {
  if (is_running(st)) throw error(errc::invalid_transition, "a session task is already running");
  bool const same_type = st.task_type == type;
  if (same_type && st.status == session_task_status::completed) detail::completed_task_is_final();
  if (same_type && st.status == session_task_status::failed && !can_retry(st)) detail::retries_exhausted();
  if (!same_type) st.retry_count = 0;
  st.task_type = type;
  st.task_id = task_id;
  st.status = session_task_status::running;
  st.started_at = now;
  st.completed_at.reset();
  st.failed_at.reset();
  st.failure_context.reset();
}

/// @throws error "Cannot modify completed task" (user_fixable) on a completed
///         record; invalid_transition when it is not running.
inline void mark_completed(session_task& st, timestamp now) {
  if (st.status == session_task_status::completed) detail::completed_task_is_final();
  if (!is_running(st)) throw error(errc::invalid_transition, "only a running session task can complete");
  st.status = session_task_status::completed;
  st.completed_at = now;
}

/// Records a failure with its context and counts a retry.
/// @throws error "Cannot modify completed task" (user_fixable); "Maximum retry
///         attempts exceeded" (admin_required) past the third retry;
///         invalid_transition when it is not running (a failure is counted once).
inline void mark_failed(session_task& st, boost::json::value context, timestamp now) {
  if (st.status == session_task_status::completed) detail::completed_task_is_final();
  if (st.retry_count >= max_session_task_retries) detail::retries_exhausted();
  if (!is_running(st)) throw error(errc::invalid_transition, "only a running session task can fail");
  st.status = session_task_status::failed;
  st.failed_at = now;
  st.failure_context = std::move(context);
  ++st.retry_count;
}

}  // namespace taskstore
