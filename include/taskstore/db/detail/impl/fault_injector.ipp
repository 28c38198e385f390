// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/fault_injector.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/fault_injector.hpp>

#include <string>

namespace taskstore::detail {

[[noreturn]] void raise_injected_fault(soci::session& s, backend const& b, fault_kind kind) {
  b.raise_fault(s, kind);
  throw soci::soci_error("injected " + std::string(to_string(kind)) +
                         ": the server accepted the statement meant to fail");
}

void fault_injector::arm(std::optional<fault_plan> plan) {
  std::lock_guard lock(mutex_);
  threads_.clear();
  if (plan) plan_ = *plan;
  armed_.store(plan.has_value(), std::memory_order_release);
}

void fault_injector::begin_attempt(bool first) {
  if (!armed()) return;
  std::lock_guard lock(mutex_);
  auto& t = threads_[std::this_thread::get_id()];
  t.in_attempt = true;
  t.statement = 0;
  if (first) t.failed = 0;
}

void fault_injector::end_attempt() noexcept {
  if (!armed()) return;
  std::lock_guard lock(mutex_);
  if (auto it = threads_.find(std::this_thread::get_id()); it != threads_.end()) it->second.in_attempt = false;
}

void fault_injector::before_statement(soci::session& s, backend const& backend) {
  fault_kind kind{};
  {
    std::lock_guard lock(mutex_);
    kind = plan_.kind;
    auto const it = threads_.find(std::this_thread::get_id());
    if (kind == fault_kind::commit_lost || it == threads_.end() || !it->second.in_attempt) return;
    auto& t = it->second;
    if (++t.statement != plan_.statement || t.failed >= plan_.attempts) return;
    ++t.failed;
  }
  raise_injected_fault(s, backend, kind);
}

bool fault_injector::lose_commit() {
  std::lock_guard lock(mutex_);
  auto const it = threads_.find(std::this_thread::get_id());
  if (plan_.kind != fault_kind::commit_lost || it == threads_.end() || it->second.failed >= plan_.attempts)
    return false;
  ++it->second.failed;
  return true;
}

}  // namespace taskstore::detail
