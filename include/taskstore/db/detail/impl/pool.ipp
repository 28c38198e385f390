// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/pool.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/pool.hpp>

#include <taskstore/backend/registry.hpp>
#include <taskstore/db/detail/replica_reads.hpp>
#include <taskstore/db/detail/url_redact.hpp>

#include <algorithm>
#include <random>
#include <thread>
#include <typeinfo>

namespace taskstore::detail {

session_lease::~session_lease() {
  if (!owner_) return;
  if (marks_) owner_->note_write();  // after its statement or COMMIT: a later read must see it
  // An in-memory SQLite database lives only in its one connection: never drop it.
  if (owned_->broken && !owner_->options().in_memory) {
    owned_.reset();
    owner_->discard_broken();
  } else {
    owner_->release(std::move(owned_));
  }
}

bool writer_gate::try_lock_for(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (held_ && !free_.wait_for(lock, timeout, [&] { return !held_; })) return false;
  held_ = true;
  return true;
}

void writer_gate::unlock() noexcept {
  {
    std::lock_guard lock(mutex_);
    held_ = false;
  }
  free_.notify_one();
}

pool::pool(connection_options options)
    : options_(std::move(options)), backend_(&backend_for(options_.backend)) {  // bad_config if not built in
  faults_.arm(options_.inject_fault);
  // Fail now, not at first use; and learn the server's flavor before any
  // other connection and before the pool is shared: it never changes after.
  idle_.push_back(connect(error_category::admin_required, true));
  ++open_;
  if (!options_.replica_connect_string.empty()) {
    if (!backend_->reads_from_standbys())
      throw error(errc::bad_config,
                  std::string(backend_->description()) + " reads from no standby (URL parameter replica)");
    replica_ = std::make_unique<replica_reads>(options_);
  }
  signal_hub::listener_factory listen;
  if (backend_->pushes() && options_.listen)
    listen = [this] {
      return backend_->listen(std::move(connect(error_category::temporary, false, true)->session), channel);
    };
  signals_ = std::make_unique<signal_hub>(std::move(listen), std::chrono::seconds(30));
}

pool::~pool() = default;

session_lease pool::borrow_for_read() {
  if (auto* pinned = pinned_session()) return session_lease(pinned);
  if (replica_) return replica_->borrow(*this);
  auto lease = borrow();
  lease.keep_unmarked();
  return lease;
}

void pool::note_write() noexcept {
  if (replica_) replica_->note_write();
}

std::unique_lock<writer_gate> pool::lock_writer() {
  if (!writer_.try_lock_for(options_.busy_timeout))
    throw error(errc::busy_or_deadlock, error_category::temporary,
                "another transaction of this process held the SQLite write lock of " + options_.redacted_url + " for " +
                    std::to_string(options_.busy_timeout.count()) + " ms (busy_timeout_ms)");
  return std::unique_lock(writer_, std::adopt_lock);
}

session_lease pool::borrow() {
  if (auto* pinned = pinned_session()) return session_lease(pinned);
  std::unique_lock lock(mutex_);
  auto const ready = [&] { return !idle_.empty() || open_ < options_.pool_size; };
  if (!ready() && !available_.wait_for(lock, options_.pool_timeout, ready)) throw_exhausted();
  if (!idle_.empty()) {
    auto s = std::move(idle_.back());
    idle_.pop_back();
    return session_lease(this, std::move(s));
  }
  ++open_;
  lock.unlock();
  try {
    // Reachable once: failing now is an outage (a restart, a network blip) that may pass.
    return session_lease(this, connect(error_category::temporary));
  } catch (...) {
    release(nullptr);
    throw;
  }
}

void pool::release(std::unique_ptr<connection> s) noexcept {
  {
    std::lock_guard lock(mutex_);
    if (s)
      idle_.push_back(std::move(s));
    else
      --open_;
  }
  available_.notify_one();
}

void pool::discard_broken() noexcept {
  std::vector<std::unique_ptr<connection>> dead;
  {
    std::lock_guard lock(mutex_);
    --open_;
    open_ -= idle_.size();
    dead.swap(idle_);
  }
  available_.notify_all();
}

connection* pool::pinned_session() const noexcept {
  for (auto const& [p, s] : pins())
    if (p == this) return s;
  return nullptr;
}

pool::pin_list& pool::pins() noexcept {
  thread_local pin_list list;
  return list;
}

std::unique_ptr<connection> pool::connect(error_category failure, bool first, bool listener) {
  auto const& target =
      listener && !options_.listen_connect_string.empty() ? options_.listen_connect_string : options_.connect_string;
  try {
    auto c = std::make_unique<connection>();
    c->session = std::make_unique<soci::session>(backend_->factory(), target);
    if (first) backend_ = &backend_->for_server(*c->session, options_);  // before set_up(): it is the flavor's
    backend_->set_up(*c->session, options_);
    c->cache.name_statements(backend_->keeps_prepared_statements());
    c->faults = &faults_;
    return c;
  } catch (error const&) {
    throw;
  } catch (...) {
    std::string reason;
    try {
      backend_->rethrow_translated();
    } catch (error const& e) {
      reason = e.what();
    }
    try {
      throw;
    } catch (soci::soci_error const& e) {
      // rethrow_translated keeps a driver message's first line; SOCI's
      // PostgreSQL backend puts libpq's reason on the next ones.
      if (typeid(e) == typeid(soci::soci_error))
        reason = "[" + std::string(backend_->dialect().name()) + "] " + connect_failure_reason(e.get_error_message());
    } catch (...) {
    }
    // The driver may quote a piece of the connect string back (libpq: missing
    // "=" after "…"): never a piece that could be a password.
    std::vector<std::string> hidden;
    redact_conninfo(target, &hidden);
    throw error(errc::connection_failed, failure,
                "cannot connect to " + options_.redacted_url + ": " + scrub_secrets(std::move(reason), hidden));
  }
}

[[noreturn]] void pool::throw_exhausted() const {
  throw error(errc::pool_exhausted, error_category::temporary,
              "all " + std::to_string(options_.pool_size) + " sessions of " + options_.redacted_url +
                  " stayed in use for " + std::to_string(options_.pool_timeout.count()) +
                  " ms (pool_timeout_ms): raise pool_size, or shorten what holds them");
}

void backoff(std::size_t attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  auto const base = std::min<long long>(250, 5LL << std::min<std::size_t>(attempt - 1, 6));
  std::uniform_int_distribution<long long> jitter(base / 2, base + base / 2);
  std::this_thread::sleep_for(std::chrono::milliseconds{jitter(rng)});
}

}  // namespace taskstore::detail
