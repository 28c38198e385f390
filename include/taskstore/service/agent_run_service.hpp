// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The agent_run_service: the agent runs under a task.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/api.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// Agent runs under a task (AgentRun): start, mark running, finish,
/// list by start time, and the progress detail they add up to.
class agent_run_service {
 public:
  TASKSTORE_DECL explicit agent_run_service(database const& db);

  /// A STARTED run of `agent_name` for the task, now.
  TASKSTORE_DECL agent_run start(uuid const& task_id, std::string agent_name);
  /// STARTED → RUNNING.
  TASKSTORE_DECL agent_run mark_running(std::int64_t run_id);
  /// STARTED or RUNNING → COMPLETED, FAILED or CANCELLED, with its summary and tokens.
  TASKSTORE_DECL agent_run finish(std::int64_t run_id, agent_run_status outcome,
                                  std::optional<std::string> const& output_summary = {}, std::int64_t tokens_used = 0);

  /// The task's runs by start time, for the task's owner.
  /// @throws error not_found when the task is missing or another user's.
  TASKSTORE_DECL std::vector<agent_run> list(uuid const& task_id, std::int64_t user_id) const;

  /// current_agent, the number of agents the task lists, and how many of them
  /// have a COMPLETED run.
  TASKSTORE_DECL progress_detail progress(task const& t) const;

 private:
  template <class F>
  agent_run change(std::int64_t run_id, F const& f) {
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

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/agent_run_service.ipp>
#endif
