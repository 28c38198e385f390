// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The users table (identity fields only).

#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/types/timestamp.hpp>

#include <boost/describe/class.hpp>

#include <cstdint>
#include <string>
#include <tuple>

namespace taskstore {

/// A user (identity fields only: authentication is out of scope).
struct user {
  std::int64_t id = 0;
  std::string email;  ///< stored lower-case
  std::string full_name;
  bool is_active = true;
  timestamp created_at;
  timestamp updated_at;
};
BOOST_DESCRIBE_STRUCT(user, (), (id, email, full_name, is_active, created_at, updated_at))

template <>
struct table_traits<user> {
  static constexpr std::string_view table = "users";
  static constexpr auto primary_key = auto_increment<&user::id>;
  static constexpr auto columns = std::tuple{
      column<&user::email>.max_length(255).unique().non_empty(),
      column<&user::full_name>.max_length(100),
      column<&user::is_active>.default_value(true),
      column<&user::created_at>.default_now(),
      column<&user::updated_at>.default_now(),
  };
};

}  // namespace taskstore
