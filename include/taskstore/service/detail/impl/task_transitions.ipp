// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/detail/task_transitions.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/detail/task_transitions.hpp>

#include <taskstore/service/task_signals.hpp>

#include <string>

namespace taskstore::detail {

task_transitions::task_transitions(database const& d, retry_backoff b) : db(d), tasks(d), events(d), backoff(b) {}

event_log task_transitions::status_event(uuid const& id, std::optional<task_status> from, task_status to,
                                         timestamp now) {
  event_log e;
  e.task_id = id;
  e.event_type = event_kind::status_change;
  e.level = log_level::info;
  e.content = (from ? std::string(enum_to_string(*from)) : std::string()) + "->" + std::string(enum_to_string(to));
  e.created_at = now;
  return e;
}

void task_transitions::append_status_event(uuid const& id, std::optional<task_status> from, task_status to,
                                           timestamp now) {
  events.insert(status_event(id, from, to, now));
}

void task_transitions::announce(task const& t, std::optional<task_status> from, timestamp now) const {
  // A delayed task becomes claimable without a transaction to announce it: workers poll for those.
  if (t.status == task_status::QUEUED && (!t.run_after || *t.run_after <= now))
    db.notify(task_signal::queued(t.tool_id));
  if (from == task_status::PROCESSING && t.status == task_status::CANCELLED)
    db.notify(task_signal::revoked(t.task_id));  // its worker's next heartbeat would find out later
}

}  // namespace taskstore::detail
