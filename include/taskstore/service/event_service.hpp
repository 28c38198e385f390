// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The event_service and agent_run_service: a task's event log and agent runs (seed 001).

#include <taskstore/db/database.hpp>
#include <taskstore/domain/api.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/detail/ownership.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// Filters for a task's event log; every one optional.
struct event_filter {
  std::optional<event_kind> type;
  std::optional<std::string> agent_role;
  std::optional<log_level> level;
  std::optional<timestamp> since;
};

/// A task's event log (seed 001 EventLog, seed 004 AgentLog): append, read in
/// time order with filters and keyset pages, prune. Reads take the task's
/// owner; another user's task reads as missing.
class event_service {
 public:
  explicit event_service(database const& db) : db_(db), tasks_(db), events_(db) {}

  /// Appends one event (created_at now unless set).
  /// @throws error validation_failed (agent_role over 100 characters); foreign_key_violation for an unknown task.
  event_log append(event_log e) {
    prepare(e);
    return events_.insert(e);
  }
  /// Appends events in one transaction; @returns them with their ids, in order.
  std::vector<event_log> append_batch(std::vector<event_log> events) {
    for (auto& e : events) prepare(e);
    return events_.insert_many(events);
  }

  /// The task's events in time order (then by id), filtered, one page after `after`.
  /// @throws error not_found for a missing or another user's task.
  std::vector<event_log> list(uuid const& task_id, std::int64_t user_id, event_filter const& filter = {},
                              std::size_t limit = 100, std::optional<event_log> after = {}) const {
    detail::require_owned_task(tasks_, task_id, user_id);
    auto q = query<event_log>{col(&event_log::task_id) == task_id};
    if (filter.type) q = q.where(col(&event_log::event_type) == *filter.type);
    if (filter.agent_role) q = q.where(col(&event_log::agent_role) == *filter.agent_role);
    if (filter.level) q = q.where(col(&event_log::level) == *filter.level);
    if (filter.since) q = q.where(col(&event_log::created_at) >= *filter.since);
    q = q.order_by(asc(&event_log::created_at), asc(&event_log::id)).limit(limit);
    if (after) q = q.after(*after);
    return events_.find(q);
  }

  /// Deletes events created before `cutoff`; @returns how many.
  std::size_t delete_older_than(timestamp cutoff) {
    return events_.remove_where(query<event_log>{col(&event_log::created_at) < cutoff});
  }

 private:
  static void prepare(event_log& e) {
    e.id = 0;
    if (e.agent_role) check_length("agent_role", *e.agent_role, 100);
    if (e.created_at == timestamp{}) e.created_at = timestamp::now();
  }

  database db_;
  soci_repository<task> tasks_;
  soci_repository<event_log> events_;
};

/// Agent runs under a task (seed 001 AgentRun): start, mark running, finish,
/// list by start time, and the progress detail they add up to.
class agent_run_service {
 public:
  explicit agent_run_service(database const& db) : db_(db), tasks_(db), runs_(db) {}

  /// A STARTED run of `agent_name` for the task, now.
  agent_run start(uuid const& task_id, std::string agent_name) {
    check_non_empty("agent_name", agent_name);
    check_length("agent_name", agent_name, 100);
    agent_run r;
    r.task_id = task_id;
    r.agent_name = std::move(agent_name);
    r.status = agent_run_status::STARTED;
    r.started_at = timestamp::now();
    return runs_.insert(r);
  }
  /// STARTED → RUNNING.
  agent_run mark_running(std::int64_t run_id) {
    return change(run_id, [](agent_run& r) {
      if (r.status != agent_run_status::STARTED) throw error(errc::invalid_transition, "only a STARTED run can run");
      r.status = agent_run_status::RUNNING;
    });
  }
  /// STARTED or RUNNING → COMPLETED, FAILED or CANCELLED, with its summary and tokens.
  agent_run finish(std::int64_t run_id, agent_run_status outcome, std::optional<std::string> output_summary = {},
                   std::int64_t tokens_used = 0) {
    if (outcome != agent_run_status::COMPLETED && outcome != agent_run_status::FAILED &&
        outcome != agent_run_status::CANCELLED)
      throw error(errc::validation_failed, "a run finishes COMPLETED, FAILED or CANCELLED", "status");
    if (tokens_used < 0) throw error(errc::validation_failed, "tokens_used must not be negative", "tokens_used");
    return change(run_id, [&](agent_run& r) {
      if (r.status != agent_run_status::STARTED && r.status != agent_run_status::RUNNING)
        throw error(errc::invalid_transition, "the run has already finished");
      r.status = outcome;
      r.finished_at = timestamp::now();
      r.output_summary = std::move(output_summary);
      r.tokens_used = tokens_used;
    });
  }

  /// The task's runs by start time, for its owner.
  std::vector<agent_run> list(uuid const& task_id, std::int64_t user_id) const {
    detail::require_owned_task(tasks_, task_id, user_id);
    return runs_.find(query<agent_run>{col(&agent_run::task_id) == task_id}.order_by(asc(&agent_run::started_at)));
  }

  /// current_agent, the number of agents the task lists, and how many of them
  /// have a COMPLETED run.
  progress_detail progress(task const& t) const {
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

 private:
  template <class F>
  agent_run change(std::int64_t run_id, F&& f) {
    return db_.transact([&] {
      auto r = runs_.find(run_id);
      if (!r) throw error(errc::not_found, "no such agent run");
      f(*r);
      runs_.update(*r);
      return *r;
    });
  }

  database db_;
  soci_repository<task> tasks_;
  soci_repository<agent_run> runs_;
};

}  // namespace taskstore
