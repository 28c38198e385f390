// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The scheduler on every backend: one leader among electors on separate
// database handles, renewal, step-down and takeover; periodic tasks created
// once per period by four handles at once, and the catch-up rule; the
// scheduler running maintenance as leader and handing over when stopped.

#include <taskstore/domain/schedule.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/schedule/leader_lease.hpp>
#include <taskstore/schedule/periodic.hpp>
#include <taskstore/schedule/scheduler.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"
#include "support/eventually.hpp"

#include <atomic>
#include <chrono>
#include <latch>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

class scheduler_test : public domain_test {
 protected:
  /// Another database handle on the same database, as another process would have (an in-memory SQLite
  /// database exists only in its own connection: there, the same handle).
  database other() { return is(test_backend::sqlite_memory) ? db() : env().open(); }
  static leader_options lease_options(std::string holder, std::chrono::milliseconds ttl = 1s,
                                      std::chrono::milliseconds margin = 200ms) {
    return {.name = "maintenance", .holder = std::move(holder), .ttl = ttl, .margin = margin};
  }
  periodic_schedule every_second(std::string id = "report") const {
    return {.id = std::move(id), .every = 1s, .task = {.user_id = alice_, .tool_id = "report", .agents = {"a"}}};
  }
  std::vector<task_periodic_run> runs() {
    return soci_repository<task_periodic_run>(db()).find(
        query<task_periodic_run>{}.order_by(asc(&task_periodic_run::period_start)));
  }
  std::size_t tasks_of(std::string const& tool) {
    return soci_repository<task>(db()).count(query<task>{col(&task::tool_id) == tool});
  }
};

TEST_P(scheduler_test, one_leader_among_electors_on_separate_handles) {
  constexpr int n = 4;
  std::vector<std::unique_ptr<leader_lease>> electors;
  for (int i = 0; i < n; ++i)
    electors.push_back(std::make_unique<leader_lease>(other(), lease_options("e" + std::to_string(i), 5s)));
  std::vector<int> won(n, 0);
  std::latch start(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      for (int round = 0; round < 5; ++round) won[i] += electors[i]->try_acquire() ? 1 : 0;
    });
  for (auto& t : threads) t.join();
  int leaders = 0, leader = -1;
  for (int i = 0; i < n; ++i)
    if (won[i] > 0) ++leaders, leader = i;
  ASSERT_EQ(leaders, 1);
  EXPECT_EQ(won[leader], 5);  // once it leads, every attempt renews
  for (int i = 0; i < n; ++i) EXPECT_EQ(electors[i]->is_leader(), i == leader);
  ASSERT_TRUE(electors[0]->current());
  EXPECT_EQ(electors[0]->current()->holder, "e" + std::to_string(leader));
  EXPECT_EQ(soci_repository<task_leader>(db()).count(query<task_leader>{}), 1u);
}

TEST_P(scheduler_test, renewal_moves_the_expiry_and_keeps_the_election) {
  leader_lease a(other(), lease_options("a")), b(other(), lease_options("b"));
  ASSERT_TRUE(a.try_acquire());
  auto const first = *a.current();
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(b.try_acquire());
  ASSERT_TRUE(a.try_acquire());
  auto const renewed = *a.current();
  EXPECT_EQ(renewed.holder, "a");
  EXPECT_EQ(renewed.elected_at, first.elected_at);
  EXPECT_GE(renewed.expires_at - first.expires_at, std::chrono::duration_cast<timestamp::duration>(250ms));
  // Renewing every 300 ms keeps a 1 s term well past its first end.
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(300ms);
    EXPECT_TRUE(a.try_acquire());
    EXPECT_FALSE(b.try_acquire());
  }
  EXPECT_TRUE(a.is_leader());
}

TEST_P(scheduler_test, step_down_hands_over_at_once) {
  leader_lease a(other(), lease_options("a", 30s, 1s)), b(other(), lease_options("b", 30s, 1s));
  ASSERT_TRUE(a.try_acquire());
  EXPECT_FALSE(b.try_acquire());
  a.step_down();
  EXPECT_FALSE(a.is_leader());
  EXPECT_FALSE(a.current());
  EXPECT_TRUE(b.try_acquire());  // no wait for a 30 s term to end
  EXPECT_EQ(b.current()->holder, "b");
  a.step_down();  // not its row: changes nothing
  EXPECT_EQ(b.current()->holder, "b");
}

TEST_P(scheduler_test, a_leader_that_stops_renewing_is_taken_over_after_its_term) {
  leader_lease a(other(), lease_options("a", 1s, 300ms)), b(other(), lease_options("b", 1s, 300ms));
  auto const started = steady::now();
  ASSERT_TRUE(a.try_acquire());
  std::this_thread::sleep_until(started + 800ms);
  // Past ttl − margin the holder no longer trusts its term, while the row
  // has not expired: nobody leads for a moment, never two.
  EXPECT_FALSE(a.is_leader());
  EXPECT_FALSE(b.try_acquire());
  std::this_thread::sleep_until(started + 1100ms);
  EXPECT_TRUE(b.try_acquire());
  EXPECT_FALSE(a.try_acquire());  // too late: b holds it
  EXPECT_FALSE(a.is_leader());
  EXPECT_EQ(b.current()->holder, "b");
}

