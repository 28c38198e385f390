// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Waiting out an outage as a caller would, for the restart and failover tests.

#include <taskstore/error.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

namespace taskstore::testing {

/// Runs `probe` every 10 ms until it succeeds, for at most a minute, as a
/// caller would after an outage: every failure meanwhile must be temporary.
/// @returns when it first succeeded; nullopt when it never did.
template <class F>
std::optional<std::chrono::steady_clock::time_point> first_success(F&& probe) {
  auto const start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::minutes(1)) {
    try {
      probe();
      return std::chrono::steady_clock::now();
    } catch (error const& e) {
      EXPECT_EQ(e.category(), error_category::temporary) << e.what();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return std::nullopt;
}

}  // namespace taskstore::testing
