// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The task_service: the task lifecycle, and claims and leases for workers.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/api.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/retry_backoff.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/task_lifecycle.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <boost/describe/class.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
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

/// A worker's hold on a PROCESSING task: every worker-side change presents it
/// (fencing). It is lost when the task is rescued after its lease expired,
/// cancelled, or otherwise leaves the worker's hands, not at the instant the
/// lease expires: heartbeat() keeps it.
struct task_claim {
  uuid task_id;
  std::string worker_id;
  uuid lease_token;
  timestamp lease_expires_at;
  std::chrono::seconds lease{};  ///< heartbeat() extends the lease by this much
  taskstore::task task;  ///< the task as claimed (attempt counts this run); complete_batch() relies on it unchanged
};

/// Which queued tasks claim_next() and claim_batch() may take.
struct claim_filter {
  std::vector<std::string> tool_ids;  ///< empty: any tool
};

/// What a worker reports with complete() and complete_batch(), per task.
struct task_result {
  std::optional<std::string> result_summary{};
  std::int64_t tokens_used = 0;
  /// Added to the task's; stored as seconds (`task::execution_time`).
  std::chrono::duration<double> execution_time{};
};

/// One page of an offset-paged list: how many rows, after skipping how many.
struct page_request {
  std::size_t limit = 20;
  std::size_t offset = 0;
};

/// What rescue_expired() did.
struct rescue_report {
  std::size_t requeued = 0;  ///< back to QUEUED, with backoff
  std::size_t failed = 0;    ///< FAILED with retry_limit_exceeded: no attempts left
};

/// One page of a user's tasks, newest first (TaskListResponse's pagination).
struct task_page {
  std::vector<task> tasks;
  std::size_t total = 0;
  std::size_t limit = 0;
  std::size_t offset = 0;
  bool has_more = false;
};

/// A finished task whose stored files are due for deletion (the task API's
/// storage retention), with the prefix to delete under.
struct storage_cleanup_candidate {
  uuid task_id;
  std::int64_t user_id = 0;
  std::string prefix;  ///< `users/{user_id}/tasks/{task_id}/inputs/` or `.../outputs/`
};

/// The task API's retention periods: metadata, input files, output files.
inline constexpr auto task_metadata_retention = std::chrono::days(365);
inline constexpr auto input_files_retention = std::chrono::days(7);
inline constexpr auto output_files_retention = std::chrono::days(30);

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

/// The task lifecycle over a database (docs/lifecycle.md). Every state
/// change runs in one transaction that also appends a STATUS_CHANGE event,
/// sets the timestamp of the state it enters and bumps `version`; an impossible change
/// raises invalid_transition and changes nothing. Calls that take a user id
/// treat another user's task, or a soft-deleted one, as missing (not_found).
/// Thread-safe like its database.
class task_service {
 public:
  /// `backoff` spaces out retries and rescued tasks.
  TASKSTORE_DECL explicit task_service(database const& db, retry_backoff backoff = {});

  /// Creates a CREATED task with a time-ordered id.
  /// @throws error validation_failed naming the field; foreign_key_violation for an unknown user.
  TASKSTORE_DECL task create(new_task const& request);

  /// The task, whoever owns it and whether or not it was soft-deleted (for workers and administration);
  /// nullopt when there is none.
  TASKSTORE_DECL std::optional<task> find(uuid const& task_id) const;
  /// The user's task.
  /// @throws error not_found when there is none, it is another user's, or it was soft-deleted.
  TASKSTORE_DECL task get(uuid const& task_id, std::int64_t user_id) const;

  /// A user's tasks, newest first, optionally of one status, one page.
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

  /// Takes a specific QUEUED or UPLOAD_FAILED task for `worker_id`: PROCESSING,
  /// attempt + 1, a fresh lease. Entering PROCESSING is always a claim.
  /// @throws error invalid_transition when it cannot be processed; conflict when another worker was faster.
  TASKSTORE_DECL task_claim start_processing(uuid const& id, std::string const& worker_id, std::chrono::seconds lease);

