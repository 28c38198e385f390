// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The queries the services run most, built in one place: the services run
// them and doctor() asks the database how it plans them (EXPLAIN), so the
// plans it reports are those of the queries that run.

#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/error.hpp>
#include <taskstore/sql/query.hpp>

#include <cstdint>
#include <string>

namespace taskstore::detail {

/// Tasks a claim may take at `now`: QUEUED, not deleted, not delayed past now.
inline query<task> claimable_tasks(timestamp now) {
  return query<task>{col(&task::status) == task_status::QUEUED && col(&task::deleted_at).is_null() &&
                     (col(&task::run_after).is_null() || col(&task::run_after) <= now)};
}

/// The order claims take tasks in: priority, then the oldest first.
inline query<task> in_claim_order(query<task> const& q) {
  return q.order_by(asc(&task::priority), asc(&task::created_at), asc(&task::task_id));
}

/// A user's tasks, deleted ones left out.
inline query<task> owned_tasks(std::int64_t user_id) {
  return query<task>{col(&task::user_id) == user_id && col(&task::deleted_at).is_null()};
}

/// The order a user's list shows tasks in: the newest first.
inline query<task> newest_first(query<task> const& q) {
  return q.order_by(desc(&task::created_at), desc(&task::task_id));
}

/// A task's events in the order they happened.
inline query<event_log> events_in_order(query<event_log> const& q) {
  return q.order_by(asc(&event_log::created_at), asc(&event_log::id));
}

/// PROCESSING tasks whose lease ran out before `cutoff`, the longest expired first.
inline query<task> expired_leases(timestamp cutoff) {
  return query<task>{col(&task::status) == task_status::PROCESSING && col(&task::lease_expires_at) < cutoff}.order_by(
      asc(&task::lease_expires_at));
}

/// CREATED tasks created before `before`, the oldest first: cleanup expires
/// them. (In the creation time's order, not the key's: a database may then
/// read them from its creation-time index rather than every task by key.)
inline query<task> stale_created(timestamp before) {
  return query<task>{col(&task::status) == task_status::CREATED && col(&task::created_at) < before}.order_by(
      asc(&task::created_at));
}

/// Tasks created before `before` and not yet deleted: retention soft-deletes them.
inline query<task> past_retention(timestamp before) {
  return query<task>{col(&task::created_at) < before && col(&task::deleted_at).is_null()};
}

/// The error code of a task a claim could not read and took out of circulation.
inline std::string quarantined_error_code() { return std::string(to_string(errc::corrupt_value)); }

/// Tasks taken out of circulation because no worker could read them (task_claims).
inline query<task> quarantined_tasks() {
  return query<task>{col(&task::status) == task_status::FAILED && col(&task::error_code) == quarantined_error_code()};
}

/// Events written before `cutoff`: cleanup deletes them.
inline query<event_log> events_before(timestamp cutoff) {
  return query<event_log>{col(&event_log::created_at) < cutoff};
}

}  // namespace taskstore::detail
