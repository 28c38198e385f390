// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/credit_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/credit_service.hpp>

#include <taskstore/service/task_maintenance.hpp>

#include <limits>
#include <utility>

namespace taskstore {

credit_service::credit_service(database const& db) : db_(db), wallets_(db), ledger_(db), tasks_(db) {}

credit_wallet credit_service::open_wallet(std::int64_t user_id) {
  if (auto w = wallets_.find(user_id)) return *w;
  if (auto w = wallets_.insert_if_absent({user_id, 0, timestamp::now()})) return *w;
  return *wallets_.find(user_id);  // opened meanwhile
}

std::int64_t credit_service::balance(std::int64_t user_id) const {
  auto w = wallets_.find(user_id);
  return w ? w->balance : 0;
}

credit_transaction credit_service::purchase(std::int64_t user_id, credit_amount credits,
                                            std::optional<std::string> const& description) {
  auto const amount = credits.value;
  if (amount <= 0) throw error(errc::validation_failed, "a purchase amount must be positive", "amount");
  open_wallet(user_id);
  return db_.transact([&] {
    move_balance(user_id, amount);
    return ledger_.insert({0, user_id, amount, credit_kind::PURCHASE, std::nullopt, description, timestamp::now()});
  });
}

credit_transaction credit_service::charge(uuid const& task_id, credit_amount credits) {
  auto const amount = credits.value;
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
    if (e.reason() == insufficient_credits && t->status == task_status::PROCESSING) {
      try {
        task_maintenance(db_).fail_by_system(task_id, billing_insufficient_credits, e.what());
      } catch (error const& ignored) {
        if (ignored.code() != errc::invalid_transition && ignored.code() != errc::conflict) throw;
      }
    }
    throw;
  }
}

credit_transaction credit_service::refund(uuid const& task_id, std::optional<std::string> const& description) {
  return db_.transact([&] {
    auto const charged = find(task_id, credit_kind::CHARGE);
    if (!charged) throw error(errc::not_found, "the task was never charged");
    auto row = ledger_.insert_if_absent(
        {0, charged->user_id, -charged->amount, credit_kind::REFUND, task_id, description, timestamp::now()});
    if (!row) return *find(task_id, credit_kind::REFUND);
    move_balance(charged->user_id, -charged->amount);
    return *row;
  });
}

std::vector<credit_transaction> credit_service::history(std::int64_t user_id, std::size_t limit) const {
  return ledger_.find(query<credit_transaction>{col(&credit_transaction::user_id) == user_id}
                          .order_by(desc(&credit_transaction::created_at), desc(&credit_transaction::id))
                          .limit(limit));
}

std::optional<credit_transaction> credit_service::find(uuid const& task_id, credit_kind kind) const {
  return ledger_.find_one(query<credit_transaction>{col(&credit_transaction::analysis_id) == task_id &&
                                                    col(&credit_transaction::kind) == kind});
}

void credit_service::move_balance(std::int64_t user_id, std::int64_t delta) {
  for (;;) {
    auto w = wallets_.find(user_id);
    if (!w && delta < 0) throw error(insufficient_credits, "the user has no credits (no wallet)");
    if (!w) w = open_wallet(user_id);
    if (delta > 0 && w->balance > std::numeric_limits<std::int64_t>::max() - delta)
      throw error(errc::validation_failed, "the balance would exceed the largest amount a wallet holds", "amount");
    if (w->balance + delta < 0)
      throw error(insufficient_credits,
                  "balance " + std::to_string(w->balance) + " is below " + std::to_string(-delta) + " credits");
    auto const changed = wallets_.update_where(
        query<credit_wallet>{col(&credit_wallet::user_id) == user_id && col(&credit_wallet::balance) == w->balance},
        set(&credit_wallet::balance, w->balance + delta), set(&credit_wallet::updated_at, timestamp::now()));
    if (changed == 1) return;
  }
}

}  // namespace taskstore
