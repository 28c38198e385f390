// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// `taskstore work`: one taskstore::worker whose handler runs a program per
// task. The program gets the task's JSON on stdin and reports on stdout
// (progress / event / result lines); its stderr passes through. Each program
// leads a process group of its own, so that stopping it reaches whatever it
// started: SIGTERM, then SIGKILL after the grace period.

#include "work.hpp"

#include <taskstore/schedule/scheduler.hpp>
#include <taskstore/types/from_json.hpp>
#include <taskstore/worker/worker.hpp>

#include <boost/json/serialize.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <stop_token>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace taskstore::cli {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t max_line = 64 * 1024;    // a longer stdout line is cut here, the rest dropped
constexpr std::size_t max_stderr_tail = 2048;  // what a failure message keeps of stderr

/// A file descriptor, closed with its owner.
class fd {
 public:
  fd() = default;
  explicit fd(int f) noexcept : f_(f) {}
  fd(fd&& o) noexcept : f_(std::exchange(o.f_, -1)) {}
  fd& operator=(fd&& o) noexcept {
    reset(std::exchange(o.f_, -1));
    return *this;
  }
  ~fd() { reset(); }
  int get() const noexcept { return f_; }
  explicit operator bool() const noexcept { return f_ >= 0; }
  void reset(int f = -1) noexcept {
    if (f_ >= 0) ::close(f_);
    f_ = f;
  }

 private:
  int f_ = -1;
};

[[noreturn]] void fail_system(char const* what) { throw std::system_error(errno, std::generic_category(), what); }

/// A pipe whose ends are closed on exec (the child's copies, made by dup2, are not).
std::pair<fd, fd> make_pipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) fail_system("pipe2");
  return {fd(p[0]), fd(p[1])};
}

void set_nonblocking(int f) {
  if (::fcntl(f, F_SETFL, ::fcntl(f, F_GETFL) | O_NONBLOCK) != 0) fail_system("fcntl");
}

/// `text` as valid UTF-8 without NUL (what every backend stores as text):
/// other bytes become U+FFFD.
std::string valid_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto const c = static_cast<unsigned char>(text[i]);
    std::size_t const n = c == 0                   ? 0
                          : c < 0x80               ? 1
                          : c >= 0xc2 && c <= 0xdf ? 2
                          : c >= 0xe0 && c <= 0xef ? 3
                          : c >= 0xf0 && c <= 0xf4 ? 4
                                                   : 0;
    bool ok = n > 0 && i + n <= text.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    if (ok && n >= 3) {  // no overlong forms, surrogates or code points past U+10FFFF
      auto const d = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xe0 && d < 0xa0) && !(c == 0xed && d >= 0xa0) && !(c == 0xf0 && d < 0x90) &&
           !(c == 0xf4 && d >= 0x90);
    }
    if (!ok) {
      out += "\xef\xbf\xbd";
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

/// The program's path: `name` itself when it holds a slash, else its place on PATH.
/// @throws error validation_failed when there is no such executable file.
std::string find_program(std::string const& name) {
  auto const executable = [](std::string const& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    if (executable(name)) return name;
  } else if (!name.empty()) {
    char const* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    for (;;) {
      auto const colon = dirs.find(':');
      auto dir = std::string(dirs.substr(0, colon));
      if (auto const candidate = (dir.empty() ? std::string(".") : dir) + "/" + name; executable(candidate))
        return candidate;
      if (colon == std::string_view::npos) break;
      dirs.remove_prefix(colon + 1);
    }
  }
  throw error(errc::validation_failed, "cannot run " + name + ": no such executable file", "command");
}

/// One stdout line of the program, acted on (docs/cli.md gives the protocol).
/// @returns false when the line was malformed (the caller logs it as a warning).
bool protocol_line(task_context& ctx, std::string_view line, std::optional<std::string>& result) {
  auto const word = line.substr(0, line.find(' '));
  auto const rest = word.size() < line.size() ? line.substr(word.size() + 1) : std::string_view();
  if (word == "progress") {
    auto const number = rest.substr(0, rest.find(' '));
    std::int32_t percent = -1;
    auto const [end, ec] = std::from_chars(number.data(), number.data() + number.size(), percent);
    if (number.empty() || ec != std::errc() || end != number.data() + number.size()) return false;
    std::optional<std::string> agent;
    if (number.size() < rest.size()) agent = std::string(rest.substr(number.size() + 1));
    ctx.progress(percent, agent);
  } else if (word == "event") {
    ctx.event(log_level::info, std::string(rest));
  } else if (word == "result") {
    result = std::string(rest);  // the last one wins
  } else if (!line.empty()) {
    ctx.event(log_level::info, std::string(line));
  }
  return true;
}

/// Acts on one line; what the database refuses is logged, never thrown: a
/// conflict means the lease is gone, and the stop token fires at the next heartbeat.
void take_line(task_context& ctx, std::string_view raw, std::optional<std::string>& result) {
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  auto const line = valid_text(raw);
  auto warn = [&](std::string const& why) {
    try {
      ctx.event(log_level::warning, why);
    } catch (error const&) {
      std::cerr << "taskstore work: task " << ctx.current().task_id.to_string() << ": " << why << '\n';
    }
  };
  try {
    if (!protocol_line(ctx, line, result)) warn("malformed line ignored: " + line);
  } catch (error const& e) {
    if (e.code() == errc::conflict) return;
    warn("line ignored (" + std::string(to_string(e.code())) + ": " + e.what() + "): " + line);
  }
}

/// The program's environment: ours without the database URL (it may hold a
/// password), with the task's id and attempt.
std::vector<std::string> child_environment(task const& t) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view const entry(*e);
    if (entry.starts_with("TASKSTORE_DATABASE_URL=") || entry.starts_with("TASKSTORE_TASK_ID=") ||
        entry.starts_with("TASKSTORE_ATTEMPT="))
      continue;
    env.emplace_back(entry);
  }
  env.push_back("TASKSTORE_TASK_ID=" + t.task_id.to_string());
  env.push_back("TASKSTORE_ATTEMPT=" + std::to_string(t.attempt));
  return env;
}

