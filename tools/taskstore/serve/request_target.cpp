// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

#include "request_target.hpp"

#include <taskstore/error.hpp>

#include <boost/url/parse.hpp>

#include <algorithm>

namespace taskstore::cli {

namespace {

bool digits(std::string const& text, std::size_t most) {
  return !text.empty() && text.size() <= most &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void request_target::allow(std::initializer_list<std::string_view> known) const {
  for (auto const& [name, value] : params)
    if (std::find(known.begin(), known.end(), name) == known.end())
      throw error(errc::validation_failed, "unknown parameter " + name, name);
}

std::optional<std::string> request_target::get(std::string const& name) const {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::size_t request_target::limit(std::size_t fallback, std::size_t most) const {
  auto const text = get("limit");
  if (!text) return fallback;
  auto const n = digits(*text, 6) ? std::stoul(*text) : 0;
  if (n < 1 || n > most)
    throw error(errc::validation_failed, "limit is a number from 1 to " + std::to_string(most), "limit");
  return n;
}

std::optional<std::int64_t> request_target::whole_number(std::string const& name) const {
  auto const text = get(name);
  if (!text) return std::nullopt;
  if (!digits(*text, 18)) throw error(errc::validation_failed, name + " is a whole number", name);
  return std::stoll(*text);
}

std::optional<uuid> request_target::task_id(std::string const& name) const {
  auto const text = get(name);
  if (!text) return std::nullopt;
  return task_id_of(*text, name);
}

std::optional<timestamp> request_target::time(std::string const& name) const {
  auto const text = get(name);
  if (!text) return std::nullopt;
  auto t = timestamp::try_parse(*text);
  if (!t) throw error(errc::validation_failed, name + " is not an ISO-8601 time", name);
  return t;
}

uuid task_id_of(std::string const& text, std::string const& field) {
  auto id = uuid::try_parse(text);
  if (!id) throw error(errc::validation_failed, field + " is not a task id", field);
  return *id;
}

request_target parse_request_target(std::string_view text) {
  auto parsed = boost::urls::parse_origin_form(text);
  if (!parsed) throw error(errc::validation_failed, "malformed request target");
  request_target t;
  for (auto const& segment : parsed->segments()) t.path.push_back(segment);
  for (auto const& p : parsed->params()) {
    if (p.key.size() > 64 || p.value.size() > 1024)
      throw error(errc::validation_failed, "a query parameter is too long", p.key.substr(0, 64));
    if (!t.params.emplace(p.key, p.value).second)
      throw error(errc::validation_failed, "parameter " + p.key + " given twice", p.key);
  }
  return t;
}

}  // namespace taskstore::cli
