// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/sql_files.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/sql_files.hpp>

#include <taskstore/error.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

namespace taskstore {

std::vector<std::string> split_sql_statements(std::string_view script, sql::dialect const& d) {
  bool const backslash_escapes = d.backslash_escapes();
  std::vector<std::string> out;
  std::string current;
  bool has_code = false;
  auto flush = [&] {
    if (has_code) {
      auto const first = current.find_first_not_of(" \t\r\n");
      auto const last = current.find_last_not_of(" \t\r\n");
      out.push_back(current.substr(first, last - first + 1));
    }
    current.clear();
    has_code = false;
  };
  std::size_t i = 0;
  auto copy_until = [&](std::string_view end) {  // copies through `end` (or to the end of the script)
    auto const stop = script.find(end, i);
    auto const upto = stop == std::string_view::npos ? script.size() : stop + end.size();
    current.append(script.substr(i, upto - i));
    i = upto;
  };
  while (i < script.size()) {
    char const c = script[i];
    if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      copy_until("\n");
    } else if (c == '/' && i + 1 < script.size() && script[i + 1] == '*') {
      current += "/*";
      i += 2;
      copy_until("*/");
    } else if (c == '\'' || c == '"' || c == '`') {
      current += c;
      ++i;
      for (;;) {  // a doubled quote is an escaped one
        auto const stop = script.find_first_of(backslash_escapes ? std::string{c, '\\'} : std::string{c}, i);
        if (stop == std::string_view::npos) {
          current.append(script.substr(i));
          i = script.size();
          break;
        }
        current.append(script.substr(i, stop - i + 1));
        i = stop + 1;
        if (script[stop] == '\\') {
          if (i < script.size()) current += script[i++];
        } else if (i < script.size() && script[i] == c) {
          current += script[i++];
        } else {
          break;
        }
      }
      has_code = true;
    } else if (c == '$') {
      auto const close = script.find('$', i + 1);
      auto const tag = close == std::string_view::npos ? std::string_view{} : script.substr(i, close - i + 1);
      bool const is_tag = !tag.empty() && std::all_of(tag.begin() + 1, tag.end() - 1, [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
      });
      if (is_tag) {
        current.append(tag);
        i += tag.size();
        copy_until(tag);
      } else {
        current += c;
        ++i;
      }
      has_code = true;
    } else if (c == ';') {
      ++i;
      flush();
    } else {
      if (!std::isspace(static_cast<unsigned char>(c))) has_code = true;
      current += c;
      ++i;
    }
  }
  flush();
  return out;
}

namespace detail {

std::optional<migration_file_name> parse_migration_file_name(std::string_view file) {
  bool const up = file.ends_with(".up.sql");
  if (!up && !file.ends_with(".down.sql")) return std::nullopt;
  file.remove_suffix(up ? 7 : 9);
  auto const underscore = file.find('_');
  if (underscore == 0 || underscore == std::string_view::npos || underscore + 1 == file.size()) return std::nullopt;
  auto const digits = file.substr(0, underscore), name = file.substr(underscore + 1);
  auto const is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto const is_word = [&](char c) {
    return is_digit(c) || c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  };
  if (!std::all_of(digits.begin(), digits.end(), is_digit) || !std::all_of(name.begin(), name.end(), is_word))
    return std::nullopt;
  migration_file_name out{0, std::string(name), up};
  if (std::from_chars(digits.data(), digits.data() + digits.size(), out.version).ec != std::errc{})
    return std::nullopt;  // more digits than a version holds
  return out;
}

}  // namespace detail

namespace detail {

inline std::vector<migration> load_migration_files(std::filesystem::path const& directory) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(directory)) throw error(errc::bad_config, "no migrations directory " + directory.string());
  auto read = [](fs::path const& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw error(errc::bad_config, "cannot read " + p.string());
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad() || !text) throw error(errc::bad_config, "cannot read " + p.string());
    return text.str();
  };
  struct texts {
    std::string name;
    std::map<std::string, std::string> up, down;  // "" = every dialect, else a dialect's own
  };
  std::map<std::int64_t, texts> found;
  auto scan = [&](fs::path const& dir, std::string const& dialect_name) {
    for (auto const& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      auto const file = entry.path().filename().string();
      auto const m = detail::parse_migration_file_name(file);
      if (!m) {
        if (entry.path().extension() == ".sql")
          throw error(errc::bad_config,
                      "migration file " + file + " is not named NNNN_name.up.sql or NNNN_name.down.sql");
        continue;
      }
      auto& t = found[m->version];
      if (!t.name.empty() && t.name != m->name)
        throw error(errc::bad_config,
                    "two migrations have version " + std::to_string(m->version) + ": " + t.name + " and " + m->name);
      t.name = m->name;
      (m->up ? t.up : t.down)[dialect_name] = read(entry.path());
    }
  };
  scan(directory, "");
  for (auto const* d : {"sqlite", "postgresql", "mysql"})
    if (fs::is_directory(directory / d)) scan(directory / d, d);

  auto pick = [](std::map<std::string, std::string> const& by_dialect, sql::dialect const& d) -> std::string const* {
    if (auto it = by_dialect.find(std::string(d.name())); it != by_dialect.end()) return &it->second;
    if (auto it = by_dialect.find(""); it != by_dialect.end()) return &it->second;
    return nullptr;
  };
  std::vector<migration> out;
  for (auto const& [version, t] : found) {
    if (t.up.empty())
      throw error(errc::bad_config, "migration " + std::to_string(version) + " (" + t.name + ") has no up file");
    migration m{.version = version, .name = t.name};
    // Copies, not the bindings: lambdas capture structured bindings only from clang 16 on.
    m.up = [pick, t = t, version = version](sql::dialect const& d) {
      auto const* text = pick(t.up, d);
      if (!text)
        throw error(errc::unsupported, "migration " + std::to_string(version) + " has no up file for this dialect");
      return split_sql_statements(*text, d);
    };
    if (!t.down.empty())
      m.down = [pick, t = t, version = version](sql::dialect const& d) {
        auto const* text = pick(t.down, d);
        if (!text)
          throw error(errc::unsupported, "migration " + std::to_string(version) + " has no down file for this dialect");
        return split_sql_statements(*text, d);
      };
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace detail

std::vector<migration> load_migrations(std::filesystem::path const& directory) {
  try {
    return detail::load_migration_files(directory);
  } catch (std::filesystem::filesystem_error const& e) {
    // An unreadable directory, a symbolic link loop, a file that vanished.
    auto const where = e.path1().empty() ? directory : e.path1();
    throw error(errc::bad_config, "cannot read the migrations in " + where.string() + ": " + e.code().message());
  }
}

}  // namespace taskstore
