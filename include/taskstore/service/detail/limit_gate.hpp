// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/task_queue.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::detail {

/// The gate slot of a limited key: FNV-1a of `kind:key` modulo the number of
/// slots, the same in every process and on every host (never std::hash).
TASKSTORE_DECL std::int32_t limit_gate_slot(std::string_view kind, std::string_view key);

/// What a claim reads of queue control, in its transaction, in one read of
/// task_queues.
struct queue_controls {
  std::vector<std::string> paused;                  ///< tools whose tasks no claim takes
  std::map<std::string, std::int32_t> tool_limits;  ///< max_processing per limited tool
  bool user_limits = false;                         ///< per-user limits exist (the empty tool_id's row)
  std::optional<std::int32_t> default_user_limit;

  bool limited() const noexcept { return user_limits || !tool_limits.empty(); }
  TASKSTORE_DECL bool is_paused(std::string const& tool_id) const;

  TASKSTORE_DECL static queue_controls read(database const& db);
};

/// Admits claimed tasks under the limits, inside one claim transaction
/// ("gate, then count": docs/design.md, Concurrency limits). For the limited
/// keys of the tasks given, it locks their gate slots (the first time
/// blocking, in ascending order; later in the same transaction without
/// waiting, so that gates are never awaited out of order), then counts the
/// PROCESSING tasks of each key, once: while the gate is held no other
/// claimer of the key can commit, so the count plus what this transaction
/// admits is the number at its commit. A fresh object per transaction
/// attempt.
class limit_admission {
 public:
  TASKSTORE_DECL limit_admission(database const& db, queue_controls const& controls);

  /// The first tasks of `rows` (in their order), at most `max`, that the
  /// limits admit now.
  TASKSTORE_DECL std::vector<task> admit(std::vector<task>&& rows, std::size_t max);

  /// Keys a task was turned away for: a later select of the same claim
  /// leaves their tasks out, so a saturated key does not starve the others.
  std::vector<std::string> const& saturated_tools() const noexcept { return saturated_tools_; }
  std::vector<std::int64_t> const& saturated_users() const noexcept { return saturated_users_; }
  /// How many tasks admit() turned away so far.
  std::size_t rejected() const noexcept { return rejected_; }

 private:
  struct key_state {
    std::int32_t limit = 0;
    std::int32_t slot = 0;
    std::optional<std::int64_t> used;  ///< PROCESSING + admitted; unset until counted under the gate
    bool gated = false;                ///< the slot is held (or could not be had: `used` unset)
  };
  TASKSTORE_DECL void lock_and_count(std::vector<key_state*> const& keys, std::vector<std::string> const& tools,
                                     std::vector<std::int64_t> const& users);

  database db_;
  queue_controls const& controls_;
  std::map<std::string, key_state> tools_;
  std::map<std::int64_t, key_state> users_;
  std::set<std::int32_t> held_;
  std::vector<std::string> saturated_tools_;
  std::vector<std::int64_t> saturated_users_;
  std::size_t rejected_ = 0;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/detail/impl/limit_gate.ipp>
#endif
