// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/worker/task_context.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/worker/task_context.hpp>

#include <utility>

namespace taskstore {

task_context::task_context(task_claims& tasks, database const& db, task_claim claim)
    : tasks_(&tasks), db_(db), worker_id_(claim.worker_id), claim_(std::move(claim)), task_(claim_.task) {}

task_claim task_context::claim() const {
  std::lock_guard lock(mutex_);
  return claim_;
}

void task_context::progress(std::int32_t percent, std::optional<std::string> const& agent) {
  tasks_->report_progress(claim(), percent, agent);
}

void task_context::event(log_level level, std::string const& text) {
  auto const held = claim();
  soci_repository<task> const tasks(db_);
  soci_repository<event_log> const events(db_);
  db_.transact([&] {
    auto const t = tasks.find(held.task_id);
    if (!t || t->status != task_status::PROCESSING || t->lease_token != held.lease_token)
      throw error(errc::conflict, "the lease on this task was lost (another worker holds it, or it ended)");
    event_log e;
    e.task_id = held.task_id;
    e.event_type = event_kind::log;
    e.level = level;
    e.content = text;
    e.created_at = timestamp::now();
    events.insert(e);
  });
}

}  // namespace taskstore
