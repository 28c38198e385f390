// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Users' working sessions and their background-task record.

#include <taskstore/detail/config.hpp>
#include <taskstore/domain/user.hpp>
#include <taskstore/reflect/enum_names.hpp>
#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>
#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace taskstore {

/// A user's working session: the parent of its background-task record. Expires 7 days after creation.
struct session {
  uuid id;
  std::optional<std::int64_t> user_id;
  std::string stage;
  timestamp created_at;
  timestamp updated_at;
  timestamp expires_at;
};
BOOST_DESCRIBE_STRUCT(session, (), (id, user_id, stage, created_at, updated_at, expires_at))

template <>
struct table_traits<session> {
  static constexpr std::string_view table = "sessions";
  static constexpr auto primary_key = natural_key<&session::id>;
  static constexpr auto columns = std::tuple{
      column<&session::user_id>.references<&user::id>(on_delete::cascade),
      column<&session::stage>.max_length(50),
      column<&session::created_at>.default_now(),
      column<&session::updated_at>.default_now(),
  };
  static constexpr auto indexes = std::tuple{index<&session::expires_at>("ix_sessions_expires_at")};
};

/// The background job a session runs. `export` is a C++ keyword:
/// the enumerator's trailing underscore is not stored.
enum class session_task_type { processing, export_, adf_validation };
BOOST_DESCRIBE_ENUM(session_task_type, processing, export_, adf_validation)

enum class session_task_status { running, completed, failed, cancelled };
BOOST_DESCRIBE_ENUM(session_task_status, running, completed, failed, cancelled)

/// A session's single background-task record, overwritten as the workflow
/// moves processing → export → adf_validation (SessionTask).
struct session_task {
  uuid id;
  uuid session_id;
  session_task_type task_type = session_task_type::processing;
  uuid task_id;
  session_task_status status = session_task_status::running;
  timestamp started_at;
  std::optional<timestamp> completed_at;
  std::optional<timestamp> failed_at;
  std::int32_t retry_count = 0;
  std::optional<boost::json::value> failure_context;
};
BOOST_DESCRIBE_STRUCT(session_task, (),
                      (id, session_id, task_type, task_id, status, started_at, completed_at, failed_at, retry_count,
                       failure_context))

template <>
struct table_traits<session_task> {
  static constexpr std::string_view table = "session_tasks";
  static constexpr auto primary_key = natural_key<&session_task::id>;
  static constexpr auto columns = std::tuple{
      column<&session_task::session_id>.unique().references<&session::id>(on_delete::cascade),
      column<&session_task::retry_count>.range(0, 3).default_value(0),
      column<&session_task::started_at>.default_now(),
  };
};

}  // namespace taskstore

namespace taskstore {
/// JSON carries the stored name ("export"), not the C++ identifier.
TASKSTORE_DECL void tag_invoke(boost::json::value_from_tag, boost::json::value& v, session_task_type t);
}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/domain/impl/session.ipp>
#endif
