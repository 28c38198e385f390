// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/detail/url_parts.hpp>
#include <taskstore/db/detail/url_redact.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::detail {
/// Applies taskstore's own parameters to `options`; returns the others.
TASKSTORE_DECL std::vector<query_param> take_own_params(std::string_view query, connection_options& options,
                                                        masked_url const& masked);

/// A URL scheme: the product it names and how its URLs read.
struct url_scheme {
  std::string_view name;  ///< `sqlite`, `sqlite3`, `postgresql`, `postgres`, `mysql`, `mariadb`
  backend_kind kind;
  url_syntax const* syntax;
};

/// The scheme named `scheme` (lower case), whether or not this build includes
/// its backend; nullopt for any other. Defined by the registration
/// (backend/impl/url_schemes.ipp).
TASKSTORE_DECL std::optional<url_scheme> find_url_scheme(std::string_view scheme) noexcept;

TASKSTORE_DECL connection_options parse_url(std::string_view url);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/impl/url_schemes.ipp>
#include <taskstore/db/detail/impl/url_parse.ipp>
#endif
