// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The credit ledger on every backend: charge once, refund once, never below
// zero, and a task that cannot be paid fails with the task API's code.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/credit_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/domain_fixture.hpp"

#include <atomic>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

class credit_test : public domain_test {
 protected:
  task new_task() {
    return task_service(db()).create({.user_id = alice_, .tool_id = "master-my-data", .agents = {"a"}});
  }
};

TEST_P(credit_test, a_task_is_charged_once_and_refunded_once) {
  credit_service credits(db());
  credits.purchase(alice_, credit_amount{100}, "starter pack");
  auto const t = new_task();
  auto const first = credits.charge(t.task_id, credit_amount{30});
  EXPECT_EQ(first.amount, -30);
  EXPECT_EQ(credits.balance(alice_), 70);
  EXPECT_EQ(credits.charge(t.task_id, credit_amount{30}).id, first.id);  // a no-op returning the first
  EXPECT_EQ(credits.balance(alice_), 70);
  auto const refund = credits.refund(t.task_id);
  EXPECT_EQ(refund.amount, 30);
  EXPECT_EQ(credits.refund(t.task_id).id, refund.id);
  EXPECT_EQ(credits.balance(alice_), 100);
  auto const h = credits.history(alice_);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].kind, credit_kind::REFUND);
  EXPECT_EQ(h[2].kind, credit_kind::PURCHASE);
  EXPECT_THROW(credits.refund(new_task().task_id), error);  // never charged
}

TEST_P(credit_test, an_unpaid_task_fails_with_billing_insufficient_credits_and_the_balance_holds) {
  credit_service credits(db());
  credits.purchase(alice_, credit_amount{10});
  task_service tasks(db());
  task_claims claims(db());
  auto const t = new_task();
  tasks.queue(t.task_id, alice_);
  claims.start_processing(t.task_id, "w", 1min);
  try {
    credits.charge(t.task_id, credit_amount{11});
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::precondition_failed);
    EXPECT_EQ(e.reason(), insufficient_credits);
    EXPECT_EQ(e.category(), error_category::user_fixable);
  }
  EXPECT_EQ(credits.balance(alice_), 10);
  EXPECT_EQ(credits.history(alice_).size(), 1u);
  auto const failed = tasks.get(t.task_id, alice_);
  EXPECT_EQ(failed.status, task_status::FAILED);
  EXPECT_EQ(failed.error_code, "BILLING_INSUFFICIENT_CREDITS");
  for (std::int64_t bad : {0, -5}) {
    try {
      credits.purchase(alice_, credit_amount{bad});
      ADD_FAILURE();
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed);
      EXPECT_EQ(e.field(), "amount");
    }
  }
  EXPECT_THROW(credits.charge(t.task_id, credit_amount{-1}), error);
  EXPECT_EQ(credits.balance(alice_), 10);
}

TEST_P(credit_test, repeated_charges_inside_one_transaction_go_on_and_charge_once) {
  // The unique key's verdict is taken under a savepoint: on PostgreSQL a
  // caught violation would otherwise abort the caller's transaction.
  credit_service credits(db());
  credits.purchase(alice_, credit_amount{100});
  auto const t = new_task();
  auto const ids = db().transact([&] {
    auto const a = credits.charge(t.task_id, credit_amount{30});
    auto const b = credits.charge(t.task_id, credit_amount{30});
    auto const r1 = credits.refund(t.task_id);
    auto const r2 = credits.refund(t.task_id);
    task_service(db()).create({.user_id = alice_, .tool_id = "x", .idempotency_key = "k"});
    auto const again = task_service(db()).create({.user_id = alice_, .tool_id = "x", .idempotency_key = "k"});
    EXPECT_EQ(again.idempotency_key, "k");
    return std::vector<std::int64_t>{a.id, b.id, r1.id, r2.id};
  });
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_EQ(ids[2], ids[3]);
  EXPECT_EQ(credits.balance(alice_), 100);
  EXPECT_EQ(credits.history(alice_).size(), 3u);
  EXPECT_EQ(task_service(db()).list(alice_).total, 2u);  // new_task() and the one keyed task
}

TEST_P(credit_test, a_user_without_a_wallet_cannot_pay_and_the_task_fails) {
  credit_service credits(db());
  task_service tasks(db());
  task_claims claims(db());
  auto const t = new_task();
  tasks.queue(t.task_id, alice_);
  claims.start_processing(t.task_id, "w", 1min);
  try {
    credits.charge(t.task_id, credit_amount{1});
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.reason(), insufficient_credits) << e.what();
  }
  EXPECT_EQ(tasks.get(t.task_id, alice_).error_code, "BILLING_INSUFFICIENT_CREDITS");
  EXPECT_EQ(credits.open_wallet(alice_).balance, 0);
  EXPECT_EQ(credits.open_wallet(alice_).balance, 0);  // opened once
}

TEST_P(credit_test, racing_charges_of_one_task_charge_it_once) {
  credit_service credits(db());
  credits.purchase(alice_, credit_amount{1000});
  std::vector<task> tasks;
  for (int i = 0; i < 5; ++i) tasks.push_back(new_task());
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < 4; ++th)
    threads.emplace_back([&] {
      try {
        for (auto const& t : tasks) credits.charge(t.task_id, credit_amount{7});
      } catch (std::exception const& e) {
        ++errors;
        ADD_FAILURE() << e.what();
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(credits.balance(alice_), 1000 - 5 * 7);
  EXPECT_EQ(credits.history(alice_, 100).size(), 6u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(credit_test);

}  // namespace
