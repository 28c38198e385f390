// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/worker/detail/worker_state.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/validation.hpp>
#include <taskstore/error.hpp>
#include <taskstore/service/task_signals.hpp>
#include <taskstore/worker/detail/worker_state.hpp>
#include <taskstore/worker/errors.hpp>

#include <unistd.h>  // gethostname, getpid

#include <algorithm>
#include <exception>
#include <random>
#include <utility>

namespace taskstore::detail {

std::string default_worker_id() {
  char host[256] = {};
  std::string id = ::gethostname(host, sizeof host - 1) == 0 && host[0] ? std::string(host) : std::string("host");
  if (id.size() > 60) id.resize(60);
  static constexpr char digits[] = "0123456789abcdef";
  std::mt19937 rng{std::random_device{}()};
  id += ":" + std::to_string(::getpid()) + ":";
  for (int i = 0; i < 8; ++i) id += digits[rng() % 16];
  return id;
}

worker_options checked(worker_options o) {
  using namespace std::chrono_literals;
  if (o.worker_id.empty()) o.worker_id = default_worker_id();
  check_length("worker_id", o.worker_id, 100);
  if (o.slots < 1 || o.slots > 1024) throw error(errc::validation_failed, "a worker has 1 to 1024 slots", "slots");
  if (o.prefetch > 1024) throw error(errc::validation_failed, "a worker prefetches 0 to 1024 tasks", "prefetch");
  if (o.lease < 1s || o.lease > std::chrono::days(365))
    throw error(errc::validation_failed, "a lease lasts 1 s to 365 days", "lease");
  if (!(o.heartbeat_fraction > 0 && o.heartbeat_fraction < 1))
    throw error(errc::validation_failed, "heartbeat_fraction is more than 0 and less than 1", "heartbeat_fraction");
  if (o.poll_min <= 0ms) throw error(errc::validation_failed, "poll_min is positive", "poll_min");
  if (o.poll_max < o.poll_min || o.poll_max > 1h)
    throw error(errc::validation_failed, "poll_max is at least poll_min and at most an hour", "poll_max");
  if (o.shutdown_grace < 0ms) throw error(errc::validation_failed, "shutdown_grace is not negative", "shutdown_grace");
  return o;
}

worker_state::worker_state(database const& d, worker_options o)
    : db(d), options(checked(std::move(o))), tasks(d, options.backoff) {}

void worker_state::start() {
  if (running) return;
  if (handlers.empty()) throw error(errc::invalid_transition, "a worker needs a handler: call handle() before start()");
  filter.tool_ids.clear();
  for (auto const& entry : handlers) filter.tool_ids.push_back(entry.first);
  {
    std::lock_guard lock(mutex);
    claiming = true;
    stopping = false;
    woken = false;
    recheck_when_empty = false;
    idle_claims = 0;
    claim_failure = nullptr;
    to_check.clear();
    running = true;
  }
  try {
    if (options.wakeup == wakeup_mode::push)
      signals = db.subscribe([this](std::string_view payload) { on_signal(payload); });
    slots.reserve(options.slots);
    for (std::size_t i = 0; i < options.slots; ++i) slots.emplace_back([this] { slot_loop(); });
    {
      std::lock_guard lock(results_mutex);
      recorder_stopping = false;
    }
    recorder = std::thread([this] { record_loop(); });
    heartbeater = std::thread([this] { heartbeat_loop(); });
    claimer = std::thread([this] { claim_loop(); });
  } catch (...) {
    stop(std::chrono::milliseconds(0));  // joins the threads that did start
    throw;
  }
}

void worker_state::stop(std::chrono::milliseconds grace) {
  using phase = task_context::phase;
  if (!running) return;
  auto const deadline =
      std::chrono::steady_clock::now() + std::min(grace, std::chrono::milliseconds(std::chrono::days(366)));

  // No more notifications; no more claims; a claim under way ends first, so that what it took is seen below.
  signals.reset();
  {
    std::lock_guard lock(mutex);
    claiming = false;
  }
  claimer_wakeup.notify_all();
  changed.notify_all();
  if (claimer.joinable()) claimer.join();

  // Tasks given back: their tokens fire after the locks are let go (a stop callback may call into the context).
  std::vector<std::shared_ptr<task_context>> back;
  auto const give_all_back = [&] {
    for (auto const& ctx : back) {
      ctx->stop_.request_stop();
      give_back(*ctx);
    }
    back.clear();
  };

  // What no slot has started goes back at once.
  {
    std::lock_guard lock(mutex);
    for (auto const& ctx : pending) {
      std::lock_guard hold(ctx->mutex_);
      ctx->phase_ = phase::released;
      mark_stopped(*ctx, stop_reason::shutdown);
      back.push_back(ctx);
      std::erase(held, ctx);
    }
    pending.clear();
  }
  give_all_back();
  changed.notify_all();

  // Running handlers may finish until the deadline; the tasks of those that have not go back.
  {
    std::unique_lock lock(mutex);
    changed.wait_until(lock, deadline, [&] { return held.empty(); });
    for (auto const& ctx : held) {
      std::lock_guard hold(ctx->mutex_);
      // Reporting: its outcome is being recorded. Stopped: no longer ours to give back.
      if (ctx->phase_ != phase::running || ctx->reason_ != stop_reason::none) continue;
      ctx->phase_ = phase::released;
      mark_stopped(*ctx, stop_reason::shutdown);
      back.push_back(ctx);
    }
  }
  give_all_back();

  // Joining the slots waits for handlers that have not returned yet: a thread cannot be killed.
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  slot_wakeup.notify_all();
  heartbeat_wakeup.notify_all();
  for (auto& t : slots)
    if (t.joinable()) t.join();
  slots.clear();
  if (heartbeater.joinable()) heartbeater.join();
  // The recorder writes every result the slots handed in before it ends.
  {
    std::lock_guard lock(results_mutex);
    recorder_stopping = true;
  }
  results_ready.notify_all();
  if (recorder.joinable()) recorder.join();
  {
    std::lock_guard lock(mutex);
    held.clear();
    recording = 0;
    running = false;
  }
  changed.notify_all();
}

worker_stats worker_state::stats() const {
  worker_stats s;
  s.claimed = count.claimed;
  s.completed = count.completed;
  s.failed = count.failed;
  s.retried = count.retried;
  s.snoozed = count.snoozed;
  s.released = count.released;
  s.cancelled = count.cancelled;
  s.leases_lost = count.leases_lost;
  s.discarded = count.discarded;
  s.conflicts = count.conflicts;
  s.errors = count.errors;
  return s;
}

void worker_state::on_signal(std::string_view payload) noexcept {
  auto const signal = task_signal::read(payload);
  bool claim = false, beat = false;
  {
    std::lock_guard lock(mutex);
    switch (signal.what) {
      case task_signal::kind::queued: claim = handlers.find(signal.subject) != handlers.end(); break;
      case task_signal::kind::revoked:
        if (auto const id = uuid::try_parse(signal.subject)) {
          beat = std::ranges::any_of(held, [&](auto const& ctx) { return ctx->current().task_id == *id; });
          if (beat) to_check.push_back(*id);
        }
        break;
      case task_signal::kind::anything: claim = true; break;
      case task_signal::kind::unknown: break;
    }
    if (claim) woken = true;
  }
  if (claim) claimer_wakeup.notify_all();
  if (beat) heartbeat_wakeup.notify_all();
}

void worker_state::claim_loop() noexcept {
  auto wait = options.poll_min;
  std::unique_lock lock(mutex);
  for (;;) {
    claimer_wakeup.wait(lock, [&] { return !claiming || claim_due(); });
    if (!claiming) return;
    auto const free = options.slots + options.prefetch - (held.size() - recording);
    bool const nothing_held = held.empty();
    lock.unlock();
    std::vector<task_claim> claims;
    bool claimed = true;
    std::exception_ptr failure;
    try {
      claims = tasks.claim_batch(options.worker_id, free, options.lease, filter);
    } catch (error const& e) {
      claimed = false;  // e.g. the database is unreachable: poll again, backing off
      ++count.errors;
      if (e.category() != error_category::temporary) failure = std::current_exception();
    } catch (...) {
      claimed = false;
      ++count.errors;
      failure = std::current_exception();
    }
    lock.lock();
    if (failure && !claim_failure) {
      claim_failure = failure;  // run_until_idle() rethrows it: polling on would not help
      changed.notify_all();
    }
    for (auto& c : claims) {
      std::shared_ptr<task_context> ctx(new task_context(tasks, db, std::move(c)));
      held.push_back(ctx);
      pending.push_back(std::move(ctx));
    }
    count.claimed += claims.size();
    if (!claims.empty()) {
      if (claims.size() >= options.slots)
        slot_wakeup.notify_all();
      else
        for (std::size_t i = 0; i < claims.size(); ++i) slot_wakeup.notify_one();
      wait = options.poll_min;
      continue;  // more may be queued: claim again as soon as a slot is free
    }
    if (claimed && nothing_held) {
      // Nothing was held, so no handler of ours could requeue a task during the claim: the queue was empty.
      ++idle_claims;
      changed.notify_all();
    }
    // Tasks were held: once they have all left, claim again at once rather
    // than after the poll interval, to find a task their handlers requeued,
    // or that the queue is empty (run_until_idle() waits for that).
    recheck_when_empty = claimed && !nothing_held;
    claimer_wakeup.wait_for(lock, wait, [&] { return !claiming || woken || (recheck_when_empty && held.empty()); });
    wait = woken ? options.poll_min : std::min(wait * 2, options.poll_max);
    woken = false;
    recheck_when_empty = false;
  }
}

void worker_state::slot_loop() noexcept {
  std::unique_lock lock(mutex);
  for (;;) {
    slot_wakeup.wait(lock, [&] { return stopping || !pending.empty(); });
    if (pending.empty()) return;
    auto const ctx = pending.front();
    pending.pop_front();
    if (pending.empty() && options.prefetch > 0 && claim_due()) claimer_wakeup.notify_one();  // refill the prefetch
    bool start = false;
    {
      std::lock_guard hold(ctx->mutex_);
      start = ctx->reason_ == stop_reason::none;  // else cancelled or lost while it waited
      if (start) ctx->phase_ = task_context::phase::running;
    }
    lock.unlock();
    ++count.taken;
    bool handed_over = false;  // to the recorder, which lets the task go once written
    try {
      if (start)
        handed_over = run(ctx);
      else
        ++count.discarded;
    } catch (...) {
      ++count.errors;
    }
    lock.lock();
    if (!handed_over) {  // else the recorder lets it go once written; its slot is free meanwhile
      std::erase(held, ctx);
      changed.notify_all();
    }
    if (claimer_due()) claimer_wakeup.notify_one();
  }
}

void worker_state::heartbeat_loop() noexcept {
  auto const every =
      std::max(std::chrono::milliseconds(1),
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::duration<double, std::milli>(options.lease) * options.heartbeat_fraction));
  auto next = std::chrono::steady_clock::now() + every;
  std::unique_lock lock(mutex);
  for (;;) {
    if (heartbeat_wakeup.wait_until(lock, next, [&] { return stopping || !to_check.empty(); })) {
      if (stopping) return;
      // Cancelled, a notification says: a beat finds out at once rather than at the next round.
      std::vector<std::shared_ptr<task_context>> checking;
      for (auto const& ctx : held)
        if (std::ranges::find(to_check, ctx->current().task_id) != to_check.end()) checking.push_back(ctx);
      to_check.clear();
      lock.unlock();
      for (auto const& ctx : checking) beat(*ctx);
      lock.lock();
      continue;
    }
    to_check.clear();
    auto const beating = held;
    lock.unlock();
    for (auto const& ctx : beating) beat(*ctx);
    lock.lock();
    next = std::max(next + every, std::chrono::steady_clock::now());
  }
}

