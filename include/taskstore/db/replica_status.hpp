// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// How a database's standby serves its reads (database::replica()).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace taskstore {

/// The standby that database::reads() reads from (URL parameter replica):
/// whether reads go to it now, how far behind it is, and how many reads each
/// server answered.
struct replica_status {
  bool configured = false;  ///< the URL names a standby
  /// Reads may go to it now: it answered within the lag bound when last
  /// asked. False while it is down, too far behind, or not a standby.
  bool serving = false;
  /// Its replication lag when last measured; none until it answered once.
  std::optional<std::chrono::milliseconds> lag;
  std::chrono::milliseconds max_lag{0};  ///< URL parameter replica_max_lag_ms
  std::uint64_t standby_reads = 0;       ///< reads the standby answered
  /// Reads the primary answered instead: the standby was down, too far
  /// behind, or had not yet replayed this pool's latest write.
  std::uint64_t primary_reads = 0;
  std::string problem;  ///< why the standby was last passed over; empty if it never was
};

}  // namespace taskstore
