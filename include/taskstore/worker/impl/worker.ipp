// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/worker/worker.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/validation.hpp>
#include <taskstore/worker/detail/worker_state.hpp>
#include <taskstore/worker/worker.hpp>

#include <exception>
#include <utility>

namespace taskstore {

worker::worker(database const& db, worker_options options)
    : state_(std::make_unique<detail::worker_state>(db, std::move(options))) {}

worker::~worker() {
  try {
    stop();
  } catch (...) {
    // A destructor does not throw; stop() gave back what it could.
  }
}

void worker::handle(std::string const& tool_id, task_handler handler) {
  check_tool_id(tool_id);
  if (!handler) throw error(errc::validation_failed, "a handler must be callable", "handler");
  std::lock_guard lock(state_->control);
  if (state_->running) throw error(errc::invalid_transition, "handlers are registered while the worker is stopped");
  state_->handlers.insert_or_assign(tool_id, std::move(handler));
}

void worker::start() {
  std::lock_guard lock(state_->control);
  state_->start();
}

void worker::stop(std::optional<std::chrono::milliseconds> grace) {
  std::lock_guard lock(state_->control);
  state_->stop(grace.value_or(state_->options.shutdown_grace));
}

std::size_t worker::run_until_idle() {
  std::size_t before = 0;
  {
    std::lock_guard lock(state_->control);
    if (state_->running) throw error(errc::invalid_transition, "run_until_idle() starts the worker: it is running");
    before = state_->count.taken;
    state_->start();
  }
  std::exception_ptr failure;
  {
    std::unique_lock lock(state_->mutex);
    state_->changed.wait(lock, [&] { return state_->idle_claims > 0 || state_->claim_failure || !state_->claiming; });
    failure = state_->claim_failure;
  }
  stop();
  if (failure) std::rethrow_exception(failure);
  return state_->count.taken - before;
}

void worker::wake() {
  {
    std::lock_guard lock(state_->mutex);
    state_->woken = true;
  }
  state_->claimer_wakeup.notify_all();
}

bool worker::running() const {
  std::lock_guard lock(state_->mutex);
  return state_->running;
}

std::string const& worker::id() const noexcept { return state_->options.worker_id; }

worker_stats worker::stats() const { return state_->stats(); }

}  // namespace taskstore
