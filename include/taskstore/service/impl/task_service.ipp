// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/task_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/task_service.hpp>

#include <taskstore/domain/validation.hpp>
#include <taskstore/service/detail/hot_queries.hpp>

namespace taskstore {

task_list_response to_task_list_response(task_page const& page) {
  task_list_response out;
  for (auto const& t : page.tasks) out.tasks.push_back(to_task_response(t));
  out.pagination = {static_cast<std::int64_t>(page.total), static_cast<std::int64_t>(page.limit),
                    static_cast<std::int64_t>(page.offset), page.has_more};
  return out;
}

task_service::task_service(database const& db, retry_backoff backoff)
    : life_(db, backoff), task_reads_(db.reads()), event_reads_(db.reads()) {}

task task_service::create(new_task const& request) {
  check_tool_id(request.tool_id);
  check_agents(request.agents);
  if (request.title) check_length("title", *request.title, 255);
  if (request.workflow_id) check_length("workflow_id", *request.workflow_id, 255);
  if (request.idempotency_key) check_length("idempotency_key", *request.idempotency_key, 255);
  if (request.max_attempts < 1) throw error(errc::validation_failed, "max_attempts must be at least 1", "max_attempts");
  if (request.idempotency_key)
    if (auto existing = find_by_idempotency_key(request.user_id, *request.idempotency_key)) return *existing;

  auto const now = timestamp::now();
  task t;
  t.task_id = uuid::generate_v7();
  t.user_id = request.user_id;
  t.tool_id = request.tool_id;
  t.agents = request.agents;
  t.agents_total = static_cast<std::int32_t>(request.agents.size());
  t.title = request.title;
  t.workflow_id = request.workflow_id;
  t.input_prompt = request.input_prompt.value_or("");
  t.idempotency_key = request.idempotency_key;
  t.max_attempts = request.max_attempts;
  t.priority = request.priority;
  t.created_at = t.updated_at = now;
  return life_.db.transact([&] {
    if (!request.idempotency_key) {
      life_.tasks.insert(t);  // a fresh v7 id: only the idempotency key can collide
    } else if (!life_.tasks.insert_if_absent(t)) {
      // Two creates raced with one key: the unique key decides; the loser returns the winner.
      if (auto existing = find_by_idempotency_key(request.user_id, *request.idempotency_key)) return *existing;
      throw error(errc::already_exists, "a task with this id exists");
    }
    life_.append_status_event(t.task_id, std::nullopt, task_status::CREATED, now);
    return t;
  });
}

std::optional<task> task_service::find(uuid const& task_id) const { return life_.tasks.find(task_id); }

task task_service::get(uuid const& task_id, std::int64_t user_id) const {
  auto t = life_.tasks.find(task_id);
  if (!t || t->user_id != user_id || t->deleted_at) throw error(errc::not_found, "no such task");
  return std::move(*t);
}

task_page task_service::list(std::int64_t user_id, std::optional<task_status> status, page_request paging) const {
  auto const [limit, offset] = paging;
  auto q = owned_by(user_id);
  if (status) q = q.where(col(&task::status) == *status);
  task_page page;
  page.total = task_reads_.count(q);
  page.limit = limit;
  page.offset = offset;
  page.tasks = task_reads_.find(detail::newest_first(q).limit(limit).offset(offset));
  page.has_more = offset + page.tasks.size() < page.total;
  return page;
}

std::vector<task> task_service::list_after(std::int64_t user_id, std::optional<task_status> status, task const& last,
                                           std::size_t limit) const {
  auto q = owned_by(user_id);
  if (status) q = q.where(col(&task::status) == *status);
  return task_reads_.find(detail::newest_first(q).after(last).limit(limit));
}

std::vector<task> task_service::active(std::int64_t user_id) const {
  return task_reads_.find(owned_by(user_id)
                              .where(col(&task::status).in({task_status::QUEUED, task_status::PROCESSING}))
                              .order_by(desc(&task::created_at), desc(&task::task_id)));
}

task task_service::start_upload(uuid const& id, std::int64_t user_id) {
  return owner_transition(id, user_id, task_status::UPLOADING);
}

task task_service::mark_uploaded(uuid const& id, std::int64_t user_id) {
  return owner_transition(id, user_id, task_status::QUEUED, detail::require_status(task_status::UPLOADING));
}

task task_service::mark_upload_failed(uuid const& id, std::int64_t user_id, std::string const& error_code,
                                      std::string const& message) {
  check_length("error_code", error_code, 50);
  return owner_transition(id, user_id, task_status::UPLOAD_FAILED, [&](task& t) {
    t.error_code = error_code;
    t.error_message = message;
  });
}

task task_service::queue(uuid const& id, std::int64_t user_id) {
  return owner_transition(id, user_id, task_status::QUEUED, detail::require_status(task_status::CREATED));
}

task task_service::cancel(uuid const& id, std::int64_t user_id) {
  return owner_transition(id, user_id, task_status::CANCELLED, [](task& t) {
    if (!can_cancel(t.status))
      throw error(errc::invalid_transition, "only QUEUED or PROCESSING tasks can be cancelled");
  });
}

task task_service::retry(uuid const& id, std::int64_t user_id) {
  return owner_transition(id, user_id, task_status::QUEUED, [this](task& t) {
    if (t.status == task_status::FAILED && t.attempt >= t.max_attempts)
      throw error(errc::retry_limit_exceeded, error_category::user_fixable,
                  "the task used all " + std::to_string(t.max_attempts) + " attempts");
    if (t.status != task_status::FAILED) throw error(errc::invalid_transition, "only a FAILED task can be retried");
    t.run_after = life_.backoff.next_run(timestamp::now(), t.attempt);
  });
}

bool task_service::soft_delete(uuid const& id, std::int64_t user_id) {
  return life_.db.transact([&] {
    auto t = life_.tasks.find(id);
    if (!t || t->user_id != user_id || t->deleted_at) return false;
    t->deleted_at = t->updated_at = timestamp::now();
    life_.tasks.update(*t);
    return true;
  });
}

std::vector<event_log> task_service::events(uuid const& id, std::int64_t user_id) const {
  auto const t = task_reads_.find(id);
  if (!t || t->user_id != user_id || t->deleted_at) throw error(errc::not_found, "no such task");
  return event_reads_.find(query<event_log>{col(&event_log::task_id) == id}.order_by(asc(&event_log::created_at)));
}

query<task> task_service::owned_by(std::int64_t user_id) { return detail::owned_tasks(user_id); }

std::optional<task> task_service::find_by_idempotency_key(std::int64_t user_id, std::string const& key) const {
  return life_.tasks.find_one(query<task>{col(&task::user_id) == user_id && col(&task::idempotency_key) == key});
}

}  // namespace taskstore
