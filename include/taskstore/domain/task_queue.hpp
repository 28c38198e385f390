// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The tables of queue control (migration 5): a tool's queue paused or
/// limited, per-user limits, and the fixed lock rows that claims under a limit
/// take (docs/design.md, Concurrency limits).

#include <taskstore/domain/user.hpp>
#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/types/timestamp.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace taskstore {

/// The settings of one tool's queue; a tool without a row runs unlimited.
/// The row whose tool_id is empty (no task has an empty tool_id) holds the
/// per-user settings instead: its presence says that per-user limits exist,
/// its max_processing is the default limit of every user without a row in
/// task_user_limits (NULL: unlimited). So a claim learns all it needs from
/// one read of this small table.
struct task_queue {
  std::string tool_id;
  std::optional<timestamp> paused_at;          ///< set: claims skip the tool's tasks
  std::optional<std::int32_t> max_processing;  ///< at most this many PROCESSING at once; NULL: no limit
  timestamp updated_at;
};
BOOST_DESCRIBE_STRUCT(task_queue, (), (tool_id, paused_at, max_processing, updated_at))

template <>
struct table_traits<task_queue> {
  static constexpr std::string_view table = "task_queues";
  static constexpr auto primary_key = natural_key<&task_queue::tool_id>;
  static constexpr auto columns = std::tuple{
      column<&task_queue::tool_id>.max_length(50),
      column<&task_queue::max_processing>.min(0),
      column<&task_queue::updated_at>.default_now(),
  };
};

/// A user's own limit on PROCESSING tasks (over all tools), in place of the
/// default one.
struct task_user_limit {
  std::int64_t user_id = 0;
  std::int32_t max_processing = 0;
  timestamp updated_at;
};
BOOST_DESCRIBE_STRUCT(task_user_limit, (), (user_id, max_processing, updated_at))

template <>
struct table_traits<task_user_limit> {
  static constexpr std::string_view table = "task_user_limits";
  static constexpr auto primary_key = natural_key<&task_user_limit::user_id>;
  static constexpr auto columns = std::tuple{
      column<&task_user_limit::user_id>.references<&user::id>(on_delete::cascade),
      column<&task_user_limit::max_processing>.min(0),
      column<&task_user_limit::updated_at>.default_now(),
  };
};

/// One of the fixed lock rows (slots 0 to limit_gate_slots - 1, written by
/// migration 5): a claim under a limit locks the slots of its keys before it
/// counts, so that two claimers of one key count one after the other. Not
/// data: backups, copies and restores leave these rows alone.
struct task_limit_gate {
  std::int32_t slot = 0;
};
BOOST_DESCRIBE_STRUCT(task_limit_gate, (), (slot))

/// How many task_limit_gate rows migration 5 writes; part of its frozen text.
inline constexpr std::int32_t limit_gate_slots = 256;

template <>
struct table_traits<task_limit_gate> {
  static constexpr std::string_view table = "task_limit_gates";
  static constexpr auto primary_key = natural_key<&task_limit_gate::slot>;
  static constexpr auto columns = std::tuple{column<&task_limit_gate::slot>.accepts(0, limit_gate_slots - 1)};
};

}  // namespace taskstore
