// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/replica_reads.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/replica_reads.hpp>

#include <taskstore/db/detail/pool.hpp>

#include <algorithm>

namespace taskstore::detail {

namespace replica_detail {
// The standby's options: the primary's, but its own server, no listener, no faults.
inline connection_options standby_options(connection_options const& primary) {
  connection_options o = primary;
  o.connect_string = primary.replica_connect_string;
  o.redacted_url = "the standby (replica) of " + primary.redacted_url;
  o.replica_connect_string.clear();
  o.listen = false;
  o.listen_connect_string.clear();
  o.inject_fault.reset();
  return o;
}
}  // namespace replica_detail

replica_reads::replica_reads(connection_options const& primary)
    : options_(replica_detail::standby_options(primary)), max_lag_(primary.replica_max_lag) {}

replica_reads::~replica_reads() = default;

session_lease replica_reads::borrow(pool& primary) {
  auto const now = clock::now();
  auto* const standby_pool = standby(now);
  if (!standby_pool) return from_primary(primary);
  // Not a structured binding: Clang 14 cannot capture one in a lambda.
  auto const target = position_to_reach(primary);
  auto const& position = target.first;
  auto const generation = target.second;
  try {
    auto lease = standby_pool->borrow();
    bool use = true;
    {
      std::unique_lock lock(mutex_);
      if (generation > reached_ || now - checked_at_ >= check_interval) {
        lock.unlock();
        auto const& backend = standby_pool->backend();
        auto const p = guarded(lease, backend, [&] { return backend.progress_of_standby(lease.get(), position); });
        lock.lock();
        use = record(p, now) && p.reached;
        if (p.reached) reached_ = std::max(reached_, generation);
      }
    }
    if (use) {
      standby_reads_.fetch_add(1, std::memory_order_relaxed);
      return lease;
    }
  } catch (error const& e) {
    failed(e.what(), now);
  }
  return from_primary(primary);
}

bool replica_reads::record(standby_progress const& p, clock::time_point now) {
  checked_at_ = now;
  if (!p.standby) {
    lag_.reset();
    serving_ = false;
    problem_ = "it is not a standby (it may have been promoted)";
    retry_at_ = now + max_backoff;
    return false;
  }
  lag_ = p.lag;
  if (p.lag > max_lag_) {
    serving_ = false;
    problem_ = "it lagged " + std::to_string(p.lag.count()) + " ms behind, more than replica_max_lag_ms " +
               std::to_string(max_lag_.count());
    retry_at_ = now + check_interval;
    return false;
  }
  serving_ = true;
  backoff_ = {};
  return true;
}

pool* replica_reads::standby(clock::time_point now) {
  {
    std::lock_guard lock(mutex_);
    if (now < retry_at_ || connecting_) return nullptr;
    if (standby_) return standby_.get();
    connecting_ = true;  // the others read from the primary meanwhile
  }
  std::unique_ptr<pool> made;
  std::string why;
  try {
    made = std::make_unique<pool>(options_);
  } catch (error const& e) {
    why = e.what();
  }
  std::lock_guard lock(mutex_);
  connecting_ = false;
  if (!made) {
    serving_ = false;
    problem_ = std::move(why);
    backoff_ = std::clamp(backoff_ * 2, check_interval, max_backoff);
    retry_at_ = now + backoff_;
    return nullptr;
  }
  standby_ = std::move(made);
  return standby_.get();
}

void replica_reads::failed(std::string why, clock::time_point now) {
  std::lock_guard lock(mutex_);
  serving_ = false;
  problem_ = std::move(why);
  backoff_ = std::clamp(backoff_ * 2, check_interval, max_backoff);
  retry_at_ = now + backoff_;
}

std::pair<std::string, std::uint64_t> replica_reads::position_to_reach(pool& primary) {
  std::lock_guard lock(position_mutex_);
  // Taken under the mutex: a read that finds the mark gone waits for the one
  // that took it to learn the position, which covers every write before it.
  if (written_.exchange(false)) {
    try {
      auto lease = primary.borrow();
      lease.keep_unmarked();
      auto const& backend = primary.backend();
      position_ = guarded(lease, backend, [&] { return backend.write_position(lease.get()); });
      ++generation_;
    } catch (...) {
      written_.store(true);
      throw;
    }
  }
  return {position_, generation_};
}

session_lease replica_reads::from_primary(pool& primary) {
  auto lease = primary.borrow();
  lease.keep_unmarked();
  primary_reads_.fetch_add(1, std::memory_order_relaxed);
  return lease;
}

replica_status replica_reads::status(bool measure) {
  if (measure) {
    auto const now = clock::now();
    if (auto* standby_pool = standby(now)) {
      try {
        auto lease = standby_pool->borrow();
        auto const& backend = standby_pool->backend();
        auto const p = guarded(lease, backend, [&] { return backend.progress_of_standby(lease.get(), {}); });
        std::lock_guard lock(mutex_);
        record(p, now);
      } catch (error const& e) {
        failed(e.what(), now);
      }
    }
  }
  replica_status s;
  s.configured = true;
  s.max_lag = max_lag_;
  s.standby_reads = standby_reads_.load(std::memory_order_relaxed);
  s.primary_reads = primary_reads_.load(std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  s.serving = serving_ && clock::now() >= retry_at_;
  s.lag = lag_;
  s.problem = problem_;
  return s;
}

}  // namespace taskstore::detail
