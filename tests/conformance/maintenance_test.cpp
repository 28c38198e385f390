// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Maintenance on every backend: integrity checks find planted
// inconsistencies, cleanup's dry run counts what the real run does, optimize
// keeps every row.

#include <taskstore/service/admin.hpp>
#include <taskstore/service/credit_service.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

#include <algorithm>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

class maintenance_test : public domain_test {
 protected:
  void SetUp() override {
    domain_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    task_service tasks(db());
    task_claims claims(db());
    done_ = tasks.create({.user_id = alice_, .tool_id = "t", .agents = {"a"}});
    tasks.queue(done_.task_id, alice_);
    claims.complete(claims.start_processing(done_.task_id, "w", 1min), {.result_summary = "ok"});
    running_ = tasks.create({.user_id = bob_, .tool_id = "t"});
    tasks.queue(running_.task_id, bob_);
    claims.start_processing(running_.task_id, "w", 1min);
    credit_service(db()).purchase(alice_, credit_amount{10});
  }
  integrity_problem const* problem(integrity_report const& r, std::string const& check) {
    auto it = std::find_if(r.problems.begin(), r.problems.end(), [&](auto const& p) { return p.check == check; });
    return it == r.problems.end() ? nullptr : &*it;
  }
  std::vector<std::pair<std::string, std::size_t>> dump_counts() { return table_row_counts(db()); }
  task done_, running_;
};

TEST_P(maintenance_test, integrity_passes_on_service_written_data_and_finds_planted_problems) {
  auto r = check_integrity(db());
  EXPECT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems[0].check);
  EXPECT_GE(r.checks.size(), 15u);

  db().execute("UPDATE tasks SET progress = 50 WHERE status = 'COMPLETED'");
  db().execute("UPDATE tasks SET lease_token = NULL WHERE status = 'PROCESSING'");
  db().execute("UPDATE credit_wallets SET balance = balance + 1");
  r = check_integrity(db());
  EXPECT_FALSE(r.ok());
  auto const* completed = problem(r, "COMPLETED tasks have progress 100 and completed_at");
  ASSERT_TRUE(completed);
  EXPECT_EQ(completed->rows, 1);
  EXPECT_EQ(completed->examples, std::vector<std::string>{done_.task_id.to_string()});
  ASSERT_TRUE(problem(r, "PROCESSING tasks have a lease"));
  ASSERT_TRUE(problem(r, "wallet balances equal the sum of their transactions"));
  EXPECT_EQ(r.problems.size(), 3u);
}

TEST_P(maintenance_test, integrity_finds_orphans_left_with_foreign_keys_off) {
  {
    auto lease = detail::session_of(db());
    auto& s = lease.get();
    auto const remove_bob = "DELETE FROM users WHERE id = " + std::to_string(bob_);
    switch (db().backend().kind()) {
      case backend_kind::sqlite:
        s << "PRAGMA foreign_keys = OFF";
        s << remove_bob;
        s << "PRAGMA foreign_keys = ON";
        break;
      case backend_kind::mysql:
        s << "SET FOREIGN_KEY_CHECKS = 0";
        s << remove_bob;
        s << "SET FOREIGN_KEY_CHECKS = 1";
        break;
      case backend_kind::postgresql:  // turning checks off needs a superuser; dropping the key does not
        s << "ALTER TABLE tasks DROP CONSTRAINT fk_tasks_user_id";
        s << remove_bob;
        break;
    }
  }
  auto const r = check_integrity(db());
  auto const* orphans = problem(r, "tasks reference an existing user");
  ASSERT_TRUE(orphans);
  EXPECT_EQ(orphans->examples, std::vector<std::string>{running_.task_id.to_string()});
  if (db().backend().kind() == backend_kind::sqlite) {
    EXPECT_TRUE(problem(r, "SQLite foreign_key_check"));
  }
}

TEST_P(maintenance_test, cleanup_dry_run_counts_exactly_what_cleanup_does) {
  auto const now = timestamp::now();
  soci_repository<task> rows(db());
  auto add = [&](task_status status, timestamp created) {
    task t;
    t.task_id = uuid::generate_v7();
    t.user_id = alice_;
    t.tool_id = "t";
    t.status = status;
    t.created_at = t.updated_at = created;
    rows.insert(t);
    return t;
  };
  add(task_status::CREATED, now - 20min);                           // stale
  auto const ancient = add(task_status::EXPIRED, now - 400 * 24h);  // past retention
  event_log old;
  old.task_id = done_.task_id;
  old.created_at = now - 100 * 24h;
  soci_repository<event_log>(db()).insert(old);
  soci_repository<session>(db()).insert({uuid::generate_v7(), alice_, "done", now - 8 * 24h, now - 8 * 24h, now - 24h});

  auto const before = dump_counts();
  auto const dry = cleanup(db(), {.dry_run = true});
  EXPECT_TRUE(dry.dry_run);
  EXPECT_EQ(dump_counts(), before);  // nothing changed
  auto const real = cleanup(db());
  EXPECT_EQ(to_json(dry).at("expired_tasks"), 1);
  EXPECT_EQ(dry.expired_tasks, real.expired_tasks);
  EXPECT_EQ(dry.deleted_events, real.deleted_events);
  EXPECT_EQ(dry.deleted_sessions, real.deleted_sessions);
  EXPECT_EQ(dry.soft_deleted_tasks, real.soft_deleted_tasks);
  EXPECT_EQ(real.deleted_events, 1);
  EXPECT_EQ(real.deleted_sessions, 1);
  EXPECT_EQ(real.soft_deleted_tasks, 1);
  EXPECT_TRUE(rows.find(ancient.task_id)->deleted_at);
  auto const again = cleanup(db(), {.dry_run = true});
  EXPECT_EQ(again.expired_tasks + again.deleted_events + again.deleted_sessions + again.soft_deleted_tasks, 0);
}

TEST_P(maintenance_test, optimize_keeps_every_row) {
  auto const before = dump_counts();
  optimize(db());
  EXPECT_EQ(dump_counts(), before);
  EXPECT_TRUE(check_integrity(db()).ok());
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(maintenance_test);

}  // namespace
