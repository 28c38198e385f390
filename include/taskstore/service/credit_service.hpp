// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The credit_service: the credit ledger (seed 003).

#include <taskstore/db/database.hpp>
#include <taskstore/domain/credit.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/task_service.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// Seed 003's error code for a task that cannot be paid.
inline constexpr char const* billing_insufficient_credits = "BILLING_INSUFFICIENT_CREDITS";

/// The credit ledger (seed 003): wallets whose balance never goes below zero,
/// and signed transactions. A task is charged at most once and refunded at
/// most once: the unique (analysis_id, kind) key decides, so a repeated or
/// racing charge returns the first one.
class credit_service {
 public:
  explicit credit_service(database const& db) : db_(db), wallets_(db), ledger_(db), tasks_(db) {}

  /// The user's wallet, created with balance 0 if missing.
  credit_wallet open_wallet(std::int64_t user_id) {
    if (auto w = wallets_.find(user_id)) return *w;
    if (auto w = wallets_.insert_if_absent({user_id, 0, timestamp::now()})) return *w;
    return *wallets_.find(user_id);  // opened meanwhile
  }
  /// The user's balance; 0 without a wallet.
  std::int64_t balance(std::int64_t user_id) const {
    auto w = wallets_.find(user_id);
    return w ? w->balance : 0;
  }

  /// Adds `amount` (> 0) credits.
  credit_transaction purchase(std::int64_t user_id, std::int64_t amount, std::optional<std::string> description = {}) {
    if (amount <= 0) throw error(errc::validation_failed, "a purchase amount must be positive", "amount");
    open_wallet(user_id);
    return db_.transact([&] {
      move_balance(user_id, amount);
      return ledger_.insert(
          {0, user_id, amount, credit_kind::PURCHASE, std::nullopt, std::move(description), timestamp::now()});
    });
  }

  /// Charges the task's owner `amount` (> 0) once. A second charge of the same
  /// task returns the first. Without enough credits: insufficient_credits, the
  /// balance unchanged, and a PROCESSING task fails with BILLING_INSUFFICIENT_CREDITS.
  credit_transaction charge(uuid const& task_id, std::int64_t amount) {
    if (amount <= 0) throw error(errc::validation_failed, "a charge amount must be positive", "amount");
    auto const t = tasks_.find(task_id);
    if (!t) throw error(errc::not_found, "no such task");
    try {
      return db_.transact([&] {
        // The unique (analysis_id, kind) key decides: only the first charge moves the balance.
        auto row = ledger_.insert_if_absent(
            {0, t->user_id, -amount, credit_kind::CHARGE, task_id, std::nullopt, timestamp::now()});
        if (!row) return *find(task_id, credit_kind::CHARGE);
        move_balance(t->user_id, -amount);
        return *row;
      });
    } catch (error const& e) {
      if (e.code() == errc::insufficient_credits && t->status == task_status::PROCESSING) {
        try {
          task_service(db_).fail_by_system(task_id, billing_insufficient_credits, e.what());
        } catch (error const& ignored) {
          if (ignored.code() != errc::invalid_transition && ignored.code() != errc::conflict) throw;
        }
      }
      throw;
    }
  }

  /// Refunds the task's charge once. @throws error not_found when it was never charged.
  credit_transaction refund(uuid const& task_id, std::optional<std::string> description = {}) {
    return db_.transact([&] {
      auto const charged = find(task_id, credit_kind::CHARGE);
      if (!charged) throw error(errc::not_found, "the task was never charged");
      auto row = ledger_.insert_if_absent({0, charged->user_id, -charged->amount, credit_kind::REFUND, task_id,
                                           std::move(description), timestamp::now()});
      if (!row) return *find(task_id, credit_kind::REFUND);
      move_balance(charged->user_id, -charged->amount);
      return *row;
    });
  }

  /// The user's transactions, newest first.
  std::vector<credit_transaction> history(std::int64_t user_id, std::size_t limit = 50) const {
    return ledger_.find(query<credit_transaction>{col(&credit_transaction::user_id) == user_id}
                            .order_by(desc(&credit_transaction::created_at), desc(&credit_transaction::id))
                            .limit(limit));
  }

 private:
  std::optional<credit_transaction> find(uuid const& task_id, credit_kind kind) const {
    return ledger_.find_one(query<credit_transaction>{col(&credit_transaction::analysis_id) == task_id &&
                                                      col(&credit_transaction::kind) == kind});
  }

  /// Adds `delta` to the balance by compare-and-set, so concurrent movements
  /// never lose one another and the balance never drops below zero.
  void move_balance(std::int64_t user_id, std::int64_t delta) {
    for (;;) {
      auto w = wallets_.find(user_id);
      if (!w && delta < 0) throw error(errc::insufficient_credits, "the user has no credits (no wallet)");
      if (!w) w = open_wallet(user_id);
      if (delta > 0 && w->balance > std::numeric_limits<std::int64_t>::max() - delta)
        throw error(errc::validation_failed, "the balance would exceed the largest amount a wallet holds", "amount");
      if (w->balance + delta < 0)
        throw error(errc::insufficient_credits,
                    "balance " + std::to_string(w->balance) + " is below " + std::to_string(-delta) + " credits");
      auto const changed = wallets_.update_where(
          query<credit_wallet>{col(&credit_wallet::user_id) == user_id && col(&credit_wallet::balance) == w->balance},
          set(&credit_wallet::balance, w->balance + delta), set(&credit_wallet::updated_at, timestamp::now()));
      if (changed == 1) return;
    }
  }

  database db_;
  soci_repository<credit_wallet> wallets_;
  soci_repository<credit_transaction> ledger_;
  soci_repository<task> tasks_;
};

}  // namespace taskstore
