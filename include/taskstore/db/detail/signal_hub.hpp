// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Where a database's notifications meet its subscribers in this process:
// those its own transactions commit (published after COMMIT) and, while a
// subscriber wants them, those other processes send, received by a listener
// thread on a connection of its own (backend::listen()).

#include <taskstore/db/detail/listener.hpp>
#include <taskstore/detail/config.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace taskstore::detail {

class signal_hub {
 public:
  using handler = std::function<void(std::string_view payload)>;
  /// Opens a listener; empty when the database cannot push (subscribers then
  /// hear this process only). @throws error when it cannot connect (tried again later).
  using listener_factory = std::function<std::unique_ptr<listener>()>;

  /// The payload delivered when notifications may have been missed (the
  /// listener connected or reconnected): look at everything.
  static constexpr std::string_view anything = "*";

  /// `open` is called on the listener thread, only while a subscriber wants
  /// other processes' notifications; `keepalive` spaces its pings.
  TASKSTORE_DECL signal_hub(listener_factory open, std::chrono::milliseconds keepalive);
  TASKSTORE_DECL ~signal_hub();
  signal_hub(signal_hub const&) = delete;
  signal_hub& operator=(signal_hub const&) = delete;

  /// Adds a subscriber; `remote`: it wants other processes' notifications too.
  /// @returns its id, for unsubscribe().
  TASKSTORE_DECL std::uint64_t subscribe(handler h, bool remote);
  /// Removes a subscriber; after it returns, its handler is not running and
  /// is never called again. Never call it from a handler.
  TASKSTORE_DECL void unsubscribe(std::uint64_t id) noexcept;

  /// Calls every subscriber's handler with `payload`, on this thread.
  TASKSTORE_DECL void publish(std::string_view payload) noexcept;

  /// True while a listener is connected: other processes' notifications arrive.
  TASKSTORE_DECL bool listening() const noexcept;

 private:
  struct subscriber {
    handler on_signal;
    bool remote;
  };

  TASKSTORE_DECL void listen_loop() noexcept;
  /// Starts or stops the listener thread as the remote subscribers need it. Callers hold `control_`.
  TASKSTORE_DECL void adjust_listener();

  listener_factory open_;
  std::chrono::milliseconds keepalive_;

  std::mutex control_;  // subscribe(), unsubscribe(): one at a time; held while the listener thread starts or ends
  std::mutex mutex_;    // held while handlers run
  std::map<std::uint64_t, subscriber> subscribers_;
  std::uint64_t next_id_ = 1;
  std::size_t remote_ = 0;

  mutable std::mutex listener_mutex_;
  std::condition_variable listener_wakeup_;
  std::unique_ptr<listener> listener_;  // guarded by listener_mutex_; only the listener thread replaces it
  bool listener_stop_ = false;          // guarded by listener_mutex_
  std::thread listener_thread_;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/signal_hub.ipp>
#endif
