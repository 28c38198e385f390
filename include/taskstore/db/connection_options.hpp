// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// A database URL taken apart (connection_options), and the backends and SQLite settings it names.

#include <taskstore/db/fault_injection.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

/// The database products taskstore speaks to.
enum class backend_kind { sqlite, postgresql, mysql };

constexpr std::string_view to_string(backend_kind kind) noexcept {
  switch (kind) {
    case backend_kind::sqlite: return "sqlite";
    case backend_kind::postgresql: return "postgresql";
    case backend_kind::mysql: return "mysql";
  }
  return "unknown";
}

/// SQLite's `synchronous` pragma, as a URL may ask for it.
enum class sqlite_synchronous { off, normal, full, extra };

/// A database URL taken apart: which backend, the driver's connect string, and
/// taskstore's own options (removed from what the driver sees).
struct connection_options {
  backend_kind backend{};
  std::string connect_string;  ///< for SOCI; may contain the password: never print it
  std::string redacted_url;    ///< the URL as given, password masked: safe to print
  std::string path;            ///< SQLite: the file, empty for `:memory:`
  bool in_memory = false;      ///< SQLite: a private in-memory database
  std::size_t pool_size = 0;   ///< 0 until parsed: then 1 for `:memory:`, else 4 unless the URL says
  std::chrono::milliseconds busy_timeout{5000};
  std::chrono::milliseconds pool_timeout{30000};  ///< how long an operation waits for a free session
  sqlite_synchronous synchronous = sqlite_synchronous::normal;
  std::size_t retry_attempts = 5;          ///< transact() runs a transaction at most this often on transient errors
  std::optional<fault_plan> inject_fault;  ///< tests: failures to inject (URL parameter inject_fault)
  /// The SQL a backend with flavors sends (MySQL: `mysql` or `mariadb`, URL
  /// parameter flavor); empty: the server's own.
  std::string flavor;
  /// Whether subscribers hear other processes' notifications through a
  /// connection of their own (PostgreSQL LISTEN); URL parameter listen=off
  /// turns it off, for a pooler that cannot keep a session's LISTEN.
  bool listen = true;
  /// PostgreSQL: a pooler in transaction mode (PgBouncer) stands between
  /// taskstore and the server (URL parameter pooler=transaction): no
  /// session state outlives a transaction, statements are not kept
  /// prepared, and migrations lock per step.
  bool transaction_pooler = false;
  /// PostgreSQL: where the LISTEN connection goes when it must bypass the
  /// pooler (URL parameter listen_url, a postgresql:// URL); empty: to
  /// connect_string. May contain a password: never print it.
  std::string listen_connect_string;
  /// PostgreSQL: a hot standby that database::reads() reads from (URL
  /// parameter replica, a postgresql:// URL); empty: none. May contain a
  /// password: never print it.
  std::string replica_connect_string;
  /// How far behind its primary the standby may be and still serve reads
  /// (URL parameter replica_max_lag_ms).
  std::chrono::milliseconds replica_max_lag{5000};
};

}  // namespace taskstore
