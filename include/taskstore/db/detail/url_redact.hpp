// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// How a database URL appears in messages: mask_url() finds every part of a
// URL or SOCI connect string that could hold a password (the user info,
// password parameters and keys in any spelling) and builds the copy with them
// replaced by ***, which connection_options::redacted_url and every URL error
// show. url_parse.hpp parses; this header only decides what to hide.

#include <taskstore/detail/config.hpp>

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace taskstore::detail {

TASKSTORE_DECL int hex_digit(char c) noexcept;

inline bool is_blank(char c) noexcept { return std::isspace(static_cast<unsigned char>(c)) != 0; }

/// True when `rest` is a SOCI connect string (`key=value …`, any blanks
/// before the '=', as libpq and SOCI MySQL allow), not a URL body.
TASKSTORE_DECL bool is_soci_connect_string(std::string_view rest);

/// Decodes the valid %XX escapes of `in` and keeps the rest as it is.
TASKSTORE_DECL std::string percent_decode_lenient(std::string_view in);

/// True when `key`, percent-decoded, in any case and without blanks, names a
/// password: the keys the drivers read as one (libpq: `password`,
/// `sslpassword`; SOCI MySQL: `pass`, `password`) and the spellings other
/// drivers use (`passwd`, `pwd`), which a user may type for them.
TASKSTORE_DECL bool is_password_key(std::string_view key);

/// True when `key` is one a driver reads in a SOCI connect string (libpq's
/// keywords, SOCI MySQL's and SOCI SQLite's keys).
TASKSTORE_DECL bool is_connect_string_key(std::string_view key);

/// How a driver reads quotes in a SOCI connect string: libpq and SOCI MySQL
/// take '...' with backslash escapes, SOCI's SQLite backend "..." as well.
/// `either`, for a string whose driver is unknown, masks what could be a
/// password under both readings.
enum class conninfo_quotes { single, single_and_double, either };

/// Masks the password values of a SOCI connect string, read as its driver
/// reads it: `key = value …`, the value quoted (see conninfo_quotes) or
/// running to the next blank. A password given unquoted with a blank leaves
/// pieces that are not `key=value` items, or, after it, whose key no driver
/// reads: those are masked too.
/// When `hidden` is given, every masked part is added to it (the raw text and
/// the value as the driver reads it), so that scrub_secrets() can remove them
/// from a driver's message.
TASKSTORE_DECL std::string redact_conninfo(std::string_view s, std::vector<std::string>* hidden = nullptr,
                                           conninfo_quotes quotes = conninfo_quotes::either);

/// `message` with every occurrence of each of `hidden` replaced by ***.
TASKSTORE_DECL std::string scrub_secrets(std::string message, std::vector<std::string> const& hidden);

/// [begin, end) offsets into a URL.
using text_range = std::pair<std::size_t, std::size_t>;

/// The parts of a URL body (from `authority`, just after "//") that could
/// hold a password, sorted and disjoint. Users type passwords unencoded, so:
/// - from the first ':' to the last '@': a '/', '?' or '@' in the password
///   would otherwise end the user info early (an '@' in the path or query
///   then hides the host too; the parse is not affected);
/// - the value of a password parameter (is_password_key) at the body's start
///   or after a '?', '&' or blank, to the next '&' that starts a `key=value`
///   item: an item without '=' is more of the password, and a connect string
///   that is_soci_connect_string does not recognize is read as a URL.
TASKSTORE_DECL std::vector<text_range> url_secrets(std::string_view url, std::size_t authority);

/// True for an RFC 3986 scheme name: a letter, then letters, digits, '+', '-' or '.'.
TASKSTORE_DECL bool is_scheme(std::string_view s);

/// A database URL as error messages show it: `redacted` has each part that
/// could hold a password (`secrets`) replaced by ***.
struct masked_url {
  std::string_view url;
  std::vector<text_range> secrets;
  std::string redacted;
  bool unencoded_in_password = false;  // a '/' or '?' in the user info ends it early when parsed

  /// `shown` (read from `part`, a view into `url`) in quotes, or '***' when
  /// `part` could hold a password.
  TASKSTORE_DECL std::string quote(std::string_view part, std::string_view shown) const;
};

/// Finds the parts of `url` that could hold a password: for a SOCI connect
/// string, its password values as a driver quoting with `quotes` reads them
/// (and, for quote(), all of it); for a URL, url_secrets(); without a scheme,
/// all of it.
TASKSTORE_DECL masked_url mask_url(std::string_view url, conninfo_quotes quotes = conninfo_quotes::either);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/url_redact.ipp>
#endif
