// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Fault injection, for testing that work survives transaction retries: a
/// plan that makes the first attempts of every transaction fail at a chosen
/// statement with a transient error the real server raises.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

/// The transient failures a plan can inject. Each is raised by the server
/// itself where it can be (PostgreSQL: `RAISE … USING ERRCODE`, its backend
/// terminated; MariaDB: `SIGNAL`, `KILL CONNECTION`), so it travels the same
/// path as a real one: driver, error translation, rollback, retry.
enum class fault_kind {
  deadlock,               ///< PostgreSQL 40P01, MySQL 1213, SQLite SQLITE_LOCKED
  serialization_failure,  ///< PostgreSQL 40001, MySQL 1213 (SQLSTATE 40001), SQLite SQLITE_BUSY_SNAPSHOT
  lock_timeout,           ///< PostgreSQL 55P03, MySQL 1205, SQLite SQLITE_BUSY
  busy,                   ///< SQLite SQLITE_BUSY; on the servers a lock-wait timeout
  connection_lost,        ///< the connection dies before the statement (and so before COMMIT)
  commit_lost,            ///< COMMIT runs, then its connection dies: the outcome is unknown to the caller
};

constexpr std::string_view to_string(fault_kind k) noexcept {
  switch (k) {
    case fault_kind::deadlock: return "deadlock";
    case fault_kind::serialization_failure: return "serialization_failure";
    case fault_kind::lock_timeout: return "lock_timeout";
    case fault_kind::busy: return "busy";
    case fault_kind::connection_lost: return "connection_lost";
    case fault_kind::commit_lost: return "commit_lost";
  }
  return "unknown";
}

/// Which attempts fail, and where. An attempt is one run of a transaction
/// (database::transact) or of a statement outside one; its statements are
/// counted from 1 after BEGIN (repository operations, database::execute).
/// The first `attempts` attempts of every transaction fail at statement
/// `statement` (an attempt with fewer statements does not fail); later
/// attempts run undisturbed. `commit_lost` ignores `statement`: a
/// transaction's COMMIT succeeds but reports a lost connection, which
/// transact() raises as outcome_unknown and never retries (statements
/// outside transactions are not touched).
///
/// Set it with database::inject_faults() or the URL parameter
/// `inject_fault=KIND[:STATEMENT[:ATTEMPTS]]`, e.g. `inject_fault=deadlock:2:1`.
/// For tests only: every failed attempt costs a rollback and a backoff.
struct fault_plan {
  fault_kind kind = fault_kind::deadlock;
  std::size_t statement = 1;
  std::size_t attempts = 1;
};

/// Parses `KIND[:STATEMENT[:ATTEMPTS]]` (the URL parameter's value);
/// nullopt when malformed. STATEMENT counts from 1, ATTEMPTS from 0.
constexpr std::optional<fault_plan> parse_fault_plan(std::string_view text) noexcept {
  auto number = [](std::string_view digits) -> std::optional<std::size_t> {
    if (digits.empty() || digits.size() > 6) return std::nullopt;
    std::size_t n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
  };
  auto const first = text.find(':');
  auto const name = text.substr(0, first);
  fault_plan plan;
  bool known = false;
  for (auto k : {fault_kind::deadlock, fault_kind::serialization_failure, fault_kind::lock_timeout, fault_kind::busy,
                 fault_kind::connection_lost, fault_kind::commit_lost}) {
    if (name != to_string(k)) continue;
    plan.kind = k;
    known = true;
  }
  if (!known) return std::nullopt;
  if (first == std::string_view::npos) return plan;
  auto const rest = text.substr(first + 1);
  auto const second = rest.find(':');
  auto const statement = number(rest.substr(0, second));
  if (!statement || *statement == 0) return std::nullopt;
  plan.statement = *statement;
  if (second == std::string_view::npos) return plan;
  auto const attempts = number(rest.substr(second + 1));
  if (!attempts) return std::nullopt;
  plan.attempts = *attempts;
  return plan;
}

}  // namespace taskstore
