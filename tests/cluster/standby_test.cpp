// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Reads from a PostgreSQL hot standby (URL parameter replica) on the primary
// and streaming standby that scripts/with-cluster starts: lists read from the
// standby, never miss the caller's own writes, and pass over a standby that
// is paused, too far behind or stopped.

#include "cluster/cluster.hpp"
#include "support/eventually.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

namespace ts = taskstore;
using namespace std::chrono_literals;
using ts::testing::cluster_env;

namespace {

void run(char const* variable) { ts::testing::run_cluster_command(variable); }

bool lists(std::vector<ts::task> const& tasks, ts::uuid const& id) {
  return std::any_of(tasks.begin(), tasks.end(), [&](ts::task const& t) { return t.task_id == id; });
}

class standby_test : public ::testing::Test {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_POSTGRES_CLUSTER();
    primary_url_ = cluster_env("TASKSTORE_TEST_PRIMARY_URL");
    standby_url_ = cluster_env("TASKSTORE_TEST_STANDBY_URL");
    user_ = ts::testing::fresh_primary(ts::database::open(primary_url_));
  }

  /// The primary with the standby to read from.
  ts::database open(std::chrono::milliseconds max_lag = 60s) const {
    return ts::database::open(primary_url_ + "&replica=" + ts::testing::percent_encoded(standby_url_) +
                              "&replica_max_lag_ms=" + std::to_string(max_lag.count()));
  }

  ts::task create(ts::task_service& tasks) const { return tasks.create({.user_id = user_, .tool_id = "summarize"}); }

  /// Waits until reads with no write before them are answered by the standby.
  static bool reads_from_the_standby(ts::database const& db, ts::task_service const& tasks, std::int64_t user) {
    return ts::testing::eventually(
        [&] {
          auto const before = db.replica().standby_reads;
          tasks.list(user);
          return db.replica().standby_reads > before;
        },
        30s, 20ms);
  }

  std::string primary_url_, standby_url_;
  std::int64_t user_ = 0;
};

TEST_F(standby_test, every_read_after_a_write_sees_it_and_reads_alone_go_to_the_standby) {
  auto const db = open();
  ts::task_service tasks(db);
  for (int i = 0; i < 200; ++i) {
    auto const t = create(tasks);
    ASSERT_TRUE(lists(tasks.list(user_, {}, {.limit = 1}).tasks, t.task_id)) << "read " << i;
    ASSERT_EQ(tasks.events(t.task_id, user_).size(), 1u) << "read " << i;
  }
  ASSERT_TRUE(reads_from_the_standby(db, tasks, user_));
  auto const status = db.replica();
  EXPECT_TRUE(status.configured);
  EXPECT_TRUE(status.serving) << status.problem;
  ASSERT_TRUE(status.lag.has_value());
  EXPECT_LT(*status.lag, 60s);
  EXPECT_EQ(tasks.list(user_).total, 200u);
}

TEST_F(standby_test, a_standby_that_has_not_replayed_a_write_does_not_answer_the_reads_after_it) {
  auto const db = open();
  ts::task_service tasks(db);
  create(tasks);
  ASSERT_TRUE(reads_from_the_standby(db, tasks, user_));

  run("TASKSTORE_TEST_STANDBY_PAUSE");
  auto const written = create(tasks);
  auto const on_primary = db.replica().primary_reads;
  EXPECT_TRUE(lists(tasks.list(user_).tasks, written.task_id)) << "a read after the write missed it";
  EXPECT_GT(db.replica().primary_reads, on_primary) << "the primary answered";
  // The standby itself has not got it: a handle on it alone misses the write.
  ts::task_service standby_only(ts::database::open(standby_url_));
  EXPECT_FALSE(lists(standby_only.list(user_).tasks, written.task_id));

  run("TASKSTORE_TEST_STANDBY_RESUME");
  ASSERT_TRUE(reads_from_the_standby(db, tasks, user_));
  EXPECT_TRUE(lists(standby_only.list(user_).tasks, written.task_id));
}