  /// Claims the next QUEUED task whose run_after has passed (optionally of
  /// the filter's tools), the smallest priority first, then the oldest, for
  /// `worker_id`: PROCESSING, attempt + 1, a fresh
  /// lease, and its STATUS_CHANGE event, in one transaction. No task is ever
  /// claimed by two workers: PostgreSQL and MariaDB lock with SKIP LOCKED, so
  /// workers never wait for each other; SQLite admits one writer at a time.
  /// A queued task whose stored values cannot be read (corrupt_value: e.g.
  /// JSON of the wrong shape written by hand) is skipped and taken out of
  /// circulation in the same transaction: it becomes FAILED with error_code
  /// `corrupt_value`, the reason in error_message, and a STATUS_CHANGE event,
  /// so that it never blocks the queue; the claim goes on to the next task.
  /// @returns nullopt when no task is eligible.
  /// @throws error validation_failed for an empty or over-long worker id, a lease under a second, or a
  ///         lease that ends past 9999-12-31 (field `lease`).
  TASKSTORE_DECL std::optional<task_claim> claim_next(std::string const& worker_id, std::chrono::seconds lease,
                                                      claim_filter const& filter = {});

  /// Claims up to `n` tasks as claim_next() does, in its order, in one
  /// transaction; they share one lease token (fencing compares it per task).
  /// @throws error validation_failed as claim_next() does, and for `n` over limits::max_rows (field `limit`).
  TASKSTORE_DECL std::vector<task_claim> claim_batch(std::string const& worker_id, std::size_t n,
                                                     std::chrono::seconds lease, claim_filter const& filter = {});

  /// Extends the claim's lease by its duration from now, and updates `claim`
  /// (so a heartbeat thread and the worker's other calls on one claim object
  /// need a lock, as for any object one thread writes).
  /// @throws error conflict when the lease was lost (nothing changes).
  TASKSTORE_DECL void heartbeat(task_claim& claim);

  /// Gives the task back unfinished (PROCESSING → QUEUED, claimable again
  /// after `delay`); the attempt is not counted.
  /// @throws error conflict when the lease was lost; validation_failed (field
  ///         `delay`) when now + `delay` is past 9999-12-31.
  TASKSTORE_DECL task release(task_claim const& claim, std::chrono::seconds delay = {});

  /// The attempt failed but may be retried: PROCESSING → QUEUED with backoff
  /// (run_after = now + base × 2^attempt, jittered) while attempts remain,
  /// else FAILED. The error is kept either way.
  /// @throws error conflict when the lease was lost.
  TASKSTORE_DECL task fail_or_retry(task_claim const& claim, std::string const& error_code, std::string const& message,
                                    std::optional<boost::json::value> const& failure_context = {});

  /// Tasks whose lease expired before `cutoff` (default: now; their worker
  /// died or hung) return to QUEUED with backoff from now, or become
  /// FAILED with error_code `retry_limit_exceeded` when their attempts are
  /// used up; each in its own transaction with its STATUS_CHANGE event. A
  /// worker that renews or finishes at the same moment wins or loses cleanly
  /// (version check).
  TASKSTORE_DECL rescue_report rescue_expired(std::optional<timestamp> cutoff = {});

  /// Progress (0–100, rising) and the current agent, under the claim's lease.
  /// @throws error conflict when the lease was lost (nothing changes).
  TASKSTORE_DECL task report_progress(task_claim const& claim, std::int32_t progress,
                                      std::optional<std::string> const& current_agent = {});

  /// PROCESSING → COMPLETED with the result, under the claim's lease.
  /// @throws error conflict when the lease was lost; validation_failed for negative tokens or time.
  TASKSTORE_DECL task complete(task_claim const& claim, task_result const& result = {});

  /// Completes the tasks of `claims` (e.g. one claim_batch()) in one
  /// transaction: each PROCESSING → COMPLETED with `results[i]` (none when
  /// `results` is empty) and its STATUS_CHANGE event, written with one
  /// update_many() and one insert_many(). All or nothing: when any lease was
  /// lost, conflict and nothing changes.
  ///
  /// Outside a caller's transaction, when no claim was renewed by
  /// heartbeat(), the tasks are not read again: each is taken as its claim
  /// holds it (`claim.task`), and the version check of the update proves the
  /// stored row unchanged since. When one changed (e.g. report_progress()),
  /// that transaction rolls back and a second reads them; renewed claims,
  /// claims without their task and a caller's transaction read them at once.
  /// @throws error validation_failed when `results` is neither empty nor as
  ///         long as `claims`; not_found when a task no longer exists.
  TASKSTORE_DECL std::vector<task> complete_batch(std::span<task_claim const> claims,
                                                  std::span<task_result const> results = {});

