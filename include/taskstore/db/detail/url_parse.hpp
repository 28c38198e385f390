// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/connection_options.hpp>
#include <taskstore/error.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taskstore::detail {

[[noreturn]] inline void bad_url(std::string_view what, std::string_view redacted) {
  throw error(errc::bad_config, std::string(what) + " (in database URL '" + std::string(redacted) + "')");
}

inline int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes %XX escapes; `what` names the URL part in the error.
inline std::string percent_decode(std::string_view in, std::string_view what, std::string_view redacted) {
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
    if (hi < 0 || lo < 0) bad_url("invalid percent-encoding in the " + std::string(what), redacted);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (out.find('\0') != std::string::npos) bad_url("NUL character in the " + std::string(what), redacted);
  return out;
}

/// Quotes a value for a libpq conninfo or SOCI MySQL connect string.
inline std::string quote_conninfo(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

/// True when `rest` is a SOCI connect string (`key=value …`), not a URL body.
inline bool is_soci_connect_string(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size() && (std::isalpha(static_cast<unsigned char>(rest[i])) || rest[i] == '_')) ++i;
  while (i < rest.size() && rest[i] == ' ') ++i;
  return i > 0 && i < rest.size() && rest[i] == '=';
}

/// Decodes the valid %XX escapes of `in` and keeps the rest as it is.
inline std::string percent_decode_lenient(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    int const hi = i + 2 < in.size() && in[i] == '%' ? hex_digit(in[i + 1]) : -1;
    int const lo = hi >= 0 ? hex_digit(in[i + 2]) : -1;
    out += lo >= 0 ? static_cast<char>(hi * 16 + lo) : in[i];
    if (lo >= 0) i += 2;
  }
  return out;
}

/// Masks the `password` and `pass` values of a SOCI connect string, read as
/// libpq reads a conninfo: `key = value …`, the value single-quoted with
/// backslash escapes or running to the next blank. Masks everything after a
/// syntax error.
inline std::string redact_conninfo(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  auto copy_blanks = [&] {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) out += s[i++];
  };
  for (;;) {
    copy_blanks();
    if (i == s.size()) return out;
    auto const key_start = i;
    while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    auto const key = s.substr(key_start, i - key_start);
    out += key;
    copy_blanks();
    if (i == s.size() || s[i] != '=') return out + "***";
    out += s[i++];
    copy_blanks();
    auto const value_start = i;
    if (i < s.size() && s[i] == '\'') {
      for (++i; i < s.size() && s[i] != '\''; ++i)
        if (s[i] == '\\') ++i;
      i = std::min(i + 1, s.size());
    } else {
      for (; i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])); ++i)
        if (s[i] == '\\') ++i;
      i = std::min(i, s.size());
    }
    out += key == "password" || key == "pass" ? std::string_view("***") : s.substr(value_start, i - value_start);
  }
}

