// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// What task_service, task_claims and task_maintenance share: the
/// repositories, the retry backoff, and a state change with its
/// STATUS_CHANGE event and its wake-up signal.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/retry_backoff.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/task_lifecycle.hpp>
#include <taskstore/error.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstdint>
#include <optional>
#include <utility>

namespace taskstore::detail {

/// The machinery of the task lifecycle, held by value by each of the three
/// task faces (a database handle and two repositories: cheap to copy).
/// Thread-safe like its database.
struct task_transitions {
  TASKSTORE_DECL explicit task_transitions(database const& d, retry_backoff b = {});

  /// Moves task `id` to `to` in one transaction with its event and signal,
  /// after `before` checked and changed it. With an `owner`, another user's
  /// task and a soft-deleted one are missing (not_found).
  /// The body runs again when transact() retries: `before` is const, and must
  /// copy (never move) what it captures.
  template <class F = void (*)(task&)>
  task transition(
      uuid const& id, std::optional<std::int64_t> owner, task_status to, F const& before = [](task&) {}) {
    return db.transact([&] {
      auto t = tasks.find(id);
      if (!t || (owner && (t->user_id != *owner || t->deleted_at))) throw error(errc::not_found, "no such task");
      auto const as_read = *t;
      before(*t);
      auto const from = t->status;
      auto const now = timestamp::now();
      apply_transition(*t, to, now);
      tasks.update(*t, as_read);
      append_status_event(id, from, to, now);
      announce(*t, from, now);
      return std::move(*t);
    });
  }

  /// The STATUS_CHANGE event of a move from `from` (none: creation) to `to`.
  TASKSTORE_DECL static event_log status_event(uuid const& id, std::optional<task_status> from, task_status to,
                                               timestamp now);
  TASKSTORE_DECL void append_status_event(uuid const& id, std::optional<task_status> from, task_status to,
                                          timestamp now);

  /// Tells workers, when the transaction commits, that `t` (just moved from
  /// `from`) can be claimed now, or was cancelled while a worker held it.
  TASKSTORE_DECL void announce(task const& t, std::optional<task_status> from, timestamp now) const;

  database db;
  soci_repository<task> tasks;
  soci_repository<event_log> events;
  retry_backoff backoff;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/detail/impl/task_transitions.ipp>
#endif
