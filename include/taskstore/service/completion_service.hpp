// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The completion_service: finished tasks' completion records.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/api.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/task_completion.hpp>
#include <taskstore/domain/user.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/describe/class.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// Completion records: a finished task's full state and the LLM
/// summaries written about it later.
class completion_service {
 public:
  TASKSTORE_DECL explicit completion_service(database const& db);

  /// Records a COMPLETED or FAILED task: `task_data` holds the task row, its
  /// events and its agent runs as JSON; one record per task.
  /// @throws error not_found; invalid_transition for an unfinished task; already_exists when recorded before.
  TASKSTORE_DECL task_completion record(uuid const& task_id);

  /// TaskCompletionCreate: stores a completion record as the API gives it
  /// (status, tokens and time default to completed, 0, 0).
  /// @throws error validation_failed naming the field; foreign_key_violation for an unknown task; already_exists.
  TASKSTORE_DECL task_completion create(task_completion_create const& request);

  /// Applies a TaskCompletionUpdate, a partial update; @returns the record, or nullopt when there is none.
  TASKSTORE_DECL std::optional<task_completion> update(uuid const& task_id, task_completion_update const& changes);

  /// The task's completion record, for the task's owner.
  /// @throws error not_found when the task is missing or another user's, or has no record.
  TASKSTORE_DECL task_completion get_by_task(uuid const& task_id, std::int64_t user_id) const;
  /// The task's completion record, whoever owns the task (the completion API's lookup by task id), or nullopt.
  TASKSTORE_DECL std::optional<task_completion> find_by_task(uuid const& task_id) const;
  /// A workflow's completion records, oldest first.
  TASKSTORE_DECL std::vector<task_completion> find_by_workflow(std::string const& workflow_id) const;
  /// By the user's e-mail, in any case.
  TASKSTORE_DECL std::vector<task_completion> find_by_user_email(std::string const& email) const;

 private:
  database db_;
  soci_repository<task> tasks_;
  soci_repository<event_log> events_;
  soci_repository<agent_run> runs_;
  soci_repository<user> users_;
  soci_repository<task_completion> completions_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/completion_service.ipp>
#endif
