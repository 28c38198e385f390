// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/agent_run_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/validation.hpp>
#include <taskstore/service/agent_run_service.hpp>
#include <taskstore/service/detail/ownership.hpp>

#include <algorithm>
#include <utility>

namespace taskstore {

agent_run_service::agent_run_service(database const& db) : db_(db), tasks_(db), runs_(db) {}

agent_run agent_run_service::start(uuid const& task_id, std::string agent_name) {
  check_non_empty("agent_name", agent_name);
  check_length("agent_name", agent_name, 100);
  agent_run r;
  r.task_id = task_id;
  r.agent_name = std::move(agent_name);
  r.status = agent_run_status::STARTED;
  r.started_at = timestamp::now();
  return runs_.insert(r);
}

agent_run agent_run_service::mark_running(std::int64_t run_id) {
  return change(run_id, [](agent_run& r) {
    if (r.status != agent_run_status::STARTED) throw error(errc::invalid_transition, "only a STARTED run can run");
    r.status = agent_run_status::RUNNING;
  });
}

agent_run agent_run_service::finish(std::int64_t run_id, agent_run_status outcome,
                                    std::optional<std::string> const& output_summary, std::int64_t tokens_used) {
  if (outcome != agent_run_status::COMPLETED && outcome != agent_run_status::FAILED &&
      outcome != agent_run_status::CANCELLED)
    throw error(errc::validation_failed, "a run finishes COMPLETED, FAILED or CANCELLED", "status");
  if (tokens_used < 0) throw error(errc::validation_failed, "tokens_used must not be negative", "tokens_used");
  return change(run_id, [&](agent_run& r) {
    if (r.status != agent_run_status::STARTED && r.status != agent_run_status::RUNNING)
      throw error(errc::invalid_transition, "the run has already finished");
    r.status = outcome;
    r.finished_at = timestamp::now();
    r.output_summary = output_summary;
    r.tokens_used = tokens_used;
  });
}

std::vector<agent_run> agent_run_service::list(uuid const& task_id, std::int64_t user_id) const {
  detail::require_owned_task(tasks_, task_id, user_id);
  return runs_.find(query<agent_run>{col(&agent_run::task_id) == task_id}.order_by(asc(&agent_run::started_at)));
}

progress_detail agent_run_service::progress(task const& t) const {
  progress_detail d;
  d.current_agent = t.current_agent;
  d.agents_total = static_cast<std::int64_t>(t.agents->size());
  std::vector<std::string> done;
  for (auto const& r : runs_.find(query<agent_run>{col(&agent_run::task_id) == t.task_id &&
                                                   col(&agent_run::status) == agent_run_status::COMPLETED}))
    if (std::find(done.begin(), done.end(), r.agent_name) == done.end()) done.push_back(r.agent_name);
  for (auto const& a : *t.agents) d.agents_completed += std::count(done.begin(), done.end(), a) ? 1 : 0;
  return d;
}

}  // namespace taskstore
