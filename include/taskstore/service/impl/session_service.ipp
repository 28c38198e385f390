// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/session_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/session_service.hpp>

#include <taskstore/domain/validation.hpp>

#include <boost/json/serialize.hpp>

#include <utility>

namespace taskstore {

session_service::session_service(database const& db, lifecycle_logger logger)
    : db_(db), sessions_(db), records_(db), log_(std::move(logger)) {}

session session_service::create(std::optional<std::int64_t> user_id, std::string stage) {
  check_length("stage", stage, 50);
  auto const now = timestamp::now();
  return sessions_.insert({uuid::generate_v7(), user_id, std::move(stage), now, now, now + lifetime});
}

session_task session_service::start(uuid const& session_id, session_task_type type, uuid const& task_id,
                                    std::optional<std::string> stage) {
  auto const st = db_.transact([&] {
    auto const now = timestamp::now();
    auto record = find_record(session_id);
    if (!record) {
      require_session(session_id);
      record = new_session_task(session_id, type, task_id, now);
      records_.insert(*record);
    } else {
      mark_started(*record, type, task_id, now);
      records_.update(*record);
    }
    set_stage(session_id, stage.value_or(std::string(enum_to_string(type))), now);
    return *record;
  });
  log(lifecycle_level::info, "SessionTask " + std::string(enum_to_string(type)) + " started for session " +
                                 session_id.to_string() + ", task_id: " + task_id.to_string());
  return st;
}

session_task session_service::complete(uuid const& session_id, std::optional<std::string> stage) {
  auto const st = change(session_id, [&](session_task& r, timestamp now) {
    mark_completed(r, now);
    return stage.value_or(std::string(enum_to_string(r.task_type)) + "_completed");
  });
  auto const minutes = duration_minutes(st).value_or(0);
  log(lifecycle_level::info, "SessionTask " + std::string(enum_to_string(st.task_type)) + " completed for session " +
                                 session_id.to_string() + ", duration: " + std::to_string(minutes) + "m");
  log(lifecycle_level::debug, "SessionTask timing: " + std::to_string(minutes * 60) + " s");
  return st;
}

session_task session_service::fail(uuid const& session_id, boost::json::value const& context,
                                   std::optional<std::string> stage) {
  check_json_depth("session_tasks.failure_context", context);  // before the copy below, which recurses
  auto const st = change(session_id, [&](session_task& r, timestamp now) {
    mark_failed(r, context, now);
    return stage.value_or(std::string(enum_to_string(r.task_type)) + "_failed");
  });
  log(lifecycle_level::warning, "SessionTask " + std::string(enum_to_string(st.task_type)) + " failed for session " +
                                    session_id.to_string() + ", retry #" + std::to_string(st.retry_count));
  log(lifecycle_level::audit, "SessionTask failure context: " + boost::json::serialize(context));
  return st;
}

std::optional<session_task> session_service::find_active_for_session(uuid const& session_id) const {
  return records_.find_one(query<session_task>{col(&session_task::session_id) == session_id &&
                                               col(&session_task::status) == session_task_status::running});
}

std::optional<session_task> session_service::find_failed_retryable(uuid const& session_id) const {
  return records_.find_one(query<session_task>{col(&session_task::session_id) == session_id &&
                                               col(&session_task::status) == session_task_status::failed &&
                                               col(&session_task::retry_count) < max_session_task_retries});
}

session_task session_service::retry(uuid const& session_id, uuid const& new_task_id) {
  auto const failed = find_record(session_id);
  if (!failed || failed->status != session_task_status::failed)
    throw error(errc::invalid_transition, "only a failed session task can be retried");
  return start(session_id, failed->task_type, new_task_id);
}

std::size_t session_service::purge_before(std::optional<timestamp> cutoff) {
  return sessions_.remove_where(query<session>{col(&session::expires_at) < cutoff.value_or(timestamp::now())});
}

std::optional<session_task> session_service::find_record(uuid const& session_id) const {
  return records_.find_one(query<session_task>{col(&session_task::session_id) == session_id});
}

void session_service::require_session(uuid const& session_id) const {
  if (!sessions_.find(session_id)) throw error(errc::not_found, "no such session");
}

void session_service::set_stage(uuid const& session_id, std::string stage, timestamp now) {
  check_length("stage", stage, 50);
  if (sessions_.update_where(query<session>{col(&session::id) == session_id}, set(&session::stage, std::move(stage)),
                             set(&session::updated_at, now)) == 0)
    throw error(errc::not_found, "no such session");
}

void session_service::log(lifecycle_level level, std::string const& message) const {
  if (log_) log_(level, message);
}

}  // namespace taskstore
