// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/completion_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/completion_service.hpp>
#include <taskstore/service/detail/ownership.hpp>

#include <utility>

namespace taskstore {

completion_service::completion_service(database const& db)
    : db_(db), tasks_(db), events_(db), runs_(db), users_(db), completions_(db) {}

task_completion completion_service::record(uuid const& task_id) {
  return db_.transact([&] {
    auto t = tasks_.find(task_id);
    if (!t) throw error(errc::not_found, "no such task");
    if (t->status != task_status::COMPLETED && t->status != task_status::FAILED)
      throw error(errc::invalid_transition, "only a COMPLETED or FAILED task has a completion record");
    auto const owner = users_.find(t->user_id);
    boost::json::object data;
    data["task"] = to_json(*t);
    boost::json::array events, runs;
    for (auto const& e :
         events_.find(query<event_log>{col(&event_log::task_id) == task_id}.order_by(asc(&event_log::created_at))))
      events.push_back(to_json(e));
    for (auto const& r :
         runs_.find(query<agent_run>{col(&agent_run::task_id) == task_id}.order_by(asc(&agent_run::started_at))))
      runs.push_back(to_json(r));
    data["events"] = std::move(events);
    data["agent_runs"] = std::move(runs);

    auto const now = timestamp::now();
    task_completion c;
    c.task_id = task_id;
    c.workflow_id = t->workflow_id.value_or("");
    c.user_email = owner ? owner->email : std::string();
    c.task_data = std::move(data);
    c.original_question = t->input_prompt;
    c.status = t->status == task_status::COMPLETED ? completion_status::completed : completion_status::failed;
    c.tokens_used = t->tokens_used;
    c.execution_time = t->execution_time;
    c.created_at = c.updated_at = now;
    c.completed_at = t->status == task_status::COMPLETED ? t->completed_at : t->failed_at;
    return completions_.insert(c);
  });
}

task_completion completion_service::create(task_completion_create const& request) {
  validate(request);
  auto const now = timestamp::now();
  task_completion c;
  c.task_id = request.task_id;
  c.workflow_id = request.workflow_id;
  c.user_email = normalize_email(request.user_email, "user_email");
  c.task_data = request.task_data;
  c.original_question = request.original_question;
  c.status = request.status.value_or(completion_status::completed);
  c.tokens_used = request.tokens_used.value_or(0);
  c.execution_time = request.execution_time.value_or(std::chrono::duration<double>{});
  c.created_at = c.updated_at = now;
  if (c.status == completion_status::completed) c.completed_at = now;
  return completions_.insert(c);
}

std::optional<task_completion> completion_service::update(uuid const& task_id, task_completion_update const& changes) {
  return db_.transact([&]() -> std::optional<task_completion> {
    auto c = find_by_task(task_id);
    if (!c) return std::nullopt;
    if (changes.summary_steps) c->summary_steps = changes.summary_steps;
    if (changes.summary_dos_donts) c->summary_dos_donts = changes.summary_dos_donts;
    if (changes.summary_learnings) c->summary_learnings = changes.summary_learnings;
    if (changes.summary_expected_outcome) c->summary_expected_outcome = changes.summary_expected_outcome;
    if (changes.status) c->status = *changes.status;
    c->updated_at = timestamp::now();
    completions_.update(*c);
    return c;
  });
}

task_completion completion_service::get_by_task(uuid const& task_id, std::int64_t user_id) const {
  detail::require_owned_task(tasks_, task_id, user_id);
  auto c = find_by_task(task_id);
  if (!c) throw error(errc::not_found, "the task has no completion record");
  return std::move(*c);
}

std::optional<task_completion> completion_service::find_by_task(uuid const& task_id) const {
  return completions_.find_one(query<task_completion>{col(&task_completion::task_id) == task_id});
}

std::vector<task_completion> completion_service::find_by_workflow(std::string const& workflow_id) const {
  return completions_.find(query<task_completion>{col(&task_completion::workflow_id) == workflow_id}.order_by(
      asc(&task_completion::created_at)));
}

std::vector<task_completion> completion_service::find_by_user_email(std::string const& email) const {
  return completions_.find(query<task_completion>{col(&task_completion::user_email) == normalize_email(email)}.order_by(
      asc(&task_completion::created_at)));
}

}  // namespace taskstore
