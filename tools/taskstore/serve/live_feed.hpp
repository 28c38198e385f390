// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The event log as it grows, read by one thread for every open page: it
// sends each new event to the event streams that want it and counts the
// status changes for /metrics and the overview's chart. One poll of the
// event log's primary key serves every client, on every backend.

#include "http_server.hpp"

#include <taskstore/db/database.hpp>
#include <taskstore/domain/event_log.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace taskstore::cli {

/// What one tool's status changes added up to since the server started.
struct tool_counters {
  std::int64_t claims = 0;       ///< → PROCESSING
  std::int64_t completions = 0;  ///< → COMPLETED
  std::int64_t failures = 0;     ///< → FAILED
  std::int64_t retries = 0;      ///< FAILED → QUEUED
  std::int64_t returned = 0;     ///< PROCESSING → QUEUED: rescued, requeued or released by a stopping worker
  std::int64_t cancellations = 0;
  /// Processing time of finished tasks (processing_started_at to completed_at or failed_at).
  static constexpr std::array<double, 10> bounds{0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600};
  std::array<std::int64_t, bounds.size() + 1> buckets{};  ///< per bound, then +Inf; not cumulative
  double seconds_sum = 0;
};

/// Completions and failures in one minute (the overview's chart).
struct minute_counts {
  std::int64_t minute = 0;  ///< minutes since the epoch
  std::int64_t completions = 0;
  std::int64_t failures = 0;
};

class live_feed {
 public:
  /// Starts after the newest event: streams show what is appended from now on.
  explicit live_feed(database db, std::chrono::milliseconds poll = std::chrono::milliseconds(200));
  ~live_feed();
  live_feed(live_feed const&) = delete;
  live_feed& operator=(live_feed const&) = delete;

  /// Sends `client` every new event (of `task` only, when given) as a
  /// server-sent event `task_event` whose data is the event's JSON, and a
  /// comment every 15 s so that a dead connection is noticed.
  void subscribe(std::shared_ptr<http::stream_client> client, std::optional<uuid> task);

  std::map<std::string, tool_counters> counters() const;
  /// The last 60 minutes, oldest first (minutes without changes included).
  std::vector<minute_counts> last_hour() const;
  /// Event streams open now.
  std::size_t clients() const;
  /// Event ids below the newest seen that did not show up within 30 s: rolled
  /// back, or committed later than that (then missed by streams and counters).
  std::int64_t skipped_ids() const;

 private:
  struct subscriber {
    std::shared_ptr<http::stream_client> client;
    std::optional<uuid> task;
  };
  void run();
  /// @returns how many new events the page held.
  std::size_t poll_once();
  void deliver(std::vector<event_log> const& events, std::int64_t given_up);

  database db_;
  std::chrono::milliseconds poll_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::vector<subscriber> subscribers_;
  std::map<std::string, tool_counters> counters_;
  std::map<std::int64_t, minute_counts> minutes_;
  // Ids are taken at insert and seen at commit, not always in order: an id
  // below the newest seen that has not shown up is waited for a while.
  std::int64_t newest_ = 0;
  std::map<std::int64_t, std::chrono::steady_clock::time_point> missing_;
  std::atomic<std::int64_t> skipped_{0};
  std::chrono::steady_clock::time_point last_ping_, last_late_check_;
  std::string last_problem_;  // printed once, until a poll succeeds again
  std::thread thread_;
};

}  // namespace taskstore::cli
