// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/sql/detail/condition.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/sql/detail/condition.hpp>

#include <algorithm>
#include <string>
#include <utility>

namespace taskstore::detail {

cell row_ref::at(std::size_t column) const {
  cell c;
  read(row, column, c);
  return c;
}

std::partial_ordering compare_cells(cell const& a, cell const& b, column_type type) noexcept {
  switch (type) {
    case column_type::boolean:
    case column_type::int32:
    case column_type::int64:
    case column_type::timestamp: return a.integer <=> b.integer;
    case column_type::real: return a.real <=> b.real;
    default: return std::string_view(a.text) <=> std::string_view(b.text);
  }
}

condition_ptr make_condition(condition c) { return std::make_shared<condition const>(std::move(c)); }

condition_ptr constant_condition(bool value) {
  return make_condition({.what = condition::kind::constant, .flag = value});
}
condition_ptr compare_condition(std::size_t column, compare_op op, cell value) {
  std::vector<cell> values;
  values.push_back(std::move(value));
  return make_condition({.what = condition::kind::compare, .op = op, .column = column, .values = std::move(values)});
}
condition_ptr in_condition(std::size_t column, std::vector<cell> values, bool negate) {
  if (values.empty()) return constant_condition(negate);
  return make_condition({.what = condition::kind::in, .flag = negate, .column = column, .values = std::move(values)});
}
condition_ptr null_condition(std::size_t column, bool want_null) {
  return make_condition({.what = condition::kind::is_null, .flag = want_null, .column = column});
}
condition_ptr like_condition(std::size_t column, cell pattern) {
  std::vector<cell> values;
  values.push_back(std::move(pattern));
  return make_condition({.what = condition::kind::like, .column = column, .values = std::move(values)});
}
condition_ptr between_condition(std::size_t column, cell low, cell high) {
  std::vector<cell> values;
  values.push_back(std::move(low));
  values.push_back(std::move(high));
  return make_condition({.what = condition::kind::between, .column = column, .values = std::move(values)});
}
condition_ptr and_condition(condition_ptr a, condition_ptr b) {
  return make_condition({.what = condition::kind::all, .left = std::move(a), .right = std::move(b)});
}
condition_ptr or_condition(condition_ptr a, condition_ptr b) {
  return make_condition({.what = condition::kind::any, .left = std::move(a), .right = std::move(b)});
}
condition_ptr not_condition(condition_ptr a) {
  return make_condition({.what = condition::kind::negate, .left = std::move(a)});
}

std::string_view sql_operator(compare_op op) noexcept {
  switch (op) {
    case compare_op::eq: return "=";
    case compare_op::ne: return "<>";
    case compare_op::lt: return "<";
    case compare_op::le: return "<=";
    case compare_op::gt: return ">";
    case compare_op::ge: return ">=";
  }
  return "=";
}

void render(condition const& c, table_info const& table, sql_builder& b) {
  auto const& column = table.columns[c.column];
  switch (c.what) {
    case condition::kind::constant: b.text += c.flag ? "1 = 1" : "1 = 0"; return;
    case condition::kind::compare:
      b.column(column.name);
      b.text += ' ';
      b.text += sql_operator(c.op);
      b.text += ' ';
      b.bind(c.values[0], column.type);
      return;
    case condition::kind::in:
      b.column(column.name);
      b.text += c.flag ? " NOT IN (" : " IN (";
      for (std::size_t i = 0; i < c.values.size(); ++i) {
        if (i) b.text += ", ";
        b.bind(c.values[i], column.type);
      }
      b.text += ')';
      return;
    case condition::kind::is_null:
      b.column(column.name);
      b.text += c.flag ? " IS NULL" : " IS NOT NULL";
      return;
    case condition::kind::like:
      b.column(column.name);
      b.text += " LIKE ";
      b.bind(c.values[0], column_type::text);
      b.text += " ESCAPE '!'";
      return;
    case condition::kind::between:
      b.column(column.name);
      b.text += " BETWEEN ";
      b.bind(c.values[0], column.type);
      b.text += " AND ";
      b.bind(c.values[1], column.type);
      return;
    case condition::kind::all:
    case condition::kind::any:
      b.text += '(';
      render(*c.left, table, b);
      b.text += c.what == condition::kind::all ? " AND " : " OR ";
      render(*c.right, table, b);
      b.text += ')';
      return;
    case condition::kind::negate:
      b.text += "NOT (";
      render(*c.left, table, b);
      b.text += ')';
      return;
  }
}

std::optional<bool> evaluate(condition const& c, table_info const& table, row_ref row) {
  using kind = condition::kind;
  switch (c.what) {
    case kind::constant: return c.flag;
    case kind::all: {
      auto const x = evaluate(*c.left, table, row), y = evaluate(*c.right, table, row);
      if (x == false || y == false) return false;
      if (!x || !y) return std::nullopt;
      return true;
    }
    case kind::any: {
      auto const x = evaluate(*c.left, table, row), y = evaluate(*c.right, table, row);
      if (x == true || y == true) return true;
      if (!x || !y) return std::nullopt;
      return false;
    }
    case kind::negate: {
      auto const x = evaluate(*c.left, table, row);
      if (!x) return std::nullopt;
      return !*x;
    }
    default: break;
  }
  auto const value = row.at(c.column);
  if (c.what == kind::is_null) return is_null(value) == c.flag;
  if (is_null(value)) return std::nullopt;
  auto const type = table.columns[c.column].type;
  switch (c.what) {
    case kind::compare: {
      auto const r = compare_cells(value, c.values[0], type);
      switch (c.op) {
        case compare_op::eq: return r == 0;
        case compare_op::ne: return r != 0;
        case compare_op::lt: return r < 0;
        case compare_op::le: return r <= 0;
        case compare_op::gt: return r > 0;
        case compare_op::ge: return r >= 0;
      }
      return false;
    }
    case kind::in: {
      bool found = false;
      for (auto const& v : c.values) found = found || compare_cells(value, v, type) == 0;
      return found != c.flag;
    }
    case kind::like: return like_match(value.text, c.values[0].text);
    case kind::between:
      return !(compare_cells(value, c.values[0], type) < 0) && !(compare_cells(c.values[1], value, type) < 0);
    default: return std::nullopt;
  }
}

std::vector<cell> order_key(std::span<order_column const> order, row_ref row) {
  std::vector<cell> key;
  key.reserve(order.size());
  for (auto const& t : order) key.push_back(row.at(t.index));
  return key;
}

int compare_keys(table_info const& table, std::span<order_column const> order, std::span<cell const> a,
                 std::span<cell const> b) noexcept {
  for (std::size_t i = 0; i < order.size(); ++i) {
    int r = 0;
    if (is_null(a[i]) || is_null(b[i])) {
      r = (is_null(a[i]) ? 0 : 1) - (is_null(b[i]) ? 0 : 1);
    } else {
      auto const o = compare_cells(a[i], b[i], table.columns[order[i].index].type);
      r = o < 0 ? -1 : o > 0 ? 1 : 0;
    }
    if (r) return order[i].descending ? -r : r;
  }
  return 0;
}

condition_ptr keyset_after(table_info const& table, std::span<order_column const> order, row_ref cursor) {
  condition_ptr any, prefix, start;
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto const& t = order[i];
    bool const nullable = table.columns[t.index].nullable;
    auto v = cursor.at(t.index);
    bool const null = is_null(v);
    condition_ptr after;
    if (!t.descending)
      after = null ? null_condition(t.index, false) : compare_condition(t.index, compare_op::gt, v);
    else if (null)
      after = constant_condition(false);
    else if (nullable)
      after = or_condition(compare_condition(t.index, compare_op::lt, v), null_condition(t.index, true));
    else
      after = compare_condition(t.index, compare_op::lt, v);
    // The leading column at or after the cursor's value: implied by the
    // condition, and stated on its own so that the database seeks to the
    // cursor instead of filtering every earlier row.
    if (i == 0 && !null && order.size() > 1) {
      auto const op = t.descending ? compare_op::le : compare_op::ge;
      start = compare_condition(t.index, op, v);
      if (t.descending && nullable) start = or_condition(start, null_condition(t.index, true));
    }
    auto step = prefix ? and_condition(prefix, after) : after;
    any = any ? or_condition(any, step) : step;
    auto equal = null ? null_condition(t.index, true) : compare_condition(t.index, compare_op::eq, std::move(v));
    prefix = prefix ? and_condition(prefix, equal) : equal;
  }
  return start ? and_condition(start, any) : any;
}

