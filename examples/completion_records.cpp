// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Completion records: a workflow finishes, its full state is recorded
// as a completion, an LLM writes the summaries later (partial updates), and the
// record is found by task, by workflow and by the user's e-mail.

#include <taskstore/taskstore.hpp>

#include <iostream>

namespace ts = taskstore;
using namespace std::chrono_literals;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///completion_records.db");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");

  // A workflow runs one task with one agent and completes.
  ts::task_service tasks{db};
  ts::task_claims claims{db};  // the worker's side
  ts::agent_run_service runs{db};
  auto t = tasks.create({.user_id = ada.id,
                         .tool_id = "clean-data",
                         .agents = {"cleaner"},
                         .workflow_id = "wf-quarterly-report",
                         .input_prompt = "Remove the duplicate rows from sales.csv"});
  tasks.queue(t.task_id, ada.id);
  auto const claim = claims.start_processing(t.task_id, "worker-1", 5min);
  runs.finish(runs.start(t.task_id, "cleaner").id, ts::agent_run_status::COMPLETED, "removed 3 duplicates", 850);
  claims.complete(claim, {.result_summary = "sales.csv is clean", .tokens_used = 850, .execution_time = 3.5s});

  // The completion record keeps the whole task state as task_data.
  ts::completion_service completions{db};
  auto const recorded = completions.record(t.task_id);
  auto const& data = recorded.task_data.as_object();
  std::cout << "recorded " << recorded.task_id << " for " << recorded.user_email << " (" << recorded.tokens_used
            << " tokens): task_data has " << data.at("events").as_array().size() << " events and "
            << data.at("agent_runs").as_array().size() << " agent run\n";

  // The summaries arrive later, one field at a time, as TaskCompletionUpdates.
  completions.update(t.task_id, ts::parse_json<ts::task_completion_update>(
                                    R"({"summary_steps": "1. load sales.csv 2. drop duplicate order ids"})"));
  completions.update(t.task_id, ts::parse_json<ts::task_completion_update>(
                                    R"({"summary_learnings": "order ids repeat when a refund is re-entered"})"));

  // TaskCompletionOut, as the API returns it.
  auto const out = ts::to_completion_out(completions.get_by_task(t.task_id, ada.id));
  auto json = ts::to_json(out);
  json.as_object().erase("task_data");  // long; shown above
  std::cout << "TaskCompletionOut: " << json << '\n';
  std::cout << completions.find_by_workflow("wf-quarterly-report").size() << " completion(s) in wf-quarterly-report, "
            << completions.find_by_user_email("ADA@example.com").size() << " for ada@example.com\n";
} catch (ts::error const& e) {
  std::cerr << "completion_records: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
