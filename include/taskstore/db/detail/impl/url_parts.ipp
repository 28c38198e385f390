// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/url_parts.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/url_parts.hpp>

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

// One `host:port` (`[v6]:port`) of a URL's authority: host and port, the port checked.
inline std::pair<std::string, std::string> split_host_port(std::string_view hostport, masked_url const& masked) {
  std::string port;
  bool const bracketed = !hostport.empty() && hostport.front() == '[';
  std::string_view host;
  if (bracketed) {
    auto const close = hostport.find(']');
    if (close == std::string_view::npos) bad_url("unterminated '[' in the host", masked);
    host = hostport.substr(1, close - 1);
    hostport.remove_prefix(close + 1);
    if (!hostport.empty() && hostport.front() != ':') bad_url("unexpected text after the host", masked);
    if (!hostport.empty()) port = std::string(hostport.substr(1));
  } else {
    auto const colon = hostport.find(':');
    host = hostport.substr(0, colon);
    if (colon != std::string_view::npos) port = std::string(hostport.substr(colon + 1));
  }
  // A connect string that is_soci_connect_string does not recognize lands here, and the driver's "could not
  // translate host name" error would show it, password and all. Checked as given: %20 may name a socket directory.
  if (std::any_of(host.begin(), host.end(), [](char c) { return is_blank(c) || c == '='; }))
    bad_url("the host contains a blank or '='; a SOCI connect string must start with a key such as dbname=", masked);
  auto decoded = bracketed ? std::string(host) : percent_decode(host, "host", masked);
  if (decoded.empty()) bad_url("the host is missing", masked);
  if (!port.empty()) {
    auto const n = parse_number(port);
    if (!n || *n < 1 || *n > 65535) bad_url("the port must be a number from 1 to 65535", masked);
  }
  return {std::move(decoded), std::move(port)};
}

url_authority split_authority(std::string_view body, masked_url const& masked, bool host_list) {
  url_authority a;
  auto const slash = body.find('/');
  auto const hostpart = body.substr(0, slash);
  if (slash != std::string_view::npos) a.dbname = percent_decode(body.substr(slash + 1), "database name", masked);
  if (a.dbname.find('/') != std::string::npos) bad_url("the database name may not contain '/'", masked);
  auto const at = hostpart.rfind('@');
  auto hosts = hostpart;
  if (at != std::string_view::npos) {
    auto const userinfo = hostpart.substr(0, at);
    hosts = hostpart.substr(at + 1);
    auto const colon = userinfo.find(':');
    a.user = percent_decode(userinfo.substr(0, colon), "user name", masked);
    if (colon != std::string_view::npos) a.password = percent_decode(userinfo.substr(colon + 1), "password", masked);
  }
  if (!host_list && hosts.find(',') != std::string_view::npos)
    bad_url("a list of hosts is PostgreSQL's alone (postgresql://u@h1:p1,h2:p2/db)", masked);
  bool any_port = false;
  for (bool first = true; first || !hosts.empty(); first = false) {
    auto const comma = hosts.find(',');
    auto [host, port] = split_host_port(hosts.substr(0, comma), masked);
    if (host.find(',') != std::string::npos) bad_url("a host may not contain ','", masked);
    any_port = any_port || !port.empty();
    a.host += (first ? "" : ",") + host;
    a.port += (first ? "" : ",") + port;
    hosts = comma == std::string_view::npos ? std::string_view{} : hosts.substr(comma + 1);
    if (comma != std::string_view::npos && hosts.empty()) bad_url("the host is missing", masked);
  }
  if (!any_port) a.port.clear();  // libpq: no port at all, rather than a list of defaults
  return a;
}

std::string server_connect_string(url_location const& where, server_url_rules const& rules) {
  auto const a = split_authority(where.body, where.masked, rules.host_list);
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
  add(rules.dbname_key, a.dbname);
  add("user", a.user);
  add("password", a.password);
  for (auto const& p : where.params) {
    // A driver that rejects unknown keys does so with an unhelpful message: the error names the key here.
    if (!rules.known_keys.empty() &&
        std::find(rules.known_keys.begin(), rules.known_keys.end(), p.key) == rules.known_keys.end())
      bad_url("unknown " + std::string(rules.product) + " parameter " + where.masked.quote(p.item, p.key),
              where.masked);
    for (char c : p.key)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
        bad_url("invalid parameter name " + where.masked.quote(p.item, p.key), where.masked);
    add(p.key, p.value);
  }
  return cs;
}

}  // namespace taskstore::detail
