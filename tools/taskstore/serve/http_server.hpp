// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The HTTP server under `taskstore serve` (Boost.Beast): connections, limits,
// rate limiting and server-sent event streams. What a request means is the
// handler's business (dashboard.hpp).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace taskstore::cli::http {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

/// What one connection and one client may cost (docs/dashboard.md, Security).
struct server_limits {
  std::size_t max_body = 16 * 1024;          ///< request body bytes (413 beyond)
  std::size_t max_header_bytes = 8 * 1024;   ///< request line and headers (431 beyond)
  std::size_t max_header_fields = 50;        ///< header fields (431 beyond)
  std::chrono::seconds request_timeout{10};  ///< to read one request, or idle between two
  double requests_per_second = 50;           ///< per client address, sustained; 0: no limit
  double burst = 200;                        ///< per client address, at once
  std::size_t max_connections = 1000;        ///< open at once; beyond, new ones are closed
  std::size_t max_streams = 500;             ///< event streams open at once (503 beyond)
};

/// One client of an event stream. The stream's source calls send() from any
/// thread; the connection writes what it was sent in order, and closes when
/// the client falls too far behind.
class stream_client {
 public:
  virtual ~stream_client() = default;
  /// Queues `chunk` (whole `event:`/`data:` blocks) for the client.
  /// @returns false once the connection is gone: forget this client.
  virtual bool send(std::string chunk) = 0;
  /// True once the connection is gone.
  virtual bool gone() const = 0;
};

/// Called with a stream's client once its response head has been written.
using stream_opener = std::function<void(std::shared_ptr<stream_client>)>;

/// What a handler makes of a request: a whole response, or (with `open`) the
/// head of a `text/event-stream` response whose events follow.
struct reply {
  response head;
  stream_opener open;
};

/// Runs on a thread pool of its own, never on the threads that do network I/O.
using handler = std::function<reply(request const&)>;

/// Accepts connections on `endpoint` and serves them on `io`'s threads.
class server {
 public:
  server(boost::asio::io_context& io, boost::asio::ip::tcp::endpoint const& endpoint, handler h, server_limits limits,
         std::size_t handler_threads);
  ~server();
  server(server const&) = delete;
  server& operator=(server const&) = delete;

  /// The address it listens on (the port chosen, for port 0).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  /// Stops accepting; open connections end as their requests do.
  void stop();

  struct state;

 private:
  std::shared_ptr<state> state_;
};

/// The response every handler starts from: `status`, security headers
/// (Content-Security-Policy, no caching, no sniffing, no framing), `type`.
response make_response(request const& req, boost::beast::http::status status, std::string_view type, std::string body);

}  // namespace taskstore::cli::http
