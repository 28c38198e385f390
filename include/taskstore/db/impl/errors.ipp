// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/errors.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/url_redact.hpp>
#include <taskstore/db/errors.hpp>

#include <soci/soci.h>
#if TASKSTORE_HAVE_SQLITE3
#include <soci/sqlite3/soci-sqlite3.h>
#endif
#if TASKSTORE_HAVE_POSTGRESQL
#include <soci/postgresql/soci-postgresql.h>
#endif
#if TASKSTORE_HAVE_MYSQL
#include <soci/mysql/soci-mysql.h>
#endif

#include <exception>
#if defined(__GLIBCXX__)
#include <cxxabi.h>
#endif
#include <new>
#include <vector>

namespace taskstore {

namespace detail {

std::string clean_driver_message(std::string message) {
  if (auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
  while (!message.empty() && (message.back() == ' ' || message.back() == '\r')) message.pop_back();
  return message;
}

std::string connect_failure_reason(std::string_view message) {
  std::vector<std::string_view> lines;
  while (!message.empty()) {
    auto const nl = message.find('\n');
    auto line = message.substr(0, nl);
    message = nl == std::string_view::npos ? std::string_view{} : message.substr(nl + 1);
    while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
  }
  // SOCI's own sentence ("Cannot establish connection to the database.")
  // says nothing the caller's message does not; libpq's lines say why.
  std::string reason;
  for (std::size_t i = lines.size() > 1 ? 1 : 0; i < lines.size(); ++i) {
    if (!reason.empty()) reason += "; ";
    reason += lines[i];
  }
  return reason;
}

std::string with_schema_advice(std::string message) {
  return message + " (the schema is missing or older than this build: run `taskstore init` (`ts::migrate_to_latest`))";
}

bool is_lost_connection_message(std::string_view m) noexcept {
  return m.find("connection") != std::string_view::npos || m.find("server closed") != std::string_view::npos ||
         m.find("gone away") != std::string_view::npos || m.find("Lost connection") != std::string_view::npos;
}

#if TASKSTORE_HAVE_SQLITE3
translated translate_sqlite(int result, std::string message) {
  switch (result) {
    case 2067:  // SQLITE_CONSTRAINT_UNIQUE
    case 1555:  // SQLITE_CONSTRAINT_PRIMARYKEY
      return {errc::already_exists, message};
    case 787:  // SQLITE_CONSTRAINT_FOREIGNKEY
      return {errc::foreign_key_violation, message};
    case 275:   // SQLITE_CONSTRAINT_CHECK
    case 1299:  // SQLITE_CONSTRAINT_NOTNULL
      return {errc::constraint_violation, message};
    default: break;
  }
  switch (result & 0xFF) {
    case 19: return {errc::constraint_violation, message};  // SQLITE_CONSTRAINT, other kinds
    case 5:                                                 // SQLITE_BUSY
    case 6:                                                 // SQLITE_LOCKED
      return {errc::busy_or_deadlock, message};
    case 14: return {errc::connection_failed, message};  // SQLITE_CANTOPEN
    case 11:                                             // SQLITE_CORRUPT
    case 26:                                             // SQLITE_NOTADB
      return {errc::corrupt_value, message};
    case 1:  // SQLITE_ERROR: the one code for every SQL error; only the words tell a missing table
      if (message.find("no such table") != std::string::npos || message.find("no such column") != std::string::npos)
        return {errc::schema_mismatch, message};
      return {errc::database_error, message};
    default: return {errc::database_error, message};
  }
}
#endif

#if TASKSTORE_HAVE_POSTGRESQL
translated translate_postgresql(std::string_view state, std::string message) {
  // Input-syntax messages quote the offending value: keep only the type.
  if (state == "22P02" || state == "22007" || state == "22008" || state == "22P05" || state == "22021") {
    if (auto q = message.find(": \""); q != std::string::npos) message.resize(q);
    return {errc::validation_failed, message};
  }
  if (state == "23505") return {errc::already_exists, message};
  if (state == "23503") return {errc::foreign_key_violation, message};
  if (state == "23514" || state == "23502" || state == "22001" || state == "23P01" || state == "22003")
    return {errc::constraint_violation, message};
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014")
    return {errc::busy_or_deadlock, message};
  if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03")
    return {errc::connection_lost, message};
  if (state == "42P01" || state == "42703") return {errc::schema_mismatch, message};
  return {errc::database_error, message};
}
#endif

#if TASKSTORE_HAVE_MYSQL
translated translate_mysql(int number, std::string message) {
  switch (number) {
    case 1062:
    case 1586: {  // duplicate entry: the message quotes the value; keep the key
      auto const key = message.find("for key");
      return {errc::already_exists,
              key == std::string::npos ? "duplicate entry" : "Duplicate entry " + message.substr(key)};
    }
    case 1451:
    case 1452:
    case 1216:
    case 1217: return {errc::foreign_key_violation, message};
    case 4025:
    case 3819:
    case 1048:
    case 1406:
    case 1264:
    case 1364: return {errc::constraint_violation, message};
    case 1366:
    case 1292:
    case 3140:  // incorrect value / invalid JSON text: messages quote the value
      return {errc::validation_failed, message.substr(0, message.find(": '"))};
    case 1213:
    case 1205: return {errc::busy_or_deadlock, message};
    case 2006:
    case 2013:
    case 2055:
    case 1927:  // connection killed
    case 4031: return {errc::connection_lost, message};
    case 2002:
    case 2003:
    case 2005:
    case 1045:
    case 1044:
    case 1049: return {errc::connection_failed, message};
    case 1146:
    case 1054:
    case 1176:  // an index table_traits declares (named by a keyset page) is missing
      return {errc::schema_mismatch, message};
    default: return {errc::database_error, message};
  }
}
#endif

error translated_error(translated const& t, std::string const& prefix) {
  return error(t.code, prefix + (t.code == errc::schema_mismatch ? with_schema_advice(t.message) : t.message));
}

}  // namespace detail

[[noreturn]] void rethrow_translated(backend_kind backend) {
  try {
    throw;
  } catch (error const&) {
    throw;
  }
#if TASKSTORE_HAVE_SQLITE3
  catch (soci::sqlite3_soci_error const& e) {
    auto t = detail::translate_sqlite(e.result(), detail::clean_driver_message(e.get_error_message()));
    throw detail::translated_error(t, "[sqlite " + std::to_string(e.result()) + "] ");
  }
#endif
#if TASKSTORE_HAVE_POSTGRESQL
  catch (soci::postgresql_soci_error const& e) {
    std::string const state = e.sqlstate();
    auto t = detail::translate_postgresql(state, detail::clean_driver_message(e.get_error_message()));
    throw detail::translated_error(t, "[postgresql " + state + "] ");
  }
#endif
#if TASKSTORE_HAVE_MYSQL
  catch (soci::mysql_soci_error const& e) {
    auto t = detail::translate_mysql(static_cast<int>(e.err_num_), detail::clean_driver_message(e.get_error_message()));
    throw detail::translated_error(t, "[mysql " + std::to_string(e.err_num_) + "] ");
  }
#endif
  catch (soci::soci_error const& e) {
    // SOCI's own errors (a type mismatch, a lost PostgreSQL connection, ...).
    auto message = detail::clean_driver_message(e.get_error_message());
    throw error(detail::is_lost_connection_message(message) ? errc::connection_lost : errc::database_error,
                "[" + std::string(to_string(backend)) + "] " + message);
  } catch (std::bad_alloc const&) {
    throw;
  } catch (std::exception const& e) {
    throw error(errc::database_error, "[" + std::string(to_string(backend)) + "] " + e.what());
  }
#if defined(__GLIBCXX__)
  catch (abi::__forced_unwind const&) {  // thread cancellation must go on unwinding
    throw;
  }
#endif
  catch (...) {
    throw error(errc::database_error, "[" + std::string(to_string(backend)) + "] an exception of unknown type");
  }
}

}  // namespace taskstore
