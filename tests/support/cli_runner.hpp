// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The `taskstore` tool (TASKSTORE_CLI_PATH, set by the test's CMake target)
// run as a child process, as a user runs it: what the CLI and bad-input
// suites drive.

#ifdef TASKSTORE_CLI_PATH

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace taskstore::testing {

/// What one run of the tool did.
struct cli_result {
  int exit_code = -1;  ///< -1 when it did not exit normally
  std::string out, err;
};

inline std::string slurp(std::filesystem::path const& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// `s` as one single-quoted shell word.
inline std::string shell_quote(std::string const& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs the tool with `args`, stdin from /dev/null and TASKSTORE_DATABASE_URL
/// unset, in `dir` when given (else in the test's working directory).
inline cli_result taskstore_cli(std::vector<std::string> const& args,
                                std::optional<std::filesystem::path> const& dir = std::nullopt) {
  static std::atomic<int> counter = 0;  // tests may run it from several threads
  auto const base = std::filesystem::temp_directory_path() /
                    ("taskstore_cli_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
  std::string cmd = dir ? "cd " + shell_quote(dir->string()) + " && " : std::string();
  cmd += "env -u TASKSTORE_DATABASE_URL " + shell_quote(TASKSTORE_CLI_PATH);
  for (auto const& a : args) cmd += " " + shell_quote(a);
  cmd += " >" + shell_quote(base.string() + ".out") + " 2>" + shell_quote(base.string() + ".err") + " </dev/null";
  auto const status = std::system(cmd.c_str());
  cli_result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(base.string() + ".out"),
               slurp(base.string() + ".err")};
  std::filesystem::remove(base.string() + ".out");
  std::filesystem::remove(base.string() + ".err");
  return r;
}

}  // namespace taskstore::testing

#endif  // TASKSTORE_CLI_PATH
