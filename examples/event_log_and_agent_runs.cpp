// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Tasks with their event logs and agent runs: a multi-agent task
// ("Build Todo App") logs messages from each agent and tracks each agent's
// run; the task's events come back in time order, filtered by agent, and its
// runs by start time.

#include <taskstore/taskstore.hpp>

#include <iostream>

namespace ts = taskstore;
using namespace std::chrono_literals;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///event_log_and_agent_runs.db");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");

  ts::task_service tasks{db};
  ts::task_claims claims{db};  // the worker's side
  auto t = tasks.create({.user_id = ada.id,
                         .tool_id = "build-app",
                         .agents = {"ProductManager", "Architect"},
                         .title = "Build Todo App",
                         .input_prompt = "Create a todo application with React"});
  tasks.queue(t.task_id, ada.id);
  auto const claim = claims.start_processing(t.task_id, "worker-1", 5min);

  ts::event_service events{db};
  ts::agent_run_service runs{db};
  auto const message = [&](std::string role, std::string text) {
    events.append({.task_id = t.task_id, .event_type = ts::event_kind::message, .agent_role = role, .content = text});
  };
  for (std::string agent : {"ProductManager", "Architect"}) {
    auto run = runs.mark_running(runs.start(t.task_id, agent).id);
    claims.report_progress(claim, agent == "ProductManager" ? 50 : 90, agent);
    message(agent, agent == "ProductManager" ? R"({"message": "Creating PRD..."})"
                                             : R"({"message": "Designing components..."})");
    runs.finish(run.id, ts::agent_run_status::COMPLETED,
                agent == "ProductManager" ? "PRD created successfully" : "Component design ready", 400);
  }
  t = claims.complete(claim, {.result_summary = "todo app scaffolded", .tokens_used = 800, .execution_time = 12.0s});

  std::cout << "task \"" << *t.title << "\" is " << ts::enum_to_string(t.status) << "\nevents in time order:\n";
  for (auto const& e : events.list(t.task_id, ada.id))
    std::cout << "  " << ts::enum_to_string(e.event_type) << "  " << e.agent_role.value_or("-") << "  "
              << e.content.value_or("") << '\n';
  std::cout << "the Architect's messages:\n";
  for (auto const& e : events.list(t.task_id, ada.id, {.type = ts::event_kind::message, .agent_role = "Architect"}))
    std::cout << "  " << *e.content << '\n';
  std::cout << "agent runs by start time:\n";
  for (auto const& r : runs.list(t.task_id, ada.id))
    std::cout << "  " << r.agent_name << "  " << ts::enum_to_string(r.status) << "  " << r.output_summary.value_or("")
              << '\n';
  auto const detail = runs.progress(t);
  std::cout << "progress_detail: " << detail.agents_completed << " of " << detail.agents_total << " agents completed\n";
} catch (ts::error const& e) {
  std::cerr << "event_log_and_agent_runs: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
