// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The API shapes of the task API (its Pydantic models) and of completion
/// records (their SQLModel schemas) as described structs: to_json() produces them and from_json() /
/// parse_json() accept them, naming the offending field. Optional request
/// fields are std::optional; their defaults are applied by `validate()` or
/// the services.

#include <taskstore/detail/config.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/task_completion.hpp>
#include <taskstore/domain/validation.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// The task API's TaskCreateRequest: the JSON body of a create request; task_service::create() takes a new_task.
struct task_create_request {
  std::string tool_id{};
  std::optional<std::vector<std::string>> agents{};
};
BOOST_DESCRIBE_STRUCT(task_create_request, (), (tool_id, agents))

/// @throws error validation_failed naming the field.
TASKSTORE_DECL void validate(task_create_request const& r);

/// A worker's progress report: progress 0–100 and the agent now running.
struct progress_report_request {
  std::int32_t progress = 0;
  std::optional<std::string> current_agent{};
};
BOOST_DESCRIBE_STRUCT(progress_report_request, (), (progress, current_agent))

TASKSTORE_DECL void validate(progress_report_request const& r);

/// Filters of a task list request.
struct task_list_request {
  std::optional<task_status> status{};
  std::optional<std::int32_t> limit{};
  std::optional<std::int32_t> offset{};
};
BOOST_DESCRIBE_STRUCT(task_list_request, (), (status, limit, offset))

TASKSTORE_DECL void validate(task_list_request const& r);

/// The task API's ProgressDetail.
struct progress_detail {
  std::optional<std::string> current_agent;
  std::int64_t agents_total = 0;
  std::int64_t agents_completed = 0;
};
BOOST_DESCRIBE_STRUCT(progress_detail, (), (current_agent, agents_total, agents_completed))

/// The task API's TaskResponse.
struct task_response {
  uuid task_id;
  task_status status = task_status::CREATED;
  std::string tool_id;
  std::vector<std::string> agents;
  std::int32_t progress = 0;
  std::optional<::taskstore::progress_detail> progress_detail;  // qualified: the member has the type's name
  timestamp created_at;
  std::optional<timestamp> upload_started_at;
  std::optional<timestamp> processing_started_at;
  std::optional<timestamp> completed_at;
  std::optional<timestamp> failed_at;
  bool downloads_available = false;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
};
BOOST_DESCRIBE_STRUCT(task_response, (),
                      (task_id, status, tool_id, agents, progress, progress_detail, created_at, upload_started_at,
                       processing_started_at, completed_at, failed_at, downloads_available, error_code, error_message))

/// A task's outputs are downloadable once the task completed and until they are cleaned.
TASKSTORE_DECL task_response to_task_response(task const& t, std::optional<progress_detail> detail = {});

/// TaskListResponse's `pagination`.
struct pagination {
  std::int64_t total = 0;
  std::int64_t limit = 0;
  std::int64_t offset = 0;
  bool has_more = false;
};
BOOST_DESCRIBE_STRUCT(pagination, (), (total, limit, offset, has_more))

/// The task API's TaskListResponse.
struct task_list_response {
  std::vector<task_response> tasks;
  ::taskstore::pagination pagination;
};
BOOST_DESCRIBE_STRUCT(task_list_response, (), (tasks, pagination))

/// The completion API's TaskCompletionCreate (status, tokens_used and execution_time default to completed, 0, 0).
struct task_completion_create {
  uuid task_id{};
  std::string workflow_id{};
  std::string user_email{};
  boost::json::object task_data{};
  std::string original_question{};
  std::optional<completion_status> status{};
  std::optional<std::int64_t> tokens_used{};
  std::optional<std::chrono::duration<double>> execution_time{};  ///< JSON: a number of seconds
};
BOOST_DESCRIBE_STRUCT(task_completion_create, (),
                      (task_id, workflow_id, user_email, task_data, original_question, status, tokens_used,
                       execution_time))

TASKSTORE_DECL void validate(task_completion_create const& r);

/// The completion API's TaskCompletionUpdate: only the fields present change. A JSON
/// null counts as absent (the API skips unset fields), so an update never
/// clears a summary.
struct task_completion_update {
  std::optional<std::string> summary_steps{};
  std::optional<std::string> summary_dos_donts{};
  std::optional<std::string> summary_learnings{};
  std::optional<std::string> summary_expected_outcome{};
  std::optional<completion_status> status{};
};
BOOST_DESCRIBE_STRUCT(task_completion_update, (),
                      (summary_steps, summary_dos_donts, summary_learnings, summary_expected_outcome, status))

/// The completion API's TaskCompletionOut.
struct task_completion_out {
  std::int64_t id = 0;
  uuid task_id;
  std::string workflow_id;
  std::string user_email;
  std::string original_question;
  std::optional<std::string> summary_steps;
  std::optional<std::string> summary_dos_donts;
  std::optional<std::string> summary_learnings;
  std::optional<std::string> summary_expected_outcome;
  completion_status status = completion_status::completed;
  std::int64_t tokens_used = 0;
  std::chrono::duration<double> execution_time{};  ///< JSON: a number of seconds
  timestamp created_at;
  std::optional<timestamp> completed_at;
  timestamp updated_at;
};
BOOST_DESCRIBE_STRUCT(task_completion_out, (),
                      (id, task_id, workflow_id, user_email, original_question, summary_steps, summary_dos_donts,
                       summary_learnings, summary_expected_outcome, status, tokens_used, execution_time, created_at,
                       completed_at, updated_at))

TASKSTORE_DECL task_completion_out to_completion_out(task_completion const& c);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/domain/impl/api.ipp>
#endif
