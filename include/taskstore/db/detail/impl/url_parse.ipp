// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/url_parse.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/url_parse.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <iterator>
#include <utility>

namespace taskstore::detail {

std::string quote_conninfo(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

[[noreturn]] void bad_url(std::string_view what, masked_url const& url) {
  std::string message = std::string(what) + " (in database URL '" + url.redacted + "')";
  if (url.unencoded_in_password) message += "; percent-encode a '/' or '?' in the password as %2F or %3F";
  throw error(errc::bad_config, message);
}

std::string percent_decode(std::string_view in, std::string_view what, masked_url const& masked) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    bool const complete = i + 2 < in.size();
    int const hi = complete ? hex_digit(in[i + 1]) : -1;
    int const lo = complete ? hex_digit(in[i + 2]) : -1;
    if (hi < 0 || lo < 0) bad_url("invalid percent-encoding in the " + std::string(what), masked);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (out.find('\0') != std::string::npos) bad_url("NUL character in the " + std::string(what), masked);
  return out;
}

std::optional<long long> parse_number(std::string_view text) {
  long long value = 0;
  auto const [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

long long number_param(query_param const& p, long long low, long long high, masked_url const& masked) {
  auto const n = parse_number(p.value);
  if (!n || *n < low || *n > high)
    bad_url(p.key + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high), masked);
  return *n;
}

std::vector<query_param> take_own_params(std::string_view query, connection_options& options,
                                         masked_url const& masked) {
  std::vector<query_param> rest;
  while (!query.empty()) {
    auto const amp = query.find('&');
    auto const item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    auto const eq = item.find('=');
    if (eq == std::string_view::npos) bad_url("query parameter " + masked.quote(item, item) + " has no value", masked);
    query_param p{percent_decode(item.substr(0, eq), "parameter name", masked),
                  percent_decode(item.substr(eq + 1), "parameter value", masked), item};
    if (p.key == "pool_size") {
      options.pool_size = static_cast<std::size_t>(number_param(p, 1, 1024, masked));
    } else if (p.key == "retry_attempts") {
      options.retry_attempts = static_cast<std::size_t>(number_param(p, 1, 100, masked));
    } else if (p.key == "busy_timeout_ms") {
      options.busy_timeout = std::chrono::milliseconds{number_param(p, 0, 3'600'000, masked)};
    } else if (p.key == "pool_timeout_ms") {
      options.pool_timeout = std::chrono::milliseconds{number_param(p, 0, 3'600'000, masked)};
    } else if (p.key == "inject_fault") {
      options.inject_fault = parse_fault_plan(p.value);
      if (!options.inject_fault)
        bad_url(
            "inject_fault must be KIND[:STATEMENT[:ATTEMPTS]], KIND one of deadlock, serialization_failure, "
            "lock_timeout, busy, connection_lost, commit_lost",
            masked);
    } else if (p.key == "synchronous") {
      std::string v = p.value;
      std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (v == "off")
        options.synchronous = sqlite_synchronous::off;
      else if (v == "normal")
        options.synchronous = sqlite_synchronous::normal;
      else if (v == "full")
        options.synchronous = sqlite_synchronous::full;
      else if (v == "extra")
        options.synchronous = sqlite_synchronous::extra;
      else
        bad_url("synchronous must be off, normal, full or extra", masked);
    } else {
      rest.push_back(std::move(p));
    }
  }
  return rest;
}

url_authority split_authority(std::string_view body, masked_url const& masked) {
  url_authority a;
  auto const slash = body.find('/');
  auto const hostpart = body.substr(0, slash);
  if (slash != std::string_view::npos) a.dbname = percent_decode(body.substr(slash + 1), "database name", masked);
  if (a.dbname.find('/') != std::string::npos) bad_url("the database name may not contain '/'", masked);
  auto const at = hostpart.rfind('@');
  auto hostport = hostpart;
  if (at != std::string_view::npos) {
    auto const userinfo = hostpart.substr(0, at);
    hostport = hostpart.substr(at + 1);
    auto const colon = userinfo.find(':');
    a.user = percent_decode(userinfo.substr(0, colon), "user name", masked);
    if (colon != std::string_view::npos) a.password = percent_decode(userinfo.substr(colon + 1), "password", masked);
  }
  bool const bracketed = !hostport.empty() && hostport.front() == '[';
  std::string_view host;
  if (bracketed) {
    auto const close = hostport.find(']');
    if (close == std::string_view::npos) bad_url("unterminated '[' in the host", masked);
    host = hostport.substr(1, close - 1);
    hostport.remove_prefix(close + 1);
    if (!hostport.empty() && hostport.front() != ':') bad_url("unexpected text after the host", masked);
    if (!hostport.empty()) a.port = std::string(hostport.substr(1));
  } else {
    auto const colon = hostport.find(':');
    host = hostport.substr(0, colon);
    if (colon != std::string_view::npos) a.port = std::string(hostport.substr(colon + 1));
  }
  // A connect string that is_soci_connect_string does not recognize lands here, and the driver's "could not
  // translate host name" error would show it, password and all. Checked as given: %20 may name a socket directory.
  if (std::any_of(host.begin(), host.end(), [](char c) { return is_blank(c) || c == '='; }))
    bad_url("the host contains a blank or '='; a SOCI connect string must start with a key such as dbname=", masked);
  a.host = bracketed ? std::string(host) : percent_decode(host, "host", masked);
  if (a.host.empty()) bad_url("the host is missing", masked);
  if (!a.port.empty()) {
    auto const n = parse_number(a.port);
    if (!n || *n < 1 || *n > 65535) bad_url("the port must be a number from 1 to 65535", masked);
  }
  return a;
}

void parse_sqlite(std::string_view body, std::vector<query_param> const& params, connection_options& options,
                  masked_url const& masked) {
  if (!params.empty())
    bad_url("unknown SQLite parameter " + masked.quote(params.front().item, params.front().key), masked);
  if (body == ":memory:") {
    options.in_memory = true;
    options.connect_string = "db=:memory:";
    return;
  }
  if (body.empty() || body.front() != '/')
    bad_url("write sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite://:memory:", masked);
  options.path = percent_decode(body.substr(1), "path", masked);
  if (options.path.empty()) bad_url("the SQLite file path is empty", masked);
  if (options.path.find('"') != std::string::npos) bad_url("the SQLite file path may not contain '\"'", masked);
  options.connect_string = "db=\"" + options.path + "\"";
}

void parse_server(std::string_view body, std::vector<query_param> const& params, connection_options& options,
                  masked_url const& masked) {
  auto const a = split_authority(body, masked);
  bool const pg = options.backend == backend_kind::postgresql;
  std::string cs;
  auto add = [&cs](std::string_view key, std::string_view value) {
    if (value.empty()) return;
    if (!cs.empty()) cs += ' ';
    cs += key;
    cs += '=';
    cs += quote_conninfo(value);
  };
  add("host", a.host);
  add("port", a.port);
  add(pg ? "dbname" : "db", a.dbname);
  add("user", a.user);
  add("password", a.password);
  // The MySQL backend accepts a fixed set of keys and rejects others with an
  // unhelpful message; check them here so the error names the key.
  static constexpr std::string_view mysql_keys[] = {"unix_socket",     "sslca",        "sslcert",
                                                    "sslkey",          "local_infile", "charset",
                                                    "connect_timeout", "read_timeout", "write_timeout"};
  for (auto const& p : params) {
    if (!pg && std::find(std::begin(mysql_keys), std::end(mysql_keys), p.key) == std::end(mysql_keys)) {
      if (p.key == "reconnect") bad_url("reconnect is not supported: it loses the per-connection set-up", masked);
      bad_url("unknown MySQL parameter " + masked.quote(p.item, p.key), masked);
    }
    for (char c : p.key)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
        bad_url("invalid parameter name " + masked.quote(p.item, p.key), masked);
    add(p.key, p.value);
  }
  if (!pg && std::none_of(params.begin(), params.end(), [](auto const& p) { return p.key == "charset"; }))
    add("charset", "utf8mb4");
  options.connect_string = std::move(cs);
}

connection_options parse_url(std::string_view url) {
  auto const masked = mask_url(url);
  connection_options options;
  options.redacted_url = masked.redacted;
  auto const sep = url.find("://");
  if (sep == std::string_view::npos || !is_scheme(url.substr(0, sep)))
    bad_url("expected scheme://…, for example sqlite:///tasks.db", masked);
  std::string scheme(url.substr(0, sep));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto rest = url.substr(sep + 3);
  if (scheme == "sqlite" || scheme == "sqlite3")
    options.backend = backend_kind::sqlite;
  else if (scheme == "postgresql" || scheme == "postgres")
    options.backend = backend_kind::postgresql;
  else if (scheme == "mysql" || scheme == "mariadb")
    options.backend = backend_kind::mysql;
  else
    bad_url("unknown scheme '" + scheme + "' (expected sqlite, postgresql or mysql)", masked);

  if (is_soci_connect_string(rest)) {
    options.connect_string = std::string(rest);
    options.in_memory = options.backend == backend_kind::sqlite && rest.find(":memory:") != std::string_view::npos;
    options.pool_size = options.in_memory ? 1 : 4;
    return options;
  }
  auto const q = rest.find('?');
  auto const body = rest.substr(0, q);
  auto const params =
      take_own_params(q == std::string_view::npos ? std::string_view{} : rest.substr(q + 1), options, masked);
  if (options.backend == backend_kind::sqlite)
    parse_sqlite(body, params, options, masked);
  else
    parse_server(body, params, options, masked);
  if (options.pool_size == 0) options.pool_size = options.in_memory ? 1 : 4;
  // A private in-memory database lives in one connection.
  if (options.in_memory && options.pool_size != 1)
    bad_url("an in-memory SQLite database has exactly one connection; drop pool_size", masked);
  return options;
}

}  // namespace taskstore::detail
