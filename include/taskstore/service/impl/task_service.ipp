// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/task_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/task_service.hpp>

#include <taskstore/domain/validation.hpp>
#include <taskstore/service/detail/limit_gate.hpp>
#include <taskstore/service/task_signals.hpp>

#include <algorithm>
#include <unordered_map>

namespace taskstore {

task_list_response to_task_list_response(task_page const& page) {
  task_list_response out;
  for (auto const& t : page.tasks) out.tasks.push_back(to_task_response(t));
  out.pagination = {static_cast<std::int64_t>(page.total), static_cast<std::int64_t>(page.limit),
                    static_cast<std::int64_t>(page.offset), page.has_more};
  return out;
}

task_service::task_service(database const& db, retry_backoff backoff)
    : db_(db), tasks_(db), events_(db), backoff_(backoff) {}

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
  return db_.transact([&] {
    if (!request.idempotency_key) {
      tasks_.insert(t);  // a fresh v7 id: only the idempotency key can collide
    } else if (!tasks_.insert_if_absent(t)) {
      // Two creates raced with one key: the unique key decides; the loser returns the winner.
      if (auto existing = find_by_idempotency_key(request.user_id, *request.idempotency_key)) return *existing;
      throw error(errc::already_exists, "a task with this id exists");
    }
    append_status_event(t.task_id, std::nullopt, task_status::CREATED, now);
    return t;
  });
}

std::optional<task> task_service::find(uuid const& task_id) const { return tasks_.find(task_id); }

task task_service::get(uuid const& task_id, std::int64_t user_id) const {
  auto t = tasks_.find(task_id);
  if (!t || t->user_id != user_id || t->deleted_at) throw error(errc::not_found, "no such task");
  return std::move(*t);
}

task_page task_service::list(std::int64_t user_id, std::optional<task_status> status, page_request paging) const {
  auto const [limit, offset] = paging;
  auto q = owned_by(user_id);
  if (status) q = q.where(col(&task::status) == *status);
  task_page page;
  page.total = tasks_.count(q);
  page.limit = limit;
  page.offset = offset;
  page.tasks = tasks_.find(q.order_by(desc(&task::created_at), desc(&task::task_id)).limit(limit).offset(offset));
  page.has_more = offset + page.tasks.size() < page.total;
  return page;
}

std::vector<task> task_service::list_after(std::int64_t user_id, std::optional<task_status> status, task const& last,
                                           std::size_t limit) const {
  auto q = owned_by(user_id);
  if (status) q = q.where(col(&task::status) == *status);
  return tasks_.find(q.order_by(desc(&task::created_at), desc(&task::task_id)).after(last).limit(limit));
}