  /// PROCESSING → FAILED with an error and its context, under the claim's lease.
  TASKSTORE_DECL task fail(task_claim const& claim, std::string const& error_code, std::string const& message,
                           std::optional<boost::json::value> const& failure_context = {});

  /// The system (not a worker) fails a PROCESSING task, e.g. billing with
  /// BILLING_INSUFFICIENT_CREDITS; no claim is needed.
  TASKSTORE_DECL task fail_by_system(uuid const& id, std::string const& error_code, std::string const& message);

  /// The owner cancels a QUEUED or PROCESSING task.
  /// @throws error not_found (another user's task too); invalid_transition when it cannot be cancelled.
  TASKSTORE_DECL task cancel(uuid const& id, std::int64_t user_id);

  /// FAILED → QUEUED while attempts remain, claimable after the backoff
  /// (run_after = now + base × 2^attempt).
  /// @throws error retry_limit_exceeded when attempt ≥ max_attempts.
  TASKSTORE_DECL task retry(uuid const& id, std::int64_t user_id);

  /// An operator puts a task back in the queue, claimable now, without
  /// spending an attempt: a PROCESSING task (its lease is revoked, so its
  /// worker's next heartbeat finds the lease lost) or a QUEUED task waiting
  /// for its run_after. Whoever owns it; a soft-deleted task is missing.
  /// @throws error not_found; invalid_transition for any other status (nothing changes).
  TASKSTORE_DECL task requeue(uuid const& id);

  /// Expires CREATED tasks created before `cutoff` (default: 15 minutes ago),
  /// each with its event. @returns how many.
  TASKSTORE_DECL std::size_t expire_before(std::optional<timestamp> cutoff = {});

  /// Soft delete (the task API's DELETED, as `deleted_at`): lists and get() no longer show it.
  /// @returns false when there is no such task of the user's.
  TASKSTORE_DECL bool soft_delete(uuid const& id, std::int64_t user_id);

  /// The 1-year retention of task metadata: soft-deletes every task created before
  /// `cutoff` (default: a year ago), whatever its status. @returns how many.
  TASKSTORE_DECL std::size_t soft_delete_before(std::optional<timestamp> cutoff = {});

  /// COMPLETED tasks whose input files are due (completed before `cutoff`,
  /// default 7 days ago, not yet cleaned), oldest completion first.
  TASKSTORE_DECL std::vector<storage_cleanup_candidate> inputs_to_clean(std::optional<timestamp> cutoff = {},
                                                                        std::size_t limit = 1000) const;
  /// COMPLETED tasks whose output files are due (the task API's S3 cleanup query:
  /// completed before `cutoff`, default 30 days ago, `s3_cleaned` false).
  TASKSTORE_DECL std::vector<storage_cleanup_candidate> outputs_to_clean(std::optional<timestamp> cutoff = {},
                                                                         std::size_t limit = 1000) const;
  /// Records that the tasks' input files were deleted. @returns how many changed.
  std::size_t mark_inputs_cleaned(std::vector<uuid> const& ids) { return mark_cleaned(&task::inputs_cleaned, ids); }
  /// Records that the tasks' output files were deleted (`s3_cleaned`); their
  /// downloads are no longer available. @returns how many changed.
  std::size_t mark_outputs_cleaned(std::vector<uuid> const& ids) { return mark_cleaned(&task::s3_cleaned, ids); }

  /// The task's events in time order, for the task's owner.
  /// @throws error not_found when the task is missing or another user's.
  TASKSTORE_DECL std::vector<event_log> events(uuid const& id, std::int64_t user_id) const;

 private:
  TASKSTORE_DECL static query<task> owned_by(std::int64_t user_id);

