// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The task lifecycle on the embedded SQLite default (or the URL given as the
// first argument). Quoted by the README.

#include <taskstore/taskstore.hpp>

#include <iostream>

namespace ts = taskstore;
using namespace std::chrono_literals;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///quickstart.db");
  ts::migrate_to_latest(db);
  auto const user = ts::soci_repository<ts::user>{db}.upsert({.email = "ada@example.com",
                                                              .full_name = "Ada",
                                                              .created_at = ts::timestamp::now(),
                                                              .updated_at = ts::timestamp::now()},
                                                             &ts::user::email);

  ts::task_service tasks{db};
  auto t =
      tasks.create({.user_id = user.id, .tool_id = "profile-my-data", .agents = {"unified-profiler", "score-risk"}});
  tasks.queue(t.task_id, user.id);
  auto claim = tasks.start_processing(t.task_id, "worker-1", 5min);
  tasks.report_progress(claim, 40, "score-risk");
  t = tasks.complete(claim, "3 risks found", 1200, 4.2);

  std::cout << "task " << t.task_id.to_string() << " is " << ts::enum_to_string(t.status) << " (" << t.progress
            << "%)\n";
  for (auto const& e : tasks.events(t.task_id, user.id))
    std::cout << "  " << e.created_at.to_iso() << "  " << e.content.value_or("") << '\n';
  std::cout << tasks.list(user.id).total << " task(s) for " << user.email << " in " << db.url() << '\n';
} catch (ts::error const& e) {
  std::cerr << "quickstart: " << e.what() << " (" << ts::to_string(e.code()) << ", " << ts::to_string(e.category())
            << ")\n";
  return 1;
}