std::vector<task> task_service::active(std::int64_t user_id) const {
  return tasks_.find(owned_by(user_id)
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

task_claim task_service::start_processing(uuid const& id, std::string const& worker_id, std::chrono::seconds lease) {
  check_claim_request(worker_id, lease);
  task_claim claim{id, worker_id, uuid::generate_v4(), {}, lease, {}};
  claim.task = db_.transact([&] {
    auto const controls = detail::queue_controls::read(db_);
    if (!controls.paused.empty() || controls.limited()) {
      // The task's row first, then gates, as claims take them: no lock cycle.
      auto t = tasks_.find_one(query<task>{col(&task::task_id) == id}.locked());
      if (t && can_process(t->status)) {
        if (controls.is_paused(t->tool_id))
          throw error(errc::precondition_failed, "the queue of tool " + t->tool_id + " is paused", "tool_id");
        detail::limit_admission admission(db_, controls);
        if (controls.limited() && admission.admit({*t}, 1).empty())
          throw error(errc::precondition_failed, "a limit on PROCESSING tasks is reached (tool " + t->tool_id +
                                                     " or user " + std::to_string(t->user_id) + ")");
      }
    }
    return transition(id, std::nullopt, task_status::PROCESSING, [&](task& t) {
      if (!can_process(t.status))
        throw error(errc::invalid_transition,
                    "a " + std::string(enum_to_string(t.status)) + " task cannot be processed");
      ++t.attempt;
      t.locked_by = worker_id;
      t.lease_token = claim.lease_token;
      t.lease_expires_at = timestamp::now().plus(lease, "lease");
      t.error_code.reset();
      t.error_message.reset();
    });
  });
  claim.lease_expires_at = *claim.task.lease_expires_at;
  return claim;
}

std::optional<task_claim> task_service::claim_next(std::string const& worker_id, std::chrono::seconds lease,
                                                   claim_filter const& filter) {
  auto claims = claim_batch(worker_id, 1, lease, filter);
  if (claims.empty()) return std::nullopt;
  return std::move(claims.front());
}

std::vector<task_claim> task_service::claim_batch(std::string const& worker_id, std::size_t n,
                                                  std::chrono::seconds lease, claim_filter const& filter) {
  check_claim_request(worker_id, lease);
  for (auto const& tool : filter.tool_ids) check_tool_id(tool);
  if (n == 0) return {};
  static_assert(can_transition(task_status::QUEUED, task_status::PROCESSING));
  return db_.transact([&] {
    auto const now = timestamp::now();
    auto const token = uuid::generate_v4();
    auto const until = now.plus(lease, "lease");
    auto eligible = query<task>{col(&task::status) == task_status::QUEUED && col(&task::deleted_at).is_null() &&
                                (col(&task::run_after).is_null() || col(&task::run_after) <= now)};
    if (!filter.tool_ids.empty()) eligible = eligible.where(col(&task::tool_id).in(filter.tool_ids));
    // Queue control, in one read of a table that is empty unless a tool is
    // paused or limited or users are: then the claim is what it was before.
    auto const controls = detail::queue_controls::read(db_);
    if (!controls.paused.empty()) eligible = eligible.where(col(&task::tool_id).not_in(controls.paused));
    detail::limit_admission admission(db_, controls);
    std::size_t want = n;
    auto const admit = [&](std::vector<task>&& rows) {
      return controls.limited() ? admission.admit(std::move(rows), want) : std::move(rows);
    };
    std::vector<event_log> events;
    std::vector<task_claim> claims;
    for (;;) {
      want = n - claims.size();
      // Under limits, twice the wanted candidates, to leave room for some turned away.
      auto const fetch = controls.limited() ? std::min<std::size_t>(2 * want, limits::max_rows) : want;
      auto candidates = eligible;
      if (!admission.saturated_tools().empty())
        candidates = candidates.where(col(&task::tool_id).not_in(admission.saturated_tools()));
      if (!admission.saturated_users().empty())
        candidates = candidates.where(col(&task::user_id).not_in(admission.saturated_users()));
      auto const rejected_before = admission.rejected();
      // What apply_transition(QUEUED -> PROCESSING) and a claim do, as one UPDATE.
      auto const taken = tasks_.take_admitted(
          candidates.order_by(asc(&task::priority), asc(&task::created_at), asc(&task::task_id)).limit(fetch), admit,
          set(&task::status, task_status::PROCESSING), increment(&task::attempt, 1),
          set(&task::locked_by, std::optional<std::string>(worker_id)),
          set(&task::lease_token, std::optional<uuid>(token)),
          set(&task::lease_expires_at, std::optional<timestamp>(until)),
          set(&task::processing_started_at, std::optional<timestamp>(now)),
          set(&task::error_code, std::optional<std::string>()), set(&task::error_message, std::optional<std::string>()),
          set(&task::updated_at, now));
      for (auto const& t : taken.rows) {
        events.push_back(status_event(t.task_id, task_status::QUEUED, task_status::PROCESSING, now));
        claims.push_back({t.task_id, worker_id, token, until, lease, t});
      }
      if (claims.size() == n) break;
      if (!taken.unreadable.empty()) {
        // Rare: each round takes at least one unreadable task out, so the loop ends.
        quarantine(taken.unreadable, now, events);
        continue;
      }
      // A saturated key at the head of the queue: select again without its
      // tasks, so that it does not starve the others. Each round excludes a
      // key more, so the loop ends.
      if (!controls.limited() || admission.rejected() == rejected_before) break;
    }
    events_.insert_many(events);
    return claims;
  });
}

void task_service::heartbeat(task_claim& claim) {
  // A lease shorter than a claim's would expire at once and let rescue_expired() requeue a held task.
  check_claim_request(claim.worker_id, claim.lease);
  auto const now = timestamp::now();
  auto const until = now.plus(claim.lease, "lease");
  if (tasks_.update_where(held_by(claim), set(&task::lease_expires_at, std::optional<timestamp>(until)),
                          set(&task::updated_at, now)) != 1)
    throw error(errc::conflict, "the lease on this task was lost (another worker holds it, or it ended)");
  claim.lease_expires_at = until;
}

task task_service::release(task_claim const& claim, std::chrono::seconds delay) {
  return claimed_transition(claim, task_status::QUEUED, [&](task& t) {
    t.attempt = std::max(0, t.attempt - 1);
    t.run_after = timestamp::now().plus(delay, "delay");
  });
}

task task_service::fail_or_retry(task_claim const& claim, std::string const& error_code, std::string const& message,
                                 std::optional<boost::json::value> const& failure_context) {
  check_length("error_code", error_code, 50);
  if (failure_context) check_json_depth("tasks.failure_context", *failure_context);
  return db_.transact([&] {
    auto t = load_claimed(claim);
    auto const as_read = t;
    auto const now = timestamp::now();
    auto const to = t.attempt < t.max_attempts ? task_status::QUEUED : task_status::FAILED;
    apply_transition(t, to, now);
    t.error_code = error_code;
    t.error_message = message;
    t.failure_context = failure_context;
    if (to == task_status::QUEUED) t.run_after = backoff_.next_run(now, t.attempt);
    tasks_.update(t, as_read);
    append_status_event(t.task_id, task_status::PROCESSING, to, now);
    announce(t, task_status::PROCESSING, now);
    return t;
  });
}

rescue_report task_service::rescue_expired(std::optional<timestamp> cutoff_or_now) {
  auto const cutoff = cutoff_or_now.value_or(timestamp::now());
  rescue_report report;
  static constexpr std::size_t batch = 500;
  for (;;) {
    auto const expired =
        tasks_.find(query<task>{col(&task::status) == task_status::PROCESSING && col(&task::lease_expires_at) < cutoff}
                        .order_by(asc(&task::lease_expires_at))
                        .limit(batch));
    std::size_t changed = 0;
    for (auto const& t : expired) {
      try {
        auto const to = rescue(t);
        ++(to == task_status::QUEUED ? report.requeued : report.failed);
        ++changed;
      } catch (error const& e) {
        if (e.code() != errc::conflict) throw;  // its worker renewed or finished it meanwhile
      }
    }
    if (expired.size() < batch || changed == 0) return report;
  }
}

task task_service::report_progress(task_claim const& claim, std::int32_t progress,
                                   std::optional<std::string> const& current_agent) {
  if (current_agent) check_length("current_agent", *current_agent, 100);
  return db_.transact([&] {
    auto t = load_claimed(claim);
    auto const as_read = t;
    apply_progress(t, progress, timestamp::now());
    if (current_agent) t.current_agent = current_agent;
    tasks_.update(t, as_read);
    return t;
  });
}

task task_service::complete(task_claim const& claim, task_result const& result) {
  check_count("tokens_used", result.tokens_used, limits::max_amount);
  check_seconds("execution_time", result.execution_time.count());
  return claimed_transition(claim, task_status::COMPLETED, [&](task& t) {
    t.result_summary = result.result_summary;
    t.tokens_used = checked_add("tokens_used", t.tokens_used, result.tokens_used);
    t.execution_time += result.execution_time;
  });
}

std::vector<task> task_service::complete_batch(std::span<task_claim const> claims,
                                               std::span<task_result const> results) {
  if (!results.empty() && results.size() != claims.size())
    throw error(errc::validation_failed, "complete_batch needs one result per claim, or none", "results");
  for (auto const& r : results) {
    check_count("tokens_used", r.tokens_used, limits::max_amount);
    check_seconds("execution_time", r.execution_time.count());
  }
  if (claims.empty()) return {};
  auto const as_claimed = [&] {
    std::vector<task> rows;
    rows.reserve(claims.size());
    for (auto const& c : claims) rows.push_back(c.task);
    return rows;
  };
  auto const as_stored = [&] {
    std::vector<uuid> ids;
    ids.reserve(claims.size());
    for (auto const& c : claims) ids.push_back(c.task_id);
    return tasks_.find(query<task>{col(&task::task_id).in(std::move(ids))});
  };
  if (!db_.in_transaction() && std::ranges::all_of(claims, holds_its_task)) {
    try {
      return db_.transact([&] { return complete_rows(claims, results, as_claimed()); });
    } catch (error const& e) {
      if (e.code() != errc::conflict) throw;  // a task changed since its claim: read them
    }
  }
  return db_.transact([&] { return complete_rows(claims, results, as_stored()); });
}

task task_service::fail(task_claim const& claim, std::string const& error_code, std::string const& message,
                        std::optional<boost::json::value> const& failure_context) {
  check_length("error_code", error_code, 50);
  if (failure_context) check_json_depth("tasks.failure_context", *failure_context);  // before copying: copies recurse
  return claimed_transition(claim, task_status::FAILED, [&](task& t) {
    t.error_code = error_code;
    t.error_message = message;
    t.failure_context = failure_context;
  });
}

task task_service::fail_by_system(uuid const& id, std::string const& error_code, std::string const& message) {
  check_length("error_code", error_code, 50);
  return transition(id, std::nullopt, task_status::FAILED, [&](task& t) {
    if (t.status != task_status::PROCESSING) throw error(errc::invalid_transition, "only a PROCESSING task can fail");
    t.error_code = error_code;
    t.error_message = message;
  });
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
    t.run_after = backoff_.next_run(timestamp::now(), t.attempt);
  });
}

