// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The type-independent half of the query DSL: a condition tree over column
// positions with its values already converted to cells, which renders SQL for
// any table and evaluates against any row through a row_ref. predicate<T>,
// order_term<T> and assignment<T> are thin typed handles on it, so that the
// rendering, the three-valued logic, the ordering and keyset pagination are
// compiled once rather than once per column and operator.

#include <taskstore/detail/config.hpp>
#include <taskstore/sql/detail/query_support.hpp>

#include <compare>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace taskstore::detail {

/// A row of some table, read one column at a time as cells.
struct row_ref {
  void const* row = nullptr;
  void (*read)(void const* row, std::size_t column, cell& out) = nullptr;

  TASKSTORE_DECL cell at(std::size_t column) const;
};

enum class compare_op { eq, ne, lt, le, gt, ge };

/// How two non-NULL values of a column compare, as the databases compare them:
/// numbers (timestamps by their microseconds) by value, text byte-wise.
TASKSTORE_DECL std::partial_ordering compare_cells(cell const& a, cell const& b, column_type type) noexcept;

inline bool is_null(cell const& c) noexcept { return c.null; }

/// One node of a condition; immutable once built and shared between copies.
struct condition {
  enum class kind { constant, compare, in, is_null, like, between, all, any, negate };
  kind what = kind::constant;
  bool flag = false;  ///< constant: its value; in: NOT IN; is_null: IS NULL (else IS NOT NULL)
  compare_op op = compare_op::eq;
  std::size_t column = 0;
  std::vector<cell> values{};  ///< compare: 1, in: n, like: the pattern, between: low and high
  std::shared_ptr<condition const> left{}, right{};
};
using condition_ptr = std::shared_ptr<condition const>;

TASKSTORE_DECL condition_ptr make_condition(condition c);

TASKSTORE_DECL condition_ptr constant_condition(bool value);
TASKSTORE_DECL condition_ptr compare_condition(std::size_t column, compare_op op, cell value);
/// `column IN (…)`, or NOT IN when `negate`; an empty list is FALSE (NOT IN: TRUE).
TASKSTORE_DECL condition_ptr in_condition(std::size_t column, std::vector<cell> values, bool negate);
TASKSTORE_DECL condition_ptr null_condition(std::size_t column, bool want_null);
TASKSTORE_DECL condition_ptr like_condition(std::size_t column, cell pattern);
TASKSTORE_DECL condition_ptr between_condition(std::size_t column, cell low, cell high);
TASKSTORE_DECL condition_ptr and_condition(condition_ptr a, condition_ptr b);
TASKSTORE_DECL condition_ptr or_condition(condition_ptr a, condition_ptr b);
TASKSTORE_DECL condition_ptr not_condition(condition_ptr a);

TASKSTORE_DECL std::string_view sql_operator(compare_op op) noexcept;

/// Appends `c` as SQL over `table`'s columns, every value a bound parameter.
TASKSTORE_DECL void render(condition const& c, table_info const& table, sql_builder& b);

/// True, false, or unknown (nullopt) for `row`, with SQL's three-valued logic:
/// a comparison with NULL is unknown.
TASKSTORE_DECL std::optional<bool> evaluate(condition const& c, table_info const& table, row_ref row);

/// One ORDER BY column.
struct order_column {
  std::size_t index = 0;
  bool descending = false;
};

/// The values a row sorts by under `order`.
TASKSTORE_DECL std::vector<cell> order_key(std::span<order_column const> order, row_ref row);

/// <0 when the row keyed `a` comes before the row keyed `b` in `order`, as the
/// databases order: NULL smallest, so first ascending and last descending.
TASKSTORE_DECL int compare_keys(table_info const& table, std::span<order_column const> order, std::span<cell const> a,
                                std::span<cell const> b) noexcept;

/// The rows after `cursor` in `order` (which ends with the primary key): keyset
/// pagination. `(a > x) OR (a = x AND b > y) OR …` in each term's direction,
/// with NULL the smallest value.
TASKSTORE_DECL condition_ptr keyset_after(table_info const& table, std::span<order_column const> order, row_ref cursor);

/// Appends to `out` the columns that the top-level AND chain of `c` fixes to
/// one value (`=`, IS NULL).
TASKSTORE_DECL void collect_fixed_columns(condition const& c, std::vector<std::size_t>& out);

/// The index that reads a keyset page in `order` from its cursor: its leading
/// columns fixed by `where`, then the order's columns (the primary key may be
/// left out: InnoDB appends it to every index). nullptr when none does, or
/// when the order mixes directions (no index reads it in order).
TASKSTORE_DECL index_info const* keyset_index(table_info const& table, condition const* where,
                                              std::span<order_column const> order);

/// query<T>::render_index_hint() for any table: on MySQL and MariaDB, a
/// keyset page names keyset_index(). Given ORDER BY … LIMIT, MariaDB's
/// optimizer would rather walk an index by its fixed prefix from the first
/// row than seek to the cursor, and so reads every row before it (a page
/// deep in a user's 10,000 tasks read 8,100 index entries for 100 rows);
/// named, the index is sought to the cursor.
TASKSTORE_DECL void render_keyset_index_hint(sql_builder& b, table_info const& table, condition const* where,
                                             std::span<order_column const> order);

/// Appends `column = value`, or `column = column + value` for an increment.
TASKSTORE_DECL void render_assignment(sql_builder& b, column_info const& column, cell const& value, bool increment);

/// query<T>::render_order_and_page() for any table: `skip_locked` appends
/// the dialect's skip_locked(), else `lock` its row_lock().
TASKSTORE_DECL void render_order_and_page(sql_builder& b, table_info const& table, std::span<order_column const> order,
                                          std::optional<std::size_t> limit, std::optional<std::size_t> offset,
                                          bool skip_locked, bool lock = false);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/sql/detail/impl/condition.ipp>
#endif
