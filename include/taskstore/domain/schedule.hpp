// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The scheduler's tables (migration 5): leader leases, and the runs of
/// periodic schedules, one row per schedule and period.

#include <taskstore/detail/config.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace taskstore {

/// A leader lease: who holds the role `name` until `expires_at`. No row, or
/// an expired one, means no leader.
struct task_leader {
  std::string name;
  std::string holder;
  timestamp elected_at;
  timestamp expires_at;
};
BOOST_DESCRIBE_STRUCT(task_leader, (), (name, holder, elected_at, expires_at))

template <>
struct table_traits<task_leader> {
  static constexpr std::string_view table = "task_leaders";
  static constexpr auto primary_key = natural_key<&task_leader::name>;
  static constexpr auto columns = std::tuple{
      column<&task_leader::name>.max_length(100).non_empty(),
      column<&task_leader::holder>.max_length(200).non_empty(),
  };
};

/// One period of a periodic schedule that has been created: its unique key
/// (schedule_id, period_start) is what makes the creation once per period.
struct task_periodic_run {
  std::int64_t id = 0;
  std::string schedule_id;
  timestamp period_start;
  std::optional<uuid> task_id;  ///< the task created; null once it is deleted
  timestamp created_at;
};
BOOST_DESCRIBE_STRUCT(task_periodic_run, (), (id, schedule_id, period_start, task_id, created_at))

template <>
struct table_traits<task_periodic_run> {
  static constexpr std::string_view table = "task_periodic_runs";
  static constexpr auto primary_key = auto_increment<&task_periodic_run::id>;
  static constexpr auto columns = std::tuple{
      column<&task_periodic_run::schedule_id>.max_length(100).non_empty(),
      column<&task_periodic_run::task_id>.references<&task::task_id>(on_delete::set_null),
      column<&task_periodic_run::created_at>.default_now(),
  };
  static constexpr auto indexes = std::tuple{
      unique_index<&task_periodic_run::schedule_id, &task_periodic_run::period_start>(
          "uq_task_periodic_runs_schedule_period"),
      index<&task_periodic_run::task_id>("ix_task_periodic_runs_task_id"),
  };
};

}  // namespace taskstore
