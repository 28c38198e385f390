// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/backend/postgresql/listener.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/backend/postgresql/copy.hpp>
#include <taskstore/backend/postgresql/listener.hpp>
#include <taskstore/error.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace taskstore::detail {

[[noreturn]] TASKSTORE_DECL void listener_lost(PGconn* conn) {
  std::string why = conn ? PQerrorMessage(conn) : "";
  while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
  throw error(errc::connection_lost, error_category::temporary,
              "the PostgreSQL connection listening for notifications dropped" + (why.empty() ? "" : ": " + why));
}

postgresql_listener::postgresql_listener(std::unique_ptr<soci::session> s, std::string const& channel)
    : session_(std::move(s)), conn_(pg_native(*session_)) {
  // A channel is an identifier: quoted, so any text of ours is one.
  std::string quoted = "\"";
  for (char c : channel) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  quoted += '"';
  *session_ << "LISTEN " + quoted;
  wakeup_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeup_ < 0) throw error(errc::database_error, std::string("eventfd: ") + std::strerror(errno));
}

postgresql_listener::~postgresql_listener() {
  if (wakeup_ >= 0) ::close(wakeup_);
}

void postgresql_listener::take_arrived(std::vector<std::string>& payloads) {
  while (PGnotify* n = PQnotifies(conn_)) {
    payloads.emplace_back(n->extra ? n->extra : "");
    PQfreemem(n);
  }
}

void postgresql_listener::wait(std::chrono::milliseconds timeout, std::vector<std::string>& payloads) {
  auto const before = payloads.size();
  take_arrived(payloads);  // read along with an earlier statement's result
  if (payloads.size() > before) return;
  int const socket = PQsocket(conn_);
  if (socket < 0 || PQstatus(conn_) != CONNECTION_OK) listener_lost(conn_);
  pollfd fds[2] = {{socket, POLLIN, 0}, {wakeup_, POLLIN, 0}};
  int const ready = ::poll(fds, 2, static_cast<int>(timeout.count()));
  if (ready < 0) {
    if (errno == EINTR) return;
    throw error(errc::database_error, std::string("poll: ") + std::strerror(errno));
  }
  if (fds[1].revents & POLLIN) {
    std::uint64_t count = 0;
    [[maybe_unused]] auto const n = ::read(wakeup_, &count, sizeof count);  // resets it
  }
  if (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) {
    if (PQconsumeInput(conn_) != 1) listener_lost(conn_);
    take_arrived(payloads);
  }
}

void postgresql_listener::ping() {
  try {
    *session_ << "SELECT 1";
  } catch (soci::soci_error const&) {
    listener_lost(conn_);
  }
}

void postgresql_listener::interrupt() noexcept {
  std::uint64_t const one = 1;
  [[maybe_unused]] auto const n = ::write(wakeup_, &one, sizeof one);
}

}  // namespace taskstore::detail
