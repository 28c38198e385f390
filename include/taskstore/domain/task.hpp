// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The task: one unit of agent work, its lifecycle state and its table.

#include <taskstore/domain/user.hpp>
#include <taskstore/limits.hpp>
#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/types/json.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace taskstore {

/// A task's lifecycle state (the task API's; the event-log model's
/// PENDING/RUNNING/SUCCEEDED are QUEUED/PROCESSING/COMPLETED).
enum class task_status { CREATED, UPLOADING, UPLOAD_FAILED, QUEUED, PROCESSING, COMPLETED, FAILED, CANCELLED, EXPIRED };
BOOST_DESCRIBE_ENUM(task_status, CREATED, UPLOADING, UPLOAD_FAILED, QUEUED, PROCESSING, COMPLETED, FAILED, CANCELLED,
                    EXPIRED)

/// One unit of agent work: five task models in one table, the task API's
/// (schema V2.1) as the base (docs/seeds.md).
struct task {
  uuid task_id;  ///< time-ordered (v7)
  std::int64_t user_id = 0;
  std::optional<std::string> workflow_id;
  std::string tool_id;  ///< the drafts model's "type"
  std::optional<std::string> title;
  std::string input_prompt;  ///< the completion record's original_question
  json<std::vector<std::string>> agents;
  task_status status = task_status::CREATED;
  std::int32_t progress = 0;
  std::optional<std::string> current_agent;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  std::optional<std::string> result_summary;
  std::int32_t attempt = 0;
  std::int32_t max_attempts = 3;
  std::optional<boost::json::value> failure_context;
  std::int64_t tokens_used = 0;
  std::chrono::duration<double> execution_time{};  ///< stored as seconds
  std::optional<std::string> idempotency_key;
  std::optional<std::string> locked_by;
  std::optional<uuid> lease_token;
  std::optional<timestamp> lease_expires_at;
  std::optional<timestamp> run_after;  ///< earliest claim time (retry backoff)
  std::int32_t version = 0;
  timestamp created_at;
  std::optional<timestamp> upload_started_at;
  std::optional<timestamp> queued_at;
  std::optional<timestamp> processing_started_at;
  std::optional<timestamp> completed_at;
  std::optional<timestamp> failed_at;
  std::optional<timestamp> cancelled_at;
  std::optional<timestamp> expired_at;
  timestamp updated_at;
  std::optional<timestamp> deleted_at;  ///< soft delete
  bool s3_cleaned = false;              ///< outputs cleaned from storage
  bool inputs_cleaned = false;          ///< inputs cleaned (7-day retention)
  std::int32_t agents_total = 0;        ///< the size of `agents` (migration 2)
  /// Claim order: a smaller number first, then the oldest (migration 4);
  /// -100 to 100, default 0.
  std::int32_t priority = 0;
};
BOOST_DESCRIBE_STRUCT(task, (),
                      (task_id, user_id, workflow_id, tool_id, title, input_prompt, agents, status, progress,
                       current_agent, error_code, error_message, result_summary, attempt, max_attempts, failure_context,
                       tokens_used, execution_time, idempotency_key, locked_by, lease_token, lease_expires_at,
                       run_after, version, created_at, upload_started_at, queued_at, processing_started_at,
                       completed_at, failed_at, cancelled_at, expired_at, updated_at, deleted_at, s3_cleaned,
                       inputs_cleaned, agents_total, priority))

template <>
struct table_traits<task> {
  static constexpr std::string_view table = "tasks";
  static constexpr auto primary_key = natural_key<&task::task_id>;
  static constexpr auto columns = std::tuple{
      column<&task::user_id>.references<&user::id>(on_delete::cascade),
      column<&task::workflow_id>.max_length(255),
      column<&task::tool_id>.max_length(50).non_empty(),
      column<&task::title>.max_length(255),
      column<&task::input_prompt>.default_value(""),
      column<&task::agents>.default_json("[]"),
      column<&task::status>.default_value(task_status::CREATED),
      column<&task::progress>.range(0, 100).default_value(0),
      column<&task::current_agent>.max_length(100),
      column<&task::error_code>.max_length(50),
      column<&task::attempt>.min(0).accepts(0, limits::max_counter).default_value(0),
      column<&task::max_attempts>.min(1).accepts(1, limits::max_counter).default_value(3),
      column<&task::tokens_used>.min(0).accepts(0, limits::max_amount).default_value(0),
      column<&task::execution_time>.check("execution_time >= 0").default_value(0.0),
      column<&task::idempotency_key>.max_length(255),
      column<&task::locked_by>.max_length(100),
      column<&task::version>.default_value(0),
      column<&task::created_at>.default_now(),
      column<&task::updated_at>.default_now(),
      column<&task::s3_cleaned>.default_value(false),
      column<&task::inputs_cleaned>.default_value(false),
      column<&task::agents_total>.default_value(0),
      column<&task::priority>.accepts(limits::min_priority, limits::max_priority).default_value(0),
  };
  static constexpr auto indexes = std::tuple{
      index<&task::user_id>("idx_tasks_user_id"),
      index<&task::status>("idx_tasks_status"),
      index<&task::user_id, &task::status>("idx_tasks_user_status"),
      index<&task::created_at>("idx_tasks_created_at"),
      index<&task::tool_id>("idx_tasks_tool_id"),
      index<&task::workflow_id>("idx_tasks_workflow_id"),
      index<&task::status, &task::run_after, &task::created_at>("idx_tasks_claim"),
      unique_index<&task::user_id, &task::idempotency_key>("uq_tasks_user_idempotency"),
      index<&task::user_id, &task::created_at, &task::task_id>("idx_tasks_user_created"),                 // migration 3
      index<&task::status, &task::priority, &task::created_at, &task::task_id>("idx_tasks_claim_order"),  // migration 4
      index<&task::status, &task::tool_id, &task::created_at, &task::task_id>("idx_tasks_status_tool"),   // migration 7
  };
  static constexpr auto version = version_column<&task::version>;
};

}  // namespace taskstore
