// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The task lifecycle on embedded SQLite (or the URL given as the first argument).

#include <taskstore/taskstore.hpp>

#include <iostream>

namespace ts = taskstore;
using namespace std::chrono_literals;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///quickstart.db");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");

  ts::task_service tasks{db};  // what the task's owner does
  ts::task_claims claims{db};  // what a worker does
  auto t = tasks.create({.user_id = ada.id, .tool_id = "profile-my-data", .agents = {"profiler", "score-risk"}});
  tasks.queue(t.task_id, ada.id);
  auto claim = claims.claim_next("worker-1", 5min);  // the next queued task, leased to this worker
  if (!claim) return 1;
  claims.report_progress(*claim, 40, "score-risk");
  claims.heartbeat(*claim);  // a long run keeps its lease
  t = claims.complete(*claim, {.result_summary = "3 risks found", .tokens_used = 1200, .execution_time = 4.2s});

  std::cout << "task " << t.task_id << " is " << ts::enum_to_string(t.status) << " (" << t.progress << "%)\n";
  for (auto const& e : tasks.events(t.task_id, ada.id)) std::cout << "  " << e.created_at << "  " << *e.content << '\n';
  std::cout << tasks.list(ada.id).total << " task(s) for " << ada.email << " in " << db.url() << '\n';
} catch (ts::error const& e) {
  std::cerr << "quickstart: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