task task_service::requeue(uuid const& id) {
  return db_.transact([&] {
    auto t = tasks_.find(id);
    if (!t || t->deleted_at) throw error(errc::not_found, "no such task");
    auto const as_read = *t;
    auto const from = t->status;
    auto const now = timestamp::now();
    if (from == task_status::PROCESSING) {
      apply_transition(*t, task_status::QUEUED, now);  // clears the lease: the worker's claim is fenced off
      t->attempt = std::max(0, t->attempt - 1);
    } else if (from == task_status::QUEUED) {
      t->updated_at = now;
    } else {
      throw error(errc::invalid_transition, "only a QUEUED or PROCESSING task can be requeued (this one is " +
                                                std::string(enum_to_string(from)) + ")");
    }
    t->run_after = now;
    tasks_.update(*t, as_read);
    append_status_event(id, from, task_status::QUEUED, now);
    announce(*t, from, now);
    if (from == task_status::PROCESSING) db_.notify(task_signal::revoked(id));
    return std::move(*t);
  });
}

std::size_t task_service::expire_before(std::optional<timestamp> cutoff) {
  auto const before = cutoff.value_or(timestamp::now() - std::chrono::minutes(15));
  std::size_t n = 0;
  for (auto const& t :
       tasks_.find(query<task>{col(&task::status) == task_status::CREATED && col(&task::created_at) < before})) {
    try {
      transition(t.task_id, std::nullopt, task_status::EXPIRED);
      ++n;
    } catch (error const& e) {
      if (e.code() != errc::invalid_transition && e.code() != errc::conflict) throw;  // moved on meanwhile
    }
  }
  return n;
}

