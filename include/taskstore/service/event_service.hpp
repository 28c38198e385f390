// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The event_service: a task's event log.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/api.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// Filters for a task's event log; every one optional.
struct event_filter {
  std::optional<event_kind> type{};
  std::optional<std::string> agent_role{};
  std::optional<log_level> level{};
  std::optional<timestamp> since{};
};

/// A task's event log (EventLog, and the drafts' AgentLog): append, read in
/// time order with filters and keyset pages, prune. Reads take the task's
/// owner; another user's task reads as missing.
class event_service {
 public:
  TASKSTORE_DECL explicit event_service(database const& db);

  /// Appends one event (created_at now unless set).
  /// @throws error validation_failed (agent_role over 100 characters); foreign_key_violation for an unknown task.
  TASKSTORE_DECL event_log append(event_log e);
  /// Appends events in one transaction; @returns them with their ids, in order.
  TASKSTORE_DECL std::vector<event_log> append_batch(std::vector<event_log> events);

  /// The task's events in time order (then by id), filtered, one page after
  /// `after`. Reads through database::reads(): from a standby where the URL
  /// names one, seeing every write this database finished before.
  /// @throws error not_found for a missing or another user's task.
  TASKSTORE_DECL std::vector<event_log> list(uuid const& task_id, std::int64_t user_id, event_filter const& filter = {},
                                             std::size_t limit = 100, std::optional<event_log> after = {}) const;

  /// Deletes every task's events created before `cutoff`; @returns how many.
  TASKSTORE_DECL std::size_t purge_before(timestamp cutoff);

 private:
  TASKSTORE_DECL static void prepare(event_log& e);

  database db_;
  soci_repository<task> tasks_;
  soci_repository<event_log> events_;
  // Event pages may lag a little: on the database's reads() handle.
  soci_repository<task> task_reads_;
  soci_repository<event_log> event_reads_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/event_service.ipp>
#endif
