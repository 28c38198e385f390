// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definition of find_url_scheme() (<taskstore/db/detail/url_parse.hpp>), the
// registration's table of URL schemes: included at the end of that header when
// header-only, else compiled once by <taskstore/src.hpp>. How each backend's
// URLs read needs no driver, so every scheme parses in every build; a URL
// naming a backend the build left out fails when opened (backend_for()).

#include <taskstore/backend/mysql/impl/url.ipp>
#include <taskstore/backend/mysql/url.hpp>
#include <taskstore/backend/postgresql/impl/url.ipp>
#include <taskstore/backend/postgresql/url.hpp>
#include <taskstore/backend/sqlite/impl/url.ipp>
#include <taskstore/backend/sqlite/url.hpp>
#include <taskstore/db/detail/url_parse.hpp>

namespace taskstore::detail {

std::optional<url_scheme> find_url_scheme(std::string_view scheme) noexcept {
  static constexpr url_scheme schemes[] = {
      {"sqlite", backend_kind::sqlite, &detail::sqlite_url},
      {"sqlite3", backend_kind::sqlite, &detail::sqlite_url},
      {"postgresql", backend_kind::postgresql, &detail::postgresql_url},
      {"postgres", backend_kind::postgresql, &detail::postgresql_url},
      {"mysql", backend_kind::mysql, &detail::mysql_url},
      {"mariadb", backend_kind::mysql, &detail::mysql_url},
  };
  for (auto const& s : schemes)
    if (s.name == scheme) return s;
  return std::nullopt;
}

}  // namespace taskstore::detail
