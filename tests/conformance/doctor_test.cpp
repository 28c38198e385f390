// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// doctor() on every backend: a healthy database needs no attention; a hot
// query that lost its index, a transaction left open, a queue nobody works,
// leases nobody rescues and unreadable tasks are each found, with what to do.

#include <taskstore/service/doctor.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"
#include "support/eventually.hpp"

#include <algorithm>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

class doctor_test : public domain_test {
 protected:
  static doctor_finding const* finding(doctor_report const& r, std::string const& check, std::string const& subject) {
    auto it = std::find_if(r.findings.begin(), r.findings.end(),
                           [&](auto const& f) { return f.check == check && f.subject == subject; });
    return it == r.findings.end() ? nullptr : &*it;
  }
  static std::string result_of(doctor_report const& r, std::string const& check) {
    for (auto const& c : r.checks)
      if (c.name == check) return c.result;
    return "(no such check)";
  }
  static doctor_plan const* plan(doctor_report const& r, std::string const& query) {
    for (auto const& p : r.plans)
      if (p.query == query) return &p;
    return nullptr;
  }
  bool sees_other_sessions() const { return !is(test_backend::sqlite_memory) && !is(test_backend::sqlite_file); }
};

TEST_P(doctor_test, a_healthy_database_needs_no_attention_and_every_check_reports) {
  task_service tasks(db());
  auto const t = tasks.create({.user_id = alice_, .tool_id = "t"});
  tasks.queue(t.task_id, alice_);
  auto const r = doctor(db());
  EXPECT_FALSE(r.needs_attention()) << (r.findings.empty() ? "" : r.findings[0].subject + ": " + r.findings[0].detail);
  EXPECT_EQ(r.backend, std::string(db().backend().description()));
  std::vector<std::string> names;
  for (auto const& c : r.checks) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"query plans", "unused indexes", "statistics", "space",
                                             "long transactions", "standby", "queues"}));
  EXPECT_EQ(result_of(r, "query plans"), "ok");
  EXPECT_EQ(result_of(r, "queues"), "ok");
  EXPECT_EQ(result_of(r, "standby"), "skipped: no standby configured (URL parameter replica)");
  if (sees_other_sessions()) {
    EXPECT_EQ(result_of(r, "long transactions"), "ok");
  } else {
    EXPECT_TRUE(result_of(r, "long transactions").starts_with("skipped: SQLite"));
  }
  ASSERT_EQ(r.plans.size(), 9u);
  for (auto const& p : r.plans) {
    EXPECT_FALSE(p.plan.empty()) << p.query;
    EXPECT_TRUE(p.table == "tasks" || p.table == "event_logs") << p.table;
  }
  // SQLite plans by the schema alone: the claim reads an index even on a tiny table (servers may scan one).
  auto const* claim = plan(r, "claim the next tasks");
  ASSERT_TRUE(claim);
  if (!sees_other_sessions()) {
    EXPECT_FALSE(claim->indexes.empty()) << claim->plan;
  }
}

TEST_P(doctor_test, a_hot_query_that_lost_its_index_needs_attention) {
  soci_repository<event_log> events(db());
  task_service tasks(db());
  auto const t = tasks.create({.user_id = alice_, .tool_id = "t"});
  std::vector<event_log> rows(3000);
  auto const now = timestamp::now();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].task_id = t.task_id;
    rows[i].content = "x";
    rows[i].created_at = now.minus(std::chrono::seconds(i), "created_at");  // the last hour, as a log grows
  }
  events.insert_many(rows);
  auto const stored = events.count();
  optimize(db());  // statistics, so that the planners see 3,000 recent events
  doctor_options const o{.small_table_rows = 1000};
  auto const cleanup = "cleanup: delete old events";

  auto r = doctor(db(), o);
  auto const* p = plan(r, cleanup);
  ASSERT_TRUE(p);
  EXPECT_GE(p->table_rows, 1000);
  EXPECT_TRUE(std::count(p->indexes.begin(), p->indexes.end(), "ix_event_logs_created_at")) << p->plan;
  EXPECT_FALSE(finding(r, "query plans", cleanup)) << p->plan;

  // Both indexes that lead with or hold the creation time.
  for (auto const* index : {"ix_event_logs_created_at", "idx_event_log_task_created"})
    db().execute(std::string("DROP INDEX ") + index + (is_mysql(GetParam()) ? " ON event_logs" : ""));
  r = doctor(db(), o);
  p = plan(r, cleanup);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->full_scans, std::vector<std::string>{"event_logs"}) << p->plan;
  auto const* f = finding(r, "query plans", cleanup);
  ASSERT_TRUE(f) << p->plan;
  EXPECT_EQ(f->level, finding_level::attention);
  EXPECT_NE(f->detail.find("reads all of event_logs"), std::string::npos) << f->detail;
  EXPECT_NE(f->action.find("taskstore migrate status"), std::string::npos);
  EXPECT_TRUE(r.needs_attention());
  if (is_mysql(GetParam())) {  // the keyset page of events names the dropped index (FORCE INDEX): it would fail
    auto const* fails = finding(r, "query plans", "a task's next page of events");
    ASSERT_TRUE(fails);
    EXPECT_TRUE(fails->detail.starts_with("cannot be planned: ")) << fails->detail;
  }
  EXPECT_EQ(events.count(), stored);  // doctor reads only
}

