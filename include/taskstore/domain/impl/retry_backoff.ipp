// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/domain/retry_backoff.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/retry_backoff.hpp>

#include <algorithm>
#include <random>

namespace taskstore {

std::chrono::microseconds retry_backoff::delay(std::int32_t attempt) const {
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

}  // namespace taskstore
