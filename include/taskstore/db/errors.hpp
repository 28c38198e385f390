// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Driver errors translated into taskstore::error by each backend's own codes, never with bound values.

#include <taskstore/db/connection_options.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <string>
#include <string_view>

namespace taskstore {

namespace detail {

/// The first line of a driver message, with any quoted input value cut off,
/// so that no bound value reaches a taskstore message.
TASKSTORE_DECL std::string clean_driver_message(std::string message);

/// SOCI reports some dropped connections only in words (no driver code).
TASKSTORE_DECL bool is_lost_connection_message(std::string_view m) noexcept;

struct translated {
  errc code;
  std::string message;
};

#if TASKSTORE_HAVE_SQLITE3
TASKSTORE_DECL translated translate_sqlite(int result, std::string message);
#endif

#if TASKSTORE_HAVE_POSTGRESQL
TASKSTORE_DECL translated translate_postgresql(std::string_view state, std::string message);
#endif

#if TASKSTORE_HAVE_MYSQL
TASKSTORE_DECL translated translate_mysql(int number, std::string message);
#endif

}  // namespace detail

/// Translates the exception in flight (call from a catch block) into a
/// taskstore::error: driver errors by the backend's own code, with the
/// driver's message and never its bound values. taskstore errors pass
/// through unchanged.
[[noreturn]] TASKSTORE_DECL void rethrow_translated(backend_kind backend);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/impl/errors.ipp>
#endif
