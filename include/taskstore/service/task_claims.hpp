// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// task_claims: what a worker does with tasks: claims, leases, progress and
/// the outcome of an attempt.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/retry_backoff.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/detail/task_transitions.hpp>

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace taskstore {

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

/// The worker's side of the task lifecycle (docs/lifecycle.md): claims and
/// leases, progress, and the outcome of an attempt. Every state change runs
/// in one transaction with its STATUS_CHANGE event, as task_service's do;
/// every change to a claimed task presents its claim, and raises conflict,
/// changing nothing, once the claim's lease was lost.
/// Thread-safe like its database.
class task_claims {
 public:
  /// `backoff` spaces out the retries of fail_or_retry().
  TASKSTORE_DECL explicit task_claims(database const& db, retry_backoff backoff = {});

  /// The task, whoever owns it and whether or not it was soft-deleted; nullopt when there is none.
  TASKSTORE_DECL std::optional<task> find(uuid const& task_id) const;

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
  /// @throws error conflict when the lease was lost.
  TASKSTORE_DECL task fail(task_claim const& claim, std::string const& error_code, std::string const& message,
                           std::optional<boost::json::value> const& failure_context = {});

 private:
  /// Takes tasks that claim_batch() could not read out of circulation:
  /// QUEUED → FAILED with error_code corrupt_value, by key (they cannot be
  /// read), each with its STATUS_CHANGE event added to `events`.
  TASKSTORE_DECL void quarantine(std::vector<soci_repository<task>::unreadable_row> const& unreadable, timestamp now,
                                 std::vector<event_log>& events) const;

  TASKSTORE_DECL static void check_claim_request(std::string const& worker_id, std::chrono::seconds lease);

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
  // The bodies below run again when transact() retries: `mutate` is const,
  // and must copy (never move) what it captures.
  template <class F>
  task claimed_transition(task_claim const& claim, task_status to, F const& mutate) {
    return life_.db.transact([&] {
      auto t = load_claimed(claim);
      auto const as_read = t;
      mutate(t);
      auto const now = timestamp::now();
      apply_transition(t, to, now);
      life_.tasks.update(t, as_read);
      life_.append_status_event(t.task_id, task_status::PROCESSING, to, now);
      life_.announce(t, task_status::PROCESSING, now);
      return t;
    });
  }

  detail::task_transitions life_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/task_claims.ipp>
#endif
