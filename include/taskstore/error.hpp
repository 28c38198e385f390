// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The one exception taskstore throws, taskstore::error, with its codes and categories.

#include <taskstore/detail/config.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace taskstore {

/// What went wrong, the same on every backend.
enum class errc {
  not_found,
  already_exists,         ///< a unique key is taken
  constraint_violation,   ///< a CHECK, NOT NULL or length limit refused a value
  foreign_key_violation,  ///< a referenced row is missing, or a referencing row blocks a delete
  invalid_transition,     ///< a lifecycle forbids this state change
  validation_failed,      ///< input from a caller does not fit
  conflict,               ///< a stale version or a lost lease
  retry_limit_exceeded,
  precondition_failed,  ///< a rule of the domain refused the operation: error::reason() names it
  connection_failed,    ///< could not connect
  connection_lost,      ///< the connection dropped mid-operation
  outcome_unknown,      ///< the connection dropped during COMMIT: it may or may not have committed
  busy_or_deadlock,     ///< SQLITE_BUSY, deadlock, serialization failure, lock wait timeout
  schema_mismatch,
  bad_config,      ///< a malformed URL or option
  corrupt_value,   ///< data read back from storage does not fit its C++ type
  unsupported,     ///< the backend or build cannot do this
  database_error,  ///< any other error reported by the database
  pool_exhausted,  ///< every session of the pool stayed borrowed for `pool_timeout_ms`
};

/// Who can fix it: the caller, an administrator, or time (a retry).
enum class error_category { user_fixable, admin_required, temporary };

/// The category an error code has unless a site says otherwise.
constexpr error_category default_category(errc code) noexcept {
  switch (code) {
    case errc::connection_lost:
    case errc::outcome_unknown:
    case errc::busy_or_deadlock:
    case errc::pool_exhausted: return error_category::temporary;
    case errc::connection_failed:
    case errc::schema_mismatch:
    case errc::bad_config:
    case errc::corrupt_value:
    case errc::unsupported:
    case errc::database_error:
    case errc::retry_limit_exceeded: return error_category::admin_required;
    default: return error_category::user_fixable;
  }
}

/// The stable name of an error code, as printed and serialized.
constexpr std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::not_found: return "not_found";
    case errc::already_exists: return "already_exists";
    case errc::constraint_violation: return "constraint_violation";
    case errc::foreign_key_violation: return "foreign_key_violation";
    case errc::invalid_transition: return "invalid_transition";
    case errc::validation_failed: return "validation_failed";
    case errc::conflict: return "conflict";
    case errc::retry_limit_exceeded: return "retry_limit_exceeded";
    case errc::precondition_failed: return "precondition_failed";
    case errc::connection_failed: return "connection_failed";
    case errc::connection_lost: return "connection_lost";
    case errc::outcome_unknown: return "outcome_unknown";
    case errc::busy_or_deadlock: return "busy_or_deadlock";
    case errc::schema_mismatch: return "schema_mismatch";
    case errc::bad_config: return "bad_config";
    case errc::corrupt_value: return "corrupt_value";
    case errc::unsupported: return "unsupported";
    case errc::database_error: return "database_error";
    case errc::pool_exhausted: return "pool_exhausted";
  }
  return "unknown";
}

/// The stable name of a category.
constexpr std::string_view to_string(error_category category) noexcept {
  switch (category) {
    case error_category::user_fixable: return "user_fixable";
    case error_category::admin_required: return "admin_required";
    case error_category::temporary: return "temporary";
  }
  return "unknown";
}

/// gtest and iostream printing.
template <class Stream>
requires requires(Stream& s) { s << std::string_view{}; }
Stream& operator<<(Stream& s, errc code) {
  s << to_string(code);
  return s;
}
template <class Stream>
requires requires(Stream& s) { s << std::string_view{}; }
Stream& operator<<(Stream& s, error_category category) {
  s << to_string(category);
  return s;
}

/// A rule of the domain that refused an operation, by its stable name (for
/// example `insufficient_credits`, declared beside its rule in
/// <taskstore/domain/credit.hpp>). An error with a reason has the code
/// precondition_failed; this header knows no domain's reasons.
struct error_reason {
  std::string_view name;  ///< a string literal: stable, printed and compared
  friend constexpr bool operator==(error_reason, error_reason) noexcept = default;
};

/// The one exception type taskstore throws. Its message never contains bound
/// values or passwords; `field()` names the offending input where there is one
/// (a JSON path such as `agents[2]`, or a column name).
class error : public std::runtime_error {
 public:
  /// An error of the code's default category.
  TASKSTORE_DECL error(errc code, std::string message, std::string field = {});

  /// An error of an explicit category.
  TASKSTORE_DECL error(errc code, error_category category, std::string message, std::string field = {});

  /// A rule of the domain refused the operation: precondition_failed,
  /// user_fixable.
  TASKSTORE_DECL error(error_reason reason, std::string message);

  /// What went wrong.
  errc code() const noexcept { return code_; }
  /// Who can fix it.
  error_category category() const noexcept { return category_; }
  /// The offending input (a JSON path or a column name), or empty.
  std::string const& field() const noexcept { return field_; }
  /// The domain rule that refused the operation (precondition_failed), else
  /// a reason with an empty name.
  error_reason reason() const noexcept { return reason_; }

 private:
  errc code_;
  error_category category_;
  std::string field_;
  error_reason reason_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/impl/error.ipp>
#endif
