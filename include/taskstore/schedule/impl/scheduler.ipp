// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/schedule/scheduler.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/schedule/scheduler.hpp>

#include <taskstore/error.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/task_maintenance.hpp>

#include <algorithm>
#include <string>

namespace taskstore {

scheduler::scheduler(database db, scheduler_options o)
    : db_(db), options_(std::move(o)), lease_(std::move(db), options_.leader) {
  if (!(options_.renew_fraction > 0 && options_.renew_fraction < 1))
    throw error(errc::validation_failed, "renew_fraction is more than 0 and less than 1", "renew_fraction");
  if (options_.maintenance_every < std::chrono::seconds(1))
    throw error(errc::validation_failed, "maintenance_every is at least 1 s", "maintenance_every");
  options_.leader = lease_.options();  // with the holder filled in
  options_.cleanup.dry_run = false;
}

scheduler::~scheduler() { stop(); }

void scheduler::add_periodic(periodic_schedule s) {
  check_periodic_schedule(s);
  std::lock_guard lock(mutex_);
  if (started_) throw error(errc::invalid_transition, "add_periodic() after start()");
  if (std::ranges::any_of(schedules_, [&](auto const& x) { return x.id == s.id; }))
    throw error(errc::validation_failed, "a periodic schedule with this id was added", "id");
  schedules_.push_back(std::move(s));
}

void scheduler::start() {
  std::lock_guard lock(mutex_);
  if (started_) throw error(errc::invalid_transition, "the scheduler was started before");
  started_ = true;
  thread_ = std::thread([this] { loop(); });
}

void scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable())
    thread_.join();
  else {
    // run_once() users: leave no term behind either.
    try {
      if (lease_.trusted_until()) lease_.step_down();
    } catch (std::exception const& e) {
      failed("step_down", e);
    }
  }
}

void scheduler::run_once() {
  {
    std::lock_guard lock(mutex_);
    if (started_) throw error(errc::invalid_transition, "run_once() on a started scheduler");
  }
  elect();
  if (lease_.is_leader()) maintain();
  if (lease_.is_leader() || options_.periodic_everywhere) create_periodic_tasks();
}

bool scheduler::is_leader() const {
  std::lock_guard lock(mutex_);
  return leader_until_ && clock::now() < *leader_until_;
}

scheduler_stats scheduler::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void scheduler::failed(std::string_view job, std::exception const& e) {
  {
    std::lock_guard lock(mutex_);
    ++stats_.errors;
  }
  if (options_.on_error) try {
      options_.on_error(job, e);
    } catch (...) {  // a reporting callback must not stop the scheduler
    }
}

void scheduler::elect() {
  bool const was = lease_.is_leader();
  try {
    lease_.try_acquire();
  } catch (std::exception const& e) {
    failed("elect", e);
  }
  std::lock_guard lock(mutex_);
  leader_until_ = lease_.trusted_until();
  if (!was && lease_.is_leader()) ++stats_.elections;
}

void scheduler::maintain() {
  // Each job checks the term again: a leader whose term ended mid-round
  // (a slow job, a pause) stops rather than overlap its successor longer.
  auto const job = [&](std::string_view name, auto&& fn) {
    if (!lease_.is_leader()) return;
    try {
      fn();
    } catch (std::exception const& e) {
      failed(name, e);
    }
  };
  job("rescue_tasks", [&] { task_maintenance(db_).rescue_expired(); });
  job("rescue_emails", [&] { outbox_service(db_).rescue_expired(); });
  job("cleanup", [&] { cleanup(db_, options_.cleanup); });
  std::lock_guard lock(mutex_);
  ++stats_.maintenance_runs;
}

void scheduler::create_periodic_tasks() {
  for (auto const& s : schedules_) {
    try {
      if (create_periodic(db_, s)) {
        std::lock_guard lock(mutex_);
        ++stats_.periodic_created;
      }
    } catch (std::exception const& e) {
      failed("periodic:" + s.id, e);
    }
  }
}

scheduler::clock::time_point scheduler::next_periodic(clock::time_point now) const {
  auto const wall = timestamp::now();
  auto next = clock::time_point::max();
  for (auto const& s : schedules_) {
    auto const boundary = period_start(s, wall).time() + s.every;
    // 1 ms past the boundary, so that the wake-up lands in the new period.
    next = std::min(next, now + (boundary - wall.time()) + std::chrono::milliseconds(1));
  }
  return next;
}

void scheduler::loop() {
  auto const renew_every = std::chrono::duration_cast<clock::duration>(options_.leader.ttl * options_.renew_fraction);
  auto next_elect = clock::now();
  auto next_maintenance = clock::now();
  auto next_periodic_at = clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    bool const was = lease_.is_leader();
    if (clock::now() >= next_elect) {
      elect();
      next_elect = clock::now() + renew_every;
    }
    bool const leads = lease_.is_leader();
    if (leads && !was) next_maintenance = next_periodic_at = clock::now();
    if (leads && clock::now() >= next_maintenance) {
      maintain();
      next_maintenance = clock::now() + options_.maintenance_every;
    }
    bool const periodic = !schedules_.empty() && (leads || options_.periodic_everywhere);
    if (periodic && clock::now() >= next_periodic_at) {
      auto const errors_before = stats().errors;
      create_periodic_tasks();
      next_periodic_at = next_periodic(clock::now());
      // A failed creation is tried again soon, within its period.
      if (stats().errors != errors_before)
        next_periodic_at = std::min(next_periodic_at, clock::now() + std::chrono::seconds(1));
    }
    auto deadline = next_elect;
    if (leads) deadline = std::min({deadline, next_maintenance, *lease_.trusted_until()});
    if (periodic) deadline = std::min(deadline, next_periodic_at);
    lock.lock();
    wake_.wait_until(lock, deadline, [&] { return stopping_; });
  }
  lock.unlock();
  try {
    lease_.step_down();
  } catch (std::exception const& e) {
    failed("step_down", e);
  }
  std::lock_guard relock(mutex_);
  leader_until_.reset();
}

}  // namespace taskstore