TEST_F(standby_test, a_standby_further_behind_than_the_bound_is_passed_over_and_its_lag_shown) {
  auto const db = open(300ms);
  ts::task_service tasks(db);
  create(tasks);
  ASSERT_TRUE(reads_from_the_standby(db, tasks, user_));

  run("TASKSTORE_TEST_STANDBY_PAUSE");
  create(tasks);  // received, not replayed: the lag grows from now
  std::this_thread::sleep_for(600ms);
  auto const behind = db.replica();
  EXPECT_FALSE(behind.serving);
  ASSERT_TRUE(behind.lag.has_value());
  EXPECT_GE(*behind.lag, 300ms);
  EXPECT_NE(behind.problem.find("replica_max_lag_ms"), std::string::npos) << behind.problem;
  auto const on_standby = behind.standby_reads;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(tasks.list(user_).total, 2u);
  EXPECT_EQ(db.replica().standby_reads, on_standby) << "a lagging standby answered";

  run("TASKSTORE_TEST_STANDBY_RESUME");
  ASSERT_TRUE(reads_from_the_standby(db, tasks, user_));
  auto const caught_up = db.replica();
  EXPECT_TRUE(caught_up.serving) << caught_up.problem;
  EXPECT_LT(*caught_up.lag, 300ms);
}

TEST_F(standby_test, a_stopped_standby_is_passed_over_and_read_from_again_once_it_is_back) {
  auto const db = open();
  ts::task_service tasks(db);
  auto const t = create(tasks);
  ASSERT_TRUE(reads_from_the_standby(db, tasks, user_));

  run("TASKSTORE_TEST_STANDBY_STOP");
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(lists(tasks.list(user_).tasks, t.task_id)) << "read " << i;
  auto const down = db.replica();
  EXPECT_FALSE(down.serving);
  EXPECT_FALSE(down.problem.empty());

  run("TASKSTORE_TEST_STANDBY_START");
  EXPECT_TRUE(reads_from_the_standby(db, tasks, user_)) << db.replica().problem;
}

TEST_F(standby_test, transactions_through_the_reading_handle_run_on_the_primary) {
  auto const db = open();
  auto const reads = db.reads();
  EXPECT_TRUE(reads.reads_may_lag());
  ts::task_service tasks(db);
  create(tasks);
  ASSERT_TRUE(reads_from_the_standby(db, tasks, user_));
  // Inside transact() a read through reads() uses the transaction's session: it sees the transaction's write.
  ts::soci_repository<ts::task> writer(reads);
  auto const seen = reads.transact([&] {
    ts::task_service in_transaction(reads);
    auto const t = create(in_transaction);
    return writer.find(t.task_id).has_value();
  });
  EXPECT_TRUE(seen);
  EXPECT_EQ(tasks.list(user_).total, 2u);
}

TEST_F(standby_test, a_new_database_sees_what_was_committed_anywhere_before_its_first_read) {
  run("TASKSTORE_TEST_STANDBY_PAUSE");
  ts::task_service elsewhere(ts::database::open(primary_url_));  // another process's pool, say
  auto const written = create(elsewhere);
  auto const db = open();
  ts::task_service tasks(db);
  EXPECT_TRUE(lists(tasks.list(user_).tasks, written.task_id));
  EXPECT_EQ(db.replica().standby_reads, 0u) << "the paused standby lacks it";
  run("TASKSTORE_TEST_STANDBY_RESUME");
  EXPECT_TRUE(reads_from_the_standby(db, tasks, user_));
}

TEST_F(standby_test, a_url_without_a_standby_reads_from_the_primary) {
  auto const db = ts::database::open(primary_url_);
  EXPECT_FALSE(db.replica().configured);
  ts::task_service tasks(db);
  auto const t = create(tasks);
  EXPECT_TRUE(lists(tasks.list(user_).tasks, t.task_id));
}

}  // namespace