bool worker_state::claim_due() const noexcept {
  auto const capacity = options.slots + options.prefetch;
  auto const in_hand = held.size() - recording;
  return claiming && in_hand < capacity && recording <= capacity &&
         (pending.empty() || capacity - in_hand >= std::max<std::size_t>(1, options.prefetch / 2));
}

bool worker_state::claimer_due() const noexcept { return claim_due() || (recheck_when_empty && held.empty()); }

bool worker_state::run(std::shared_ptr<task_context> const& shared) {
  using kind = task_outcome::kind;
  auto& ctx = *shared;
  task_outcome outcome;
  ++busy;
  try {
    auto const handler = handlers.find(ctx.current().tool_id);
    if (handler == handlers.end()) throw std::runtime_error("the worker has no handler for this tool");
    outcome.result = handler->second(ctx);
  } catch (permanent_failure const& e) {
    outcome.what = kind::fail;
    outcome.error_code = e.error_code();
    outcome.message = e.what();
    outcome.context = e.context();
  } catch (attempt_failure const& e) {
    outcome.what = kind::retry;
    outcome.error_code = e.error_code();
    outcome.message = e.what();
    outcome.context = e.context();
  } catch (taskstore::snooze const& e) {
    outcome.what = kind::snooze;
    outcome.delay = e.delay();
  } catch (std::exception const& e) {
    outcome.what = kind::retry;
    outcome.error_code = "handler_error";
    outcome.message = e.what();
  } catch (...) {
    outcome.what = kind::retry;
    outcome.error_code = "handler_error";
    outcome.message = "the handler threw an exception not derived from std::exception";
  }
  if (--busy == 0) results_ready.notify_all();  // the recorder waits no longer for other results
  task_claim claim;
  {
    std::lock_guard hold(ctx.mutex_);
    if (ctx.phase_ != task_context::phase::running || ctx.reason_ != stop_reason::none) {
      ++count.discarded;  // cancelled, lost or given back: the task is no longer this handler's
      return false;
    }
    ctx.phase_ = task_context::phase::reporting;
    claim = ctx.claim_;
  }
  if (outcome.what != kind::complete) {
    record(claim, std::move(outcome));
    return false;
  }
  {
    std::lock_guard lock(mutex);
    ++recording;  // before the recorder can see it: it subtracts what it wrote
  }
  bool wake_recorder = false;
  {
    std::lock_guard lock(results_mutex);
    results.push_back({shared, std::move(claim), std::move(outcome.result)});
    // The recorder waits for a first result, or lingers until a slot's worth
    // (or until no handler runs, notified above): no wake-up in between.
    wake_recorder = results.size() == 1 || results.size() >= options.slots;
  }
  if (wake_recorder) results_ready.notify_one();
  return true;
}

