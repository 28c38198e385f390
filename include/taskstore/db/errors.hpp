// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Driver errors translated into taskstore::error by each backend's own codes, never with bound values.

#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <string>
#include <string_view>

namespace taskstore {

namespace detail {

/// The first line of a driver message, with any quoted input value cut off,
/// so that no bound value reaches a taskstore message.
TASKSTORE_DECL std::string clean_driver_message(std::string message);

/// A driver's message on a failed connection as one line: SOCI's PostgreSQL
/// backend puts libpq's reason ("password authentication failed for user
/// …", "Connection refused") on the lines after its own sentence, which is
/// left out then.
TASKSTORE_DECL std::string connect_failure_reason(std::string_view message);

/// `message` with what to do about a missing table or column.
TASKSTORE_DECL std::string with_schema_advice(std::string message);

/// SOCI reports some dropped connections only in words (no driver code).
TASKSTORE_DECL bool is_lost_connection_message(std::string_view m) noexcept;

struct translated {
  errc code;
  std::string message;
};

/// The taskstore::error for `t`, its message after `prefix`; a
/// schema_mismatch says how to create or upgrade the schema.
TASKSTORE_DECL error translated_error(translated const& t, std::string const& prefix);

}  // namespace detail
}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/impl/errors.ipp>
#endif
