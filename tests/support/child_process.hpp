// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// A child process with its standard output on a pipe: started with
// posix_spawn, read line by line with a timeout, killed, waited for.

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace taskstore::testing {

class child_process {
 public:
  explicit child_process(std::vector<std::string> argv) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    int const rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    }
    out_ = fds[0];
  }
  ~child_process() {
    if (pid_ > 0) {
      kill(SIGKILL);
      wait();
    }
    if (out_ >= 0) close(out_);
  }
  child_process(child_process const&) = delete;
  child_process& operator=(child_process const&) = delete;

  /// The next line of its output, or nullopt at the end of it or after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
        auto line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto const left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[4096];
      auto const n = ::read(out_, chunk, sizeof chunk);
      if (n <= 0) return std::nullopt;  // it closed its output
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }
  /// Every remaining line, until it closes its output.
  std::vector<std::string> read_all(std::chrono::milliseconds timeout = std::chrono::seconds(600)) {
    std::vector<std::string> lines;
    while (auto line = read_line(timeout)) lines.push_back(std::move(*line));
    return lines;
  }

  void kill(int signal) const {
    if (pid_ > 0) ::kill(pid_, signal);
  }
  /// Waits for it to end: its exit code, or 128 + the signal that ended it.
  int wait() {
    if (pid_ <= 0) return status_;
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return status_;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int status_ = -1;
  std::string buffer_;
};

}  // namespace taskstore::testing