bool task_service::soft_delete(uuid const& id, std::int64_t user_id) {
  return db_.transact([&] {
    auto t = tasks_.find(id);
    if (!t || t->user_id != user_id || t->deleted_at) return false;
    t->deleted_at = t->updated_at = timestamp::now();
    tasks_.update(*t);
    return true;
  });
}

std::size_t task_service::soft_delete_before(std::optional<timestamp> cutoff) {
  auto const before = cutoff.value_or(timestamp::now() - task_metadata_retention);
  auto const now = timestamp::now();
  return tasks_.update_where(query<task>{col(&task::created_at) < before && col(&task::deleted_at).is_null()},
                             set(&task::deleted_at, std::optional<timestamp>(now)), set(&task::updated_at, now));
}

std::vector<storage_cleanup_candidate> task_service::inputs_to_clean(std::optional<timestamp> cutoff,
                                                                     std::size_t limit) const {
  return cleanup_candidates(&task::inputs_cleaned, cutoff.value_or(timestamp::now() - input_files_retention), limit,
                            inputs_prefix);
}

std::vector<storage_cleanup_candidate> task_service::outputs_to_clean(std::optional<timestamp> cutoff,
                                                                      std::size_t limit) const {
  return cleanup_candidates(&task::s3_cleaned, cutoff.value_or(timestamp::now() - output_files_retention), limit,
                            outputs_prefix);
}

