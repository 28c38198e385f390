// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The worker runtime: three tasks queued for two tools, one worker with a
// handler per tool. One handler reports progress and completes its task,
// the other fails its first attempt (the task is retried at once) and
// completes the second.

#include <taskstore/taskstore.hpp>

#include <atomic>
#include <iostream>

namespace ts = taskstore;
using namespace std::chrono_literals;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///worker.db");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");

  ts::task_service tasks{db};
  std::vector<ts::uuid> ids;
  for (auto tool : {"profile-my-data", "profile-my-data", "flaky-upstream"}) {
    auto t = tasks.create({.user_id = ada.id, .tool_id = tool, .agents = {"profiler"}});
    ids.push_back(tasks.queue(t.task_id, ada.id).task_id);
  }

  ts::worker w{db,
               {.slots = 2, .lease = 30s, .backoff = {.base = 0s, .cap = 0s}}};  // a failed attempt runs again at once
  w.handle("profile-my-data", [](ts::task_context& ctx) {
    ctx.progress(50, std::string("profiler"));
    ctx.event(ts::log_level::info, "profiled " + ctx.current().task_id.to_string());
    return ts::task_result{.result_summary = "3 risks found", .tokens_used = 1200};
  });
  std::atomic<int> calls{0};
  w.handle("flaky-upstream", [&](ts::task_context& ctx) {
    if (++calls == 1) throw ts::attempt_failure("UPSTREAM_DOWN", "upstream answered 503");  // retried
    return ts::task_result{.result_summary = "fetched on attempt " + std::to_string(ctx.current().attempt)};
  });
  auto const taken = w.run_until_idle();  // starts, claims until nothing is left, stops

  std::cout << "the worker took " << taken << " task(s) in hand\n";
  for (auto const& id : ids) {
    auto const t = tasks.get(id, ada.id);
    std::cout << t.tool_id << "  " << ts::enum_to_string(t.status) << "  attempt " << t.attempt << "  "
              << t.result_summary.value_or("") << '\n';
  }
  auto const s = w.stats();
  std::cout << s.completed << " completed, " << s.retried << " retried\n";
} catch (ts::error const& e) {
  std::cerr << "worker: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