TEST_P(scheduler_test, bad_options_and_schedules_are_refused) {
  auto const refused = [&](std::string const& field, auto&& f) {
    try {
      f();
      ADD_FAILURE() << "no error for " << field;
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed) << field;
      EXPECT_EQ(e.category(), error_category::user_fixable) << field;
      EXPECT_EQ(e.field(), field) << e.what();
    }
  };
  refused("name", [&] { leader_lease(db(), {.name = ""}); });
  refused("name", [&] { leader_lease(db(), {.name = std::string(101, 'n')}); });
  refused("holder", [&] { leader_lease(db(), {.holder = std::string(201, 'h')}); });
  refused("ttl", [&] { leader_lease(db(), {.ttl = 50ms}); });
  refused("margin", [&] { leader_lease(db(), {.ttl = 1s, .margin = 600ms}); });
  refused("renew_fraction", [&] { scheduler(db(), {.renew_fraction = 1.0}); });
  refused("maintenance_every", [&] { scheduler(db(), {.maintenance_every = 10ms}); });

  auto s = every_second();
  s.id = "";
  refused("id", [&] { create_periodic(db(), s); });
  s = every_second();
  s.every = 0s;
  refused("every", [&] { create_periodic(db(), s); });
  s = every_second();
  s.max_delay = 1s;
  refused("max_delay", [&] { create_periodic(db(), s); });
  s = every_second();
  s.task.idempotency_key = "k";
  refused("task.idempotency_key", [&] { create_periodic(db(), s); });
  s = every_second();
  s.task.tool_id = "";
  EXPECT_THROW(create_periodic(db(), s), error);
  scheduler sch(db());
  sch.add_periodic(every_second());
  refused("id", [&] { sch.add_periodic(every_second()); });
  EXPECT_TRUE(runs().empty());
  EXPECT_EQ(tasks_of("report"), 0u);
  EXPECT_EQ(soci_repository<task_leader>(db()).count(query<task_leader>{}), 0u);
}

TEST_P(scheduler_test, periods_are_aligned_to_the_epoch) {
  periodic_schedule s{.id = "x", .every = 15min};
  EXPECT_EQ(period_start(s, timestamp::parse("2026-12-05 10:07:30")), timestamp::parse("2026-12-05 10:00:00"));
  EXPECT_EQ(period_start(s, timestamp::parse("2026-12-05 10:15:00")), timestamp::parse("2026-12-05 10:15:00"));
  EXPECT_EQ(period_start(s, timestamp::parse("2026-12-05 10:14:59.999999")), timestamp::parse("2026-12-05 10:00:00"));
  EXPECT_EQ(period_start(s, timestamp::parse("1969-12-31 23:59:59")), timestamp::parse("1969-12-31 23:45:00"));
}

TEST_P(scheduler_test, a_periodic_task_is_created_and_queued_once_per_period) {
  auto s = every_second();
  s.every = 1h;
  auto const t0 = timestamp::parse("2026-12-05 10:20:00");
  auto const created = create_periodic(db(), s, t0);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, task_status::QUEUED);
  EXPECT_EQ(created->tool_id, "report");
  EXPECT_EQ(created->user_id, alice_);
  EXPECT_FALSE(create_periodic(db(), s, t0 + std::chrono::minutes(30)));  // same period
  EXPECT_FALSE(create_periodic(other(), s, t0));                          // same period, another handle
  auto const next = create_periodic(db(), s, t0 + std::chrono::hours(1));
  ASSERT_TRUE(next);
  EXPECT_NE(next->task_id, created->task_id);
  auto const r = runs();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].schedule_id, "report");
  EXPECT_EQ(r[0].period_start, timestamp::parse("2026-12-05 10:00:00"));
  EXPECT_EQ(r[0].task_id, created->task_id);
  EXPECT_EQ(r[1].period_start, timestamp::parse("2026-12-05 11:00:00"));
  EXPECT_EQ(r[1].task_id, next->task_id);
  EXPECT_EQ(tasks_of("report"), 2u);
  // Another schedule has periods of its own.
  EXPECT_TRUE(create_periodic(db(), every_second("other"), t0));
  // A deleted task leaves its run: the period is not created again.
  soci_repository<task>(db()).remove(created->task_id);
  EXPECT_FALSE(runs()[0].task_id);
  EXPECT_FALSE(create_periodic(db(), s, t0));
}

