// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/domain/task_lifecycle.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/task_lifecycle.hpp>
#include <taskstore/reflect/enum_names.hpp>

namespace taskstore {

std::string storage_prefix(std::int64_t user_id, uuid const& task_id) {
  return "users/" + std::to_string(user_id) + "/tasks/" + task_id.to_string() + "/";
}

std::string inputs_prefix(std::int64_t user_id, uuid const& task_id) {
  return storage_prefix(user_id, task_id) + "inputs/";
}

std::string outputs_prefix(std::int64_t user_id, uuid const& task_id) {
  return storage_prefix(user_id, task_id) + "outputs/";
}

std::string parameters_key(std::int64_t user_id, uuid const& task_id) {
  return inputs_prefix(user_id, task_id) + "parameters.json";
}

void apply_transition(task& t, task_status to, timestamp now) {
  if (!can_transition(t.status, to))
    throw error(errc::invalid_transition, "a " + std::string(enum_to_string(t.status)) + " task cannot become " +
                                              std::string(enum_to_string(to)));
  using enum task_status;
  switch (to) {
    case UPLOADING: t.upload_started_at = now; break;
    case QUEUED:
      t.queued_at = now;
      t.progress = 0;
      t.current_agent.reset();
      t.locked_by.reset();
      t.lease_token.reset();
      t.lease_expires_at.reset();
      break;
    case PROCESSING: t.processing_started_at = now; break;
    case COMPLETED:
      t.completed_at = now;
      t.progress = 100;
      break;
    case FAILED: t.failed_at = now; break;
    case CANCELLED: t.cancelled_at = now; break;
    case EXPIRED: t.expired_at = now; break;
    case CREATED:
    case UPLOAD_FAILED: break;
  }
  if (to == COMPLETED || to == FAILED || to == CANCELLED) {
    t.locked_by.reset();
    t.lease_token.reset();
    t.lease_expires_at.reset();
  }
  t.status = to;
  t.updated_at = now;
}

void apply_progress(task& t, std::int32_t progress, timestamp now) {
  if (progress < 0 || progress > 100)
    throw error(errc::validation_failed, "progress must be from 0 to 100, got " + std::to_string(progress), "progress");
  if (t.status != task_status::PROCESSING)
    throw error(errc::invalid_transition,
                "progress changes only while PROCESSING (the task is " + std::string(enum_to_string(t.status)) + ")");
  if (progress < t.progress)
    throw error(errc::validation_failed,
                "progress only rises: " + std::to_string(t.progress) + " to " + std::to_string(progress), "progress");
  t.progress = progress;
  t.updated_at = now;
}

}  // namespace taskstore