TEST_P(doctor_test, queues_nobody_works_leases_nobody_rescues_and_unreadable_tasks_are_found) {
  task_service tasks(db());
  task_claims claims(db());
  auto const waiting = tasks.create({.user_id = alice_, .tool_id = "idle"});
  tasks.queue(waiting.task_id, alice_);
  auto const lost = tasks.create({.user_id = alice_, .tool_id = "busy"});
  tasks.queue(lost.task_id, alice_);
  claims.start_processing(lost.task_id, "gone", 1s);
  auto const broken = tasks.create({.user_id = bob_, .tool_id = "busy"});
  db().execute("UPDATE tasks SET status = 'FAILED', error_code = 'corrupt_value' WHERE task_id = '" +
               broken.task_id.to_string() + "'");
  std::this_thread::sleep_for(2100ms);  // the lease runs out; the queued task waits 2 s

  doctor_options const o{.queued_too_long = 1s, .unrescued_after = 0s};
  auto r = doctor(db(), o);
  auto const* idle = finding(r, "queues", "tool idle");
  ASSERT_TRUE(idle);
  EXPECT_EQ(idle->level, finding_level::attention);
  EXPECT_NE(idle->action.find("taskstore work --tool idle"), std::string::npos);
  auto const* leases = finding(r, "queues", "expired leases");
  ASSERT_TRUE(leases);
  EXPECT_TRUE(leases->detail.starts_with("1 PROCESSING task")) << leases->detail;
  auto const* unreadable = finding(r, "queues", "unreadable tasks");
  ASSERT_TRUE(unreadable);
  EXPECT_TRUE(unreadable->detail.starts_with("1 tasks")) << unreadable->detail;
  EXPECT_TRUE(r.needs_attention());

  // Paused, the waiting queue is advice; rescued, the lease is no finding; a longer bound hides the wait.
  queue_control(db()).pause("idle");
  task_maintenance(db()).rescue_expired();
  r = doctor(db(), o);
  idle = finding(r, "queues", "tool idle");
  ASSERT_TRUE(idle);
  EXPECT_EQ(idle->level, finding_level::advice);
  EXPECT_FALSE(finding(r, "queues", "expired leases"));
  r = doctor(db(), {.queued_too_long = 1h});
  EXPECT_FALSE(finding(r, "queues", "tool idle"));
}

TEST_P(doctor_test, a_transaction_left_open_in_another_session_needs_attention) {
  if (!sees_other_sessions()) {
    auto const r = doctor(db(), {.long_transaction = 0s});
    EXPECT_EQ(result_of(r, "long transactions"), "skipped: SQLite cannot see another connection's transaction");
    return;
  }
  auto const other = env().open();
  task_service tasks(db());
  auto const t = tasks.create({.user_id = alice_, .tool_id = "t"});
  std::optional<doctor_report> seen;
  db().transact([&] {
    db().execute("UPDATE tasks SET progress = 5 WHERE task_id = '" + t.task_id.to_string() + "'");
    std::this_thread::sleep_for(2100ms);
    seen = doctor(other, {.long_transaction = 1s});
  });
  ASSERT_TRUE(seen);
  // PostgreSQL shows the database's sessions (other tests' schemas too): ours is the one whose last statement is
  // the UPDATE. MariaDB shows those of this test's database, and no statement while the transaction idles.
  auto const ours = [&](doctor_finding const& f) {
    return f.check == "long transactions" &&
           (is_mysql(GetParam()) || f.detail.find("progress = 5") != std::string::npos);
  };
  auto const it = std::find_if(seen->findings.begin(), seen->findings.end(), ours);
  ASSERT_NE(it, seen->findings.end()) << result_of(*seen, "long transactions");
  EXPECT_EQ(it->level, finding_level::attention);
  EXPECT_TRUE(it->subject.starts_with("session ")) << it->subject;
  EXPECT_NE(it->detail.find("locks held"), std::string::npos) << it->detail;
  EXPECT_TRUE(seen->needs_attention());
  // Ended, it is gone. (InnoDB shows a copy of its transactions, refreshed when last read over 100 ms ago.)
  EXPECT_TRUE(eventually(
      [&] {
        auto const after = doctor(other, {.long_transaction = 1s});
        return std::none_of(after.findings.begin(), after.findings.end(), ours);
      },
      5s, 250ms));
}

TEST_P(doctor_test, unused_indexes_are_advice_where_the_database_counts_them) {
  auto const r = doctor(db(), {.small_table_rows = 0});
  auto const result = result_of(r, "unused indexes");
  if (is(test_backend::postgresql) || is(test_backend::postgresql_pooler)) {
    auto const* f = finding(r, "unused indexes", "tasks.idx_tasks_workflow_id");
    ASSERT_TRUE(f) << result;
    EXPECT_EQ(f->level, finding_level::advice);
    // A primary key or unique index keeps a constraint: never advice.
    EXPECT_FALSE(finding(r, "unused indexes", "tasks.uq_tasks_user_idempotency"));
  } else if (!result.starts_with("skipped")) {
    EXPECT_TRUE(is(test_backend::mysql) || is(test_backend::mysql_flavor)) << result;  // performance_schema=ON
  } else {
    EXPECT_NE(result.find("index"), std::string::npos) << result;
  }
  for (auto const& f : r.findings)
    if (f.check == "unused indexes") {
      EXPECT_EQ(f.level, finding_level::advice);
    }
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(doctor_test);

}  // namespace