std::vector<event_log> task_service::events(uuid const& id, std::int64_t user_id) const {
  get(id, user_id);  // not_found unless the user's
  return events_.find(query<event_log>{col(&event_log::task_id) == id}.order_by(asc(&event_log::created_at)));
}

query<task> task_service::owned_by(std::int64_t user_id) {
  return query<task>{col(&task::user_id) == user_id && col(&task::deleted_at).is_null()};
}

std::vector<storage_cleanup_candidate> task_service::cleanup_candidates(
    bool task::*flag, timestamp before, std::size_t limit, std::string (*prefix)(std::int64_t, uuid const&)) const {
  std::vector<storage_cleanup_candidate> out;
  for (auto const& t : tasks_.find(query<task>{col(&task::status) == task_status::COMPLETED &&
                                               col(&task::completed_at) < before && col(flag) == false}
                                       .order_by(asc(&task::completed_at), asc(&task::task_id))
                                       .limit(limit)))
    out.push_back({t.task_id, t.user_id, prefix(t.user_id, t.task_id)});
  return out;
}

std::size_t task_service::mark_cleaned(bool task::*flag, std::vector<uuid> const& ids) {
  if (ids.empty()) return 0;
  return tasks_.update_where(query<task>{col(&task::task_id).in(ids) && col(flag) == false}, set(flag, true),
                             set(&task::updated_at, timestamp::now()));
}

std::optional<task> task_service::find_by_idempotency_key(std::int64_t user_id, std::string const& key) const {
  return tasks_.find_one(query<task>{col(&task::user_id) == user_id && col(&task::idempotency_key) == key});
}

void task_service::quarantine(std::vector<soci_repository<task>::unreadable_row> const& unreadable, timestamp now,
                              std::vector<event_log>& events) const {
  for (auto const& u : unreadable) {
    // Outside the lifecycle (QUEUED cannot fail): a task no worker can read is done for.
    auto const changed = tasks_.update_where(
        query<task>{col(&task::task_id) == u.key && col(&task::status) == task_status::QUEUED},
        set(&task::status, task_status::FAILED), set(&task::error_code, std::optional<std::string>("corrupt_value")),
        set(&task::error_message, std::optional<std::string>("the stored task cannot be read: " + u.problem)),
        set(&task::failed_at, std::optional<timestamp>(now)), set(&task::locked_by, std::optional<std::string>()),
        set(&task::lease_token, std::optional<uuid>()), set(&task::lease_expires_at, std::optional<timestamp>()),
        set(&task::updated_at, now));
    if (changed == 1) events.push_back(status_event(u.key, task_status::QUEUED, task_status::FAILED, now));
  }
}

event_log task_service::status_event(uuid const& id, std::optional<task_status> from, task_status to, timestamp now) {
  event_log e;
  e.task_id = id;
  e.event_type = event_kind::status_change;
  e.level = log_level::info;
  e.content = (from ? std::string(enum_to_string(*from)) : std::string()) + "->" + std::string(enum_to_string(to));
  e.created_at = now;
  return e;
}

void task_service::append_status_event(uuid const& id, std::optional<task_status> from, task_status to, timestamp now) {
  events_.insert(status_event(id, from, to, now));
}

