// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/fault_injector.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/fault_injector.hpp>

#if TASKSTORE_HAVE_SQLITE3
#include <soci/sqlite3/soci-sqlite3.h>
#endif

#include <string>

namespace taskstore::detail {

[[noreturn]] void raise_injected_fault(soci::session& s, backend_kind backend, fault_kind kind) {
  std::string const what = "injected " + std::string(to_string(kind));
  switch (backend) {
    case backend_kind::postgresql: {
      if (kind == fault_kind::connection_lost) {
        s << "SELECT pg_terminate_backend(pg_backend_pid())";  // fails: the server ends this very session
        break;
      }
      char const* state = kind == fault_kind::deadlock                ? "40P01"
                          : kind == fault_kind::serialization_failure ? "40001"
                                                                      : "55P03";
      s << "DO $$BEGIN RAISE EXCEPTION '" + what + "' USING ERRCODE = '" + state + "'; END$$";
      break;
    }
    case backend_kind::mysql: {
      if (kind == fault_kind::connection_lost) {
        s << "KILL CONNECTION CONNECTION_ID()";
        break;
      }
      bool const lock_wait = kind == fault_kind::lock_timeout || kind == fault_kind::busy;
      s << std::string("SIGNAL SQLSTATE '") + (lock_wait ? "HY000" : "40001") +
               "' SET MYSQL_ERRNO = " + (lock_wait ? "1205" : "1213") + ", MESSAGE_TEXT = '" + what + "'";
      break;
    }
    case backend_kind::sqlite: {
      // SQLite has no statement that raises these: the driver's exception is made here.
      if (kind == fault_kind::connection_lost) throw soci::soci_error("connection lost (" + what + ")");
#if TASKSTORE_HAVE_SQLITE3
      int const code = kind == fault_kind::deadlock                ? 6    // SQLITE_LOCKED
                       : kind == fault_kind::serialization_failure ? 517  // SQLITE_BUSY_SNAPSHOT
                                                                   : 5;   // SQLITE_BUSY
      throw soci::sqlite3_soci_error(what, code);
#endif
      break;
    }
  }
  throw soci::soci_error(what + ": the server accepted the statement meant to fail");
}

void fault_injector::arm(std::optional<fault_plan> plan) {
  std::lock_guard lock(mutex_);
  threads_.clear();
  if (plan) plan_ = *plan;
  armed_.store(plan.has_value(), std::memory_order_release);
}

void fault_injector::begin_attempt(bool first) {
  if (!armed()) return;
  std::lock_guard lock(mutex_);
  auto& t = threads_[std::this_thread::get_id()];
  t.in_attempt = true;
  t.statement = 0;
  if (first) t.failed = 0;
}

void fault_injector::end_attempt() noexcept {
  if (!armed()) return;
  std::lock_guard lock(mutex_);
  if (auto it = threads_.find(std::this_thread::get_id()); it != threads_.end()) it->second.in_attempt = false;
}

void fault_injector::before_statement(soci::session& s, backend_kind backend) {
  fault_kind kind{};
  {
    std::lock_guard lock(mutex_);
    kind = plan_.kind;
    auto const it = threads_.find(std::this_thread::get_id());
    if (kind == fault_kind::commit_lost || it == threads_.end() || !it->second.in_attempt) return;
    auto& t = it->second;
    if (++t.statement != plan_.statement || t.failed >= plan_.attempts) return;
    ++t.failed;
  }
  raise_injected_fault(s, backend, kind);
}

bool fault_injector::lose_commit() {
  std::lock_guard lock(mutex_);
  auto const it = threads_.find(std::this_thread::get_id());
  if (plan_.kind != fault_kind::commit_lost || it == threads_.end() || it->second.failed >= plan_.attempts)
    return false;
  ++it->second.failed;
  return true;
}

}  // namespace taskstore::detail
