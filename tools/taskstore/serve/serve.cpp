// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

#include "serve.hpp"

#include "dashboard.hpp"
#include "live_feed.hpp"

#include <taskstore/error.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

namespace taskstore::cli {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

tcp::endpoint parse_listen(std::string const& text) {
  auto const colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    throw error(errc::bad_config, "--listen is ADDRESS:PORT, not " + text);
  auto host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto const address = asio::ip::make_address(host, ec);
  if (ec) throw error(errc::bad_config, "--listen needs an IP address, not " + host);
  auto const port_text = text.substr(colon + 1);
  std::size_t used = 0;
  int port = -1;
  try {
    port = std::stoi(port_text, &used);
  } catch (std::exception const&) {
  }
  if (used != port_text.size() || port < 0 || port > 65535)
    throw error(errc::bad_config, "--listen port is 0 to 65535, not " + port_text);
  return {address, static_cast<unsigned short>(port)};
}

std::string authority(tcp::endpoint const& e) {
  auto const a = e.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(e.port());
}

}  // namespace

int run_serve(database const& db, serve_options const& options) {
  auto const endpoint = parse_listen(options.listen);
  dashboard_options dash;
  if (!options.token_file.empty()) dash.token = read_token_file(options.token_file);

  // Signals are taken by the io_context, before any thread could receive them.
  asio::io_context io;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::unique_ptr<http::server> server;
  // On the signal: accept nothing more, give requests in flight a second to be answered, then stop.
  asio::steady_timer grace(io);
  signals.async_wait([&](boost::system::error_code const&, int) {
    if (server) server->stop();
    grace.expires_after(std::chrono::seconds(1));
    grace.async_wait([&](boost::system::error_code const&) { io.stop(); });
  });

  live_feed feed(db);
  std::unique_ptr<dashboard> handler;
  auto const threads = std::max<std::size_t>(2, db.options().pool_size);
  // Connections beyond the file descriptors left would only fail at accept.
  auto limits = options.limits;
  if (rlimit r{}; ::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY)
    limits.max_connections = std::min<std::size_t>(limits.max_connections,
                                                   r.rlim_cur > 64 + 2 * threads ? r.rlim_cur - 64 - 2 * threads : 1);
  try {
    server = std::make_unique<http::server>(
        io, endpoint, [&](http::request const& req) { return handler->handle(req); }, limits, threads);
  } catch (boost::system::system_error const& e) {
    throw error(errc::bad_config, "cannot listen on " + options.listen + ": " + e.code().message());
  }
  auto const bound = server->local_endpoint();
  if (bound.address().is_loopback()) {
    auto const port = std::to_string(bound.port());
    dash.allowed_hosts = {authority(bound), "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port};
    if (bound.port() == 80) dash.allowed_hosts.insert(dash.allowed_hosts.end(), {"localhost", "127.0.0.1", "[::1]"});
  } else {
    std::cerr << "taskstore: warning: listening on " << authority(bound)
              << ", not loopback: whoever reaches it can read every task\n";
  }
  bool const read_only = !dash.token;
  handler = std::make_unique<dashboard>(db, std::move(dash), feed);

  std::cout << "listening on http://" << authority(bound) << "/ ("
            << (read_only ? "read-only: no --token-file" : "actions need the token") << ")\n"
            << std::flush;
  std::vector<std::thread> io_threads;
  for (int i = 0; i < 2; ++i) io_threads.emplace_back([&] { io.run(); });
  for (auto& t : io_threads) t.join();
  server.reset();  // joins the request threads while the dashboard and the feed they use are still there
  return 0;
}

}  // namespace taskstore::cli