void worker_state::record_loop() noexcept {
  // Enough to amortise a transaction, few enough that one lost lease (the
  // batch is written again one by one) costs little.
  constexpr std::size_t most_at_once = 256;
  constexpr auto linger = std::chrono::milliseconds(1);
  std::unique_lock lock(results_mutex);
  for (;;) {
    results_ready.wait(lock, [&] { return recorder_stopping || !results.empty(); });
    if (results.empty()) return;
    // While handlers still run, a moment's wait lets their results join this
    // commit rather than the next: at most `linger`, until a slot's worth.
    auto const until = std::chrono::steady_clock::now() + linger;
    while (!recorder_stopping && busy > 0 && results.size() < options.slots &&
           results_ready.wait_until(lock, until) == std::cv_status::no_timeout) {
    }
    auto const n = static_cast<std::ptrdiff_t>(std::min(results.size(), most_at_once));
    std::vector<finished_task> batch(std::make_move_iterator(results.begin()),
                                     std::make_move_iterator(results.begin() + n));
    results.erase(results.begin(), results.begin() + n);
    lock.unlock();
    commit_results(batch);
    bool claim = false;
    {
      std::lock_guard held_lock(mutex);
      for (auto const& f : batch) std::erase(held, f.ctx);
      recording -= batch.size();
      claim = claimer_due();
    }
    changed.notify_all();
    if (claim) claimer_wakeup.notify_one();
    lock.lock();
  }
}

