// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/schedule/periodic.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/schedule/periodic.hpp>

#include <taskstore/domain/schedule.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/error.hpp>
#include <taskstore/repository/soci_repository.hpp>

namespace taskstore {

timestamp period_start(periodic_schedule const& s, timestamp at) {
  auto const every = std::chrono::duration_cast<timestamp::duration>(s.every);
  auto const since_epoch = at.time().time_since_epoch();
  // floor, not truncation: times before 1970 belong to the period that began before them.
  auto n = since_epoch / every;
  if (since_epoch % every < timestamp::duration::zero()) --n;
  return timestamp(timestamp::time_point(n * every));
}

void check_periodic_schedule(periodic_schedule const& s) {
  if (s.id.empty() || s.id.size() > 100)
    throw error(errc::validation_failed, "a periodic schedule id has 1 to 100 characters", "id");
  if (s.every < std::chrono::seconds(1))
    throw error(errc::validation_failed, "a periodic schedule's period is at least 1 s", "every");
  if (s.max_delay && (*s.max_delay < std::chrono::seconds(0) || *s.max_delay >= s.every))
    throw error(errc::validation_failed, "a periodic schedule's max_delay is 0 to less than its period", "max_delay");
  if (s.task.idempotency_key)
    throw error(errc::validation_failed, "a periodic schedule's task has no idempotency key", "task.idempotency_key");
  check_tool_id(s.task.tool_id);
  check_agents(s.task.agents);
  if (s.task.max_attempts < 1) throw error(errc::validation_failed, "max_attempts must be at least 1", "max_attempts");
}

std::optional<task> create_periodic(database const& db, periodic_schedule const& s, timestamp now) {
  check_periodic_schedule(s);
  auto const start = period_start(s, now);
  if (s.max_delay && now - start > std::chrono::duration_cast<timestamp::duration>(*s.max_delay)) return std::nullopt;
  soci_repository<task_periodic_run> runs(db);
  task_service tasks(db);
  return db.transact([&]() -> std::optional<task> {
    // The run row first: its unique key decides which process creates the
    // task; a loser's transaction changes nothing.
    auto const run = runs.insert_if_absent(task_periodic_run{0, s.id, start, std::nullopt, timestamp::now()});
    if (!run) return std::nullopt;
    auto const created = tasks.create(s.task);
    auto queued = tasks.queue(created.task_id, created.user_id);
    runs.update_where(query<task_periodic_run>{col(&task_periodic_run::id) == run->id},
                      set(&task_periodic_run::task_id, std::optional<uuid>(queued.task_id)));
    return queued;
  });
}

}  // namespace taskstore
