// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// database::transact retries real transient failures (a busy SQLite file, a
// PostgreSQL or MariaDB deadlock or lock-wait timeout, a connection the
// server killed) and never retries anything else.

#include <taskstore/repository/soci_repository.hpp>

#include "support/isolated_db.hpp"
#include "support/sample_types.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using sample_ns::owner;

class retry_test : public backend_test {};

TEST_P(retry_test, other_errors_are_not_retried) {
  soci_repository<owner> owners(db());
  owners.create_table();
  owners.insert({0, "taken"});
  int calls = 0;
  try {
    db().transact([&] {
      ++calls;
      owners.insert({0, "taken"});
    });
    ADD_FAILURE() << "duplicate accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::already_exists);
  }
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(db().retry_count(), 0u);
  EXPECT_EQ(owners.count(), 1u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(retry_test);

/// SQLite admits one writer: a database's own transactions queue for it in
/// the process, for at most busy_timeout_ms, as a writer of another process
/// waits in SQLite's busy handler.
class sqlite_writer_test : public backend_test {};

TEST_P(sqlite_writer_test, a_writer_queued_past_busy_timeout_ms_is_busy_and_retried) {
  auto const url = env().url();
  auto const impatient =
      database::open(url + (url.find('?') == std::string::npos ? "?" : "&") + "busy_timeout_ms=50&retry_attempts=2");
  soci_repository<owner> owners(impatient);
  owners.create_table();

  std::promise<void> holding, let_go;
  auto holder = std::async(std::launch::async, [&] {
    impatient.transact([&] {
      owners.insert({0, "holder"});
      holding.set_value();
      let_go.get_future().wait();
    });
  });
  holding.get_future().wait();
  int calls = 0;
  try {
    impatient.transact([&] {
      ++calls;
      owners.insert({0, "waiter"});
    });
    ADD_FAILURE() << "wrote while another transaction held the write lock";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::busy_or_deadlock) << e.what();
    EXPECT_EQ(e.category(), error_category::temporary) << e.what();
    EXPECT_NE(std::string(e.what()).find("busy_timeout_ms"), std::string::npos) << e.what();
  } catch (...) {
    ADD_FAILURE() << "not a taskstore::error";  // caught: the holder must still be let go
  }
  EXPECT_EQ(calls, 0);                     // it never had the lock
  EXPECT_EQ(impatient.retry_count(), 1u);  // retry_attempts=2: run once more, then raised
  let_go.set_value();
  holder.get();

  impatient.transact([&] { owners.insert({0, "waiter"}); });
  EXPECT_EQ(owners.count(), 2u);
}

/// The fault_plan itself: which attempts fail, where, and how each kind ends.
class fault_injection_test : public backend_test {
 protected:
  /// Runs a two-statement transaction under `plan`; @returns how often its body ran.
  int run_under(fault_plan plan, soci_repository<owner> const& owners) {
    db().inject_faults(plan);
    int calls = 0;
    auto const n = std::to_string(++runs_);
    db().transact([&] {
      ++calls;
      owners.insert({0, "one " + n});
      owners.insert({0, "two " + n});
    });
    db().inject_faults(std::nullopt);
    return calls;
  }
  int runs_ = 0;
};

TEST_P(fault_injection_test, the_first_attempts_fail_at_the_planned_statement_then_the_transaction_commits) {
  soci_repository<owner> owners(db());
  owners.create_table();
  for (auto kind : {fault_kind::deadlock, fault_kind::serialization_failure, fault_kind::lock_timeout, fault_kind::busy,
                    fault_kind::connection_lost}) {
    SCOPED_TRACE(to_string(kind));
    auto const before = db().retry_count();
    EXPECT_EQ(run_under({kind, 2, 3}, owners), 4);
    EXPECT_EQ(db().retry_count() - before, 3u);
    EXPECT_EQ(run_under({kind, 3, 3}, owners), 1) << "a transaction of two statements has no third";
  }
  EXPECT_EQ(owners.count(), 20u) << "each failed attempt rolled back";
}

TEST_P(fault_injection_test, each_kind_arrives_as_its_transient_error) {
  soci_repository<owner> owners(db());
  owners.create_table();
  auto const impatient = database::open(env().url() + (env().url().find('?') == std::string::npos ? "?" : "&") +
                                        "retry_attempts=1&inject_fault=deadlock");
  soci_repository<owner> once(impatient);
  for (auto kind : {fault_kind::deadlock, fault_kind::serialization_failure, fault_kind::lock_timeout, fault_kind::busy,
                    fault_kind::connection_lost}) {
    SCOPED_TRACE(to_string(kind));
    impatient.inject_faults(fault_plan{kind, 1, 1});
    try {
      impatient.transact([&] { once.insert({0, "never"}); });
      ADD_FAILURE() << "no fault";
    } catch (error const& e) {
      EXPECT_EQ(e.category(), error_category::temporary) << e.what();
      EXPECT_EQ(e.code(), kind == fault_kind::connection_lost ? errc::connection_lost : errc::busy_or_deadlock)
          << e.what();
    }
  }
  EXPECT_EQ(owners.count(), 0u);
}

TEST_P(fault_injection_test, a_lost_commit_is_outcome_unknown_and_never_run_again) {
  soci_repository<owner> owners(db());
  owners.create_table();
  db().inject_faults(fault_plan{fault_kind::commit_lost, 1, 1});
  int calls = 0;
  try {
    db().transact([&] {
      ++calls;
      owners.insert({0, "committed"});
    });
    ADD_FAILURE() << "the lost COMMIT was not reported";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::outcome_unknown) << e.what();
  }
  db().inject_faults(std::nullopt);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(owners.count(), 1u) << "the COMMIT itself went through";
}

