// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// A finished task's completion record.

#include <taskstore/domain/task.hpp>
#include <taskstore/limits.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace taskstore {

/// How a task ended, as the completion API records it (lower-case names, as stored there).
enum class completion_status { completed, failed };
BOOST_DESCRIBE_ENUM(completion_status, completed, failed)

/// A finished task's full state and its LLM summaries (TaskCompletion).
struct task_completion {
  std::int64_t id = 0;
  uuid task_id;
  std::string workflow_id;
  std::string user_email;
  boost::json::value task_data;  ///< the task row, its events and its agent runs
  std::string original_question;
  std::optional<std::string> summary_steps;
  std::optional<std::string> summary_dos_donts;
  std::optional<std::string> summary_learnings;
  std::optional<std::string> summary_expected_outcome;
  completion_status status = completion_status::completed;
  std::int64_t tokens_used = 0;
  std::chrono::duration<double> execution_time{};  ///< stored as seconds
  timestamp created_at;
  std::optional<timestamp> completed_at;
  timestamp updated_at;
};
BOOST_DESCRIBE_STRUCT(task_completion, (),
                      (id, task_id, workflow_id, user_email, task_data, original_question, summary_steps,
                       summary_dos_donts, summary_learnings, summary_expected_outcome, status, tokens_used,
                       execution_time, created_at, completed_at, updated_at))

template <>
struct table_traits<task_completion> {
  static constexpr std::string_view table = "task_completions";
  static constexpr auto primary_key = auto_increment<&task_completion::id>;
  static constexpr auto columns = std::tuple{
      column<&task_completion::task_id>.unique().references<&task::task_id>(on_delete::cascade),
      column<&task_completion::workflow_id>.max_length(255),
      column<&task_completion::user_email>.max_length(255),
      column<&task_completion::status>.default_value(completion_status::completed),
      column<&task_completion::tokens_used>.min(0).accepts(0, limits::max_amount).default_value(0),
      column<&task_completion::execution_time>.default_value(0.0),
      column<&task_completion::created_at>.default_now(),
      column<&task_completion::updated_at>.default_now(),
  };
  static constexpr auto indexes = std::tuple{
      index<&task_completion::workflow_id>("ix_task_completions_workflow_id"),
      index<&task_completion::user_email>("ix_task_completions_user_email"),
  };
};

}  // namespace taskstore
