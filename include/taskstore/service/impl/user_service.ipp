// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/user_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/user_service.hpp>

#include <utility>

namespace taskstore {

user_service::user_service(database const& db) : users_(db) {}

user user_service::create(std::string_view email, std::string full_name) {
  check_length("full_name", full_name, 100);
  auto const now = timestamp::now();
  return users_.insert({0, normalize_email(email), std::move(full_name), true, now, now});
}

user user_service::find_or_create(std::string_view email, std::string full_name) {
  if (auto u = find_by_email(email)) return *u;
  check_length("full_name", full_name, 100);
  auto const now = timestamp::now();
  if (auto u = users_.insert_if_absent({0, normalize_email(email), std::move(full_name), true, now, now})) return *u;
  return *find_by_email(email);  // the other caller won
}

std::optional<user> user_service::find_by_email(std::string_view email) const {
  return users_.find_one(query<user>{col(&user::email) == normalize_email(email)});
}

bool user_service::deactivate(std::int64_t id) {
  return users_.update_where(query<user>{col(&user::id) == id}, set(&user::is_active, false),
                             set(&user::updated_at, timestamp::now())) > 0;
}

}  // namespace taskstore
