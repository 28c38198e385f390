// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

#include "http_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <utility>

namespace taskstore::cli::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

/// A token bucket per client address: `rate` requests a second, `burst` at once.
class rate_limiter {
 public:
  rate_limiter(double rate, double burst) : rate_(rate), burst_(std::max(burst, 1.0)) {}

  bool admit(asio::ip::address const& client) {
    if (rate_ <= 0) return true;
    auto const now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (buckets_.size() > 10000 && now - pruned_ > std::chrono::seconds(1)) {
      pruned_ = now;
      forget_full(now);
      // Still more addresses than that: start them all afresh rather than grow.
      if (buckets_.size() > 10000) buckets_.clear();
    }
    auto [it, added] = buckets_.try_emplace(client, bucket{burst_, now});
    auto& b = it->second;
    b.tokens = std::min(burst_, b.tokens + rate_ * std::chrono::duration<double>(now - b.at).count());
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

 private:
  struct bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  // Buckets that have refilled are the same as no bucket.
  void forget_full(std::chrono::steady_clock::time_point now) {
    std::erase_if(buckets_, [&](auto const& e) {
      return e.second.tokens + rate_ * std::chrono::duration<double>(now - e.second.at).count() >= burst_;
    });
  }

  double rate_, burst_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point pruned_{};
  std::map<asio::ip::address, bucket> buckets_;
};

}  // namespace

struct server::state {
  state(asio::io_context& i, handler h, server_limits l, std::size_t threads)
      : io(i),
        acceptor(asio::make_strand(i)),
        handle(std::move(h)),
        limits(l),
        handlers(threads),
        rate(l.requests_per_second, l.burst) {}

  asio::io_context& io;
  tcp::acceptor acceptor;
  asio::steady_timer retry{acceptor.get_executor()};
  handler handle;
  server_limits limits;
  asio::thread_pool handlers;
  rate_limiter rate;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> streams{0};
};

namespace {

class session;

/// The handle a stream's source keeps: it outlives the connection harmlessly.
class stream_link final : public stream_client {
 public:
  explicit stream_link(std::weak_ptr<session> s) : session_(std::move(s)) {}
  bool send(std::string chunk) override;
  bool gone() const override { return closed || session_.expired(); }
  std::atomic<bool> closed{false};

