// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The pieces URLs are read with, by parse_url() and by each backend's url.hpp.

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/url_redact.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::detail {

/// Quotes a value for a libpq conninfo or SOCI MySQL connect string.
TASKSTORE_DECL std::string quote_conninfo(std::string_view value);

[[noreturn]] TASKSTORE_DECL void bad_url(std::string_view what, masked_url const& url);

/// Decodes %XX escapes; `what` names the URL part in the error.
TASKSTORE_DECL std::string percent_decode(std::string_view in, std::string_view what, masked_url const& masked);

TASKSTORE_DECL std::optional<long long> parse_number(std::string_view text);

struct query_param {
  std::string key, value;
  std::string_view item;  // `key=value` as given, for masked_url::quote
};

/// The whole number of parameter `p`, within [low, high].
TASKSTORE_DECL long long number_param(query_param const& p, long long low, long long high, masked_url const& masked);

struct url_authority {
  std::string user, password, dbname;
  std::string host, port;  ///< a host list: `h1,h2` and `p1,p2` (an empty item: the default port)
};

/// Splits `user:password@host:port/dbname` (every part optional but the
/// host); `host_list`: `host1:port1,host2:port2,…` too (libpq's host list).
TASKSTORE_DECL url_authority split_authority(std::string_view body, masked_url const& masked, bool host_list = false);

/// What follows `scheme://` in a URL, for its backend to read (backend::read_url()).
struct url_location {
  std::string_view body;                   ///< before `?`: a path, or `user:password@host:port/dbname`
  std::vector<query_param> const& params;  ///< the query parameters that are not taskstore's own
  masked_url const& masked;                ///< for messages
};

/// How a server backend's connect string is written.
struct server_url_rules {
  std::string_view product;                      ///< in messages: "PostgreSQL", "MySQL"
  std::string_view dbname_key;                   ///< `dbname` (libpq) or `db` (SOCI's MySQL backend)
  std::span<std::string_view const> known_keys;  ///< the driver's parameters; empty: any
  bool host_list = false;                        ///< whether the driver takes several hosts (libpq)
};

/// How a backend's URLs read, with no driver needed: each backend folder
/// defines one (backend/NAME/url.hpp), and the registry maps schemes to it.
struct url_syntax {
  /// Reads what follows `scheme://` (a file's path, or
  /// `user:password@host:port/dbname`) and the driver's query parameters
  /// into `o`: the driver's connect string and, for a file, its path.
  /// @throws error bad_config naming what is wrong, never the password.
  void (*read)(url_location const& where, connection_options& o);
  /// Whether a SOCI connect string given whole opens a private in-memory database.
  bool (*opens_in_memory)(std::string_view connect_string) noexcept;
  /// How the driver quotes the values of a connect string given whole.
  conninfo_quotes quotes;
};

/// The connect string of `user:password@host:port/dbname?params`, each
/// value quoted; a parameter not in `rules.known_keys` is bad_config.
TASKSTORE_DECL std::string server_connect_string(url_location const& where, server_url_rules const& rules);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/url_parts.ipp>
#endif
