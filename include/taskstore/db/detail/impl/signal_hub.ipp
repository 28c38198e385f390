// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/signal_hub.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/signal_hub.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace taskstore::detail {

signal_hub::signal_hub(listener_factory open, std::chrono::milliseconds keepalive)
    : open_(std::move(open)), keepalive_(keepalive) {}

signal_hub::~signal_hub() {
  std::lock_guard control(control_);
  remote_ = 0;
  adjust_listener();
}

std::uint64_t signal_hub::subscribe(handler h, bool remote) {
  std::lock_guard control(control_);
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
    subscribers_.emplace(id, subscriber{std::move(h), remote});
  }
  if (remote) {
    ++remote_;
    adjust_listener();
  }
  return id;
}

void signal_hub::unsubscribe(std::uint64_t id) noexcept {
  std::lock_guard control(control_);
  bool remote = false;
  {
    std::lock_guard lock(mutex_);  // waits for a publish() under way
    auto const it = subscribers_.find(id);
    if (it == subscribers_.end()) return;
    remote = it->second.remote;
    subscribers_.erase(it);
  }
  if (remote) {
    --remote_;
    adjust_listener();
  }
}

void signal_hub::publish(std::string_view payload) noexcept {
  std::lock_guard lock(mutex_);
  for (auto const& [id, s] : subscribers_) {
    try {
      s.on_signal(payload);
    } catch (...) {
      // A subscriber's failure is its own; the others still hear of it.
    }
  }
}

bool signal_hub::listening() const noexcept {
  std::lock_guard lock(listener_mutex_);
  return listener_ != nullptr;
}

void signal_hub::adjust_listener() {
  if (!open_) return;  // the database cannot push: subscribers hear this process only
  bool const running = listener_thread_.joinable();
  if (remote_ > 0 && !running) {
    {
      std::lock_guard lock(listener_mutex_);
      listener_stop_ = false;
    }
    listener_thread_ = std::thread([this] { listen_loop(); });
  } else if (remote_ == 0 && running) {
    {
      std::lock_guard lock(listener_mutex_);
      listener_stop_ = true;
      if (listener_) listener_->interrupt();
    }
    listener_wakeup_.notify_all();
    listener_thread_.join();
  }
}

void signal_hub::listen_loop() noexcept {
  using namespace std::chrono_literals;
  auto retry_in = 100ms;
  auto last_round_trip = std::chrono::steady_clock::now();
  std::vector<std::string> payloads;
  for (;;) {
    listener* current = nullptr;
    {
      std::lock_guard lock(listener_mutex_);
      if (listener_stop_) break;
      current = listener_.get();
    }
    if (!current) {
      std::unique_ptr<listener> opened;
      try {
        opened = open_();
      } catch (...) {
        // The server is down or refuses: subscribers poll meanwhile.
      }
      if (!opened) {
        std::unique_lock lock(listener_mutex_);
        listener_wakeup_.wait_for(lock, retry_in, [&] { return listener_stop_; });
        retry_in = std::min<std::chrono::milliseconds>(retry_in * 2, 5s);
        continue;
      }
      {
        std::lock_guard lock(listener_mutex_);
        listener_ = std::move(opened);  // stop() interrupts it from now on
      }
      retry_in = 100ms;
      last_round_trip = std::chrono::steady_clock::now();
      publish(anything);  // what was sent while nobody listened is not delivered again
      continue;
    }
    try {
      // An interrupt() that came before this wait makes it return at once.
      payloads.clear();
      current->wait(keepalive_, payloads);
      auto const now = std::chrono::steady_clock::now();
      if (payloads.empty() && now - last_round_trip >= keepalive_) {
        current->ping();
        last_round_trip = now;
      }
      for (auto const& p : payloads) publish(p);
    } catch (...) {
      std::lock_guard lock(listener_mutex_);
      listener_.reset();  // reconnects at the next round
    }
  }
  std::lock_guard lock(listener_mutex_);
  listener_.reset();
}

}  // namespace taskstore::detail
