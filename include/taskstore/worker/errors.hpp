// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// What a worker's handler throws to end its task otherwise than by a result:
/// permanent_failure (FAILED, no retry), attempt_failure (retried while attempts
/// remain, with an error code of its own) and snooze (back to the queue, the attempt not spent).

#include <taskstore/detail/config.hpp>

#include <boost/json/value.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

namespace taskstore {

/// What permanent_failure and attempt_failure record: the error code,
/// message and context the task's failure is stored with.
class handler_failure : public std::runtime_error {
 public:
  /// `error_code` is stored as the task's (at most 50 characters; a longer one
  /// fails the task with error code `invalid_outcome` instead).
  TASKSTORE_DECL handler_failure(std::string error_code, std::string const& message,
                                 std::optional<boost::json::value> context = {});

  std::string const& error_code() const noexcept { return error_code_; }
  std::optional<boost::json::value> const& context() const noexcept { return context_; }

 private:
  std::string error_code_;
  std::optional<boost::json::value> context_;
};

/// Thrown by a handler: the task cannot succeed, whatever the attempts left;
/// the worker fails it (task_claims::fail()) with this code, message and
/// context. Any other exception retries the task while attempts remain.
class permanent_failure : public handler_failure {
 public:
  using handler_failure::handler_failure;
};

/// Thrown by a handler: this attempt failed; the worker retries the task
/// while attempts remain, else fails it (task_claims::fail_or_retry()), with
/// this code, message and context rather than `handler_error`.
class attempt_failure : public handler_failure {
 public:
  using handler_failure::handler_failure;
};

/// Thrown by a handler: put the task back in the queue, claimable after
/// `delay`, without spending its attempt (task_claims::release()).
class snooze : public std::exception {
 public:
  TASKSTORE_DECL explicit snooze(std::chrono::seconds delay) noexcept;

  std::chrono::seconds delay() const noexcept { return delay_; }
  TASKSTORE_DECL char const* what() const noexcept override;

 private:
  std::chrono::seconds delay_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/worker/impl/errors.ipp>
#endif
