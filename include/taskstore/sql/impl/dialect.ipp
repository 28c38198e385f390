// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/sql/dialect.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/sql/dialect.hpp>

#include <atomic>
#include <charconv>
#include <cstdlib>

namespace taskstore::sql {

inline std::size_t next_dialect_id() noexcept {
  static std::atomic<std::size_t> next{0};
  auto const id = next.fetch_add(1);
  if (id >= dialect::max_dialects) std::abort();  // a programming error: raise max_dialects
  return id;
}

dialect::dialect() : id_(next_dialect_id()) {}

std::string dialect::quote(std::string_view name) const {
  char const q = identifier_quote();
  std::string out(1, q);
  for (char c : name) {
    if (c == q) out += q;
    out += c;
  }
  out += q;
  return out;
}

std::string dialect::json_literal(std::string_view text) const { return literal(text); }

std::string dialect::default_value(column_info const& c) const {
  auto const& def = c.options.default_value;
  switch (def.what) {
    case column_default::kind::none: return {};
    case column_default::kind::integer: return std::to_string(def.integer);
    case column_default::kind::real: return real_literal(def.real);
    case column_default::kind::boolean: return boolean_literal(def.integer != 0);
    case column_default::kind::text: return literal(def.text);
    case column_default::kind::json: return json_literal(def.text);
    case column_default::kind::now: return std::string(current_time());
  }
  return {};
}

std::string dialect::checks(column_info const& c) const {
  auto const col = quote(c.name);
  std::vector<std::string> all;
  if (c.enum_count) {
    std::string names;
    for (std::size_t i = 0; i < c.enum_count; ++i) names += (i ? ", " : "") + literal(c.enum_names[i]);
    all.push_back(col + " IN (" + names + ")");
  }
  type_checks(c, col, all);
  if (c.options.non_empty) all.push_back(col + " <> ''");
  if (c.options.has_min) all.push_back(col + " >= " + std::to_string(c.options.min));
  if (c.options.has_max) all.push_back(col + " <= " + std::to_string(c.options.max));
  if (!c.options.check.empty()) all.push_back("(" + std::string(c.options.check) + ")");
  std::string out;
  for (auto const& e : all) out += (out.empty() ? "" : " AND ") + e;
  return out;
}

std::string dialect::quoted_list(std::vector<std::string_view> const& names) const {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + quote(n);
  return out;
}

std::string dialect::create_index(std::string_view name, std::string_view table,
                                  std::vector<std::string_view> const& columns) const {
  return "CREATE INDEX IF NOT EXISTS " + quote(name) + " ON " + quote(table) + " (" + quoted_list(columns) + ")";
}

std::string dialect::drop_index(std::string_view name, std::string_view) const {
  return "DROP INDEX IF EXISTS " + quote(name);
}

std::string dialect::upsert(table_info const& t, std::string insert,
                            std::vector<std::string_view> const& target) const {
  auto in_target = [&](std::string_view n) {
    for (auto x : target)
      if (x == n) return true;
    return false;
  };
  std::string sets;
  auto add = [&](std::string const& s) { sets += (sets.empty() ? "" : ", ") + s; };
  for (auto const& c : t.columns) {
    if (c.primary_key || in_target(c.name)) continue;
    auto const q = quote(c.name);
    add(q + " = " + (c.version ? quote(t.name) + "." + q + " + 1" : "excluded." + q));
  }
  // With nothing else to update, a no-op assignment still makes RETURNING
  // yield the existing row (DO NOTHING would return no row).
  if (sets.empty()) add(quote(target.front()) + " = excluded." + quote(target.front()));
  return std::move(insert) + " ON CONFLICT (" + quoted_list(target) + ") DO UPDATE SET " + sets + " RETURNING " +
         quote(t.key().name);
}

std::string literal(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string real_literal(double v) {
  char buf[64];
  auto const r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string_view on_delete_sql(on_delete action) {
  switch (action) {
    case on_delete::cascade: return " ON DELETE CASCADE";
    case on_delete::restrict: return " ON DELETE RESTRICT";
    case on_delete::set_null: return " ON DELETE SET NULL";
    case on_delete::no_action: return "";
  }
  return "";
}

}  // namespace taskstore::sql
