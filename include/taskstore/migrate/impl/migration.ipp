// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/migration.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/migration.hpp>

#include <taskstore/migrate/detail/sha256.hpp>

namespace taskstore {

std::string migration::checksum(sql::dialect const& d) const {
  std::string text = name + "\n-- up\n";
  for (auto const& s : up(d)) text += s + "\n;\n";
  text += "-- down\n";
  if (down)
    for (auto const& s : down(d)) text += s + "\n;\n";
  text += "-- code\n" + code_revision;
  return detail::sha256_hex(text);
}

}  // namespace taskstore
