// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Fills a migrated, empty taskstore database with a year of finished work for
// scripts/dashboard-bench: 1,000 users, TASKS tasks over 20 tools (mostly
// COMPLETED; some FAILED, CANCELLED, QUEUED), EVENTS events per task, through
// the repositories' bulk path (insert_many: COPY on PostgreSQL). With
// `queue`, creates and queues N tasks of TOOL for the first user through
// task_service, as an application would, for workers to drain.
// Usage: taskstore_dashboard_fill URL [TASKS [EVENTS]]
//        taskstore_dashboard_fill URL queue TOOL N

#include <taskstore/taskstore.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace ts = taskstore;
using namespace std::chrono_literals;

int main(int argc, char** argv) try {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s URL [TASKS [EVENTS_PER_TASK]]\n", argv[0]);
    return 2;
  }
  auto const db = ts::database::open(argv[1]);
  if (argc == 5 && std::string(argv[2]) == "queue") {
    ts::task_service svc(db);
    auto const owner = ts::user_service(db).find_or_create("user0@example.com", "User 0").id;
    for (std::size_t i = 0, n = std::stoul(argv[4]); i < n; ++i)
      svc.queue(svc.create({.user_id = owner, .tool_id = argv[3]}).task_id, owner);
    return 0;
  }
  std::size_t const tasks = argc > 2 ? std::stoul(argv[2]) : 1'000'000;
  std::size_t const events_per_task = argc > 3 ? std::stoul(argv[3]) : 10;
  auto const started = std::chrono::steady_clock::now();

  ts::soci_repository<ts::user> const users(db);
  std::vector<ts::user> people;
  for (int i = 0; i < 1000; ++i) {
    ts::user u;
    u.email = "user" + std::to_string(i) + "@example.com";
    u.full_name = "User " + std::to_string(i);
    people.push_back(u);
  }
  people = users.insert_many(people);

  ts::soci_repository<ts::task> const task_rows(db);
  ts::soci_repository<ts::event_log> const event_rows(db);
  auto const now = ts::timestamp::now();
  auto const span = std::chrono::duration_cast<ts::timestamp::duration>(std::chrono::hours(24 * 365));
  constexpr std::size_t batch = 5000;
  for (std::size_t done = 0; done < tasks;) {
    std::vector<ts::task> rows;
    std::vector<ts::event_log> events;
    for (std::size_t k = 0; k < batch && done < tasks; ++k, ++done) {
      ts::task t;
      t.task_id = ts::uuid::generate_v7();
      t.user_id = people[done % people.size()].id;
      t.tool_id = "tool-" + std::to_string(done % 20);
      t.title = "task " + std::to_string(done);
      t.workflow_id = "wf-" + std::to_string(done / 10);
      // Oldest first, evenly over the year.
      t.created_at = now - span + span / static_cast<std::int64_t>(tasks) * static_cast<std::int64_t>(done);
      t.updated_at = t.created_at;
      t.queued_at = t.created_at;
      auto const roll = done % 100;
      t.status = roll == 0                          ? ts::task_status::FAILED
                 : roll == 1                        ? ts::task_status::CANCELLED
                 : done + 500 >= tasks && roll < 10 ? ts::task_status::QUEUED
                                                    : ts::task_status::COMPLETED;
      if (t.status == ts::task_status::COMPLETED || t.status == ts::task_status::FAILED) {
        t.attempt = 1;
        t.processing_started_at = t.created_at + 1s;
        (t.status == ts::task_status::COMPLETED ? t.completed_at : t.failed_at) = t.created_at + 31s;
        t.progress = t.status == ts::task_status::COMPLETED ? 100 : 40;
        if (t.status == ts::task_status::FAILED) {
          t.error_code = "exit_status";
          t.error_message = "the program exited with status 1";
        }
      }
      if (t.status == ts::task_status::CANCELLED) t.cancelled_at = t.created_at + 5s;
      for (std::size_t e = 0; e < events_per_task; ++e) {
        ts::event_log ev;
        ev.task_id = t.task_id;
        ev.event_type = e == 0 ? ts::event_kind::status_change : ts::event_kind::log;
        ev.content = e == 0 ? std::string("->CREATED") : "step " + std::to_string(e);
        ev.created_at = t.created_at + std::chrono::seconds(e);
        events.push_back(std::move(ev));
      }
      rows.push_back(std::move(t));
    }
    db.transact([&] {
      task_rows.insert_many(rows);
      event_rows.insert_many(events);
    });
    if (done % 100000 == 0 || done == tasks)
      std::fprintf(stderr, "\r%zu tasks, %zu events", done, done * events_per_task);
  }
  auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(stderr, "\n");
  std::printf("filled %zu tasks and %zu events in %.0f s\n", tasks, tasks * events_per_task, seconds);
  return 0;
} catch (ts::error const& e) {
  std::fprintf(stderr, "taskstore_dashboard_fill: %s (%s)\n", e.what(), std::string(ts::to_string(e.code())).c_str());
  return 1;
}
