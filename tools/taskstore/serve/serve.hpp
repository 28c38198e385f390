// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// `taskstore serve`: the dashboard, its JSON API and /metrics over HTTP
// (docs/dashboard.md).

#include "http_server.hpp"

#include <taskstore/db/database.hpp>

#include <string>

namespace taskstore::cli {

struct serve_options {
  std::string listen = "127.0.0.1:8080";  ///< ADDRESS:PORT; port 0 picks a free one
  std::string token_file;                 ///< empty: read-only
  http::server_limits limits;
};

/// Serves until SIGTERM or SIGINT. Prints `listening on http://ADDRESS:PORT`
/// on stdout once it accepts connections.
/// @throws error bad_config for a malformed address or token file; when the address cannot be bound.
/// @returns the exit code, 0.
int run_serve(database const& db, serve_options const& options);

}  // namespace taskstore::cli
