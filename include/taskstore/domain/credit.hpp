// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The credit ledger's tables: wallets and signed transactions.

#include <taskstore/domain/task.hpp>
#include <taskstore/domain/user.hpp>
#include <taskstore/error.hpp>
#include <taskstore/limits.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace taskstore {

/// An amount of credits, as credit_service takes it: a type of its own, so
/// that an amount and a user id cannot change places in a call.
struct credit_amount {
  std::int64_t value = 0;

  constexpr credit_amount() noexcept = default;
  constexpr explicit credit_amount(std::int64_t v) noexcept : value(v) {}
  friend constexpr bool operator==(credit_amount, credit_amount) noexcept = default;
};

/// The reason of the error a charge gets when the wallet holds too little
/// (or does not exist): `e.reason() == insufficient_credits`.
inline constexpr error_reason insufficient_credits{"insufficient_credits"};

/// A user's credit balance; never below zero.
struct credit_wallet {
  std::int64_t user_id = 0;
  std::int64_t balance = 0;
  timestamp updated_at;
};
BOOST_DESCRIBE_STRUCT(credit_wallet, (), (user_id, balance, updated_at))

template <>
struct table_traits<credit_wallet> {
  static constexpr std::string_view table = "credit_wallets";
  static constexpr auto primary_key = natural_key<&credit_wallet::user_id>;
  static constexpr auto columns = std::tuple{
      column<&credit_wallet::user_id>.references<&user::id>(on_delete::restrict),
      column<&credit_wallet::balance>.min(0).default_value(0),
      column<&credit_wallet::updated_at>.default_now(),
  };
};

enum class credit_kind { PURCHASE, CHARGE, REFUND, ADJUSTMENT };
BOOST_DESCRIBE_ENUM(credit_kind, PURCHASE, CHARGE, REFUND, ADJUSTMENT)

/// One ledger entry: a signed amount, linked to the task it paid for. A task
/// is charged at most once and refunded at most once.
struct credit_transaction {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t amount = 0;
  credit_kind kind = credit_kind::PURCHASE;
  std::optional<uuid> analysis_id;
  std::optional<std::string> description;
  timestamp created_at;
};
BOOST_DESCRIBE_STRUCT(credit_transaction, (), (id, user_id, amount, kind, analysis_id, description, created_at))

template <>
struct table_traits<credit_transaction> {
  static constexpr std::string_view table = "credit_transactions";
  static constexpr auto primary_key = auto_increment<&credit_transaction::id>;
  static constexpr auto columns = std::tuple{
      column<&credit_transaction::user_id>.references<&user::id>(on_delete::restrict),
      column<&credit_transaction::analysis_id>.references<&task::task_id>(on_delete::set_null),
      column<&credit_transaction::amount>.accepts(-limits::max_amount, limits::max_amount),
      column<&credit_transaction::created_at>.default_now(),
  };
  static constexpr auto indexes = std::tuple{
      unique_index<&credit_transaction::analysis_id, &credit_transaction::kind>("uq_credit_transactions_analysis_kind"),
      index<&credit_transaction::user_id, &credit_transaction::created_at>("ix_credit_transactions_user_created"),
  };
};

}  // namespace taskstore
