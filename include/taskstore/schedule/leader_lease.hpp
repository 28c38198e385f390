// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// A leader lease in the database (`task_leaders`): at most one holder of a
/// role at a time across processes, renewed while it lives, taken over when
/// it stops renewing.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/schedule.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace taskstore {

/// How a leader_lease elects and how long it trusts its term. The
/// constructor checks them.
struct leader_options {
  /// The role (at most 100 characters): one leader per name.
  std::string name = "maintenance";
  /// Names this elector in the row (at most 200 characters); empty: `host:pid:random`.
  std::string holder{};
  /// A term's length from the start of the attempt that won or renewed it (at least 100 ms).
  std::chrono::milliseconds ttl{std::chrono::seconds(15)};
  /// The holder stops trusting its term this long before it ends (0 to ttl / 2):
  /// the clock skew between hosts it tolerates (expiry is written and read
  /// with each host's clock).
  std::chrono::milliseconds margin{std::chrono::seconds(1)};
};

/// One elector for one role. Electors on other handles or in other processes
/// compete for the same row; a term is held by one of them at a time, as
/// long as host clocks differ by less than `margin`.
/// Not thread-safe: one thread drives an elector (the scheduler's does).
class leader_lease {
 public:
  /// @throws error validation_failed naming the option that is out of range.
  TASKSTORE_DECL leader_lease(database db, leader_options o = {});

  /// One attempt, one short transaction: renews this holder's unexpired
  /// term, or else deletes an expired term and takes the free role.
  /// @returns whether this holder leads now (is_leader()).
  /// @throws error on database failure; the local term is then forgotten
  ///         (is_leader() false), the row is left to expire.
  TASKSTORE_DECL bool try_acquire();

  /// True until `margin` before the end of the last term won or renewed,
  /// measured on this process's steady clock from the winning attempt's start.
  TASKSTORE_DECL bool is_leader() const;

  /// Deletes this holder's row (if it still holds it), so that another
  /// elector wins at its next attempt. Forgets the local term first.
  /// @throws error on database failure (the row then expires on its own).
  TASKSTORE_DECL void step_down();

  /// The role's row as stored, expired or not; nullopt when there is none.
  TASKSTORE_DECL std::optional<task_leader> current() const;

  /// When is_leader() turns false unless renewed; nullopt when not leading.
  std::optional<std::chrono::steady_clock::time_point> trusted_until() const noexcept { return trusted_until_; }

  std::string const& holder() const noexcept { return options_.holder; }
  leader_options const& options() const noexcept { return options_; }

 private:
  database db_;
  leader_options options_;
  std::optional<std::chrono::steady_clock::time_point> trusted_until_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/schedule/impl/leader_lease.ipp>
#endif
