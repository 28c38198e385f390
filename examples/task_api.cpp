// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The task API: a TaskCreateRequest arrives as JSON, the
// task uploads, queues, is processed with progress and completes; the user is
// charged once; the list comes back as a TaskListResponse; a forgotten task
// expires; and the retention jobs find the files to delete.

#include <taskstore/taskstore.hpp>

#include <iostream>

namespace ts = taskstore;
using namespace std::chrono_literals;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///task_api.db");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");
  ts::credit_service credits{db};
  credits.purchase(ada.id, ts::credit_amount{100}, "starter pack");

  // POST /tasks with a TaskCreateRequest; the server answers with presigned upload URLs.
  auto const request = ts::parse_json<ts::task_create_request>(
      R"({"tool_id": "profile-my-data", "agents": ["profiler", "score-risk"]})");
  ts::task_service tasks{db};
  auto t = tasks.create(
      {.user_id = ada.id, .tool_id = request.tool_id, .agents = request.agents.value_or(std::vector<std::string>{})});
  tasks.start_upload(t.task_id, ada.id);
  std::cout << "upload to " << ts::inputs_prefix(ada.id, t.task_id) << '\n';
  tasks.mark_uploaded(t.task_id, ada.id);  // UPLOADING → QUEUED

  // A worker claims it, charges it, reports progress and completes it.
  ts::task_claims claims{db};
  auto const claim = claims.start_processing(t.task_id, "worker-1", 5min);
  credits.charge(t.task_id, ts::credit_amount{30});
  credits.charge(t.task_id, ts::credit_amount{30});  // a retried charge is a no-op
  for (auto [progress, agent] : {std::pair{30, "profiler"}, {80, "score-risk"}}) {
    t = claims.report_progress(claim, progress, agent);
    std::cout << "progress " << t.progress << "% (" << *t.current_agent << ")\n";
  }
  claims.complete(claim, {.result_summary = "3 risks found", .tokens_used = 1200, .execution_time = 4.2s});
  std::cout << "balance after one charge of 30: " << credits.balance(ada.id) << '\n';

  // GET /tasks: the user's list as a TaskListResponse.
  auto const stale = tasks.create({.user_id = ada.id, .tool_id = "profile-my-data"});
  auto const list = ts::to_task_list_response(tasks.list(ada.id, std::nullopt, {.limit = 10}));
  std::cout << "TaskListResponse pagination " << ts::to_json(list.pagination) << ", the completed task "
            << ts::to_json(list.tasks.back()) << '\n';

  // Housekeeping: expiry of forgotten tasks, then the storage retention jobs
  // (run here with a cutoff in the future so that today's task is due).
  ts::task_maintenance maintenance{db};
  std::cout << "expired " << maintenance.expire_before(ts::timestamp::now() + 1s) << " forgotten task(s); "
            << ts::enum_to_string(tasks.get(stale.task_id, ada.id).status) << '\n';
  auto const later = ts::timestamp::now() + 31 * 24h;
  std::vector<ts::uuid> cleaned;
  for (auto const& c : maintenance.outputs_to_clean(later)) {
    std::cout << "delete outputs under " << c.prefix << '\n';
    cleaned.push_back(c.task_id);
  }
  maintenance.mark_outputs_cleaned(cleaned);
  std::cout << "downloads_available now: " << std::boolalpha
            << ts::to_task_response(tasks.get(t.task_id, ada.id)).downloads_available << '\n';
} catch (ts::error const& e) {
  std::cerr << "task_api: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
