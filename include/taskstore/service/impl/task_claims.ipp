// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/task_claims.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/task_claims.hpp>

#include <taskstore/domain/validation.hpp>
#include <taskstore/service/detail/hot_queries.hpp>
#include <taskstore/service/detail/leases.hpp>
#include <taskstore/service/detail/limit_gate.hpp>

#include <algorithm>
#include <unordered_map>

namespace taskstore {

task_claims::task_claims(database const& db, retry_backoff backoff) : life_(db, backoff) {}

std::optional<task> task_claims::find(uuid const& task_id) const { return life_.tasks.find(task_id); }

task_claim task_claims::start_processing(uuid const& id, std::string const& worker_id, std::chrono::seconds lease) {
  check_claim_request(worker_id, lease);
  task_claim claim{id, worker_id, uuid::generate_v4(), {}, lease, {}};
  claim.task = life_.db.transact([&] {
    auto const controls = detail::queue_controls::read(life_.db);
    if (!controls.paused.empty() || controls.limited()) {
      // The task's row first, then gates, as claims take them: no lock cycle.
      auto t = life_.tasks.find_one(query<task>{col(&task::task_id) == id}.locked());
      if (t && can_process(t->status)) {
        if (controls.is_paused(t->tool_id))
          throw error(errc::precondition_failed, "the queue of tool " + t->tool_id + " is paused", "tool_id");
        detail::limit_admission admission(life_.db, controls);
        if (controls.limited() && admission.admit({*t}, 1).empty())
          throw error(errc::precondition_failed, "a limit on PROCESSING tasks is reached (tool " + t->tool_id +
                                                     " or user " + std::to_string(t->user_id) + ")");
      }
    }
    return life_.transition(id, std::nullopt, task_status::PROCESSING, [&](task& t) {
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

std::optional<task_claim> task_claims::claim_next(std::string const& worker_id, std::chrono::seconds lease,
                                                  claim_filter const& filter) {
  auto claims = claim_batch(worker_id, 1, lease, filter);
  if (claims.empty()) return std::nullopt;
  return std::move(claims.front());
}

std::vector<task_claim> task_claims::claim_batch(std::string const& worker_id, std::size_t n,
                                                 std::chrono::seconds lease, claim_filter const& filter) {
  check_claim_request(worker_id, lease);
  for (auto const& tool : filter.tool_ids) check_tool_id(tool);
  if (n == 0) return {};
  static_assert(can_transition(task_status::QUEUED, task_status::PROCESSING));
  return life_.db.transact([&] {
    auto const now = timestamp::now();
    auto const token = uuid::generate_v4();
    auto const until = now.plus(lease, "lease");
    auto eligible = detail::claimable_tasks(now);
    if (!filter.tool_ids.empty()) eligible = eligible.where(col(&task::tool_id).in(filter.tool_ids));
    // Queue control, in one read of a table that is empty unless a tool is
    // paused or limited or users are: then the claim is what it was before.
    auto const controls = detail::queue_controls::read(life_.db);
    if (!controls.paused.empty()) eligible = eligible.where(col(&task::tool_id).not_in(controls.paused));
    detail::limit_admission admission(life_.db, controls);
    std::size_t want = n;
    std::size_t rejected_before = 0;
    auto const select = [&](std::size_t wanted) {
      want = wanted;
      rejected_before = admission.rejected();
      auto candidates = eligible;
      if (!admission.saturated_tools().empty())
        candidates = candidates.where(col(&task::tool_id).not_in(admission.saturated_tools()));
      if (!admission.saturated_users().empty())
        candidates = candidates.where(col(&task::user_id).not_in(admission.saturated_users()));
      // Under limits, twice the wanted candidates, to leave room for some turned away.
      auto const fetch = controls.limited() ? std::min<std::size_t>(2 * wanted, limits::max_rows) : wanted;
      return detail::in_claim_order(candidates).limit(fetch);
    };
    auto const admit = [&](std::vector<task>&& rows) {
      return controls.limited() ? admission.admit(std::move(rows), want) : std::move(rows);
    };
    std::vector<event_log> events;
    auto const take_out = [&](auto const& unreadable) { quarantine(unreadable, now, events); };
    // A saturated key at the head of the queue: select again without its
    // tasks, so that it does not starve the others. Each round excludes a key
    // more, so the take ends.
    auto const again = [&] { return controls.limited() && admission.rejected() != rejected_before; };
    // What apply_transition(QUEUED -> PROCESSING) does, in the take's UPDATE.
    auto const taken = detail::leases<task>::take(
        life_.tasks, n, {worker_id, token, until}, select, admit, take_out, again,
        set(&task::processing_started_at, std::optional<timestamp>(now)),
        set(&task::error_code, std::optional<std::string>()), set(&task::error_message, std::optional<std::string>()),
        set(&task::updated_at, now));
    std::vector<task_claim> claims;
    claims.reserve(taken.size());
    for (auto const& t : taken) {
      events.push_back(
          detail::task_transitions::status_event(t.task_id, task_status::QUEUED, task_status::PROCESSING, now));
      claims.push_back({t.task_id, worker_id, token, until, lease, t});
    }
    life_.events.insert_many(events);
    return claims;
  });
}

void task_claims::heartbeat(task_claim& claim) {
  // A lease shorter than a claim's would expire at once and let rescue_expired() requeue a held task.
  check_claim_request(claim.worker_id, claim.lease);
  auto const now = timestamp::now();
  auto const until = now.plus(claim.lease, "lease");
  if (!detail::leases<task>::renew(life_.tasks, claim.task_id, claim.lease_token, until, set(&task::updated_at, now)))
    throw error(errc::conflict, "the lease on this task was lost (another worker holds it, or it ended)");
  claim.lease_expires_at = until;
}

task task_claims::release(task_claim const& claim, std::chrono::seconds delay) {
  return claimed_transition(claim, task_status::QUEUED, [&](task& t) {
    t.attempt = std::max(0, t.attempt - 1);
    t.run_after = timestamp::now().plus(delay, "delay");
  });
}

task task_claims::fail_or_retry(task_claim const& claim, std::string const& error_code, std::string const& message,
                                std::optional<boost::json::value> const& failure_context) {
  check_length("error_code", error_code, 50);
  if (failure_context) check_json_depth("tasks.failure_context", *failure_context);
  return life_.db.transact([&] {
    auto t = load_claimed(claim);
    auto const as_read = t;
    auto const now = timestamp::now();
    auto const to = t.attempt < t.max_attempts ? task_status::QUEUED : task_status::FAILED;
    apply_transition(t, to, now);
    t.error_code = error_code;
    t.error_message = message;
    t.failure_context = failure_context;
    if (to == task_status::QUEUED) t.run_after = life_.backoff.next_run(now, t.attempt);
    life_.tasks.update(t, as_read);
    life_.append_status_event(t.task_id, task_status::PROCESSING, to, now);
    life_.announce(t, task_status::PROCESSING, now);
    return t;
  });
}

task task_claims::report_progress(task_claim const& claim, std::int32_t progress,
                                  std::optional<std::string> const& current_agent) {
  if (current_agent) check_length("current_agent", *current_agent, 100);
  return life_.db.transact([&] {
    auto t = load_claimed(claim);
    auto const as_read = t;
    apply_progress(t, progress, timestamp::now());
    if (current_agent) t.current_agent = current_agent;
    life_.tasks.update(t, as_read);
    return t;
  });
}

task task_claims::complete(task_claim const& claim, task_result const& result) {
  check_count("tokens_used", result.tokens_used, limits::max_amount);
  check_seconds("execution_time", result.execution_time.count());
  return claimed_transition(claim, task_status::COMPLETED, [&](task& t) {
    t.result_summary = result.result_summary;
    t.tokens_used = checked_add("tokens_used", t.tokens_used, result.tokens_used);
    t.execution_time += result.execution_time;
  });
}

std::vector<task> task_claims::complete_batch(std::span<task_claim const> claims,
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
    return life_.tasks.find(query<task>{col(&task::task_id).in(std::move(ids))});
  };
  if (!life_.db.in_transaction() && std::ranges::all_of(claims, holds_its_task)) {
    try {
      return life_.db.transact([&] { return complete_rows(claims, results, as_claimed()); });
    } catch (error const& e) {
      if (e.code() != errc::conflict) throw;  // a task changed since its claim: read them
    }
  }
  return life_.db.transact([&] { return complete_rows(claims, results, as_stored()); });
}

task task_claims::fail(task_claim const& claim, std::string const& error_code, std::string const& message,
                       std::optional<boost::json::value> const& failure_context) {
  check_length("error_code", error_code, 50);
  if (failure_context) check_json_depth("tasks.failure_context", *failure_context);  // before copying: copies recurse
  return claimed_transition(claim, task_status::FAILED, [&](task& t) {
    t.error_code = error_code;
    t.error_message = message;
    t.failure_context = failure_context;
  });
}

void task_claims::quarantine(std::vector<soci_repository<task>::unreadable_row> const& unreadable, timestamp now,
                             std::vector<event_log>& events) const {
  for (auto const& u : unreadable) {
    // Outside the lifecycle (QUEUED cannot fail): a task no worker can read is done for.
    auto const changed = detail::leases<task>::end(
        life_.tasks, detail::leases<task>::still_waiting(u.key), set(&task::status, task_status::FAILED),
        set(&task::error_code, std::optional<std::string>(detail::quarantined_error_code())),
        set(&task::error_message, std::optional<std::string>("the stored task cannot be read: " + u.problem)),
        set(&task::failed_at, std::optional<timestamp>(now)), set(&task::updated_at, now));
    if (changed == 1)
      events.push_back(detail::task_transitions::status_event(u.key, task_status::QUEUED, task_status::FAILED, now));
  }
}

void task_claims::check_claim_request(std::string const& worker_id, std::chrono::seconds lease) {
  check_non_empty("worker_id", worker_id);
  check_length("worker_id", worker_id, 100);
  if (lease < std::chrono::seconds(1)) throw error(errc::validation_failed, "a lease lasts at least 1 s", "lease");
}

std::vector<task> task_claims::complete_rows(std::span<task_claim const> claims, std::span<task_result const> results,
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
    events.push_back(
        detail::task_transitions::status_event(t.task_id, task_status::PROCESSING, task_status::COMPLETED, now));
    done.push_back(t);
  }
  life_.tasks.update_many(done, as_read);  // one statement, versions checked
  life_.events.insert_many(events);
  return done;
}

bool task_claims::holds_its_task(task_claim const& c) {
  return c.task.task_id == c.task_id && c.task.status == task_status::PROCESSING &&
         c.task.lease_token == c.lease_token && c.task.lease_expires_at == c.lease_expires_at;
}

task task_claims::load_claimed(task_claim const& claim) {
  auto t = life_.tasks.find(claim.task_id);
  if (!t) throw error(errc::not_found, "no such task");
  if (t->status != task_status::PROCESSING || t->lease_token != claim.lease_token)
    throw error(errc::conflict, "the lease on this task was lost (another worker holds it, or it ended)");
  return std::move(*t);
}

}  // namespace taskstore
