// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The program every consumer project builds (tests/cmake) and the README's
// first program: open the database the URL names (an in-memory SQLite one by
// default), migrate it, store a task, read it back and print it as JSON.

#include <taskstore/taskstore.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/json/serialize.hpp>

#include <iostream>

namespace ts = taskstore;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite://:memory:");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");

  ts::task_service tasks{db};
  auto const created = tasks.create({.user_id = ada.id, .tool_id = "consumer-check", .agents = {"profiler"}});
  auto const stored = tasks.get(created.task_id, ada.id);  // read back: the row really is in the database
  std::cout << boost::json::serialize(ts::to_json(stored)) << '\n';
} catch (ts::error const& e) {
  std::cerr << "consumer: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
