// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/domain/retry_backoff.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/domain/retry_backoff.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace taskstore {

std::chrono::microseconds retry_backoff::delay(std::int32_t attempt) const {
  using us = std::chrono::microseconds;
  // Saturating throughout: a huge cap or base gives the longest delay, never a
  // wrapped one; a quarter of the range leaves room for the jitter.
  constexpr std::int64_t max_us = std::numeric_limits<std::int64_t>::max() / 4;
  auto const to_us = [](std::chrono::milliseconds m) -> std::int64_t {
    if (m.count() <= 0) return 0;
    return m.count() > max_us / 1000 ? max_us : m.count() * 1000;
  };
  auto const cap_us = to_us(cap);
  auto d = std::min(to_us(base), cap_us);
  for (std::int32_t i = 0; i < attempt && d > 0 && d < cap_us; ++i) d = d > cap_us / 2 ? cap_us : d * 2;
  auto const fraction = std::isfinite(jitter) ? std::clamp(jitter, 0.0, 1.0) : 0.0;
  auto const spread = static_cast<std::int64_t>(static_cast<double>(d) * fraction);
  if (spread > 0) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    d += std::uniform_int_distribution<std::int64_t>(-spread, spread)(rng);
  }
  return us{std::max<std::int64_t>(0, d)};
}

timestamp retry_backoff::next_run(timestamp now, std::int32_t attempt) const {
  auto const d = delay(attempt);
  if (!now.storable()) return now;  // refused where it is stored
  return d > timestamp::latest() - now ? timestamp::latest() : now + d;
}

}  // namespace taskstore