void collect_fixed_columns(condition const& c, std::vector<std::size_t>& out) {
  if (c.what == condition::kind::all) {
    collect_fixed_columns(*c.left, out);
    collect_fixed_columns(*c.right, out);
  } else if ((c.what == condition::kind::compare && c.op == compare_op::eq) ||
             (c.what == condition::kind::is_null && c.flag)) {
    out.push_back(c.column);
  }
}

index_info const* keyset_index(table_info const& table, condition const* where, std::span<order_column const> order) {
  if (order.empty()) return nullptr;
  for (auto const& t : order)
    if (t.descending != order.front().descending) return nullptr;
  std::vector<std::size_t> fixed;
  if (where) collect_fixed_columns(*where, fixed);
  auto const is_fixed = [&](std::string_view name) {
    return std::ranges::any_of(fixed, [&](std::size_t i) { return table.columns[i].name == name; });
  };
  bool const key_last = order.back().index == table.key_index;
  index_info const* best = nullptr;
  std::size_t best_fixed = 0;
  for (auto const& index : table.indexes) {
    std::span<std::string_view const> columns(index.columns, index.column_count);
    std::size_t fixed_prefix = 0;
    while (fixed_prefix < columns.size() && is_fixed(columns[fixed_prefix])) ++fixed_prefix;
    std::size_t matched = 0;
    while (fixed_prefix + matched < columns.size() && matched < order.size() &&
           columns[fixed_prefix + matched] == table.columns[order[matched].index].name)
      ++matched;
    bool const reads_in_order = matched == order.size() || (key_last && matched + 1 == order.size());
    // The most fixed columns: the narrowest range to seek in.
    if (matched > 0 && reads_in_order && (!best || fixed_prefix > best_fixed)) {
      best = &index;
      best_fixed = fixed_prefix;
    }
  }
  return best;
}

