// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The e-mail outbox on every backend.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/draft_service.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/domain_fixture.hpp"

#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

class outbox_test : public domain_test {
 protected:
  void SetUp() override {
    domain_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto const u = alice_;
    task_ = task_service(db()).create({.user_id = u, .tool_id = "write-email", .agents = {"writer"}}).task_id;
  }
  uuid task_;
};

TEST_P(outbox_test, batches_come_by_priority_then_age_and_failures_retry_three_times) {
  outbox_service outbox(db());
  auto const low = outbox.enqueue({task_, "low@example.com", "s", "b", email_priority::LOW});
  auto const normal = outbox.enqueue({task_, "Normal@Example.com", "s", "b", email_priority::NORMAL});
  auto const urgent = outbox.enqueue({task_, "urgent@example.com", "s", "b", email_priority::URGENT});
  auto const high = outbox.enqueue({task_, "high@example.com", "s", "b", email_priority::HIGH});
  EXPECT_EQ(normal.recipient, "normal@example.com");
  try {
    outbox.enqueue({task_, "not-an-address", "s", "b"});
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.field(), "recipient");
  }

  auto const batch = outbox.take_batch("sender-1", 3, 1min);
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].id, urgent.id);
  EXPECT_EQ(batch[1].id, high.id);
  EXPECT_EQ(batch[2].id, normal.id);
  EXPECT_EQ(outbox.take_batch("sender-2", 10, 1min).size(), 1u);  // only `low` was left
  EXPECT_EQ(outbox.list(task_, alice_).size(), 4u);
  expect_error(errc::not_found, [&] { outbox.list(task_, bob_); });
  outbox.mark_sent(batch[0]);
  EXPECT_EQ(outbox.find(urgent.id)->status, email_status::SENT);
  EXPECT_TRUE(outbox.find(urgent.id)->sent_at);
  EXPECT_THROW(outbox.mark_sent(batch[0]), error);  // the lease is gone

  auto m = batch[1];
  for (int attempt = 1;; ++attempt) {
    outbox.mark_failed(m, "smtp 451");
    auto const stored = *outbox.find(m.id);
    if (attempt == 3) {
      EXPECT_EQ(stored.status, email_status::FAILED);
      break;
    }
    EXPECT_EQ(stored.status, email_status::PENDING);
    auto again = outbox.take_batch("sender-1", 1, 1min);
    ASSERT_EQ(again.size(), 1u);
    m = again[0];
    EXPECT_EQ(m.attempts, attempt + 1);
  }
  EXPECT_EQ(outbox.find(high.id)->last_error, "smtp 451");
  EXPECT_FALSE(outbox.cancel(urgent.id));  // sent, not pending
  auto const later = outbox.enqueue({task_, "later@example.com", "s", "b"});
  EXPECT_TRUE(outbox.cancel(later.id));
  EXPECT_TRUE(outbox.take_batch("sender-1", 5, 1min).empty());
  (void)low;
}

TEST_P(outbox_test, a_sender_renews_its_lease_until_rescue_takes_the_message_back) {
  outbox_service outbox(db());
  auto const pending = outbox.enqueue({task_, "slow@example.com", "s", "b"});
  expect_error(errc::conflict, [&] {
    auto untaken = pending;
    outbox.renew(untaken, 1h);
  });
  auto m = outbox.take_batch("sender-1", 1, 1min).at(0);
  auto const taken_until = *m.lease_expires_at;
  expect_error(errc::validation_failed, [&] { outbox.renew(m, 0s); });
  outbox.renew(m, 1h);
  EXPECT_GT(*m.lease_expires_at, taken_until.plus(50min, "test"));
  EXPECT_EQ(outbox.find(m.id)->lease_expires_at, m.lease_expires_at);

  // Past the take's lease, but not the renewed one: the message stays the sender's.
  EXPECT_EQ(outbox.rescue_expired(timestamp::now().plus(10min, "test")), 0u);
  EXPECT_EQ(outbox.find(m.id)->status, email_status::SENDING);
  // Past the renewed lease: rescued, and the old sender's writes change nothing.
  EXPECT_EQ(outbox.rescue_expired(timestamp::now().plus(2h, "test")), 1u);
  auto const rescued = *outbox.find(m.id);
  EXPECT_EQ(rescued.status, email_status::PENDING);
  EXPECT_EQ(rescued.last_error, "the sender's lease expired");
  EXPECT_FALSE(rescued.lease_token);
  expect_error(errc::conflict, [&] { outbox.renew(m, 1h); });
  expect_error(errc::conflict, [&] { outbox.mark_sent(m); });
  EXPECT_EQ(outbox.find(m.id)->status, email_status::PENDING);

  // The next sender's lease is its own: the first sender's token does not reach it.
  auto const next = outbox.take_batch("sender-2", 1, 1min).at(0);
  EXPECT_EQ(next.id, m.id);
  EXPECT_EQ(next.attempts, 2);
  expect_error(errc::conflict, [&] { outbox.renew(m, 1h); });
  outbox.mark_sent(next);
  EXPECT_EQ(outbox.find(m.id)->status, email_status::SENT);
}

TEST_P(outbox_test, a_message_keeps_its_draft_until_the_draft_is_deleted) {
  outbox_service outbox(db());
  auto const d = draft_service(db()).add(task_, "Hello", draft_kind::EMAIL);
  auto const m = outbox.enqueue({task_, "a@example.com", "s", "b", email_priority::NORMAL, d.id});
  EXPECT_EQ(outbox.find(m.id)->draft_id, d.id);
  EXPECT_TRUE(soci_repository<draft>(db()).remove(d.id));
  auto const after = outbox.find(m.id);
  ASSERT_TRUE(after);  // ON DELETE SET NULL: the message stays
  EXPECT_FALSE(after->draft_id);
  expect_error(errc::foreign_key_violation, [&] {
    outbox.enqueue({task_, "a@example.com", "s", "b", email_priority::NORMAL, d.id + 99});
  });
}

TEST_P(outbox_test, concurrent_senders_never_take_the_same_message) {
  outbox_service outbox(db());
  for (int i = 0; i < 40; ++i) outbox.enqueue({task_, "r" + std::to_string(i) + "@example.com", "s", "b"});
  std::mutex mutex;
  std::vector<std::int64_t> taken;
  std::vector<std::thread> senders;
  for (int s = 0; s < 4; ++s)
    senders.emplace_back([&, s] {
      for (;;) {
        auto batch = outbox.take_batch("sender-" + std::to_string(s), 3, 1min);
        if (batch.empty()) return;
        std::lock_guard lock(mutex);
        for (auto const& m : batch) taken.push_back(m.id);
      }
    });
  for (auto& t : senders) t.join();
  EXPECT_EQ(taken.size(), 40u);
  EXPECT_EQ(std::set<std::int64_t>(taken.begin(), taken.end()).size(), 40u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(outbox_test);

}  // namespace
