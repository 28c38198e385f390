// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The credit_service: the credit ledger.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/credit.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// The task API's error code for a task that cannot be paid.
inline constexpr char const* billing_insufficient_credits = "BILLING_INSUFFICIENT_CREDITS";

/// The credit ledger: wallets whose balance never goes below zero,
/// and signed transactions. A task is charged at most once and refunded at
/// most once: the unique (analysis_id, kind) key decides, so a repeated or
/// racing charge returns the first one.
class credit_service {
 public:
  TASKSTORE_DECL explicit credit_service(database const& db);

  /// The user's wallet, created with balance 0 if missing.
  TASKSTORE_DECL credit_wallet open_wallet(std::int64_t user_id);
  /// The user's balance; 0 without a wallet.
  TASKSTORE_DECL std::int64_t balance(std::int64_t user_id) const;

  /// Adds `credits` (> 0) to the user's balance.
  /// @throws error validation_failed (field `amount`) for a non-positive amount.
  TASKSTORE_DECL credit_transaction purchase(std::int64_t user_id, credit_amount credits,
                                             std::optional<std::string> const& description = {});

  /// Charges the task's owner `credits` (> 0) once. A second charge of the same
  /// task returns the first. Without enough credits: precondition_failed with
  /// the reason insufficient_credits, the balance unchanged, and a PROCESSING task fails with
  /// BILLING_INSUFFICIENT_CREDITS.
  TASKSTORE_DECL credit_transaction charge(uuid const& task_id, credit_amount credits);

  /// Refunds the task's charge once. @throws error not_found when it was never charged.
  TASKSTORE_DECL credit_transaction refund(uuid const& task_id, std::optional<std::string> const& description = {});

  /// The user's transactions, newest first.
  TASKSTORE_DECL std::vector<credit_transaction> history(std::int64_t user_id, std::size_t limit = 50) const;

 private:
  TASKSTORE_DECL std::optional<credit_transaction> find(uuid const& task_id, credit_kind kind) const;

  /// Adds `delta` to the balance by compare-and-set, so concurrent movements
  /// never lose one another and the balance never drops below zero.
  TASKSTORE_DECL void move_balance(std::int64_t user_id, std::int64_t delta);

  database db_;
  soci_repository<credit_wallet> wallets_;
  soci_repository<credit_transaction> ledger_;
  soci_repository<task> tasks_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/credit_service.ipp>
#endif
