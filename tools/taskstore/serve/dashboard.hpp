// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// What `taskstore serve` answers (docs/dashboard.md): the JSON API under
// /api/, /metrics, /healthz and /readyz, and the actions, which need the
// token. Every query goes through taskstore's services and typed queries.

#include "http_server.hpp"
#include "live_feed.hpp"
#include "request_target.hpp"

#include <taskstore/db/database.hpp>

#include <optional>
#include <string>
#include <vector>

namespace taskstore::cli {

struct dashboard_options {
  /// The bearer token the actions need; none: the dashboard is read-only.
  std::optional<std::string> token;
  /// Host header values a request may carry (lower case, with the port); empty: any. A server on
  /// loopback accepts only loopback names, so that a web page whose name was
  /// rebound to 127.0.0.1 cannot read it.
  std::vector<std::string> allowed_hosts;
};

class dashboard {
 public:
  dashboard(database db, dashboard_options options, live_feed& feed);

  http::reply handle(http::request const& req) const;

 private:
  http::reply dispatch(http::request const& req) const;
  http::reply metrics(http::request const& req) const;
  http::reply overview(http::request const& req) const;
  http::reply task_list(http::request const& req, request_target const& t) const;
  http::reply task_detail(http::request const& req, uuid const& id) const;
  http::reply task_events(http::request const& req, request_target const& t, uuid const& id) const;
  http::reply task_action(http::request const& req, uuid const& id, std::string const& action) const;
  /// A 401 or 403 reply unless the request carries the token.
  std::optional<http::reply> unauthorized(http::request const& req) const;

  database db_;
  dashboard_options options_;
  live_feed& feed_;
};

/// The token in `path`'s first line, without surrounding white space.
/// @throws error bad_config when the file cannot be read, or the token is
///         shorter than 16 characters.
std::string read_token_file(std::string const& path);

}  // namespace taskstore::cli
