// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The session_service: sessions and their background-task record.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/session.hpp>
#include <taskstore/domain/session_task_rules.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/reflect/enum_names.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <boost/describe/enum.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

/// The session lifecycle's log levels; `audit` carries failures with their error context.
/// Lower-case enumerators (`DEBUG` is a common macro); named "DEBUG", "INFO",
/// "WARNING", "AUDIT" by enum_to_string().
enum class lifecycle_level { debug, info, warning, audit };
BOOST_DESCRIBE_ENUM(lifecycle_level, debug, info, warning, audit)

template <>
struct enum_stored_names<lifecycle_level> {
  static constexpr std::array<std::string_view, 4> names{"DEBUG", "INFO", "WARNING", "AUDIT"};
};

/// Receives the session jobs' lifecycle messages. Silent unless an application installs one.
using lifecycle_logger = std::function<void(lifecycle_level, std::string const&)>;

/// Sessions and their single background-task record: the record
/// is overwritten as processing → export → adf_validation, and the session's
/// stage changes in the same transaction as its record.
class session_service {
 public:
  static constexpr auto lifetime = std::chrono::days{7};

  TASKSTORE_DECL explicit session_service(database const& db, lifecycle_logger logger = {});

  /// A new session at `stage`, expiring in 7 days.
  TASKSTORE_DECL session create(std::optional<std::int64_t> user_id, std::string stage = "created");
  /// The session with `id`, or nullopt.
  std::optional<session> find(uuid const& id) const { return sessions_.find(id); }

  /// Starts `type` as background task `task_id`, creating the session's record
  /// or overwriting it (a retry when the same type failed), and moves the
  /// session to `stage` (default: the type's name).
  /// @throws error invalid_transition / "Cannot modify completed task" / "Maximum retry attempts exceeded".
  TASKSTORE_DECL session_task start(uuid const& session_id, session_task_type type, uuid const& task_id,
                                    std::optional<std::string> stage = {});

  /// Completes the running record; the session moves to `<type>_completed` unless a stage is given.
  TASKSTORE_DECL session_task complete(uuid const& session_id, std::optional<std::string> stage = {});

  /// Fails the running record with its context (retry_count + 1); the session
  /// moves to `<type>_failed` unless a stage is given.
  TASKSTORE_DECL session_task fail(uuid const& session_id, boost::json::value const& context,
                                   std::optional<std::string> stage = {});

  /// SessionTask's `find_active_for_session`: the running record, if any.
  TASKSTORE_DECL std::optional<session_task> find_active_for_session(uuid const& session_id) const;
  /// SessionTask's `find_failed_retryable`: the failed record with retries left, if any.
  TASKSTORE_DECL std::optional<session_task> find_failed_retryable(uuid const& session_id) const;
  /// Restarts a failed record's type as a new background task (a retry).
  TASKSTORE_DECL session_task retry(uuid const& session_id, uuid const& new_task_id);

  /// Deletes the session; its record goes with it (ON DELETE CASCADE).
  bool remove(uuid const& session_id) { return sessions_.remove(session_id); }
  /// Deletes sessions that expired (their 7 days were over) before `cutoff`
  /// (default: now), with their records; @returns how many.
  TASKSTORE_DECL std::size_t purge_before(std::optional<timestamp> cutoff = {});

 private:
  TASKSTORE_DECL std::optional<session_task> find_record(uuid const& session_id) const;
  TASKSTORE_DECL void require_session(uuid const& session_id) const;
  TASKSTORE_DECL void set_stage(uuid const& session_id, std::string stage, timestamp now);
  template <class F>
  session_task change(uuid const& session_id, F const& f) {
    return db_.transact([&] {
      auto record = find_record(session_id);
      if (!record) throw error(errc::not_found, "the session has no task");
      auto const now = timestamp::now();
      auto stage = f(*record, now);
      records_.update(*record);
      set_stage(session_id, std::move(stage), now);
      return *record;
    });
  }
  TASKSTORE_DECL void log(lifecycle_level level, std::string const& message) const;

  database db_;
  soci_repository<session> sessions_;
  soci_repository<session_task> records_;
  lifecycle_logger log_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/session_service.ipp>
#endif
