// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/domain/api.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/api.hpp>

#include <utility>

namespace taskstore {

void validate(task_create_request const& r) {
  check_tool_id(r.tool_id);
  if (r.agents) check_agents(*r.agents);
}

void validate(progress_report_request const& r) {
  if (r.progress < 0 || r.progress > 100)
    throw error(errc::validation_failed, "field 'progress': must be from 0 to 100", "progress");
  if (r.current_agent) check_length("current_agent", *r.current_agent, 100);
}

void validate(task_list_request const& r) {
  if (r.limit && (*r.limit < 1 || *r.limit > 1000))
    throw error(errc::validation_failed, "field 'limit': must be from 1 to 1000", "limit");
  if (r.offset && *r.offset < 0) throw error(errc::validation_failed, "field 'offset': must not be negative", "offset");
}

task_response to_task_response(task const& t, std::optional<progress_detail> detail) {
  return {t.task_id,
          t.status,
          t.tool_id,
          *t.agents,
          t.progress,
          std::move(detail),
          t.created_at,
          t.upload_started_at,
          t.processing_started_at,
          t.completed_at,
          t.failed_at,
          t.status == task_status::COMPLETED && !t.s3_cleaned,
          t.error_code,
          t.error_message};
}

void validate(task_completion_create const& r) {
  check_json_depth("task_completions.task_data", r.task_data);  // first: copying a deeper value would recurse
  check_length("workflow_id", r.workflow_id, 255);
  normalize_email(r.user_email, "user_email");
  if (r.tokens_used && *r.tokens_used < 0)
    throw error(errc::validation_failed, "field 'tokens_used': must not be negative", "tokens_used");
}

task_completion_out to_completion_out(task_completion const& c) {
  return {c.id,
          c.task_id,
          c.workflow_id,
          c.user_email,
          c.original_question,
          c.summary_steps,
          c.summary_dos_donts,
          c.summary_learnings,
          c.summary_expected_outcome,
          c.status,
          c.tokens_used,
          c.execution_time,
          c.created_at,
          c.completed_at,
          c.updated_at};
}

}  // namespace taskstore
