// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/event_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/detail/hot_queries.hpp>
#include <taskstore/service/detail/ownership.hpp>
#include <taskstore/service/event_service.hpp>

#include <utility>

namespace taskstore {

event_service::event_service(database const& db)
    : db_(db), tasks_(db), events_(db), task_reads_(db.reads()), event_reads_(db.reads()) {}

event_log event_service::append(event_log e) {
  prepare(e);
  return events_.insert(e);
}

std::vector<event_log> event_service::append_batch(std::vector<event_log> events) {
  for (auto& e : events) prepare(e);
  return events_.insert_many(events);
}

std::vector<event_log> event_service::list(uuid const& task_id, std::int64_t user_id, event_filter const& filter,
                                           std::size_t limit, std::optional<event_log> after) const {
  detail::require_owned_task(task_reads_, task_id, user_id);
  auto q = query<event_log>{col(&event_log::task_id) == task_id};
  if (filter.type) q = q.where(col(&event_log::event_type) == *filter.type);
  if (filter.agent_role) q = q.where(col(&event_log::agent_role) == *filter.agent_role);
  if (filter.level) q = q.where(col(&event_log::level) == *filter.level);
  if (filter.since) q = q.where(col(&event_log::created_at) >= *filter.since);
  q = detail::events_in_order(q).limit(limit);
  if (after) q = q.after(*after);
  return event_reads_.find(q);
}

std::size_t event_service::purge_before(timestamp cutoff) {
  return events_.remove_where(detail::events_before(cutoff));
}

void event_service::prepare(event_log& e) {
  e.id = 0;
  if (e.agent_role) check_length("agent_role", *e.agent_role, 100);
  if (e.created_at == timestamp{}) e.created_at = timestamp::now();
}

}  // namespace taskstore
