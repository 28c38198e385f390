// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/detail/config.hpp>
#include <taskstore/value/detail/cell.hpp>

#include <soci/soci.h>

#include <concepts>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace taskstore::detail {

/// A statement prepared once and bound to cells it owns: callers write the
/// parameter cells, execute, and read the result cells. SOCI binds by
/// reference, so the cells never move after construction.
class prepared_statement {
 public:
  /// `named`: prepared once on the server and run by name; else its text
  /// is sent with each execution (backend::keeps_prepared_statements()).
  TASKSTORE_DECL prepared_statement(soci::session& session, std::string const& sql,
                                    std::vector<cell_slot> const& param_slots,
                                    std::vector<cell_slot> const& result_slots, bool named = true);
  prepared_statement(prepared_statement const&) = delete;
  prepared_statement& operator=(prepared_statement const&) = delete;

  std::vector<cell>& params() noexcept { return params_; }
  std::vector<cell> const& results() const noexcept { return results_; }

  /// Runs the statement; true when a first result row was fetched.
  bool execute() {
    for (std::size_t i = 0; i < params_.size(); ++i) param_nulls_[i] = params_[i].null ? soci::i_null : soci::i_ok;
    return read_nulls(statement_.execute(true));
  }
  /// The next result row; false at the end.
  bool fetch() { return read_nulls(statement_.fetch()); }
  /// Steps past the last row: a statement left mid-result would keep SQLite
  /// from committing ("SQL statements in progress"). Call after reading.
  TASKSTORE_DECL void finish();
  std::size_t affected_rows() { return static_cast<std::size_t>(statement_.get_affected_rows()); }

 private:
  // SOCI's null flags live beside the cells, which know nothing of SOCI:
  // copied in before each execution, out after each fetched row.
  bool read_nulls(bool got_row) {
    if (got_row)
      for (std::size_t i = 0; i < results_.size(); ++i) results_[i].null = result_nulls_[i] == soci::i_null;
    return got_row;
  }

  std::vector<cell> params_;
  std::vector<cell> results_;
  std::vector<soci::indicator> param_nulls_;
  std::vector<soci::indicator> result_nulls_;
  soci::statement statement_;
};

/// What a statement is prepared from: its text and the slots of its
/// parameters and of its result columns.
struct statement_spec {
  std::string text;
  std::vector<cell_slot> params;
  std::vector<cell_slot> results;
};

/// A session's prepared statements, keyed by SQL text, so that a repeated
/// operation does not prepare again. Owned by the pooled connection; dies
/// with it.
///
/// A statement can also be found by a shape: a short key its caller derives
/// from what the statement does (a table and the columns an UPDATE writes),
/// so that a hit needs neither the text built nor the text hashed.
class statement_cache {
 public:
  static constexpr std::size_t max_entries = 512;

  TASKSTORE_DECL prepared_statement& get(soci::session& session, std::string const& sql,
                                         std::vector<cell_slot> const& param_slots,
                                         std::vector<cell_slot> const& result_slots);

  /// A statement and the text it is cached under.
  struct shaped {
    std::string const* text;
    prepared_statement* statement;
  };
  /// The statement cached under `shape`, or nullptr.
  TASKSTORE_DECL shaped const* find_shape(std::string const& shape);
  /// The statement cached under `shape`. Only on a miss is `spec()` called
  /// for its text and slots, and the statement got by that text, then
  /// remembered under `shape` as well.
  template <std::invocable Spec>
  shaped get_shape(soci::session& session, std::string const& shape, Spec&& spec) {
    if (auto const* found = find_shape(shape)) return *found;
    statement_spec const s = std::forward<Spec>(spec)();
    auto& st = get(session, s.text, s.params, s.results);
    shaped const found{&entries_.find(s.text)->first, &st};
    shapes_.insert_or_assign(shape, found);
    return found;
  }

  /// Drops a statement whose execution failed: its state is not trusted.
  TASKSTORE_DECL void evict(std::string const& sql);
  TASKSTORE_DECL void clear() noexcept;
  /// Whether its statements are prepared on the server by name (true until said otherwise).
  void name_statements(bool named) noexcept { named_ = named; }
  std::size_t size() const noexcept { return entries_.size(); }
  std::size_t hits() const noexcept { return hits_; }

 private:
  std::unordered_map<std::string, std::unique_ptr<prepared_statement>> entries_;
  std::unordered_map<std::string, shaped> shapes_;
  std::size_t hits_ = 0;
  bool named_ = true;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/statement_cache.ipp>
#endif
