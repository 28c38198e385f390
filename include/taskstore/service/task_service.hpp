// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The task_service: what a task's owner does with it, from creation to
/// deletion. Workers use task_claims (<taskstore/service/task_claims.hpp>);
/// operators and the system task_maintenance
/// (<taskstore/service/task_maintenance.hpp>).

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/api.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/retry_backoff.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/task_lifecycle.hpp>
#include <taskstore/error.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/detail/task_transitions.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// What task_service::create() needs: the stored task's fields a caller chooses (the task API's
/// TaskCreateRequest, which arrives over HTTP as task_create_request, with the fields the other records add).
struct new_task {
  std::int64_t user_id = 0;
  std::string tool_id{};
  std::vector<std::string> agents{};
  std::optional<std::string> title{};
  std::optional<std::string> workflow_id{};
  std::optional<std::string> input_prompt{};
  std::optional<std::string> idempotency_key{};  ///< the same key for the same user returns the existing task
  std::int32_t max_attempts = 3;
  /// Claim order: a smaller number first, then the oldest; -100 to 100.
  std::int32_t priority = 0;
};
BOOST_DESCRIBE_STRUCT(new_task, (),
                      (user_id, tool_id, agents, title, workflow_id, input_prompt, idempotency_key, max_attempts,
                       priority))

/// One page of an offset-paged list: how many rows, after skipping how many.
struct page_request {
  std::size_t limit = 20;
  std::size_t offset = 0;
};

/// One page of a user's tasks, newest first (TaskListResponse's pagination).
struct task_page {
  std::vector<task> tasks;
  std::size_t total = 0;
  std::size_t limit = 0;
  std::size_t offset = 0;
  bool has_more = false;
};

/// The task API's TaskListResponse of a page.
TASKSTORE_DECL task_list_response to_task_list_response(task_page const& page);

namespace detail {
/// A check that the task is in `from`, for operations whose target state has
/// several ways in (QUEUED is reached from four).
inline auto require_status(task_status from) {
  return [from](task& t) {
    if (t.status != from)
      throw error(errc::invalid_transition, "expected a " + std::string(enum_to_string(from)) + " task, not " +
                                                std::string(enum_to_string(t.status)));
  };
}
}  // namespace detail

/// The owner's side of the task lifecycle (docs/lifecycle.md). Every state
/// change runs in one transaction that also appends a STATUS_CHANGE event,
/// sets the timestamp of the state it enters and bumps `version`; an impossible change
/// raises invalid_transition and changes nothing. Calls that take a user id
/// treat another user's task, or a soft-deleted one, as missing (not_found).
/// Thread-safe like its database.
class task_service {
 public:
  /// `backoff` spaces out retries.
  TASKSTORE_DECL explicit task_service(database const& db, retry_backoff backoff = {});

  /// Creates a CREATED task with a time-ordered id.
  /// @throws error validation_failed naming the field; foreign_key_violation for an unknown user.
  TASKSTORE_DECL task create(new_task const& request);

  /// The task, whoever owns it and whether or not it was soft-deleted (for administration; workers have
  /// task_claims::find()); nullopt when there is none.
  TASKSTORE_DECL std::optional<task> find(uuid const& task_id) const;
  /// The user's task.
  /// @throws error not_found when there is none, it is another user's, or it was soft-deleted.
  TASKSTORE_DECL task get(uuid const& task_id, std::int64_t user_id) const;

  /// A user's tasks, newest first, optionally of one status, one page.
  /// Lists, active() and events() read through database::reads(): from a
  /// standby where the URL names one, seeing every write this database
  /// finished before.
  TASKSTORE_DECL task_page list(std::int64_t user_id, std::optional<task_status> status = {},
                                page_request page = {}) const;
  /// The `limit` tasks after `last` (keyset: stays fast however deep the list), optionally of one status.
  TASKSTORE_DECL std::vector<task> list_after(std::int64_t user_id, std::optional<task_status> status, task const& last,
                                              std::size_t limit = 20) const;
  /// A user's QUEUED and PROCESSING tasks, newest first (the task API's active tasks).
  TASKSTORE_DECL std::vector<task> active(std::int64_t user_id) const;

  /// CREATED or UPLOAD_FAILED → UPLOADING (upload URLs were handed out).
  TASKSTORE_DECL task start_upload(uuid const& id, std::int64_t user_id);
  /// UPLOADING → QUEUED.
  TASKSTORE_DECL task mark_uploaded(uuid const& id, std::int64_t user_id);
  /// UPLOADING → UPLOAD_FAILED with an error.
  TASKSTORE_DECL task mark_upload_failed(uuid const& id, std::int64_t user_id, std::string const& error_code,
                                         std::string const& message);
  /// CREATED → QUEUED (no upload needed).
  TASKSTORE_DECL task queue(uuid const& id, std::int64_t user_id);

  /// The owner cancels a QUEUED or PROCESSING task.
  /// @throws error not_found (another user's task too); invalid_transition when it cannot be cancelled.
  TASKSTORE_DECL task cancel(uuid const& id, std::int64_t user_id);

  /// FAILED → QUEUED while attempts remain, claimable after the backoff
  /// (run_after = now + base × 2^attempt).
  /// @throws error retry_limit_exceeded when attempt ≥ max_attempts.
  TASKSTORE_DECL task retry(uuid const& id, std::int64_t user_id);

  /// Soft delete (the task API's DELETED, as `deleted_at`): lists and get() no longer show it.
  /// @returns false when there is no such task of the user's.
  TASKSTORE_DECL bool soft_delete(uuid const& id, std::int64_t user_id);

  /// The task's events in time order, for the task's owner.
  /// @throws error not_found when the task is missing or another user's.
  TASKSTORE_DECL std::vector<event_log> events(uuid const& id, std::int64_t user_id) const;

 private:
  TASKSTORE_DECL static query<task> owned_by(std::int64_t user_id);

  TASKSTORE_DECL std::optional<task> find_by_idempotency_key(std::int64_t user_id, std::string const& key) const;

  template <class F = void (*)(task&)>
  task owner_transition(
      uuid const& id, std::int64_t user_id, task_status to, F const& before = [](task&) {}) {
    return life_.transition(id, user_id, to, before);
  }

  detail::task_transitions life_;
  // Lists and event pages may lag a little: on the database's reads() handle.
  soci_repository<task> task_reads_;
  soci_repository<event_log> event_reads_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/task_service.ipp>
#endif
