// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/url_redact.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <optional>
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

/// Applies taskstore's own parameters to `options`; returns the others.
TASKSTORE_DECL std::vector<query_param> take_own_params(std::string_view query, connection_options& options,
                                                        masked_url const& masked);

struct url_authority {
  std::string user, password, host, port, dbname;
};

/// Splits `user:password@host:port/dbname` (every part optional but the host).
TASKSTORE_DECL url_authority split_authority(std::string_view body, masked_url const& masked);

TASKSTORE_DECL void parse_sqlite(std::string_view body, std::vector<query_param> const& params,
                                 connection_options& options, masked_url const& masked);

TASKSTORE_DECL void parse_server(std::string_view body, std::vector<query_param> const& params,
                                 connection_options& options, masked_url const& masked);

TASKSTORE_DECL connection_options parse_url(std::string_view url);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/url_parse.ipp>
#endif
