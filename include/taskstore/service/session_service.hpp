// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The session_service: sessions and their background-task record (seed 002).

#include <taskstore/db/database.hpp>
#include <taskstore/domain/session.hpp>
#include <taskstore/domain/session_task_rules.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <boost/describe/enum.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

/// Seed 002's log levels; AUDIT carries failures with their error context.
enum class lifecycle_level { DEBUG, INFO, WARNING, AUDIT };
BOOST_DESCRIBE_ENUM(lifecycle_level, DEBUG, INFO, WARNING, AUDIT)

/// Receives seed 002's lifecycle messages. Silent unless an application installs one.
using lifecycle_logger = std::function<void(lifecycle_level, std::string const&)>;

/// Sessions and their single background-task record (seed 002): the record
/// is overwritten as processing → export → adf_validation, and the session's
/// stage changes in the same transaction as its record.
class session_service {
 public:
  static constexpr auto lifetime = std::chrono::days{7};

  explicit session_service(database const& db, lifecycle_logger logger = {})
      : db_(db), sessions_(db), records_(db), log_(std::move(logger)) {}

  /// A new session at `stage`, expiring in 7 days.
  session create(std::optional<std::int64_t> user_id, std::string stage = "created") {
    check_length("stage", stage, 50);
    auto const now = timestamp::now();
    return sessions_.insert({uuid::generate_v7(), user_id, std::move(stage), now, now, now + lifetime});
  }
  /// The session with `id`, or nullopt.
  std::optional<session> find(uuid const& id) const { return sessions_.find(id); }

  /// Starts `type` as background task `task_id`, creating the session's record
  /// or overwriting it (a retry when the same type failed), and moves the
  /// session to `stage` (default: the type's name).
  /// @throws error invalid_transition / "Cannot modify completed task" / "Maximum retry attempts exceeded".
  session_task start(uuid const& session_id, session_task_type type, uuid const& task_id,
                     std::optional<std::string> stage = {}) {
    auto const st = db_.transact([&] {
      auto const now = timestamp::now();
      auto record = find_record(session_id);
      if (!record) {
        require_session(session_id);
        record = new_session_task(session_id, type, task_id, now);
        records_.insert(*record);
      } else {
        mark_started(*record, type, task_id, now);
        records_.update(*record);
      }
      set_stage(session_id, stage.value_or(std::string(enum_to_string(type))), now);
      return *record;
    });
    log(lifecycle_level::INFO, "SessionTask " + std::string(enum_to_string(type)) + " started for session " +
                                   session_id.to_string() + ", task_id: " + task_id.to_string());
    return st;
  }

  /// Completes the running record; the session moves to `<type>_completed` unless a stage is given.
  session_task complete(uuid const& session_id, std::optional<std::string> stage = {}) {
    auto const st = change(session_id, [&](session_task& r, timestamp now) {
      mark_completed(r, now);
      return stage.value_or(std::string(enum_to_string(r.task_type)) + "_completed");
    });
    auto const minutes = duration_minutes(st).value_or(0);
    log(lifecycle_level::INFO, "SessionTask " + std::string(enum_to_string(st.task_type)) + " completed for session " +
                                   session_id.to_string() + ", duration: " + std::to_string(minutes) + "m");
    log(lifecycle_level::DEBUG, "SessionTask timing: " + std::to_string(minutes * 60) + " s");
    return st;
  }

  /// Fails the running record with its context (retry_count + 1); the session
  /// moves to `<type>_failed` unless a stage is given.
  session_task fail(uuid const& session_id, boost::json::value context, std::optional<std::string> stage = {}) {
    auto const st = change(session_id, [&](session_task& r, timestamp now) {
      mark_failed(r, context, now);
      return stage.value_or(std::string(enum_to_string(r.task_type)) + "_failed");
    });
    log(lifecycle_level::WARNING, "SessionTask " + std::string(enum_to_string(st.task_type)) + " failed for session " +
                                      session_id.to_string() + ", retry #" + std::to_string(st.retry_count));
    log(lifecycle_level::AUDIT, "SessionTask failure context: " + boost::json::serialize(context));
    return st;
  }

  /// Seed 002 `find_active_for_session`: the running record, if any.
  std::optional<session_task> find_active_for_session(uuid const& session_id) const {
    return records_.find_one(query<session_task>{col(&session_task::session_id) == session_id &&
                                                 col(&session_task::status) == session_task_status::running});
  }
  /// Seed 002 `find_failed_retryable`: the failed record with retries left, if any.
  std::optional<session_task> find_failed_retryable(uuid const& session_id) const {
    return records_.find_one(query<session_task>{col(&session_task::session_id) == session_id &&
                                                 col(&session_task::status) == session_task_status::failed &&
                                                 col(&session_task::retry_count) < max_session_task_retries});
  }
  /// Restarts a failed record's type as a new background task (a retry).
  session_task retry(uuid const& session_id, uuid const& new_task_id) {
    auto const failed = find_record(session_id);
    if (!failed || failed->status != session_task_status::failed)
      throw error(errc::invalid_transition, "only a failed session task can be retried");
    return start(session_id, failed->task_type, new_task_id);
  }

  /// Deletes the session; its record goes with it (ON DELETE CASCADE).
  bool remove(uuid const& session_id) { return sessions_.remove(session_id); }
  /// Deletes sessions whose 7 days are over; @returns how many.
  std::size_t remove_expired(std::optional<timestamp> now = {}) {
    return sessions_.remove_where(query<session>{col(&session::expires_at) < now.value_or(timestamp::now())});
  }

 private:
  std::optional<session_task> find_record(uuid const& session_id) const {
    return records_.find_one(query<session_task>{col(&session_task::session_id) == session_id});
  }
  void require_session(uuid const& session_id) const {
    if (!sessions_.find(session_id)) throw error(errc::not_found, "no such session");
  }
  void set_stage(uuid const& session_id, std::string stage, timestamp now) {
    check_length("stage", stage, 50);
    if (sessions_.update_where(query<session>{col(&session::id) == session_id}, set(&session::stage, std::move(stage)),
                               set(&session::updated_at, now)) == 0)
      throw error(errc::not_found, "no such session");
  }
  template <class F>
  session_task change(uuid const& session_id, F&& f) {
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
  void log(lifecycle_level level, std::string const& message) const {
    if (log_) log_(level, message);
  }

  database db_;
  soci_repository<session> sessions_;
  soci_repository<session_task> records_;
  lifecycle_logger log_;
};

}  // namespace taskstore