TEST_P(scheduler_test, catch_up_creates_only_the_current_period_and_respects_max_delay) {
  auto s = every_second();
  s.every = 1min;
  auto const t0 = timestamp::parse("2026-12-05 10:00:10");
  ASSERT_TRUE(create_periodic(db(), s, t0));
  // Down for ten periods: the missed ones are skipped, the current one is created.
  ASSERT_TRUE(create_periodic(db(), s, t0 + std::chrono::minutes(10)));
  auto r = runs();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].period_start, timestamp::parse("2026-12-05 10:10:00"));

  s.max_delay = 20s;
  EXPECT_FALSE(create_periodic(db(), s, timestamp::parse("2026-12-05 10:11:30")));  // 30 s late: skipped
  EXPECT_EQ(runs().size(), 2u);
  EXPECT_TRUE(create_periodic(db(), s, timestamp::parse("2026-12-05 10:12:20")));  // 20 s late: created
  EXPECT_EQ(runs().size(), 3u);
  EXPECT_EQ(tasks_of("report"), 3u);
}

TEST_P(scheduler_test, four_handles_create_one_task_per_period) {
  constexpr int n = 4;
  auto const s = every_second();
  std::vector<database> handles;
  for (int i = 0; i < n; ++i) handles.push_back(other());
  std::atomic<int> created{0}, failures{0};
  std::latch start(n);
  auto const until = steady::now() + 3500ms;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      while (steady::now() < until) {
        try {
          if (create_periodic(handles[i], s)) ++created;
        } catch (std::exception const&) {
          ++failures;
        }
        std::this_thread::sleep_for(20ms);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto const r = runs();
  ASSERT_GE(r.size(), 3u);
  EXPECT_EQ(static_cast<std::size_t>(created.load()), r.size());
  EXPECT_EQ(tasks_of("report"), r.size());
  std::map<timestamp, int> per_period;
  for (auto const& run : r) {
    ++per_period[run.period_start];
    ASSERT_TRUE(run.task_id);
    EXPECT_EQ(task_service(db()).find(*run.task_id)->status, task_status::QUEUED);
  }
  for (auto const& [start_at, count] : per_period) EXPECT_EQ(count, 1) << start_at.to_iso();
  for (std::size_t i = 1; i < r.size(); ++i)  // no gap: every period was created
    EXPECT_EQ(r[i].period_start - r[i - 1].period_start, std::chrono::duration_cast<timestamp::duration>(1s));
}

TEST_P(scheduler_test, the_leading_scheduler_runs_maintenance_and_hands_over_when_stopped) {
  task_service tasks(db());
  task_claims claims(db());
  auto const t = tasks.create({.user_id = alice_, .tool_id = "slow"});
  tasks.queue(t.task_id, alice_);
  claims.start_processing(t.task_id, "dead-worker", 1s);  // its lease expires and nobody renews it

  std::atomic<int> errors{0};
  auto const options = [&](std::string holder) {
    scheduler_options o;
    o.leader = lease_options(std::move(holder), 3s, 500ms);  // renewed every second
    o.maintenance_every = 1s;
    o.on_error = [&](std::string_view, std::exception const&) { ++errors; };
    return o;
  };
  auto a = std::make_unique<scheduler>(other(), options("a"));
  auto b = std::make_unique<scheduler>(other(), options("b"));
  a->add_periodic(every_second());
  b->add_periodic(every_second());
  a->start();
  ASSERT_TRUE(eventually([&] { return a->is_leader(); }));
  b->start();

  // The leader rescues the expired lease within a maintenance round.
  EXPECT_TRUE(eventually([&] { return tasks.find(t.task_id)->status == task_status::QUEUED; }, 5s));
  EXPECT_TRUE(eventually([&] { return runs().size() >= 2; }, 5s));
  for (int i = 0; i < 50; ++i) {  // never two leaders
    EXPECT_FALSE(a->is_leader() && b->is_leader());
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(a->is_leader());
  EXPECT_FALSE(b->is_leader());
  EXPECT_EQ(b->stats().periodic_created, 0u);  // leader-only by default
  EXPECT_TRUE(eventually([&] { return a->stats().maintenance_runs >= 1u; }, 5s));

  a->stop();  // steps down: b leads at its next attempt, not after a's term
  auto const stopped = steady::now();
  ASSERT_TRUE(eventually([&] { return b->is_leader(); }, 3s));
  EXPECT_LT(steady::now() - stopped, 2500ms);  // b's next attempt (every ttl / 3), well before a's 3 s term ends
  auto const before = runs().size();
  EXPECT_TRUE(eventually([&] { return runs().size() >= before + 1; }, 5s));
  // Its stats count a creation after the commit that the row shows: wait for them too.
  EXPECT_TRUE(eventually([&] { return b->stats().periodic_created >= 1u; }, 5s));
  b.reset();
  a.reset();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(soci_repository<task_leader>(db()).count(query<task_leader>{}), 0u);
  auto const r = runs();
  for (std::size_t i = 1; i < r.size(); ++i) EXPECT_NE(r[i].period_start, r[i - 1].period_start);
  EXPECT_EQ(tasks_of("report"), r.size());
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(scheduler_test);

}  // namespace
