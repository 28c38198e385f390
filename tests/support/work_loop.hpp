// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// A worker as an agent backend runs one: claim, complete, repeat until no
// task is left; rescue what dead workers left behind. Shared by the
// in-process (threads) and multi-process (tests/reliability/worker.cpp)
// exactly-once tests, and by the server-restart test, which needs it to ride
// out an outage.

#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_maintenance.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace taskstore::testing {

struct work_options {
  std::size_t batch = 1;  ///< 1: claim_next; more: claim_batch
  std::chrono::seconds lease{30};
  bool ride_out_outages = false;  ///< temporary errors are waited out, not fatal
};

struct work_stats {
  std::vector<uuid> completed;       ///< tasks this worker completed, as it was told
  std::size_t lost_leases = 0;       ///< completes refused with conflict
  std::size_t temporary_errors = 0;  ///< operations that failed with category temporary
};

/// Claims and completes until no task is QUEUED or PROCESSING.
inline work_stats drain(database const& db, std::string const& worker, work_options const& o) {
  task_claims work(db, retry_backoff{std::chrono::milliseconds(50), std::chrono::milliseconds(200), 0.5});
  task_maintenance maintenance(db, retry_backoff{std::chrono::milliseconds(50), std::chrono::milliseconds(200), 0.5});
  soci_repository<task> rows(db);
  auto const unfinished =
      query<task>{col(&task::status).in({task_status::QUEUED, task_status::PROCESSING, task_status::UPLOAD_FAILED})};
  auto const result = "done by " + worker;
  work_stats stats;

  // Runs `f` until it does not fail with a temporary error (with ride_out_outages).
  auto const patiently = [&](auto&& f) {
    for (;;) {
      try {
        return f();
      } catch (error const& e) {
        if (!o.ride_out_outages || e.category() != error_category::temporary) throw;
        ++stats.temporary_errors;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  };
  // Completes a claim; a COMMIT of unknown outcome is settled by reading the task back.
  auto const complete = [&](task_claim const& claim) {
    for (;;) {
      try {
        work.complete(claim, {.result_summary = result});
        stats.completed.push_back(claim.task_id);
        return;
      } catch (error const& e) {
        if (e.code() == errc::conflict) {
          auto const t = patiently([&] { return rows.find(claim.task_id); });
          // A complete whose COMMIT was lost may have landed: then the task is ours.
          if (t && t->status == task_status::COMPLETED && t->result_summary == result &&
              t->attempt == claim.task.attempt)
            stats.completed.push_back(claim.task_id);
          else
            ++stats.lost_leases;
          return;
        }
        if (!o.ride_out_outages || e.category() != error_category::temporary) throw;
        ++stats.temporary_errors;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  };

  for (;;) {
    auto const claims = patiently([&] { return work.claim_batch(worker, o.batch, o.lease); });
    for (auto const& claim : claims) complete(claim);
    if (!claims.empty()) continue;
    if (patiently([&] { return rows.count(unfinished); }) == 0) return stats;
    // Others hold the rest, or a dead worker does: rescue what expired, then look again.
    patiently([&] { return maintenance.rescue_expired(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

/// `n` QUEUED tasks of one user, inserted in bulk (creating them is not what is tested).
inline std::vector<uuid> enqueue_tasks(database const& db, std::int64_t user_id, std::size_t n) {
  std::vector<task> batch(n);
  auto const now = timestamp::now();
  for (std::size_t i = 0; i < n; ++i) {
    auto& t = batch[i];
    t.task_id = uuid::generate_v7();
    t.user_id = user_id;
    t.tool_id = "stress";
    t.agents = std::vector<std::string>{"a"};
    t.status = task_status::QUEUED;
    t.created_at = t.updated_at = now;
    t.queued_at = now;
  }
  std::vector<uuid> ids;
  for (auto const& t : soci_repository<task>(db).insert_many(batch)) ids.push_back(t.task_id);
  return ids;
}

/// What the exactly-once tests check and report.
struct exactly_once_report {
  std::size_t processed = 0;       ///< tasks COMPLETED in the database
  std::size_t duplicates = 0;      ///< completions reported (or logged) beyond one per task
  std::size_t lost = 0;            ///< tasks not COMPLETED, or completed by nobody's account
  std::size_t log_mismatches = 0;  ///< tasks whose events disagree with their row
  std::size_t lost_leases = 0;
  std::size_t temporary_errors = 0;
};
inline std::ostream& operator<<(std::ostream& os, exactly_once_report const& r) {
  return os << r.processed << " tasks processed, " << r.duplicates << " duplicates, " << r.lost << " lost, "
            << r.log_mismatches << " event-log mismatches (" << r.lost_leases << " lost leases, " << r.temporary_errors
            << " temporary errors ridden out)";
}

/// Compares the database with what the workers say they did: every task
/// COMPLETED once, by exactly one worker's account, with one
/// PROCESSING->COMPLETED event and one QUEUED->PROCESSING event per attempt.
inline exactly_once_report check_exactly_once(database const& db, std::vector<uuid> const& ids,
                                              std::vector<work_stats> const& workers) {
  exactly_once_report r;
  std::map<uuid, std::size_t> told, completed_events, claimed_events;
  for (auto const& w : workers) {
    for (auto const& id : w.completed) ++told[id];
    r.lost_leases += w.lost_leases;
    r.temporary_errors += w.temporary_errors;
  }
  for (auto const& e : soci_repository<event_log>(db).find(
           query<event_log>{col(&event_log::event_type) == event_kind::status_change})) {
    if (e.content == "PROCESSING->COMPLETED") ++completed_events[e.task_id];
    if (e.content == "QUEUED->PROCESSING") ++claimed_events[e.task_id];
  }
  std::map<uuid, task> rows;
  for (auto& t : soci_repository<task>(db).find(query<task>{col(&task::task_id).in(ids)})) rows[t.task_id] = t;
  for (auto const& id : ids) {
    auto const row = rows.find(id);
    bool const done = row != rows.end() && row->second.status == task_status::COMPLETED;
    r.processed += done ? 1 : 0;
    auto const n = told.count(id) ? told[id] : 0;
    if (!done || n == 0) ++r.lost;
    if (n > 1) r.duplicates += n - 1;
    if (completed_events[id] > 1) r.duplicates += completed_events[id] - 1;
    if (done && (completed_events[id] != 1 || claimed_events[id] != static_cast<std::size_t>(row->second.attempt)))
      ++r.log_mismatches;
  }
  return r;
}

}  // namespace taskstore::testing
