// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// When a failed or abandoned task may be claimed again (retry_backoff).

#include <taskstore/detail/config.hpp>
#include <taskstore/types/timestamp.hpp>

#include <chrono>
#include <cstdint>

namespace taskstore {

/// How long a task waits before it may be claimed again after a failed or
/// abandoned attempt: `base × 2^attempt`, capped, with ± `jitter` so that
/// tasks that failed together do not all return at the same instant.
struct retry_backoff {
  std::chrono::milliseconds base{std::chrono::seconds(5)};
  std::chrono::milliseconds cap{std::chrono::hours(1)};
  double jitter = 0.1;  ///< a fraction of the delay, 0 to 1

  /// The delay after attempt number `attempt` (1 after the first run):
  /// never negative, and saturating (a huge base or cap gives a long delay,
  /// never a wrapped one).
  TASKSTORE_DECL std::chrono::microseconds delay(std::int32_t attempt) const;

  /// The earliest time a task may run again after attempt `attempt`: now +
  /// delay(attempt), at most timestamp::latest().
  TASKSTORE_DECL timestamp next_run(timestamp now, std::int32_t attempt) const;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/domain/impl/retry_backoff.ipp>
#endif