/// Until it is reaped, the program's group is killed when its owner goes
/// (an exception on the way): no child is left running or unreaped.
struct program {
  pid_t pid = -1;
  int status = 0;
  bool reaped = false;

  /// Reaps it if it has ended. Kills what is left of its group first, while
  /// its unreaped pid still holds the group id (no reuse race).
  bool try_reap() {
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0)
      return false;
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    reaped = true;
    return true;
  }
  ~program() {
    if (pid <= 0 || reaped) return;
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
};

/// Starts `path` with `args` in a new process group, its standard streams on
/// `in`, `out` and `err`, the signals the worker blocks unblocked and at their defaults.
pid_t spawn(std::string const& path, std::vector<std::string> args, std::vector<std::string> env, int in, int out,
            int err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none, defaults;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGUSR1}) sigaddset(&defaults, s);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  int const rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    throw attempt_failure("spawn_failed", "cannot start " + path + ": " + std::strerror(rc),
                          boost::json::object{{"errno", rc}});
  return pid;
}

/// Runs the program for one claimed task (the worker's handler).
task_result run_program(task_context& ctx, work_options const& o, std::string const& path) {
  auto const started = std::chrono::steady_clock::now();
  auto [in_read, in_write] = make_pipe();
  auto [out_read, out_write] = make_pipe();
  auto [err_read, err_write] = make_pipe();
  fd wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!wake) fail_system("eventfd");
  for (int f : {in_write.get(), out_read.get(), err_read.get()}) set_nonblocking(f);

  program child;
  child.pid = spawn(path, o.command, child_environment(ctx.current()), in_read.get(), out_write.get(), err_write.get());
  in_read.reset();
  out_write.reset();
  err_write.reset();
  // Readable when the child ends; without pidfd_open (Linux < 5.3) poll wakes every 100 ms to ask.
  fd exited(static_cast<int>(::syscall(SYS_pidfd_open, child.pid, 0)));

  std::stop_callback const on_stop(ctx.stop_token(), [f = wake.get()] {
    std::uint64_t const one = 1;
    [[maybe_unused]] auto const n = ::write(f, &one, sizeof one);
  });

  auto const input = boost::json::serialize(to_json(ctx.current())) + "\n";
  std::size_t written = 0;
  std::string line;         // the stdout line being read
  bool cutting = false;     // past max_line: dropping the rest of the line
  std::string stderr_tail;  // the last max_stderr_tail bytes of stderr
  std::optional<std::string> result;
  bool stopping = false;
  bool killed = false;
  auto kill_at = std::chrono::steady_clock::time_point::max();

  auto const take_output = [&](std::string_view chunk) {
    for (char c : chunk) {
      if (c == '\n') {
        if (!stopping) take_line(ctx, line, result);
        line.clear();
        cutting = false;
      } else if (line.size() < max_line) {
        line += c;
      } else {
        cutting = true;
      }
    }
  };
  // Reads what `f` has now; closes it at its end. @returns false when nothing was there.
  auto const drain = [&](fd& f, bool is_stdout) {
    char chunk[8192];
    for (;;) {
      auto const n = ::read(f.get(), chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return;  // EAGAIN: later
      if (n == 0) {
        f.reset();
        return;
      }
      std::string_view const data(chunk, static_cast<std::size_t>(n));
      if (is_stdout) {
        take_output(data);
      } else {
        for (auto rest = data; !rest.empty();) {  // passes through to our stderr
          auto const w = ::write(STDERR_FILENO, rest.data(), rest.size());
          if (w <= 0) break;
          rest.remove_prefix(static_cast<std::size_t>(w));
        }
        stderr_tail.append(data);
        if (stderr_tail.size() > max_stderr_tail) stderr_tail.erase(0, stderr_tail.size() - max_stderr_tail);
      }
    }
  };

  while (!child.reaped) {
    std::vector<pollfd> fds;
    if (in_write) fds.push_back({in_write.get(), POLLOUT, 0});
    if (out_read) fds.push_back({out_read.get(), POLLIN, 0});
    if (err_read) fds.push_back({err_read.get(), POLLIN, 0});
    if (exited) fds.push_back({exited.get(), POLLIN, 0});
    if (!stopping) fds.push_back({wake.get(), POLLIN, 0});
    int timeout = exited ? -1 : 100;
    if (stopping && !killed) {
      auto const left = std::chrono::ceil<std::chrono::milliseconds>(kill_at - std::chrono::steady_clock::now());
      auto const ms = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 60'000));
      timeout = timeout < 0 ? ms : std::min(timeout, ms);
    }
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) fail_system("poll");
    for (auto const& p : fds) {
      if (!p.revents) continue;
      if (p.fd == in_write.get()) {
        auto const n = ::write(in_write.get(), input.data() + written, input.size() - written);
        if (n > 0) written += static_cast<std::size_t>(n);
        // All written, or the program closed its stdin (EPIPE: SIGPIPE is ignored): stdin ends.
        if (written == input.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) in_write.reset();
      } else if (p.fd == out_read.get()) {
        drain(out_read, true);
      } else if (p.fd == err_read.get()) {
        drain(err_read, false);
      } else if (p.fd == wake.get()) {
        stopping = true;  // cancelled, lease lost, or shutdown: the task is no longer this program's
        ::kill(-child.pid, SIGTERM);
        kill_at = std::chrono::steady_clock::now() + o.grace;
      }
    }
    if (stopping && !killed && std::chrono::steady_clock::now() >= kill_at) {
      ::kill(-child.pid, SIGKILL);
      killed = true;
    }
    if (child.try_reap()) {
      // What it wrote before it ended is in the pipes; what is left of its group was killed.
      if (out_read) drain(out_read, true);
      if (err_read) drain(err_read, false);
    }
  }
  if (!line.empty() && !stopping) take_line(ctx, line, result);

  if (stopping || ctx.stop_token().stop_requested())
    throw std::runtime_error("stopped: " + std::string(to_string(ctx.why_stopped())));  // discarded by the worker
  auto const tail = stderr_tail.empty() ? std::string() : "; stderr ends: " + valid_text(stderr_tail);
  if (WIFEXITED(child.status) && WEXITSTATUS(child.status) == 0)
    return {.result_summary = result, .execution_time = std::chrono::steady_clock::now() - started};
  if (WIFEXITED(child.status)) {
    auto const code = WEXITSTATUS(child.status);
    throw attempt_failure("exit_status", "the program exited with status " + std::to_string(code) + tail,
                          boost::json::object{{"exit_status", code}});
  }
  auto const sig = WTERMSIG(child.status);
  char const* name = ::sigabbrev_np(sig);
  throw attempt_failure("signal",
                        "the program was killed by signal " + std::to_string(sig) +
                            (name ? std::string(" (SIG") + name + ")" : std::string()) + tail,
                        boost::json::object{{"signal", sig}});
}

}  // namespace