  TASKSTORE_DECL std::vector<storage_cleanup_candidate> cleanup_candidates(
      bool task::*flag, timestamp before, std::size_t limit, std::string (*prefix)(std::int64_t, uuid const&)) const;
  TASKSTORE_DECL std::size_t mark_cleaned(bool task::*flag, std::vector<uuid> const& ids);

  TASKSTORE_DECL std::optional<task> find_by_idempotency_key(std::int64_t user_id, std::string const& key) const;

  /// Takes tasks that claim_batch() could not read out of circulation:
  /// QUEUED → FAILED with error_code corrupt_value, by key (they cannot be
  /// read), each with its STATUS_CHANGE event added to `events`.
  TASKSTORE_DECL void quarantine(std::vector<soci_repository<task>::unreadable_row> const& unreadable, timestamp now,
                                 std::vector<event_log>& events) const;
  TASKSTORE_DECL static event_log status_event(uuid const& id, std::optional<task_status> from, task_status to,
                                               timestamp now);
  TASKSTORE_DECL void append_status_event(uuid const& id, std::optional<task_status> from, task_status to,
                                          timestamp now);

  /// Tells workers, when the transaction commits, that `t` (just moved from
  /// `from`) can be claimed now, or was cancelled while a worker held it.
  TASKSTORE_DECL void announce(task const& t, std::optional<task_status> from, timestamp now) const;

  /// Returns an expired task to QUEUED with backoff, or FAILED on its last
  /// attempt, with its event. @throws error conflict when it changed since `t` was read.
  TASKSTORE_DECL task_status rescue(task const& seen);

  TASKSTORE_DECL static void check_claim_request(std::string const& worker_id, std::chrono::seconds lease);
  /// The claim's task, while the claim's lease holds it.
  TASKSTORE_DECL static query<task> held_by(task_claim const& claim);

  template <class F = void (*)(task&)>
  task transition(
      uuid const& id, std::optional<std::int64_t> owner, task_status to, F const& before = [](task&) {}) {
    return db_.transact([&] {
      auto t = tasks_.find(id);
      if (!t || (owner && (t->user_id != *owner || t->deleted_at))) throw error(errc::not_found, "no such task");
      auto const as_read = *t;
      before(*t);
      auto const from = t->status;
      auto const now = timestamp::now();
      apply_transition(*t, to, now);
      tasks_.update(*t, as_read);
      append_status_event(id, from, to, now);
      announce(*t, from, now);
      return std::move(*t);
    });
  }
  template <class F = void (*)(task&)>
  task owner_transition(
      uuid const& id, std::int64_t user_id, task_status to, F const& before = [](task&) {}) {
    return transition(id, user_id, to, before);
  }

  /// What complete_batch() writes, in the caller's transaction, given the
  /// claims' tasks as `rows` (as claimed, or as read).
  TASKSTORE_DECL std::vector<task> complete_rows(std::span<task_claim const> claims,
                                                 std::span<task_result const> results, std::vector<task> rows);
  /// True when the claim carries its task as claimed: the same task, in the
  /// claim's lease, not renewed since. Its version is then never ahead of the
  /// stored one (nothing but the database moves it), so a version check
  /// against it fails whenever the task changed.
  TASKSTORE_DECL static bool holds_its_task(task_claim const& c);
  /// The claimed task, or conflict when the lease is not the claim's any more.
  TASKSTORE_DECL task load_claimed(task_claim const& claim);
  // The bodies below run again when transact() retries: `before` and `mutate`
  // are const, and must copy (never move) what they capture.
  template <class F>
  task claimed_transition(task_claim const& claim, task_status to, F const& mutate) {
    return db_.transact([&] {
      auto t = load_claimed(claim);
      auto const as_read = t;
      mutate(t);
      auto const now = timestamp::now();
      apply_transition(t, to, now);
      tasks_.update(t, as_read);
      append_status_event(t.task_id, task_status::PROCESSING, to, now);
      announce(t, task_status::PROCESSING, now);
      return t;
    });
  }

  database db_;
  soci_repository<task> tasks_;
  soci_repository<event_log> events_;
  retry_backoff backoff_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/task_service.ipp>
#endif
