// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// A connection that receives the notifications other sessions send
// (backend::notify()): made by a backend that can push them
// (backend::listen()), driven by one thread of the signal hub.

#include <chrono>
#include <string>
#include <vector>

namespace taskstore::detail {

class listener {
 public:
  listener() = default;
  listener(listener const&) = delete;
  listener& operator=(listener const&) = delete;
  virtual ~listener() = default;

  /// Waits until notifications arrive, `timeout` passes or interrupt() is
  /// called, and appends the payloads that arrived.
  /// @throws error (connection_lost) when the connection dropped.
  virtual void wait(std::chrono::milliseconds timeout, std::vector<std::string>& payloads) = 0;
  /// Proves the connection alive with a round trip (a dropped TCP connection
  /// is silent until something is sent). @throws error as wait().
  virtual void ping() = 0;
  /// Makes a wait() on another thread return at once. Thread-safe.
  virtual void interrupt() noexcept = 0;
};

}  // namespace taskstore::detail
