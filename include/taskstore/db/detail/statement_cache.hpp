// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/detail/cell.hpp>

#include <soci/soci.h>

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace taskstore::detail {

/// A statement prepared once and bound to cells it owns: callers write the
/// parameter cells, execute, and read the result cells. SOCI binds by
/// reference, so the cells never move after construction.
class prepared_statement {
 public:
  prepared_statement(soci::session& session, std::string const& sql, std::vector<cell_slot> const& param_slots,
                     std::vector<cell_slot> const& result_slots)
      : params_(param_slots.size()), results_(result_slots.size()), statement_(session) {
    for (std::size_t i = 0; i < results_.size(); ++i) bind_into(statement_, results_[i], result_slots[i]);
    for (std::size_t i = 0; i < params_.size(); ++i) bind_use(statement_, params_[i], param_slots[i]);
    statement_.alloc();
    statement_.prepare(sql);
    statement_.define_and_bind();
  }
  prepared_statement(prepared_statement const&) = delete;
  prepared_statement& operator=(prepared_statement const&) = delete;

  std::vector<cell>& params() noexcept { return params_; }
  std::vector<cell> const& results() const noexcept { return results_; }

  /// Runs the statement; true when a first result row was fetched.
  bool execute() { return statement_.execute(true); }
  /// The next result row; false at the end.
  bool fetch() { return statement_.fetch(); }
  /// Steps past the last row: a statement left mid-result would keep SQLite
  /// from committing ("SQL statements in progress"). Call after reading.
  void finish() {
    while (statement_.fetch()) {
    }
  }
  std::size_t affected_rows() { return static_cast<std::size_t>(statement_.get_affected_rows()); }

 private:
  std::vector<cell> params_;
  std::vector<cell> results_;
  soci::statement statement_;
};

/// A session's prepared statements, keyed by SQL text, so that a repeated
/// operation does not prepare again. Owned by the pooled connection; dies
/// with it.
class statement_cache {
 public:
  static constexpr std::size_t max_entries = 512;

  prepared_statement& get(soci::session& session, std::string const& sql, std::vector<cell_slot> const& param_slots,
                          std::vector<cell_slot> const& result_slots) {
    if (auto it = entries_.find(sql); it != entries_.end()) {
      ++hits_;
      return *it->second;
    }
    if (entries_.size() >= max_entries) entries_.clear();
    auto prepared = std::make_unique<prepared_statement>(session, sql, param_slots, result_slots);
    return *entries_.emplace(sql, std::move(prepared)).first->second;
  }
  /// Drops a statement whose execution failed: its state is not trusted.
  void evict(std::string const& sql) { entries_.erase(sql); }
  void clear() noexcept { entries_.clear(); }
  std::size_t size() const noexcept { return entries_.size(); }
  std::size_t hits() const noexcept { return hits_; }

 private:
  std::unordered_map<std::string, std::unique_ptr<prepared_statement>> entries_;
  std::size_t hits_ = 0;
};

}  // namespace taskstore::detail
