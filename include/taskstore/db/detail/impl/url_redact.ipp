// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/url_redact.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/url_redact.hpp>

#include <algorithm>
#include <cctype>

namespace taskstore::detail {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_soci_connect_string(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size() && (std::isalpha(static_cast<unsigned char>(rest[i])) || rest[i] == '_')) ++i;
  bool const has_key = i > 0;
  while (i < rest.size() && is_blank(rest[i])) ++i;
  return has_key && i < rest.size() && rest[i] == '=';
}

std::string percent_decode_lenient(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    int const hi = i + 2 < in.size() && in[i] == '%' ? hex_digit(in[i + 1]) : -1;
    int const lo = hi >= 0 ? hex_digit(in[i + 2]) : -1;
    out += lo >= 0 ? static_cast<char>(hi * 16 + lo) : in[i];
    if (lo >= 0) i += 2;
  }
  return out;
}

bool is_password_key(std::string_view key) {
  std::string name;
  for (char c : percent_decode_lenient(key))
    if (!is_blank(c)) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name == "password" || name == "pass" || name == "sslpassword" || name == "passwd" || name == "pwd" ||
         name == "listen_url" || name == "replica";  // URLs of their own, password and all
}

bool is_connect_string_key(std::string_view key) {
  // libpq's keywords, SOCI MySQL's and SOCI SQLite's keys, each between blanks.
  static constexpr std::string_view known =
      " host hostaddr port dbname db user password pass passfile require_auth channel_binding connect_timeout"
      " client_encoding options application_name fallback_application_name keepalives keepalives_idle"
      " keepalives_interval keepalives_count tcp_user_timeout replication gssencmode sslmode requiressl"
      " sslcompression sslcert sslkey sslpassword sslcertmode sslrootcert sslcrl sslcrldir sslsni requirepeer"
      " ssl_min_protocol_version ssl_max_protocol_version krbsrvname gsslib gssdelegation service"
      " target_session_attrs load_balance_hosts unix_socket sslca local_infile charset reconnect read_timeout"
      " write_timeout timeout synchronous readonly shared_cache vfs nocreate ";
  return !key.empty() && std::none_of(key.begin(), key.end(), is_blank) &&
         known.find(std::string(" ").append(key).append(" ")) != std::string_view::npos;
}

/// Adds to `found` the parts of connect string `s` that could hold a password
/// (see redact_conninfo()), read with '...' quotes and, when `double_quotes`,
/// "..." quotes too.
TASKSTORE_DECL void conninfo_secrets(std::string_view s, bool double_quotes, std::vector<text_range>& found,
                                     std::vector<std::string>* hidden) {
  std::size_t i = 0;
  auto hide = [&](std::size_t begin, std::size_t end) {
    found.emplace_back(begin, end);
    if (hidden && end > begin) hidden->emplace_back(s.substr(begin, end - begin));
  };
  bool after_unquoted_password = false;
  for (;;) {
    while (i < s.size() && is_blank(s[i])) ++i;
    if (i == s.size()) return;
    auto const item_start = i;
    while (i < s.size() && s[i] != '=' && !is_blank(s[i])) ++i;
    auto const key = s.substr(item_start, i - item_start);
    auto const key_end = i;
    while (i < s.size() && is_blank(s[i])) ++i;
    if (i == s.size() || s[i] != '=') {
      // Not `key=value`: a fragment of an unquoted value with a blank (of a
      // password, as likely as not), which the driver may quote back.
      i = key_end;
      hide(item_start, key_end);
      continue;
    }
    ++i;
    while (i < s.size() && is_blank(s[i])) ++i;
    auto const value_start = i;
    std::string value;  // as the driver reads it, for `hidden`
    // Read unquoted, as libpq would, a quote that never closes, and a "..."
    // holding an `=`: libpq takes `"` as a plain character, so
    // `host="a password=b c"` carries a password.
    auto const closing = [&](char quote) {
      for (auto j = i + 1; j < s.size(); ++j) {
        if (s[j] == '\\' && quote == '\'') {
          ++j;
          continue;
        }
        if (s[j] == quote) return j;
      }
      return std::string_view::npos;
    };
    bool quoted = i < s.size() && (s[i] == '\'' || (double_quotes && s[i] == '"'));
    if (quoted) {
      auto const end = closing(s[i]);
      quoted = end != std::string_view::npos &&
               (s[i] == '\'' || s.substr(i + 1, end - i - 1).find('=') == std::string_view::npos);
    }
    if (quoted) {
      char const quote = s[i];
      for (++i; i < s.size() && s[i] != quote; ++i) {
        if (s[i] == '\\' && quote == '\'' && i + 1 < s.size()) ++i;
        value += s[i];
      }
      i = std::min(i + 1, s.size());
    } else {
      for (; i < s.size() && !is_blank(s[i]); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i];
      }
    }
    auto const raw_value = s.substr(value_start, i - value_start);
    if (is_password_key(key)) {
      hide(value_start, i);
      if (hidden && value != raw_value && !value.empty()) hidden->push_back(value);
      // A driver that reads the quotes otherwise (libpq takes "a b" as two
      // words) may quote back any word of the value.
      for (std::size_t w = 0; hidden && w < raw_value.size();) {
        auto const word_end = raw_value.find_first_of(" \t\r\n'\"", w);
        auto const word =
            raw_value.substr(w, word_end == std::string_view::npos ? std::string_view::npos : word_end - w);
        if (!word.empty() && word != raw_value) hidden->emplace_back(word);
        if (word_end == std::string_view::npos) break;
        w = word_end + 1;
      }
      after_unquoted_password = after_unquoted_password || !quoted;
    } else if (after_unquoted_password && !is_connect_string_key(key)) {
      // After an unquoted password, a key no driver reads may be more of it;
      // the driver may quote the key alone back (libpq: invalid connection option).
      hide(item_start, i);
      if (hidden) {
        hidden->emplace_back(key);
        if (!value.empty()) hidden->push_back(value);
      }
    }
  }
}

