// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// What the cluster tests share: the URLs and commands scripts/with-cluster
// exports, and a fresh schema on the primary.

#include <taskstore/taskstore.hpp>

#include <gtest/gtest.h>

#include "support/backends.hpp"

#include <cstdlib>
#include <string>

namespace taskstore::testing {

inline std::string cluster_env(char const* name) {
  char const* v = std::getenv(name);
  return v ? v : "";
}

/// How many tasks the failover and Galera tests drain: TASKSTORE_STRESS_TASKS, default 2,000.
inline std::size_t cluster_tasks() {
  auto const n = cluster_env("TASKSTORE_STRESS_TASKS");
  return n.empty() ? 2000 : static_cast<std::size_t>(std::stoul(n));
}

/// Runs one of with-cluster's commands (TASKSTORE_TEST_STANDBY_PAUSE, …).
inline void run_cluster_command(char const* variable) {
  auto const command = cluster_env(variable);
  ASSERT_FALSE(command.empty()) << variable << " is not set";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

/// Skips (or, with TASKSTORE_REQUIRE_ALL_BACKENDS=1, fails) a test outside
/// scripts/with-cluster --postgres. Use at the top of SetUp().
#define TASKSTORE_REQUIRE_POSTGRES_CLUSTER()                                                          \
  do {                                                                                                \
    if (::taskstore::testing::cluster_env("TASKSTORE_TEST_PRIMARY_URL").empty()) {                    \
      if (::taskstore::testing::all_backends_required())                                              \
        GTEST_FAIL() << "TASKSTORE_TEST_PRIMARY_URL is not set and TASKSTORE_REQUIRE_ALL_BACKENDS=1"; \
      GTEST_SKIP() << "no PostgreSQL primary and standby: run under scripts/with-cluster --postgres"; \
    }                                                                                                 \
  } while (0)

/// Empties the primary's schema (the standby follows), migrates it and adds a
/// user. @returns the user's id.
inline std::int64_t fresh_primary(database const& primary) {
  primary.execute("DROP SCHEMA IF EXISTS public CASCADE");
  primary.execute("CREATE SCHEMA public");
  migrate_to_latest(primary);
  return user_service(primary).create("cluster@example.com", "Cluster").id;
}

}  // namespace taskstore::testing
