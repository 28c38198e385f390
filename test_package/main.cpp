// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The Conan package's smoke test: a task stored in SQLite and read back.

#include <taskstore/taskstore.hpp>

#include <iostream>

namespace ts = taskstore;

int main() try {
  auto db = ts::database::open("sqlite://:memory:");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");

  ts::task_service tasks{db};
  auto const created = tasks.create({.user_id = ada.id, .tool_id = "profile-my-data"});
  auto const read = tasks.get(created.task_id, ada.id);
  if (read.task_id != created.task_id) {
    std::cerr << "test_package: task " << created.task_id << " was not read back\n";
    return 1;
  }
  std::cout << "taskstore: task " << read.task_id << " (" << read.tool_id << ") is " << ts::enum_to_string(read.status)
            << " for " << ada.email << '\n';
} catch (ts::error const& e) {
  std::cerr << "test_package: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