TEST_P(fault_injection_test, a_statement_outside_a_transaction_is_an_attempt_of_its_own) {
  soci_repository<owner> owners(db());
  owners.create_table();
  db().inject_faults(fault_plan{fault_kind::deadlock, 1, 2});
  owners.insert({0, "first"});  // fails twice, then runs
  owners.insert({0, "second"});
  EXPECT_EQ(db().retry_count(), 4u);
  db().inject_faults(fault_plan{fault_kind::connection_lost, 1, 1});
  try {
    owners.insert({0, "lost"});
    ADD_FAILURE() << "a write outside a transaction was retried after a lost connection";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::connection_lost) << e.what();
  }
  EXPECT_EQ(owners.count(), 2u) << "a read is retried after a lost connection";
  db().inject_faults(std::nullopt);
  EXPECT_EQ(owners.count(), 2u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(fault_injection_test);

INSTANTIATE_TEST_SUITE_P(conformance, sqlite_writer_test,
                         ::testing::Values(test_backend::sqlite_memory, test_backend::sqlite_file), backend_name{});

/// Contention needs two connections: a private in-memory database has one.
class contention_test : public backend_test {};

TEST_P(contention_test, a_transient_failure_is_retried_until_the_transaction_commits) {
  soci_repository<owner> owners(db());
  owners.create_table();
  auto const a = owners.insert({0, "a"});
  auto const b = owners.insert({0, "b"});

  if (is(test_backend::sqlite_file)) {
    // One handle holds the write lock; the other, with a 20 ms busy timeout,
    // gets SQLITE_BUSY and must retry until the lock is released.
    auto const holder = database::open(env().url());
    auto const impatient = database::open(env().url() + "?busy_timeout_ms=20&retry_attempts=30");
    soci_repository<owner> held(holder), waiting(impatient);
    std::promise<void> locked;
    auto lock_holder = std::async(std::launch::async, [&] {
      holder.transact([&] {
        held.insert({0, "holder"});
        locked.set_value();
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
      });
    });
    locked.get_future().wait();
    impatient.transact([&] { waiting.insert({0, "waiter"}); });
    lock_holder.get();
    EXPECT_GT(impatient.retry_count(), 0u) << "the busy database was not retried";
    EXPECT_EQ(owners.count(), 4u);
    return;
  }

  // Two transactions update a and b in opposite orders: the server picks a
  // deadlock victim, whose whole transaction transact() runs again.
  std::atomic<int> first_attempts{0};
  std::promise<void> both_locked_promise;
  auto both_locked = both_locked_promise.get_future().share();
  auto transfer = [&](std::int64_t first, std::int64_t second, std::string const& tag) {
    bool first_attempt = true;
    db().transact([&] {
      auto x = *owners.find(first);
      x.name = tag + "-first";
      owners.update(x);
      if (first_attempt) {  // only the first attempt meets the other thread
        first_attempt = false;
        if (++first_attempts == 2) both_locked_promise.set_value();
        both_locked.wait_for(std::chrono::seconds(10));
      }
      auto y = *owners.find(second);
      y.name = tag + "-second";
      owners.update(y);
    });
  };
  auto t1 = std::async(std::launch::async, transfer, a.id, b.id, "t1");
  auto t2 = std::async(std::launch::async, transfer, b.id, a.id, "t2");
  t1.get();
  t2.get();
  EXPECT_GT(db().retry_count(), 0u) << "no deadlock was retried";
  // Both transactions committed, one after the other: each row carries one writer's last update.
  auto const fa = owners.find(a.id)->name, fb = owners.find(b.id)->name;
  EXPECT_TRUE((fa == "t1-first" && fb == "t1-second") || (fa == "t2-second" && fb == "t2-first")) << fa << " " << fb;
}

INSTANTIATE_TEST_SUITE_P(conformance, contention_test,
                         ::testing::Values(test_backend::sqlite_file, test_backend::postgresql, test_backend::mysql,
                                           test_backend::postgresql_pooler),
                         backend_name{});

/// Server-side failures: lock-wait timeouts and connections the server kills.
class server_fault_test : public backend_test {
 protected:
  bool pg() const { return is_postgresql(GetParam()); }
};

TEST_P(server_fault_test, a_lock_wait_timeout_is_retried_until_the_lock_is_released) {
  soci_repository<owner> owners(db());
  owners.create_table();
  auto const a = owners.insert({0, "a"});
  // 200 ms lock timeout (PostgreSQL lock_timeout 55P03; MariaDB's is whole seconds: 1205 after 1 s).
  auto const impatient = database::open(env().url() + (pg() ? "&" : "?") + "busy_timeout_ms=200&retry_attempts=30");
  soci_repository<owner> waiting(impatient);
  std::promise<void> locked;
  auto holder = std::async(std::launch::async, [&] {
    db().transact([&] {
      auto row = *owners.find(a.id);
      row.name = "holder";
      owners.update(row);
      locked.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    });
  });
  locked.get_future().wait();
  impatient.transact([&] {
    auto row = *waiting.find(a.id);  // READ COMMITTED: does not wait
    row.name = "waiter";
    waiting.update(row);
  });
  holder.get();
  EXPECT_GT(impatient.retry_count(), 0u) << "no lock-wait timeout was retried";
  EXPECT_EQ(owners.find(a.id)->name, "waiter");
}

TEST_P(server_fault_test, a_connection_killed_by_the_server_is_replaced_and_nothing_is_doubled) {
  if (is(test_backend::postgresql_pooler))
    GTEST_SKIP() << "the pooler replaces a server connection the server kills: its clients never see it";
  soci_repository<owner> owners(db());
  owners.create_table();
  owners.insert({0, "before"});
  auto const killer = env().open();
  auto const kill_pooled_connection = [&] {
    long long id = 0;
    {
      auto lease = detail::session_of(db());  // the pool's one idle connection
      lease.get() << (pg() ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()"), soci::into(id);
    }
    killer.execute((pg() ? "SELECT pg_terminate_backend(" : "KILL CONNECTION ") + std::to_string(id) +
                   (pg() ? ")" : ""));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // termination is asynchronous
  };

  kill_pooled_connection();
  EXPECT_EQ(owners.count(), 1u) << "a read runs again on a new connection";
  kill_pooled_connection();
  db().transact([&] { owners.insert({0, "in a transaction"}); });  // rolled back, run again
  EXPECT_GT(db().retry_count(), 0u);

  kill_pooled_connection();
  try {
    owners.insert({0, "alone"});  // outside a transaction its outcome would be unknown: not retried
    ADD_FAILURE() << "a write on a killed connection succeeded";
  } catch (error const& e) {
    EXPECT_EQ(e.category(), error_category::temporary) << e.what();
  }
  owners.insert({0, "next"});  // the pool has a live connection again
  EXPECT_EQ(owners.count(), 3u);
  EXPECT_EQ(owners.count(query<owner>{col(&owner::name) == std::string("in a transaction")}), 1u);
}

INSTANTIATE_TEST_SUITE_P(conformance, server_fault_test,
                         ::testing::Values(test_backend::postgresql, test_backend::mysql,
                                           test_backend::postgresql_pooler),
                         backend_name{});

}  // namespace
