// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// A task's event log and its agents' runs.

#include <taskstore/domain/task.hpp>
#include <taskstore/limits.hpp>
#include <taskstore/reflect/enum_names.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace taskstore {

/// What an event records (plus STATUS_CHANGE for every task transition).
/// Lower-case enumerators (`ERROR` and `DEBUG` are common macros); stored and in JSON
/// as the event log names them: "LOG", "ERROR", "STATUS_CHANGE", ….
enum class event_kind { log, message, error, result, agent_start, agent_complete, system, status_change };
BOOST_DESCRIBE_ENUM(event_kind, log, message, error, result, agent_start, agent_complete, system, status_change)

template <>
struct enum_stored_names<event_kind> {
  static constexpr std::array<std::string_view, 8> names{"LOG",         "MESSAGE",        "ERROR",  "RESULT",
                                                         "AGENT_START", "AGENT_COMPLETE", "SYSTEM", "STATUS_CHANGE"};
};

/// An event's severity; stored and in JSON as "DEBUG", "INFO", "WARNING", "ERROR".
enum class log_level { debug, info, warning, error };
BOOST_DESCRIBE_ENUM(log_level, debug, info, warning, error)

template <>
struct enum_stored_names<log_level> {
  static constexpr std::array<std::string_view, 4> names{"DEBUG", "INFO", "WARNING", "ERROR"};
};

/// JSON carries the stored names (Boost.JSON would write the enumerators').
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, event_kind k) { v = enum_to_string(k); }
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, log_level l) { v = enum_to_string(l); }

/// One entry of a task's event log (EventLog; also the drafts' AgentLog).
struct event_log {
  std::int64_t id = 0;
  uuid task_id{};
  event_kind event_type = event_kind::log;
  log_level level = log_level::info;
  std::optional<std::string> agent_role{};
  std::optional<std::string> content{};
  timestamp created_at{};
};
BOOST_DESCRIBE_STRUCT(event_log, (), (id, task_id, event_type, level, agent_role, content, created_at))

template <>
struct table_traits<event_log> {
  static constexpr std::string_view table = "event_logs";
  static constexpr auto primary_key = auto_increment<&event_log::id>;
  static constexpr auto columns = std::tuple{
      column<&event_log::task_id>.references<&task::task_id>(on_delete::cascade),
      column<&event_log::level>.default_value(log_level::info),
      column<&event_log::agent_role>.max_length(100),
      column<&event_log::created_at>.default_now(),
  };
  static constexpr auto indexes = std::tuple{
      index<&event_log::task_id>("ix_event_logs_task_id"),
      index<&event_log::event_type>("ix_event_logs_event_type"),
      index<&event_log::agent_role>("ix_event_logs_agent_role"),
      index<&event_log::created_at>("ix_event_logs_created_at"),
      index<&event_log::task_id, &event_log::created_at>("idx_event_log_task_created"),
  };
};

/// An agent run's state.
enum class agent_run_status { STARTED, RUNNING, COMPLETED, FAILED, CANCELLED };
BOOST_DESCRIBE_ENUM(agent_run_status, STARTED, RUNNING, COMPLETED, FAILED, CANCELLED)

/// One agent's run within a task (AgentRun).
struct agent_run {
  std::int64_t id = 0;
  uuid task_id;
  std::string agent_name;
  agent_run_status status = agent_run_status::STARTED;
  timestamp started_at;
  std::optional<timestamp> finished_at;
  std::optional<std::string> output_summary;
  std::int64_t tokens_used = 0;
};
BOOST_DESCRIBE_STRUCT(agent_run, (),
                      (id, task_id, agent_name, status, started_at, finished_at, output_summary, tokens_used))

template <>
struct table_traits<agent_run> {
  static constexpr std::string_view table = "agent_runs";
  static constexpr auto primary_key = auto_increment<&agent_run::id>;
  static constexpr auto columns = std::tuple{
      column<&agent_run::task_id>.references<&task::task_id>(on_delete::cascade),
      column<&agent_run::agent_name>.max_length(100).non_empty(),
      column<&agent_run::status>.default_value(agent_run_status::STARTED),
      column<&agent_run::started_at>.default_now(),
      column<&agent_run::tokens_used>.min(0).accepts(0, limits::max_amount).default_value(0),
  };
  static constexpr auto indexes = std::tuple{
      index<&agent_run::task_id>("ix_agent_runs_task_id"),
      index<&agent_run::agent_name>("ix_agent_runs_agent_name"),
      index<&agent_run::status>("ix_agent_runs_status"),
      index<&agent_run::started_at>("ix_agent_runs_started_at"),
      index<&agent_run::task_id, &agent_run::started_at>("idx_agent_run_task_started"),
  };
};

}  // namespace taskstore