void worker_state::commit_results(std::span<finished_task const> batch) noexcept {
  if (batch.size() > 1) {
    try {
      std::vector<task_claim> claims;
      std::vector<task_result> outcomes;
      claims.reserve(batch.size());
      outcomes.reserve(batch.size());
      for (auto const& f : batch) {
        claims.push_back(f.claim);
        outcomes.push_back(f.result);
      }
      tasks.complete_batch(claims, outcomes);
      count.completed += batch.size();
      return;
    } catch (error const& e) {
      // All or nothing: nothing was written. A database that stays unreachable after
      // transact()'s retries would fail each one alike: their leases expire and
      // rescue_expired() requeues them. Anything else: one by one, each meets its own fate.
      if (is_transient(e)) {
        count.errors += batch.size();
        return;
      }
    } catch (...) {
    }
  }
  for (auto const& f : batch) record(f.claim, {.what = task_outcome::kind::complete, .result = f.result});
}

void worker_state::record(task_claim const& claim, task_outcome outcome) noexcept {
  using kind = task_outcome::kind;
  bool substituted = false;
  for (int attempt = 1;; ++attempt) {
    try {
      switch (outcome.what) {
        case kind::complete:
          tasks.complete(claim, outcome.result);
          ++count.completed;
          return;
        case kind::fail:
          tasks.fail(claim, outcome.error_code, outcome.message, outcome.context);
          ++count.failed;
          return;
        case kind::retry:
          tasks.fail_or_retry(claim, outcome.error_code, outcome.message, outcome.context);
          ++count.retried;
          return;
        case kind::snooze:
          tasks.release(claim, outcome.delay);
          ++count.snoozed;
          return;
      }
      return;
    } catch (error const& e) {
      if (e.code() == errc::conflict) {
        ++count.conflicts;  // the lease was lost after the last heartbeat: the task is not ours to record
        return;
      }
      if (e.code() == errc::validation_failed && !substituted) {
        // An outcome that cannot be stored (e.g. an over-long error code) would leave the task PROCESSING until
        // its lease expired, then run it again: fail it instead, saying why.
        substituted = true;
        outcome = {
            kind::fail, {}, "invalid_outcome", std::string("the handler's outcome cannot be recorded: ") + e.what(),
            {},         {}};
        continue;
      }
      if (e.category() == error_category::temporary && attempt < 4) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50) * attempt);
        continue;
      }
      ++count.errors;  // the lease expires and rescue_expired() requeues the task
      return;
    } catch (...) {
      ++count.errors;
      return;
    }
  }
}