std::string redact_conninfo(std::string_view s, std::vector<std::string>* hidden, conninfo_quotes quotes) {
  std::vector<text_range> found;
  if (quotes != conninfo_quotes::single_and_double) conninfo_secrets(s, false, found, hidden);
  if (quotes != conninfo_quotes::single) conninfo_secrets(s, true, found, hidden);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::string out;
  std::size_t from = 0;
  for (std::size_t k = 0; k < found.size();) {
    auto [begin, end] = found[k++];
    while (k < found.size() && found[k].first < end) end = std::max(end, found[k++].second);
    out.append(s.substr(from, begin - from)).append("***");
    from = end;
  }
  return out.append(s.substr(from));
}

std::string scrub_secrets(std::string message, std::vector<std::string> const& hidden) {
  std::vector<std::string_view> longest_first(hidden.begin(), hidden.end());
  std::sort(longest_first.begin(), longest_first.end(),
            [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  // Only where it begins or ends a word: a short password would otherwise be
  // masked inside every word that contains it, garbling the message and
  // showing where it occurs. (libpq runs a fragment into the next key:
  // `invalid connection option "fragmentuser"`.)
  auto const word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (auto const secret : longest_first) {
    if (secret.empty()) continue;
    for (auto at = message.find(secret); at != std::string::npos;) {
      auto const end = at + secret.size();
      bool const at_word_edge = at == 0 || !word_char(message[at - 1]) || !word_char(secret.front()) ||
                                end == message.size() || !word_char(message[end]) || !word_char(secret.back());
      if (!at_word_edge) {
        at = message.find(secret, at + 1);
        continue;
      }
      message.replace(at, secret.size(), "***");
      at = message.find(secret, at + 3);
    }
  }
  return message;
}

std::vector<text_range> url_secrets(std::string_view url, std::size_t authority) {
  std::vector<text_range> found;
  auto const colon = url.find(':', authority), at = url.rfind('@');
  if (colon != std::string_view::npos && at != std::string_view::npos && colon < at) found.emplace_back(colon + 1, at);
  for (auto i = authority - 1; i < url.size(); ++i) {  // url[i]: the character before a key
    if (i >= authority && url[i] != '?' && url[i] != '&' && !is_blank(url[i])) continue;
    auto const eq = url.find('=', i + 1);
    if (eq == std::string_view::npos) break;
    auto const key = url.substr(i + 1, eq - i - 1);
    if (key.find('&') != std::string_view::npos || !is_password_key(key)) continue;
    auto end = url.find('&', eq);
    while (end != std::string_view::npos) {
      auto const next = url.find('&', end + 1);
      if (url.substr(end + 1, next - end - 1).find('=') != std::string_view::npos) break;
      end = next;
    }
    found.emplace_back(eq + 1, std::min(end, url.size()));
  }
  std::sort(found.begin(), found.end());
  std::vector<text_range> merged;
  for (auto const& r : found) {
    if (!merged.empty() && r.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  return merged;
}

bool is_scheme(std::string_view s) {
  return !s.empty() && std::isalpha(static_cast<unsigned char>(s.front())) &&
         std::all_of(s.begin(), s.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '+' || c == '-' || c == '.'; });
}

std::string masked_url::quote(std::string_view part, std::string_view shown) const {
  auto const begin = static_cast<std::size_t>(part.data() - url.data()), end = begin + part.size();
  for (auto const& [b, e] : secrets)
    if (b < end && begin < e) return "'***'";
  return "'" + std::string(shown) + "'";
}

masked_url mask_url(std::string_view url, conninfo_quotes quotes) {
  masked_url m;
  m.url = url;
  auto const sep = url.find("://");
  if (sep == std::string_view::npos || !is_scheme(url.substr(0, sep))) {
    m.secrets = {{0, url.size()}};
    m.redacted = "<unparseable URL>";
    return m;
  }
  auto const authority = sep + 3;
  if (is_soci_connect_string(url.substr(authority))) {
    m.secrets = {{authority, url.size()}};
    m.redacted = std::string(url.substr(0, authority)) + redact_conninfo(url.substr(authority), nullptr, quotes);
    return m;
  }
  m.secrets = url_secrets(url, authority);
  std::size_t from = 0;
  for (auto const& [begin, end] : m.secrets) {
    m.redacted.append(url.substr(from, begin - from)).append("***");
    from = end;
  }
  m.redacted.append(url.substr(from));
  auto const colon = url.find(':', authority), host_end = url.find_first_of("/?", authority), at = url.rfind('@');
  m.unencoded_in_password = at != std::string_view::npos && colon < host_end && host_end < at;
  return m;
}

}  // namespace taskstore::detail
