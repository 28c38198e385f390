// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/schedule/leader_lease.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/schedule/leader_lease.hpp>

#include <taskstore/error.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/worker/detail/worker_state.hpp>

namespace taskstore {

leader_lease::leader_lease(database db, leader_options o) : db_(std::move(db)), options_(std::move(o)) {
  if (options_.name.empty() || options_.name.size() > 100)
    throw error(errc::validation_failed, "a leader role name has 1 to 100 characters", "name");
  if (options_.holder.empty()) options_.holder = detail::default_worker_id();
  if (options_.holder.size() > 200)
    throw error(errc::validation_failed, "a leader holder has at most 200 characters", "holder");
  if (options_.ttl < std::chrono::milliseconds(100))
    throw error(errc::validation_failed, "a leader ttl is at least 100 ms", "ttl");
  if (options_.margin < std::chrono::milliseconds(0) || options_.margin > options_.ttl / 2)
    throw error(errc::validation_failed, "a leader margin is 0 to ttl / 2", "margin");
}

bool leader_lease::try_acquire() {
  // Both clocks are read before the transaction: the term is trusted from
  // the attempt's start, never from its (later) commit.
  auto const started = std::chrono::steady_clock::now();
  auto const now = timestamp::now();
  auto const until = timestamp(now.time() + std::chrono::duration_cast<timestamp::duration>(options_.ttl));
  trusted_until_.reset();
  soci_repository<task_leader> leaders(db_);
  bool const won = db_.transact([&] {
    auto const mine = col(&task_leader::name) == options_.name && col(&task_leader::holder) == options_.holder;
    if (leaders.update_where(query<task_leader>{mine && col(&task_leader::expires_at) >= now},
                             set(&task_leader::expires_at, until)) == 1)
      return true;
    leaders.remove_where(
        query<task_leader>{col(&task_leader::name) == options_.name && col(&task_leader::expires_at) < now});
    return leaders.insert_if_absent(task_leader{options_.name, options_.holder, now, until}).has_value();
  });
  if (won) trusted_until_ = started + options_.ttl - options_.margin;
  return won;
}

bool leader_lease::is_leader() const { return trusted_until_ && std::chrono::steady_clock::now() < *trusted_until_; }

void leader_lease::step_down() {
  trusted_until_.reset();
  soci_repository<task_leader>(db_).remove_where(
      query<task_leader>{col(&task_leader::name) == options_.name && col(&task_leader::holder) == options_.holder});
}

std::optional<task_leader> leader_lease::current() const {
  return soci_repository<task_leader>(db_).find(options_.name);
}

}  // namespace taskstore