/// Masks the password of a URL (`user:***@`, a `password` or `pass` query
/// parameter however its name is percent-encoded) or of a SOCI connect string.
inline std::string redact_url(std::string_view url) {
  auto const scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "<unparseable URL>";
  auto const authority = scheme_end + 3;
  if (is_soci_connect_string(url.substr(authority)))
    return std::string(url.substr(0, authority)) + redact_conninfo(url.substr(authority));
  std::string out(url);
  auto const at = out.rfind('@', out.find_first_of("/?", authority));
  if (at != std::string::npos && at > authority) {
    auto const colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  for (auto item = out.find('?', authority); item != std::string::npos; item = out.find('&', item + 1)) {
    auto const eq = out.find('=', item + 1), end = out.find('&', item + 1);
    if (eq >= end) continue;
    auto const name = percent_decode_lenient(std::string_view(out).substr(item + 1, eq - item - 1));
    if (name == "password" || name == "pass") out.replace(eq + 1, std::min(end, out.size()) - eq - 1, "***");
  }
  return out;
}

inline std::optional<long long> parse_number(std::string_view text) {
  long long value = 0;
  auto const [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

struct query_param {
  std::string key, value;
};

/// Applies taskstore's own parameters to `options`; returns the others.
inline std::vector<query_param> take_own_params(std::string_view query, connection_options& options,
                                                std::string_view redacted) {
  std::vector<query_param> rest;
  while (!query.empty()) {
    auto const amp = query.find('&');
    auto const item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    auto const eq = item.find('=');
    if (eq == std::string_view::npos) bad_url("query parameter '" + std::string(item) + "' has no value", redacted);
    query_param p{percent_decode(item.substr(0, eq), "parameter name", redacted),
                  percent_decode(item.substr(eq + 1), "parameter value", redacted)};
    if (p.key == "pool_size") {
      auto const n = parse_number(p.value);
      if (!n || *n < 1 || *n > 1024) bad_url("pool_size must be a whole number from 1 to 1024", redacted);
      options.pool_size = static_cast<std::size_t>(*n);
    } else if (p.key == "retry_attempts") {
      auto const n = parse_number(p.value);
      if (!n || *n < 1 || *n > 100) bad_url("retry_attempts must be a whole number from 1 to 100", redacted);
      options.retry_attempts = static_cast<std::size_t>(*n);
    } else if (p.key == "busy_timeout_ms") {
      auto const n = parse_number(p.value);
      if (!n || *n < 0 || *n > 3'600'000) bad_url("busy_timeout_ms must be a whole number from 0 to 3600000", redacted);
      options.busy_timeout = std::chrono::milliseconds{*n};
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
        bad_url("synchronous must be off, normal, full or extra", redacted);
    } else {
      rest.push_back(std::move(p));
    }
  }
  return rest;
}

struct url_authority {
  std::string user, password, host, port, dbname;
};

/// Splits `user:password@host:port/dbname` (every part optional but the host).
inline url_authority split_authority(std::string_view body, std::string_view redacted) {
  url_authority a;
  auto const slash = body.find('/');
  auto const hostpart = body.substr(0, slash);
  if (slash != std::string_view::npos) a.dbname = percent_decode(body.substr(slash + 1), "database name", redacted);
  if (a.dbname.find('/') != std::string::npos) bad_url("the database name may not contain '/'", redacted);
  auto const at = hostpart.rfind('@');
  auto hostport = hostpart;
  if (at != std::string_view::npos) {
    auto const userinfo = hostpart.substr(0, at);
    hostport = hostpart.substr(at + 1);
    auto const colon = userinfo.find(':');
    a.user = percent_decode(userinfo.substr(0, colon), "user name", redacted);
    if (colon != std::string_view::npos) a.password = percent_decode(userinfo.substr(colon + 1), "password", redacted);
  }
  if (!hostport.empty() && hostport.front() == '[') {
    auto const close = hostport.find(']');
    if (close == std::string_view::npos) bad_url("unterminated '[' in the host", redacted);
    a.host = std::string(hostport.substr(1, close - 1));
    hostport.remove_prefix(close + 1);
    if (!hostport.empty() && hostport.front() != ':') bad_url("unexpected text after the host", redacted);
    if (!hostport.empty()) a.port = std::string(hostport.substr(1));
  } else {
    auto const colon = hostport.find(':');
    a.host = percent_decode(hostport.substr(0, colon), "host", redacted);
    if (colon != std::string_view::npos) a.port = std::string(hostport.substr(colon + 1));
  }
  if (a.host.empty()) bad_url("the host is missing", redacted);
  if (!a.port.empty()) {
    auto const n = parse_number(a.port);
    if (!n || *n < 1 || *n > 65535) bad_url("the port must be a number from 1 to 65535", redacted);
  }
  return a;
}

inline void parse_sqlite(std::string_view body, std::vector<query_param> const& params, connection_options& options,
                         std::string_view redacted) {
  if (!params.empty()) bad_url("unknown SQLite parameter '" + params.front().key + "'", redacted);
  if (body == ":memory:") {
    options.in_memory = true;
    options.connect_string = "db=:memory:";
    return;
  }
  if (body.empty() || body.front() != '/')
    bad_url("write sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite://:memory:", redacted);
  options.path = percent_decode(body.substr(1), "path", redacted);
  if (options.path.empty()) bad_url("the SQLite file path is empty", redacted);
  if (options.path.find('"') != std::string::npos) bad_url("the SQLite file path may not contain '\"'", redacted);
  options.connect_string = "db=\"" + options.path + "\"";
}

inline void parse_server(std::string_view body, std::vector<query_param> const& params, connection_options& options,
                         std::string_view redacted) {
  auto const a = split_authority(body, redacted);
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
      if (p.key == "reconnect") bad_url("reconnect is not supported: it loses the per-connection set-up", redacted);
      bad_url("unknown MySQL parameter '" + p.key + "'", redacted);
    }
    for (char c : p.key)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
        bad_url("invalid parameter name '" + p.key + "'", redacted);
    add(p.key, p.value);
  }
  if (!pg && std::none_of(params.begin(), params.end(), [](auto const& p) { return p.key == "charset"; }))
    add("charset", "utf8mb4");
  options.connect_string = std::move(cs);
}

inline connection_options parse_url(std::string_view url) {
  auto const redacted = redact_url(url);
  connection_options options;
  options.redacted_url = redacted;
  auto const sep = url.find("://");
  if (sep == std::string_view::npos) bad_url("expected scheme://…, for example sqlite:///tasks.db", redacted);
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
    bad_url("unknown scheme '" + scheme + "' (expected sqlite, postgresql or mysql)", redacted);

  if (is_soci_connect_string(rest)) {
    options.connect_string = std::string(rest);
    options.in_memory = options.backend == backend_kind::sqlite && rest.find(":memory:") != std::string_view::npos;
    options.pool_size = options.in_memory ? 1 : 4;
    return options;
  }
  auto const q = rest.find('?');
  auto const body = rest.substr(0, q);
  auto const params =
      take_own_params(q == std::string_view::npos ? std::string_view{} : rest.substr(q + 1), options, redacted);
  if (options.backend == backend_kind::sqlite)
    parse_sqlite(body, params, options, redacted);
  else
    parse_server(body, params, options, redacted);
  if (options.pool_size == 0) options.pool_size = options.in_memory ? 1 : 4;
  // A private in-memory database lives in one connection.
  if (options.in_memory && options.pool_size != 1)
    bad_url("an in-memory SQLite database has exactly one connection; drop pool_size", redacted);
  return options;
}

}  // namespace taskstore::detail