void worker_state::beat(task_context& ctx) noexcept {
  auto const live = [&] {
    return (ctx.phase_ == task_context::phase::pending || ctx.phase_ == task_context::phase::running) &&
           ctx.reason_ == stop_reason::none;
  };
  task_claim claim;
  try {
    {
      std::lock_guard hold(ctx.mutex_);
      if (!live()) return;
      claim = ctx.claim_;
    }
    tasks.heartbeat(claim);
    std::lock_guard hold(ctx.mutex_);
    ctx.claim_.lease_expires_at = claim.lease_expires_at;
    return;
  } catch (error const& e) {
    if (e.code() != errc::conflict) {
      ++count.errors;  // tried again at the next beat
      return;
    }
  } catch (...) {
    ++count.errors;
    return;
  }
  auto why = stop_reason::lease_lost;
  try {
    auto const t = tasks.find(claim.task_id);
    if (t && t->status == task_status::CANCELLED) why = stop_reason::cancelled;
  } catch (...) {
    // Lost either way; only the reason is unknown.
  }
  {
    std::lock_guard hold(ctx.mutex_);
    if (!live() || !mark_stopped(ctx, why)) return;  // it finished or was given back meanwhile
  }
  ++(why == stop_reason::cancelled ? count.cancelled : count.leases_lost);
  ctx.stop_.request_stop();
}

void worker_state::give_back(task_context& ctx) noexcept {
  try {
    tasks.release(ctx.claim(), std::chrono::seconds(0));
    ++count.released;
  } catch (error const& e) {
    ++(e.code() == errc::conflict ? count.conflicts : count.errors);
  } catch (...) {
    ++count.errors;
  }
}

bool worker_state::mark_stopped(task_context& ctx, stop_reason why) noexcept {
  auto expected = stop_reason::none;
  return ctx.reason_.compare_exchange_strong(expected, why);
}

}  // namespace taskstore::detail
