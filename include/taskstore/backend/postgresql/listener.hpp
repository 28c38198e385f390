// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// LISTEN on a session of its own: postgresql_backend::listen().

#include <taskstore/db/detail/listener.hpp>
#include <taskstore/detail/config.hpp>

#include <soci/soci.h>

#include <soci/postgresql/soci-postgresql.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace taskstore::detail {

/// Receives NOTIFYs through libpq: poll() on the connection's socket and an
/// eventfd that interrupt() writes, then PQconsumeInput() and PQnotifies().
class postgresql_listener final : public listener {
 public:
  /// Sends LISTEN on `s`. @throws error as a statement would.
  TASKSTORE_DECL postgresql_listener(std::unique_ptr<soci::session> s, std::string const& channel);
  TASKSTORE_DECL ~postgresql_listener() override;

  TASKSTORE_DECL void wait(std::chrono::milliseconds timeout, std::vector<std::string>& payloads) override;
  TASKSTORE_DECL void ping() override;
  TASKSTORE_DECL void interrupt() noexcept override;

 private:
  /// Appends the notifications libpq has already read.
  TASKSTORE_DECL void take_arrived(std::vector<std::string>& payloads);

  std::unique_ptr<soci::session> session_;
  PGconn* conn_;
  int wakeup_ = -1;  // an eventfd
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/postgresql/impl/listener.ipp>
#endif
