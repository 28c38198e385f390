// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// `taskstore work`: a worker that runs a program once per claimed task
// (docs/cli.md, "taskstore work"), with a process group per program.

#include <taskstore/db/database.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace taskstore::cli {

/// What `taskstore work` was asked to do.
struct work_options {
  std::string tool;                  ///< the tool whose tasks it claims
  std::size_t concurrency = 1;       ///< programs at once
  bool until_idle = false;           ///< exit when nothing is claimable
  std::chrono::seconds lease{60};    ///< each claim's lease, renewed while the program runs
  std::chrono::seconds grace{10};    ///< SIGTERM to SIGKILL; on shutdown, also the time to finish first
  bool maintenance = true;           ///< run a scheduler beside the worker (maintenance when it leads)
  std::vector<std::string> command;  ///< the program and its arguments
};

/// The exit code of `work --until-idle` when a program it ran failed.
inline constexpr int some_task_failed = 6;

/// Runs the worker until SIGTERM or SIGINT (or, with `until_idle`, until
/// nothing is claimable); the signals are taken by a thread of its own.
/// @returns the exit code: 0, or some_task_failed.
/// @throws error validation_failed when the program cannot be found; as worker does.
int run_work(database const& db, work_options const& options);

}  // namespace taskstore::cli
