// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// A plain HTTP/1.1 client over a loopback socket, for the tests of
// `taskstore serve`: it sends exactly the bytes it is given (well-formed
// requests and hostile ones alike) and reads a response, or a stream of
// server-sent events, with a timeout.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace taskstore::testing {

struct http_response {
  int status = 0;                              ///< 0: the connection closed before a status line
  std::map<std::string, std::string> headers;  ///< names in lower case
  std::string body;

  std::string header(std::string const& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class http_connection {
 public:
  explicit http_connection(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  ~http_connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  http_connection(http_connection const&) = delete;
  http_connection& operator=(http_connection const&) = delete;

  void send(std::string const& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      auto const n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;  // the server closed: what it answered is still there to read
      sent += static_cast<std::size_t>(n);
    }
  }

  /// Reads until `done(buffer)` or the connection closes or `timeout` passes.
  template <class Done>
  std::string const& read_until(Done done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(buffer_)) {
      auto const left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[8192];
      auto const n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    return buffer_;
  }

  /// One response: its head, then Content-Length bytes of body (none for a response to HEAD: `with_body` false).
  http_response read_response(std::chrono::milliseconds timeout = std::chrono::seconds(10), bool with_body = true) {
    read_until([](std::string const& b) { return b.find("\r\n\r\n") != std::string::npos; }, timeout);
    http_response r;
    auto const end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) return r;
    auto const head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    auto line_end = head.find("\r\n");
    auto const status_line = head.substr(0, line_end);
    if (status_line.size() >= 12) r.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      auto const next = head.find("\r\n", line_end + 2);
      auto const line = head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
      if (auto colon = line.find(':'); colon != std::string::npos) {
        auto name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        r.headers[name] = value;
      }
      line_end = next;
    }
    if (auto length = r.header("content-length"); with_body && !length.empty()) {
      auto const n = std::stoul(length);
      read_until([&](std::string const& b) { return b.size() >= n; }, timeout);
      r.body = buffer_.substr(0, n);
      buffer_.erase(0, std::min(n, buffer_.size()));
    }
    return r;
  }

  /// What has arrived and not been taken by read_response().
  std::string const& buffered() const { return buffer_; }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

/// One request on a connection of its own.
inline http_response http_request(unsigned short port, std::string const& method, std::string const& target,
                                  std::map<std::string, std::string> headers = {}, std::string const& body = {}) {
  http_connection c(port);
  std::string text = method + " " + target + " HTTP/1.1\r\n";
  headers.try_emplace("Host", "127.0.0.1:" + std::to_string(port));
  headers.try_emplace("Connection", "close");
  if (!body.empty() || method == "POST") headers.try_emplace("Content-Length", std::to_string(body.size()));
  for (auto const& [name, value] : headers) text += name + ": " + value + "\r\n";
  text += "\r\n" + body;
  c.send(text);
  return c.read_response(std::chrono::seconds(10), method != "HEAD");
}

}  // namespace taskstore::testing
