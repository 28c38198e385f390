// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// When a failed or abandoned task may be claimed again (retry_backoff).

#include <taskstore/types/timestamp.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>

namespace taskstore {

/// How long a task waits before it may be claimed again after a failed or
/// abandoned attempt: `base × 2^attempt`, capped, with ± `jitter` so that
/// tasks that failed together do not all return at the same instant.
struct retry_backoff {
  std::chrono::milliseconds base{std::chrono::seconds(5)};
  std::chrono::milliseconds cap{std::chrono::hours(1)};
  double jitter = 0.1;  ///< a fraction of the delay, 0 to 1

  /// The delay after attempt number `attempt` (1 after the first run).
  std::chrono::microseconds delay(std::int32_t attempt) const {
    using us = std::chrono::microseconds;
    auto const cap_us = std::chrono::duration_cast<us>(cap).count();
    auto d = std::chrono::duration_cast<us>(base).count();
    for (std::int32_t i = 0; i < attempt && d < cap_us; ++i) d *= 2;
    d = std::min(d, cap_us);
    auto const spread = static_cast<std::int64_t>(static_cast<double>(d) * std::clamp(jitter, 0.0, 1.0));
    if (spread > 0) {
      thread_local std::mt19937_64 rng{std::random_device{}()};
      d += std::uniform_int_distribution<std::int64_t>(-spread, spread)(rng);
    }
    return us{std::max<std::int64_t>(0, d)};
  }

  /// The earliest time a task may run again after attempt `attempt`.
  timestamp next_run(timestamp now, std::int32_t attempt) const { return now + delay(attempt); }
};

}  // namespace taskstore
