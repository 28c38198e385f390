// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/domain/session_task_rules.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/session_task_rules.hpp>

namespace taskstore {

std::optional<double> duration_minutes(session_task const& st) {
  std::optional<timestamp> end;
  if (st.status == session_task_status::completed) end = st.completed_at;
  if (st.status == session_task_status::failed) end = st.failed_at;
  if (!end) return std::nullopt;
  return std::chrono::duration<double, std::ratio<60>>(*end - st.started_at).count();
}

namespace detail {
[[noreturn]] void completed_task_is_final() {
  throw error(errc::invalid_transition, error_category::user_fixable, "Cannot modify completed task");
}

[[noreturn]] void retries_exhausted() {
  throw error(errc::retry_limit_exceeded, error_category::admin_required, "Maximum retry attempts exceeded");
}
}  // namespace detail

session_task new_session_task(uuid const& session_id, session_task_type type, uuid const& task_id, timestamp now) {
  session_task st;
  st.id = uuid::generate_v7();
  st.session_id = session_id;
  st.task_type = type;
  st.task_id = task_id;
  st.status = session_task_status::running;
  st.started_at = now;
  return st;
}

void mark_started(session_task& st, session_task_type type, uuid const& task_id, timestamp now) {
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

void mark_completed(session_task& st, timestamp now) {
  if (st.status == session_task_status::completed) detail::completed_task_is_final();
  if (!is_running(st)) throw error(errc::invalid_transition, "only a running session task can complete");
  st.status = session_task_status::completed;
  st.completed_at = now;
}

void mark_failed(session_task& st, boost::json::value context, timestamp now) {
  if (st.status == session_task_status::completed) detail::completed_task_is_final();
  if (st.retry_count >= max_session_task_retries) detail::retries_exhausted();
  if (!is_running(st)) throw error(errc::invalid_transition, "only a running session task can fail");
  st.status = session_task_status::failed;
  st.failed_at = now;
  st.failure_context = std::move(context);
  ++st.retry_count;
}

}  // namespace taskstore
