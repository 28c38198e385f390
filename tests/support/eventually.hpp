// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Waiting for what another thread or process does, with a deadline.

#include <chrono>
#include <thread>

namespace taskstore::testing {

/// Waits until `done()` holds, checking every `every`, for at most `limit`.
/// @returns whether it held.
template <class F>
bool eventually(F&& done, std::chrono::milliseconds limit = std::chrono::seconds(10),
                std::chrono::milliseconds every = std::chrono::milliseconds(5)) {
  auto const deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(every);
  }
  return true;
}

}  // namespace taskstore::testing
