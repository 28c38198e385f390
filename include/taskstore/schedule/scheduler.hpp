// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The scheduler a program runs beside its workers: it competes for the
/// maintenance leader lease and, while it leads, runs maintenance on a
/// schedule and creates the periodic tasks.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/schedule/leader_lease.hpp>
#include <taskstore/schedule/periodic.hpp>
#include <taskstore/service/maintenance.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace taskstore {

/// How a scheduler runs. Its constructor checks them.
struct scheduler_options {
  /// The lease it competes for; it tries every ttl × renew_fraction.
  leader_options leader{};
  /// More than 0, less than 1: a leader renews (and others try) this often.
  double renew_fraction = 1.0 / 3;
  /// How often the leader runs maintenance (at least 1 s): rescue_expired
  /// of tasks and e-mails, then cleanup().
  std::chrono::milliseconds maintenance_every{std::chrono::seconds(30)};
  /// What cleanup() does each round (dry_run is ignored).
  cleanup_options cleanup{};
  /// Whether periodic tasks are created by every scheduler rather than by
  /// the leader only. Both are correct (the unique key decides); the leader
  /// alone is cheaper, every process is quicker after the leader dies.
  bool periodic_everywhere = false;
  /// Told of every job that failed (job name: "elect", "rescue_tasks",
  /// "rescue_emails", "cleanup", "periodic:<id>"); on the scheduler's thread.
  std::function<void(std::string_view job, std::exception const&)> on_error{};
};

/// What a scheduler has done since it was constructed; each count only rises.
struct scheduler_stats {
  std::size_t elections = 0;         ///< attempts that left it leader after it was not
  std::size_t maintenance_runs = 0;  ///< maintenance rounds run as leader
  std::size_t periodic_created = 0;  ///< periodic tasks it created
  std::size_t errors = 0;            ///< jobs that threw (reported to on_error, never fatal)
};

/// Runs the leader lease, maintenance and periodic tasks on a thread of its
/// own. Every maintenance job is idempotent (a compare-and-set per row) and
/// periodic creation is guarded by a unique key, so two leaders at once (a
/// paused process waking after its term ended) cost load, never correctness.
class scheduler {
 public:
  /// @throws error validation_failed naming the option out of range.
  TASKSTORE_DECL explicit scheduler(database db, scheduler_options o = {});
  /// stop().
  TASKSTORE_DECL ~scheduler();
  scheduler(scheduler const&) = delete;
  scheduler& operator=(scheduler const&) = delete;

  /// Adds a schedule; before start() only.
  /// @throws error validation_failed as check_periodic_schedule() does, or
  ///         for an id already added; invalid_transition after start().
  TASKSTORE_DECL void add_periodic(periodic_schedule s);

  /// Starts the thread. @throws error invalid_transition when started before.
  TASKSTORE_DECL void start();

  /// Wakes the thread, joins it and steps down (deleting its lease row, so
  /// another scheduler leads at its next attempt). Idempotent.
  TASKSTORE_DECL void stop();

  /// One round on the calling thread (without start()): an election attempt,
  /// then, if it leads, maintenance and the periodic tasks due.
  TASKSTORE_DECL void run_once();

  /// Whether it leads now (its term, less the margin, has not ended).
  TASKSTORE_DECL bool is_leader() const;

  TASKSTORE_DECL scheduler_stats stats() const;

 private:
  using clock = std::chrono::steady_clock;
  TASKSTORE_DECL void loop();
  TASKSTORE_DECL void elect();
  TASKSTORE_DECL void maintain();
  TASKSTORE_DECL void create_periodic_tasks();
  TASKSTORE_DECL void failed(std::string_view job, std::exception const& e);
  TASKSTORE_DECL clock::time_point next_periodic(clock::time_point now) const;

  database db_;
  scheduler_options options_;
  leader_lease lease_;
  std::vector<periodic_schedule> schedules_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool started_ = false;
  /// lease_.trusted_until(), copied for is_leader() on other threads.
  std::optional<clock::time_point> leader_until_;
  scheduler_stats stats_{};
  std::thread thread_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/schedule/impl/scheduler.ipp>
#endif
