// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/task_maintenance.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/task_maintenance.hpp>

#include <taskstore/domain/validation.hpp>
#include <taskstore/service/detail/hot_queries.hpp>
#include <taskstore/service/task_signals.hpp>

#include <algorithm>

namespace taskstore {

task_maintenance::task_maintenance(database const& db, retry_backoff backoff) : life_(db, backoff) {}

rescue_report task_maintenance::rescue_expired(std::optional<timestamp> cutoff_or_now) {
  auto const cutoff = cutoff_or_now.value_or(timestamp::now());
  rescue_report report;
  static constexpr std::size_t batch = 500;
  for (;;) {
    auto const expired = life_.tasks.find(detail::expired_leases(cutoff).limit(batch));
    std::size_t changed = 0;
    for (auto const& t : expired) {
      try {
        auto const to = rescue(t);
        ++(to == task_status::QUEUED ? report.requeued : report.failed);
        ++changed;
      } catch (error const& e) {
        if (e.code() != errc::conflict) throw;  // its worker renewed or finished it meanwhile
      }
    }
    if (expired.size() < batch || changed == 0) return report;
  }
}

task task_maintenance::requeue(uuid const& id) {
  return life_.db.transact([&] {
    auto t = life_.tasks.find(id);
    if (!t || t->deleted_at) throw error(errc::not_found, "no such task");
    auto const as_read = *t;
    auto const from = t->status;
    auto const now = timestamp::now();
    if (from == task_status::PROCESSING) {
      apply_transition(*t, task_status::QUEUED, now);  // clears the lease: the worker's claim is fenced off
      t->attempt = std::max(0, t->attempt - 1);
    } else if (from == task_status::QUEUED) {
      t->updated_at = now;
    } else {
      throw error(errc::invalid_transition, "only a QUEUED or PROCESSING task can be requeued (this one is " +
                                                std::string(enum_to_string(from)) + ")");
    }
    t->run_after = now;
    life_.tasks.update(*t, as_read);
    life_.append_status_event(id, from, task_status::QUEUED, now);
    life_.announce(*t, from, now);
    if (from == task_status::PROCESSING) life_.db.notify(task_signal::revoked(id));
    return std::move(*t);
  });
}

task task_maintenance::fail_by_system(uuid const& id, std::string const& error_code, std::string const& message) {
  check_length("error_code", error_code, 50);
  return life_.transition(id, std::nullopt, task_status::FAILED, [&](task& t) {
    if (t.status != task_status::PROCESSING) throw error(errc::invalid_transition, "only a PROCESSING task can fail");
    t.error_code = error_code;
    t.error_message = message;
  });
}

std::size_t task_maintenance::expire_before(std::optional<timestamp> cutoff) {
  auto const before = cutoff.value_or(timestamp::now() - std::chrono::minutes(15));
  std::size_t n = 0;
  for (auto const& t : life_.tasks.find(detail::stale_created(before))) {
    try {
      life_.transition(t.task_id, std::nullopt, task_status::EXPIRED);
      ++n;
    } catch (error const& e) {
      if (e.code() != errc::invalid_transition && e.code() != errc::conflict) throw;  // moved on meanwhile
    }
  }
  return n;
}

std::size_t task_maintenance::soft_delete_before(std::optional<timestamp> cutoff) {
  auto const before = cutoff.value_or(timestamp::now() - task_metadata_retention);
  auto const now = timestamp::now();
  return life_.tasks.update_where(detail::past_retention(before), set(&task::deleted_at, std::optional<timestamp>(now)),
                                  set(&task::updated_at, now));
}

std::vector<storage_cleanup_candidate> task_maintenance::inputs_to_clean(std::optional<timestamp> cutoff,
                                                                         std::size_t limit) const {
  return cleanup_candidates(&task::inputs_cleaned, cutoff.value_or(timestamp::now() - input_files_retention), limit,
                            inputs_prefix);
}

std::vector<storage_cleanup_candidate> task_maintenance::outputs_to_clean(std::optional<timestamp> cutoff,
                                                                          std::size_t limit) const {
  return cleanup_candidates(&task::s3_cleaned, cutoff.value_or(timestamp::now() - output_files_retention), limit,
                            outputs_prefix);
}

task_status task_maintenance::rescue(task const& seen) {
  return life_.db.transact([&] {
    auto t = seen;  // afresh on every attempt of the transaction
    auto const now = timestamp::now();
    auto const worker = t.locked_by.value_or("?");
    bool const retry = t.attempt < t.max_attempts;
    auto const to = retry ? task_status::QUEUED : task_status::FAILED;
    apply_transition(t, to, now);
    if (retry) {
      t.run_after = life_.backoff.next_run(now, t.attempt);
      t.error_message = "lease of worker " + worker + " expired; attempt " + std::to_string(t.attempt) + " of " +
                        std::to_string(t.max_attempts);
    } else {
      t.error_code = std::string(to_string(errc::retry_limit_exceeded));
      t.error_message =
          "lease of worker " + worker + " expired on the last of " + std::to_string(t.max_attempts) + " attempts";
    }
    life_.tasks.update(t, seen);  // compare-and-set on the version read
    life_.append_status_event(t.task_id, task_status::PROCESSING, to, now);
    life_.announce(t, task_status::PROCESSING, now);
    return to;
  });
}

std::vector<storage_cleanup_candidate> task_maintenance::cleanup_candidates(
    bool task::*flag, timestamp before, std::size_t limit, std::string (*prefix)(std::int64_t, uuid const&)) const {
  std::vector<storage_cleanup_candidate> out;
  for (auto const& t : life_.tasks.find(query<task>{col(&task::status) == task_status::COMPLETED &&
                                                    col(&task::completed_at) < before && col(flag) == false}
                                            .order_by(asc(&task::completed_at), asc(&task::task_id))
                                            .limit(limit)))
    out.push_back({t.task_id, t.user_id, prefix(t.user_id, t.task_id)});
  return out;
}

std::size_t task_maintenance::mark_cleaned(bool task::*flag, std::vector<uuid> const& ids) {
  if (ids.empty()) return 0;
  return life_.tasks.update_where(query<task>{col(&task::task_id).in(ids) && col(flag) == false}, set(flag, true),
                                  set(&task::updated_at, timestamp::now()));
}

}  // namespace taskstore
