// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The user_service: users, identity fields only.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/user.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskstore {

/// Users (identity fields only): create, find by id or e-mail, deactivate.
class user_service {
 public:
  TASKSTORE_DECL explicit user_service(database const& db);

  /// A new active user; the e-mail is validated and stored lower-case.
  /// @throws error validation_failed naming the field; already_exists for a taken e-mail.
  TASKSTORE_DECL user create(std::string_view email, std::string full_name);
  /// The user with this e-mail, created first when there is none (safe when two callers race).
  TASKSTORE_DECL user find_or_create(std::string_view email, std::string full_name);
  /// The user with `id`, or nullopt.
  std::optional<user> find(std::int64_t id) const { return users_.find(id); }
  /// By e-mail, in any case.
  TASKSTORE_DECL std::optional<user> find_by_email(std::string_view email) const;
  /// @returns false for an unknown user.
  TASKSTORE_DECL bool deactivate(std::int64_t id);

 private:
  soci_repository<user> users_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/user_service.ipp>
#endif