void render_keyset_index_hint(sql_builder& b, table_info const& table, condition const* where,
                              std::span<order_column const> order) {
  if (!b.dialect.forces_keyset_index()) return;
  if (auto const* index = keyset_index(table, where, order)) {
    b.text += " FORCE INDEX (";
    b.column(index->name);
    b.text += ')';
  }
}

void render_assignment(sql_builder& b, column_info const& column, cell const& value, bool increment) {
  b.column(column.name);
  b.text += " = ";
  if (increment) {
    b.column(column.name);
    b.text += " + ";
  }
  b.bind(value, column.type);
}

void render_order_and_page(sql_builder& b, table_info const& table, std::span<order_column const> order,
                           std::optional<std::size_t> limit, std::optional<std::size_t> offset, bool skip_locked,
                           bool lock) {
  b.text += " ORDER BY ";
  bool first = true;
  for (auto const& t : order) {
    auto const& c = table.columns[t.index];
    if (!first) b.text += ", ";
    first = false;
    b.column(c.name);
    if (t.descending) b.text += " DESC";
    if (c.nullable) b.text += b.dialect.nulls_order(t.descending);
  }
  if (limit) b.text += " LIMIT " + std::to_string(*limit);
  if (offset) {
    if (!limit) b.text += b.dialect.no_limit();
    b.text += " OFFSET " + std::to_string(*offset);
  }
  if (skip_locked)
    b.text += b.dialect.skip_locked();
  else if (lock)
    b.text += b.dialect.row_lock();
}

}  // namespace taskstore::detail