int run_work(database const& db, work_options const& o) {
  if (o.command.empty()) throw error(errc::validation_failed, "work needs a program to run", "command");
  auto const path = find_program(o.command.front());

  // SIGTERM and SIGINT are blocked in every thread (threads inherit the mask)
  // and taken by one thread with sigwait; SIGUSR1 tells it to end.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGTERM, SIGINT, SIGUSR1}) sigaddset(&signals, s);
  if (int const rc = ::pthread_sigmask(SIG_BLOCK, &signals, nullptr); rc != 0)
    throw std::system_error(rc, std::generic_category(), "pthread_sigmask");
  ::signal(SIGPIPE, SIG_IGN);  // a program that does not read its stdin

  worker w(db, {.slots = o.concurrency,
                .lease = o.lease,
                .shutdown_grace = std::chrono::duration_cast<std::chrono::milliseconds>(o.grace)});
  w.handle(o.tool, [&](task_context& ctx) { return run_program(ctx, o, path); });

  std::mutex mutex;
  std::condition_variable signalled;
  bool stop_requested = false;  // guarded by mutex
  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    for (;;) {
      int sig = 0;
      if (::sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGUSR1) {
        if (done) return;
        continue;
      }
      {
        std::lock_guard lock(mutex);
        if (stop_requested) continue;  // stopping already
        stop_requested = true;
      }
      signalled.notify_all();
      std::cerr << "taskstore work: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ": stopping; running programs have "
                << o.grace.count() << " s to finish\n";
      try {
        w.stop(std::chrono::duration_cast<std::chrono::milliseconds>(o.grace));
      } catch (std::exception const& e) {
        std::cerr << "taskstore work: stopping failed: " << e.what() << '\n';
      }
    }
  });
  struct join_signal_thread {
    std::thread& t;
    std::atomic<bool>& done;
    ~join_signal_thread() {
      done = true;
      ::pthread_kill(t.native_handle(), SIGUSR1);
      t.join();
    }
  } const joiner{signal_thread, done};

  // Every `taskstore work` competes for the maintenance lease: one of them,
  // whichever leads, rescues expired leases and runs cleanup for the fleet.
  std::optional<scheduler> maintenance;
  if (o.maintenance) {
    maintenance.emplace(db, scheduler_options{.on_error = [](std::string_view job, std::exception const& e) {
                          std::cerr << "taskstore work: maintenance job " << job << " failed: " << e.what() << '\n';
                        }});
    // A batch run first rescues what a crashed worker left, so that it sees
    // every task that should be claimable before it decides it is idle.
    if (o.until_idle) maintenance->run_once();
    maintenance->start();
  }

  if (o.until_idle) {
    w.run_until_idle();
  } else {
    w.start();
    std::unique_lock lock(mutex);
    signalled.wait(lock, [&] { return stop_requested; });
  }
  w.stop();                              // waits for the signal thread's stop() when there is one
  if (maintenance) maintenance->stop();  // steps down: another process leads at once

  auto const s = w.stats();
  std::cout << "taskstore work: " << s.claimed << " claimed, " << s.completed << " completed, " << s.retried
            << " failed (retried or not), " << s.released << " given back, " << s.cancelled << " cancelled"
            << std::endl;
  return o.until_idle && (s.retried > 0 || s.failed > 0) ? some_task_failed : 0;
}

}  // namespace taskstore::cli
