// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/admin.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/admin.hpp>

#include <algorithm>
#include <fstream>

namespace taskstore {

namespace detail {

boost::json::value canonical_json(boost::json::value const& v) {
  if (v.is_array()) {
    boost::json::array out;
    for (auto const& e : v.as_array()) out.push_back(canonical_json(e));
    return out;
  }
  if (!v.is_object()) return v;
  std::vector<std::pair<std::string, boost::json::value>> members;
  for (auto const& [k, e] : v.as_object()) members.emplace_back(std::string(k), canonical_json(e));
  std::sort(members.begin(), members.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
  boost::json::object out;
  for (auto& [k, e] : members) out[k] = std::move(e);
  return out;
}

std::int64_t schema_version(database const& db) { return migrator(db, builtin_migrations()).status().current_version; }

}  // namespace detail

void sqlite_backup(database const& db, std::string const& path) {
  if (db.backend() != backend_kind::sqlite)
    throw error(errc::unsupported, "a file backup needs SQLite; use dump() for every backend");
  std::string quoted = "'";
  for (char c : path) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  quoted += "'";
  if (std::ifstream(path).good()) throw error(errc::already_exists, "the backup file exists: " + path);
  db.execute("VACUUM INTO " + quoted);
}

}  // namespace taskstore
