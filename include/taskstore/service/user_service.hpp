// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The user_service: users (seed 003's identity fields).

#include <taskstore/db/database.hpp>
#include <taskstore/domain/user.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

/// Users (seed 003's identity fields): create, find by id or e-mail, deactivate.
class user_service {
 public:
  explicit user_service(database const& db) : users_(db) {}

  /// A new active user; the e-mail is validated and stored lower-case.
  /// @throws error validation_failed naming the field; already_exists for a taken e-mail.
  user create(std::string_view email, std::string full_name) {
    check_length("full_name", full_name, 100);
    auto const now = timestamp::now();
    return users_.insert({0, normalize_email(email), std::move(full_name), true, now, now});
  }
  /// The user with this e-mail, created first when there is none (safe when two callers race).
  user find_or_create(std::string_view email, std::string full_name) {
    if (auto u = find_by_email(email)) return *u;
    check_length("full_name", full_name, 100);
    auto const now = timestamp::now();
    if (auto u = users_.insert_if_absent({0, normalize_email(email), std::move(full_name), true, now, now})) return *u;
    return *find_by_email(email);  // the other caller won
  }
  /// The user with `id`, or nullopt.
  std::optional<user> find(std::int64_t id) const { return users_.find(id); }
  /// By e-mail, in any case.
  std::optional<user> find_by_email(std::string_view email) const {
    return users_.find_one(query<user>{col(&user::email) == normalize_email(email)});
  }
  /// @returns false for an unknown user.
  bool deactivate(std::int64_t id) {
    return users_.update_where(query<user>{col(&user::id) == id}, set(&user::is_active, false),
                               set(&user::updated_at, timestamp::now())) > 0;
  }

 private:
  soci_repository<user> users_;
};

}  // namespace taskstore
