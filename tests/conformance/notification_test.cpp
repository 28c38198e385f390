// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// database::notify() and subscribe() on every backend: this process's
// subscribers hear a notification when its transaction commits, once, and
// never when it rolls back; another process's (a pool of its own) hear it
// through PostgreSQL's LISTEN, unless the URL says listen=off.

#include "support/isolated_db.hpp"

#include <taskstore/error.hpp>

#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

/// What a subscriber heard, shared with the test's thread.
class heard {
 public:
  std::function<void(std::string_view)> handler() {
    return [this](std::string_view p) {
      std::lock_guard lock(mutex_);
      if (p != "*") payloads_.emplace_back(p);  // "*": the listener (re)connected
    };
  }
  std::vector<std::string> payloads() const {
    std::lock_guard lock(mutex_);
    return payloads_;
  }
  /// Waits until `payload` was heard, for at most `limit`. @returns whether it was.
  bool wait_for(std::string const& payload, std::chrono::milliseconds limit = 5s) const {
    auto const deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      for (auto const& p : payloads())
        if (p == payload) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(2ms);
    }
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> payloads_;
};

/// Waits until `db` hears other processes, for at most 5 s.
bool listening(database const& db) {
  auto const deadline = std::chrono::steady_clock::now() + 5s;
  while (!db.hears_other_processes()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

class notification_test : public backend_test {
 protected:
  /// `url` with `param` added to its query.
  static std::string with(std::string const& url, std::string const& param) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
  }
};

TEST_P(notification_test, outside_a_transaction_this_process_hears_it_at_once) {
  heard h;
  auto const sub = db().subscribe(h.handler(), false);
  db().notify("q:summarize");
  EXPECT_EQ(h.payloads(), std::vector<std::string>{"q:summarize"});
}

TEST_P(notification_test, inside_a_transaction_it_is_heard_once_after_the_commit) {
  heard h;
  auto const sub = db().subscribe(h.handler(), false);
  db().transact([&] {
    db().notify("q:summarize");
    db().notify("q:summarize");
    db().notify("c:42");
    EXPECT_TRUE(h.payloads().empty()) << "heard before the commit";
  });
  EXPECT_EQ(h.payloads(), (std::vector<std::string>{"q:summarize", "c:42"}));
}

TEST_P(notification_test, a_transaction_that_rolls_back_sends_nothing) {
  heard h;
  auto const sub = db().subscribe(h.handler(), false);
  EXPECT_THROW(db().transact([&] {
    db().notify("q:summarize");
    throw std::runtime_error("changed my mind");
  }),
               std::runtime_error);
  EXPECT_TRUE(h.payloads().empty());
}

TEST_P(notification_test, a_transaction_run_again_is_heard_once) {
  heard h;
  auto const sub = db().subscribe(h.handler(), false);
  db().inject_faults(fault_plan{fault_kind::deadlock, 1, 1});  // its first statement fails once
  int runs = 0;
  db().transact([&] {
    ++runs;
    db().notify("q:summarize");
    db().execute("SELECT 1");
  });
  db().inject_faults(std::nullopt);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(h.payloads(), std::vector<std::string>{"q:summarize"});
}

TEST_P(notification_test, an_ended_subscription_hears_nothing) {
  heard h;
  auto sub = db().subscribe(h.handler(), false);
  sub.reset();
  db().notify("q:summarize");
  EXPECT_TRUE(h.payloads().empty());
}

TEST_P(notification_test, a_payload_longer_than_the_limit_is_refused) {
  heard h;
  auto const sub = db().subscribe(h.handler(), false);
  try {
    db().notify(std::string(database::max_payload + 1, 'x'));
    ADD_FAILURE() << "no error";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed);
    EXPECT_EQ(e.field(), "payload");
  }
  EXPECT_TRUE(h.payloads().empty());
}

TEST_P(notification_test, another_process_hears_it_where_the_backend_pushes) {
  if (is(test_backend::sqlite_memory)) GTEST_SKIP() << "an in-memory database has no other process";
  auto const other = env().open();  // a pool of its own, as another process has
  heard h;
  auto const sub = other.subscribe(h.handler());
  if (!db().backend().pushes()) {
    EXPECT_FALSE(other.hears_other_processes());
    return;  // documented: other processes poll
  }
  ASSERT_TRUE(listening(other));
  db().transact([&] { db().notify("q:summarize"); });
  EXPECT_TRUE(h.wait_for("q:summarize"));
  db().notify("c:42");
  EXPECT_TRUE(h.wait_for("c:42"));
  // Sent with the COMMIT as literals: every character arrives as it was sent.
  std::string const awkward = R"(q:it's a \ back'slash
 "and" ✓)";
  db().transact([&] {
    db().notify(awkward);
    db().notify("q:second");
  });
  EXPECT_TRUE(h.wait_for(awkward));
  EXPECT_TRUE(h.wait_for("q:second"));
}

TEST_P(notification_test, listen_off_in_the_url_keeps_other_processes_out) {
  if (is(test_backend::sqlite_memory)) GTEST_SKIP() << "an in-memory database has no other process";
  auto const quiet = database::open(with(env().url(), "listen=off"));
  heard h;
  auto const sub = quiet.subscribe(h.handler());
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(quiet.hears_other_processes());
  quiet.notify("q:own");  // its own process still hears it
  EXPECT_EQ(h.payloads(), std::vector<std::string>{"q:own"});
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(notification_test);

}  // namespace