task_status task_service::rescue(task const& seen) {
  return db_.transact([&] {
    auto t = seen;  // afresh on every attempt of the transaction
    auto const now = timestamp::now();
    auto const worker = t.locked_by.value_or("?");
    bool const retry = t.attempt < t.max_attempts;
    auto const to = retry ? task_status::QUEUED : task_status::FAILED;
    apply_transition(t, to, now);
    if (retry) {
      t.run_after = backoff_.next_run(now, t.attempt);
      t.error_message = "lease of worker " + worker + " expired; attempt " + std::to_string(t.attempt) + " of " +
                        std::to_string(t.max_attempts);
    } else {
      t.error_code = std::string(to_string(errc::retry_limit_exceeded));
      t.error_message =
          "lease of worker " + worker + " expired on the last of " + std::to_string(t.max_attempts) + " attempts";
    }
    tasks_.update(t, seen);  // compare-and-set on the version read
    append_status_event(t.task_id, task_status::PROCESSING, to, now);
    announce(t, task_status::PROCESSING, now);
    return to;
  });
}

void task_service::announce(task const& t, std::optional<task_status> from, timestamp now) const {
  // A delayed task becomes claimable without a transaction to announce it: workers poll for those.
  if (t.status == task_status::QUEUED && (!t.run_after || *t.run_after <= now))
    db_.notify(task_signal::queued(t.tool_id));
  if (from == task_status::PROCESSING && t.status == task_status::CANCELLED)
    db_.notify(task_signal::revoked(t.task_id));  // its worker's next heartbeat would find out later
}

void task_service::check_claim_request(std::string const& worker_id, std::chrono::seconds lease) {
  check_non_empty("worker_id", worker_id);
  check_length("worker_id", worker_id, 100);
  if (lease < std::chrono::seconds(1)) throw error(errc::validation_failed, "a lease lasts at least 1 s", "lease");
}

query<task> task_service::held_by(task_claim const& claim) {
  return query<task>{col(&task::task_id) == claim.task_id && col(&task::status) == task_status::PROCESSING &&
                     col(&task::lease_token) == claim.lease_token};
}

std::vector<task> task_service::complete_rows(std::span<task_claim const> claims, std::span<task_result const> results,
                                              std::vector<task> rows) {
  std::unordered_map<uuid, task*> by_id;  // the first of a task given twice
  for (auto& t : rows) by_id.emplace(t.task_id, &t);
  auto const now = timestamp::now();
  std::vector<task> done, as_read;
  std::vector<event_log> events;
  done.reserve(claims.size());
  as_read.reserve(claims.size());
  events.reserve(claims.size());
  for (std::size_t i = 0; i < claims.size(); ++i) {
    auto const it = by_id.find(claims[i].task_id);
    if (it == by_id.end()) throw error(errc::not_found, "no such task");
    auto& t = *it->second;  // changed in place: a claim given twice finds it COMPLETED
    if (t.status != task_status::PROCESSING || t.lease_token != claims[i].lease_token)
      throw error(errc::conflict, "the lease on a task of the batch was lost (another worker holds it, or it ended)");
    as_read.push_back(t);
    if (!results.empty()) {
      t.result_summary = results[i].result_summary;
      t.tokens_used = checked_add("tokens_used", t.tokens_used, results[i].tokens_used);
      t.execution_time += results[i].execution_time;
    }
    apply_transition(t, task_status::COMPLETED, now);
    events.push_back(status_event(t.task_id, task_status::PROCESSING, task_status::COMPLETED, now));
    done.push_back(t);
  }
  tasks_.update_many(done, as_read);  // one statement, versions checked
  events_.insert_many(events);
  return done;
}

bool task_service::holds_its_task(task_claim const& c) {
  return c.task.task_id == c.task_id && c.task.status == task_status::PROCESSING &&
         c.task.lease_token == c.lease_token && c.task.lease_expires_at == c.lease_expires_at;
}

task task_service::load_claimed(task_claim const& claim) {
  auto t = tasks_.find(claim.task_id);
  if (!t) throw error(errc::not_found, "no such task");
  if (t->status != task_status::PROCESSING || t->lease_token != claim.lease_token)
    throw error(errc::conflict, "the lease on this task was lost (another worker holds it, or it ended)");
  return std::move(*t);
}

}  // namespace taskstore