 private:
  std::weak_ptr<session> session_;
};

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket socket, std::shared_ptr<server::state> server)
      : stream_(std::move(socket)), server_(std::move(server)) {
    ++server_->connections;
  }
  ~session() {
    --server_->connections;
    if (link_) {
      link_->closed = true;
      --server_->streams;
    }
  }

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&session::read, shared_from_this()));
  }

  /// On the connection's strand: a chunk for the event stream.
  void push(std::string chunk) {
    if (closing_) return;
    pending_bytes_ += chunk.size();
    // A client that does not read what it is sent is not kept waiting for.
    if (pending_bytes_ > 1024 * 1024) return close();
    queue_.push_back(std::move(chunk));
    if (queue_.size() == 1) write_next();
  }

  beast::tcp_stream& stream() { return stream_; }

 private:
  void read() {
    head_request_ = false;
    parser_.emplace();
    parser_->body_limit(server_->limits.max_body);
    parser_->header_limit(static_cast<std::uint32_t>(server_->limits.max_header_bytes));
    stream_.expires_after(server_->limits.request_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) return refuse(bhttp::status::payload_too_large, "request body too large");
    if (ec == bhttp::error::header_limit)
      return refuse(bhttp::status::request_header_fields_too_large, "request headers too large");
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
      return close();
    if (ec) return refuse(bhttp::status::bad_request, "malformed request");

    auto req = parser_->release();
    auto const fields = static_cast<std::size_t>(std::distance(req.begin(), req.end()));
    if (fields > server_->limits.max_header_fields)
      return refuse(bhttp::status::request_header_fields_too_large, "too many header fields");
    beast::error_code peer_ec;
    auto const peer = stream_.socket().remote_endpoint(peer_ec);
    if (!peer_ec && !server_->rate.admit(peer.address())) {
      auto res = make_response(req, bhttp::status::too_many_requests, "text/plain; charset=utf-8",
                               "too many requests: slow down\n");
      res.set(bhttp::field::retry_after, "1");
      return write(reply{std::move(res), {}});
    }
    head_request_ = req.method() == bhttp::verb::head;
    // The handler may wait on the database: never on an I/O thread.
    asio::post(server_->handlers, [self = shared_from_this(), req = std::move(req)]() mutable {
      reply r;
      try {
        r = self->server_->handle(req);
      } catch (std::exception const&) {
        r.head =
            make_response(req, bhttp::status::internal_server_error, "text/plain; charset=utf-8", "internal error\n");
      }
      r.head.keep_alive(req.keep_alive() && !r.open);
      asio::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->write(std::move(r)); });
    });
  }

  /// Answers a request that could not be read, then closes the connection.
  void refuse(bhttp::status status, std::string const& why) {
    request req;
    req.version(11);
    auto res = make_response(req, status, "text/plain; charset=utf-8", why + "\n");
    res.keep_alive(false);
    write(reply{std::move(res), {}});
  }

  void write(reply r) {
    if (r.open) return open_stream(std::move(r));
    r.head.prepare_payload();
    if (head_request_) r.head.body().clear();  // the length of what GET would send, without it
    auto res = std::make_shared<response>(std::move(r.head));
    stream_.expires_after(server_->limits.request_timeout);
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || !res->keep_alive()) return self->close();
      self->read();
    });
  }

  void open_stream(reply r) {
    if (++server_->streams > server_->limits.max_streams) {
      --server_->streams;
      request req;
      req.version(11);
      auto res = make_response(req, bhttp::status::service_unavailable, "text/plain; charset=utf-8",
                               "too many open event streams\n");
      res.keep_alive(false);
      return write(reply{std::move(res), {}});
    }
    link_ = std::make_shared<stream_link>(weak_from_this());
    // The events follow the head until the connection closes: no length, no keep-alive.
    auto head = std::make_shared<bhttp::response<bhttp::empty_body>>(r.head.result(), r.head.version());
    for (auto const& f : r.head) head->set(f.name_string(), f.value());
    head->keep_alive(false);
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*head);
    stream_.expires_after(server_->limits.request_timeout);
    bhttp::async_write_header(
        stream_, *serializer,
        [self = shared_from_this(), head, serializer, open = std::move(r.open)](beast::error_code ec, std::size_t) {
          if (ec) return self->close();
          self->watch();
          open(self->link_);
        });
  }

  /// While the events flow, a read that keeps the session alive and ends it
  /// when the client goes away (on the socket: no timeout applies).
  void watch() {
    stream_.socket().async_read_some(asio::buffer(discard_),
                                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                       if (ec || self->closing_) return self->close();
                                       self->watch();
                                     });
  }

  void write_next() {
    stream_.expires_after(std::chrono::seconds(30));
    asio::async_write(stream_, asio::buffer(queue_.front()),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        // The buffer written is queue_.front(): only now may the queue let go of it.
                        if (ec || self->closing_) {
                          self->queue_.clear();
                          return self->close();
                        }
                        self->pending_bytes_ -= self->queue_.front().size();
                        self->queue_.pop_front();
                        if (!self->queue_.empty()) self->write_next();
                      });
  }

  // Leaves queue_ alone: a write in progress may still be sending its front.
  void close() {
    if (closing_) return;
    closing_ = true;
    if (link_) link_->closed = true;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<server::state> server_;
  std::shared_ptr<stream_link> link_;
  std::deque<std::string> queue_;
  std::size_t pending_bytes_ = 0;
  bool head_request_ = false;
  std::array<char, 512> discard_{};
  bool closing_ = false;
};

bool stream_link::send(std::string chunk) {
  if (closed) return false;
  auto s = session_.lock();
  if (!s) return false;
  asio::post(s->stream().get_executor(), [s, chunk = std::move(chunk)]() mutable { s->push(std::move(chunk)); });
  return true;
}

void accept(std::shared_ptr<server::state> const& st) {
  st->acceptor.async_accept(asio::make_strand(st->io), [st](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !st->acceptor.is_open()) return;
    if (ec) {
      // Out of file descriptors, most likely: accepting again at once would spin.
      st->retry.expires_after(std::chrono::milliseconds(100));
      st->retry.async_wait([st](beast::error_code) { accept(st); });
      return;
    }
    if (st->connections >= st->limits.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<session>(std::move(socket), st)->start();
    }
    accept(st);
  });
}

}  // namespace

server::server(asio::io_context& io, tcp::endpoint const& endpoint, handler h, server_limits limits,
               std::size_t handler_threads)
    : state_(std::make_shared<state>(io, std::move(h), limits, handler_threads)) {
  auto& a = state_->acceptor;
  a.open(endpoint.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(endpoint);
  a.listen(asio::socket_base::max_listen_connections);
  accept(state_);
}

server::~server() {
  stop();
  state_->handlers.join();
}

tcp::endpoint server::local_endpoint() const { return state_->acceptor.local_endpoint(); }

void server::stop() {
  asio::post(state_->acceptor.get_executor(), [st = state_] {
    beast::error_code ignored;
    st->acceptor.close(ignored);
  });
}

response make_response(request const& req, bhttp::status status, std::string_view type, std::string body) {
  response res{status, req.version()};
  res.set(bhttp::field::server, "taskstore");
  res.set(bhttp::field::content_type, type);
  res.set(bhttp::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Cross-Origin-Resource-Policy", "same-origin");
  // Nothing inline, nothing from elsewhere: an injected tag could neither run nor load.
  res.set("Content-Security-Policy",
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  res.body() = std::move(body);
  return res;
}

}  // namespace taskstore::cli::http
