// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// libFuzzer target for taskstore::parse_url (include/taskstore/db/url.hpp).
// Built and run by scripts/fuzz. The contract checked, from the headers' doc
// comments:
// - parse_url returns, or throws taskstore::error with code bad_config;
//   anything else escaping is a finding;
// - neither the error message nor a parsed URL's redacted_url contains a
//   password given in the input. Checked where the password is determinable
//   (the `user:password@` of a URL, a `password` query parameter, which
//   reaches PostgreSQL, and the `password` key of a SOCI connect string, or
//   `pass` for MySQL) and where it cannot appear in the output for another
//   reason (see distinctive()). A partly masked password is found only when
//   the part left shows a whole other password;
// - a parsed URL's options are in their documented ranges.

#include <taskstore/db/url.hpp>
#include <taskstore/error.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace {

using taskstore::backend_kind;

[[noreturn]] void finding(char const* what, std::string_view detail = {}) {
  std::fprintf(stderr, "url_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  __builtin_trap();
}

/// A byte range of the input holding a password.
struct span {
  std::size_t begin, end;
};

std::string lenient_decode(std::string_view in) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

bool blank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

/// Passwords of a SOCI connect string, read as libpq reads a conninfo (SOCI's
/// MySQL backend reads the same shape): `key = value …`, blanks allowed
/// around '=', a value single-quoted with backslash escapes or running to the
/// next blank. Stops at a syntax error: the driver would reject the string.
void connect_string_passwords(std::string_view url, std::size_t body, backend_kind backend, std::vector<span>& out) {
  auto is_password_key = [backend](std::string_view key) {
    if (backend == backend_kind::postgresql) return key == "password";
    if (backend == backend_kind::mysql) return key == "password" || key == "pass";
    return false;
  };
  auto i = body;
  auto skip_blanks = [&] {
    while (i < url.size() && blank(url[i])) ++i;
  };
  for (;;) {
    skip_blanks();
    if (i >= url.size()) return;
    auto const key_start = i;
    while (i < url.size() && url[i] != '=' && !blank(url[i])) ++i;
    auto const key = url.substr(key_start, i - key_start);
    skip_blanks();
    if (i >= url.size() || url[i] != '=') return;
    ++i;
    skip_blanks();
    span value{i, i};
    if (i < url.size() && url[i] == '\'') {
      for (++i; i < url.size() && url[i] != '\''; ++i)
        if (url[i] == '\\') ++i;
      if (i >= url.size()) return;  // unterminated
      value = {value.begin + 1, i};
      ++i;
    } else {
      for (; i < url.size() && !blank(url[i]); ++i)
        if (url[i] == '\\') ++i;
      i = std::min(i, url.size());
      value.end = i;
    }
    if (is_password_key(key) && value.end > value.begin) out.push_back(value);
  }
}

/// Passwords of a URL: `user:password@` and, for PostgreSQL, a `password=`
/// query parameter (it goes into the conninfo).
void url_passwords(std::string_view url, std::size_t body, backend_kind backend, std::vector<span>& out) {
  auto const host_end = std::min(url.find_first_of("/?", body), url.size());
  auto const hostpart = url.substr(body, host_end - body);
  auto const at = hostpart.rfind('@');
  if (at != std::string_view::npos) {
    auto const colon = hostpart.find(':');
    if (colon != std::string_view::npos && colon < at && colon + 1 < at) out.push_back({body + colon + 1, body + at});
  }
  if (backend != backend_kind::postgresql) return;
  auto const q = url.find('?', body);
  if (q == std::string_view::npos) return;
  for (auto pos = q + 1; pos <= url.size();) {
    auto const amp = std::min(url.find('&', pos), url.size());
    auto const item = url.substr(pos, amp - pos);
    auto const eq = item.find('=');
    if (eq != std::string_view::npos && lenient_decode(item.substr(0, eq)) == "password" && eq + 1 < item.size())
      out.push_back({pos + eq + 1, amp});
    pos = amp + 1;
  }
}

/// Characters that appear in taskstore's fixed error texts (url.hpp,
/// detail/url_parse.hpp, detail/url_redact.hpp), such as "'<unparseable
/// URL>'" and "; percent-encode a '/' or '?' in the password as %2F or %3F".
/// A password made only of these and of the rest of the URL can occur in a
/// message by coincidence, as two fuzzer findings showed.
bool in_message_alphabet(unsigned char c) {
  if (std::isalnum(c)) return true;
  if (std::string_view(" !\"%'()*+,-./:;<=>?[\\]_").find(static_cast<char>(c)) != std::string_view::npos) return true;
  return c == 0xE2 || c == 0x80 || c == 0xA6;  // "…" in UTF-8
}

/// True when `pw` occurring in the output can only come from the password:
/// it holds a character that the rest of the URL (as given or decoded) and
/// the fixed message texts do not.
bool distinctive(std::string_view pw, std::string_view masked, std::string_view masked_decoded) {
  for (unsigned char c : pw) {
    if (in_message_alphabet(c)) continue;
    if (masked.find(static_cast<char>(c)) != std::string_view::npos) continue;
    if (masked_decoded.find(static_cast<char>(c)) != std::string_view::npos) continue;
    return true;
  }
  return false;
}

void check_no_password(std::string_view url, std::vector<span> spans, std::string_view output, char const* what) {
  if (spans.empty()) return;
  std::sort(spans.begin(), spans.end(), [](span a, span b) { return a.begin < b.begin; });
  std::string masked;
  std::size_t from = 0;
  for (auto const& s : spans) {
    if (s.begin < from) return;  // overlapping spans: not determinable
    masked.append(url.substr(from, s.begin - from));
    masked += "***";
    from = s.end;
  }
  masked.append(url.substr(from));
  auto const masked_decoded = lenient_decode(masked);
  for (auto const& s : spans) {
    auto const raw = url.substr(s.begin, s.end - s.begin);
    for (std::string const& pw : {std::string(raw), lenient_decode(raw)}) {
      if (distinctive(pw, masked, masked_decoded) && output.find(pw) != std::string_view::npos) finding(what, pw);
    }
  }
}

/// The passwords of `url`, for the backend its scheme names.
std::vector<span> passwords(std::string_view url) {
  std::vector<span> out;
  auto const sep = url.find("://");
  if (sep == std::string_view::npos) return out;
  std::string scheme(url.substr(0, sep));
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  backend_kind backend = backend_kind::sqlite;
  if (scheme == "postgresql" || scheme == "postgres")
    backend = backend_kind::postgresql;
  else if (scheme == "mysql" || scheme == "mariadb")
    backend = backend_kind::mysql;
  auto const body = sep + 3;
  if (taskstore::detail::is_soci_connect_string(url.substr(body)))
    connect_string_passwords(url, body, backend, out);
  else
    url_passwords(url, body, backend, out);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  std::string_view const url(reinterpret_cast<char const*>(data), size);
  try {
    auto const options = taskstore::parse_url(url);
    check_no_password(url, passwords(url), options.redacted_url, "redacted_url contains the password");
    if (options.pool_size < 1 || options.pool_size > 1024) finding("pool_size out of range", options.redacted_url);
    if (options.retry_attempts < 1 || options.retry_attempts > 100)
      finding("retry_attempts out of range", options.redacted_url);
    if (options.busy_timeout.count() < 0 || options.busy_timeout.count() > 3'600'000)
      finding("busy_timeout out of range", options.redacted_url);
    if (options.in_memory && (options.backend != backend_kind::sqlite || options.pool_size != 1))
      finding("an in-memory database that is not SQLite with one connection", options.redacted_url);
  } catch (taskstore::error const& e) {
    if (e.code() != taskstore::errc::bad_config) finding("error code is not bad_config", e.what());
    check_no_password(url, passwords(url), e.what(), "error message contains the password");
  } catch (std::exception const& e) {
    finding("a non-taskstore exception escaped", e.what());
  } catch (...) {
    finding("an unknown exception escaped");
  }
  return 0;
}
