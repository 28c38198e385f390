// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// A Repository in memory (memory_repository), for unit tests without a database.

#include <taskstore/error.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/repository/concepts.hpp>
#include <taskstore/sql/query.hpp>
#include <taskstore/value/detail/cell.hpp>

#include <algorithm>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <ranges>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace taskstore {

/// A Repository of T held in memory, for unit-testing code written against
/// `repository<R, T>` without a database. It answers queries exactly as the
/// SOCI repository does (same order, NULL rules, LIKE), assigns generated keys,
/// and enforces the primary key, unique columns and indexes (already_exists)
/// and the version column (conflict). It does not check CHECK constraints or
/// foreign keys. Thread-safe: any number of threads may share one.
template <class T>
requires described_struct<T> && has_table_traits<T>
class memory_repository {
 public:
  using value_type = T;
  using model = table_model<T>;
  using key_type = typename model::key_type;

  memory_repository() = default;

  /// @throws error already_exists for a taken key or unique value.
  T insert(T const& row) {
    std::unique_lock lock(mutex_);
    return insert_locked(row);
  }

  /// Stores every row of `rows`, all or none. @returns the rows as stored,
  /// generated keys in input order.
  template <std::ranges::input_range R>
  requires std::convertible_to<std::ranges::range_reference_t<R>, T const&> std::vector<T> insert_many(R&& rows) {
    std::unique_lock lock(mutex_);
    auto const saved_rows = rows_;
    auto const saved_unique = unique_;
    auto const saved_next = next_id_;
    std::vector<T> out;
    try {
      for (auto const& row : rows) out.push_back(insert_locked(row));
    } catch (...) {
      rows_ = saved_rows;  // all or nothing, like the transaction the SOCI repository uses
      unique_ = saved_unique;
      next_id_ = saved_next;
      throw;
    }
    return out;
  }

  /// Inserts, or replaces every column but the key of the row with the same
  /// key (or the same values of `conflict` members); bumps a version column.
  template <class... Ms>
  T upsert(T const& row, Ms T::*... conflict) {
    std::unique_lock lock(mutex_);
    std::optional<key_type> existing;
    if constexpr (sizeof...(Ms) == 0) {
      if (rows_.count(row.*model::key_member)) existing = row.*model::key_member;
    } else {
      for (auto const& [k, r] : rows_)
        if (((r.*conflict == row.*conflict) && ...)) existing = k;
    }
    if (!existing) return insert_locked(row);
    auto it = rows_.find(*existing);
    T updated = row;
    updated.*model::key_member = *existing;
    if constexpr (model::version_index.has_value()) updated.*version_member() = it->second.*version_member() + 1;
    replace(it, updated);
    return it->second;
  }

  /// The row with `key`, or nullopt.
  std::optional<T> find(key_type const& key) const {
    std::shared_lock lock(mutex_);
    auto it = rows_.find(key);
    if (it == rows_.end()) return std::nullopt;
    return it->second;
  }

  /// The rows `q` selects, in its order.
  std::vector<T> find(query<T> const& q) const {
    std::shared_lock lock(mutex_);
    return select(q);
  }
  /// The first row `q` selects, or nullopt.
  std::optional<T> find_one(query<T> const& q) const {
    auto rows = find(q.limit(1));
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

  /// The work-queue take (see soci_repository::take): the rows `q` selects,
  /// with `assignments` applied, atomically.
  template <class... Assignments>
  std::vector<T> take(query<T> const& q, Assignments const&... assignments) {
    static_assert(sizeof...(Assignments) > 0, "take needs at least one set(&T::member, value)");
    std::unique_lock lock(mutex_);
    auto rows = select(q);
    auto const saved_rows = rows_;
    auto const saved_unique = unique_;
    try {
      for (auto& r : rows) {
        (assignments.apply(r), ...);
        if constexpr (model::version_index.has_value()) ++(r.*version_member());
        replace(rows_.find(r.*model::key_member), r);
      }
    } catch (...) {
      rows_ = saved_rows;
      unique_ = saved_unique;
      throw;
    }
    return rows;
  }

 private:
  std::vector<T> select(query<T> const& q) const {
    // Each selected row with the values it sorts by, read once.
    auto const order = q.full_order();
    std::vector<std::pair<T const*, std::vector<detail::cell>>> keyed;
    for (auto const& [k, r] : rows_)
      if (!q.condition() || q.condition()->matches(r))
        keyed.emplace_back(&r, detail::order_key(order, detail::row_ref_of(r)));
    std::stable_sort(keyed.begin(), keyed.end(), [&](auto const& a, auto const& b) {
      return detail::compare_keys(model::info, order, a.second, b.second) < 0;
    });
    std::size_t const first = std::min(keyed.size(), q.offset_value().value_or(0));
    std::size_t const last = q.limit_value() ? std::min(keyed.size(), first + *q.limit_value()) : keyed.size();
    std::vector<T> out;
    out.reserve(last - first);
    for (std::size_t i = first; i < last; ++i) out.push_back(*keyed[i].first);
    return out;
  }

 public:
  /// @throws error conflict for a stale version; already_exists for a taken unique value.
  bool update(T& row) {
    std::unique_lock lock(mutex_);
    auto it = rows_.find(row.*model::key_member);
    if (it == rows_.end()) return false;
    T updated = row;
    if constexpr (model::version_index.has_value()) {
      if (it->second.*version_member() != row.*version_member())
        throw error(errc::conflict, "stale version of a " + std::string(model::table) + " row: it changed since read");
      ++(updated.*version_member());
    }
    replace(it, updated);
    row = it->second;
    return true;
  }

  /// Sets columns of every row `q` selects (`set(&T::a, v)…`), all or none;
  /// a version column is incremented. `q` may not have a limit or offset.
  /// @returns the number of rows changed.
  template <class... Assignments>
  std::size_t update_where(query<T> const& q, Assignments const&... assignments) {
    static_assert(sizeof...(Assignments) > 0, "update_where needs at least one set(&T::member, value)");
    if (q.limit_value() || q.offset_value())
      throw error(errc::validation_failed, "update_where takes a query without limit or offset");
    std::unique_lock lock(mutex_);
    auto const saved_rows = rows_;
    auto const saved_unique = unique_;
    std::size_t n = 0;
    try {
      for (auto it = rows_.begin(); it != rows_.end(); ++it) {
        if (q.condition() && !q.condition()->matches(it->second)) continue;
        T updated = it->second;
        (assignments.apply(updated), ...);
        if constexpr (model::version_index.has_value()) ++(updated.*version_member());
        replace(it, std::move(updated));
        ++n;
      }
    } catch (...) {
      rows_ = saved_rows;  // all or nothing, like one UPDATE statement
      unique_ = saved_unique;
      throw;
    }
    return n;
  }

  /// Removes the row with `key`; false when there was none.
  bool remove(key_type const& key) {
    std::unique_lock lock(mutex_);
    auto it = rows_.find(key);
    if (it == rows_.end()) return false;
    unindex_row(it->second);
    rows_.erase(it);
    return true;
  }
  /// Removes every row `q` selects (no limit or offset). @returns how many.
  std::size_t remove_where(query<T> const& q) {
    if (q.limit_value() || q.offset_value())
      throw error(errc::validation_failed, "remove_where takes a query without limit or offset");
    std::unique_lock lock(mutex_);
    std::size_t n = 0;
    for (auto it = rows_.begin(); it != rows_.end();) {
      if (q.condition() && !q.condition()->matches(it->second)) {
        ++it;
        continue;
      }
      unindex_row(it->second);
      it = rows_.erase(it);
      ++n;
    }
    return n;
  }

  /// The number of rows.
  std::size_t count() const {
    std::shared_lock lock(mutex_);
    return rows_.size();
  }
  /// The number of rows `q` selects (its limit and offset ignored).
  std::size_t count(query<T> const& q) const {
    std::shared_lock lock(mutex_);
    return static_cast<std::size_t>(std::count_if(rows_.begin(), rows_.end(), [&](auto const& kv) {
      return !q.condition() || q.condition()->matches(kv.second);
    }));
  }
  /// Whether `q` selects any row.
  bool exists(query<T> const& q) const { return count(q) > 0; }

 private:
  T insert_locked(T const& row) {
    T out = row;
    if constexpr (std::is_integral_v<key_type>) {
      if (model::columns[model::key_index].generated && out.*model::key_member == 0)
        out.*model::key_member = static_cast<key_type>(next_id_);
    }
    auto const key = out.*model::key_member;
    if (rows_.count(key))
      throw error(errc::already_exists, "primary key of a " + std::string(model::table) + " row is taken");
    check_unique(out, nullptr);
    if constexpr (std::is_integral_v<key_type>)
      next_id_ = std::max<long long>(next_id_, static_cast<long long>(key) + 1);
    rows_.emplace(key, out);
    index_row(out, key);
    return out;
  }

  using unique_key = std::vector<std::string>;

  struct unique_constraint {
    std::string_view name;
    std::string_view const* columns;
    std::size_t count;
  };
  /// The primary key aside, every unique column and unique index of T.
  static std::vector<unique_constraint> const& constraints() {
    static std::vector<unique_constraint> const list = [] {
      std::vector<unique_constraint> out;
      for (auto const& c : model::columns)
        if (c.options.unique) out.push_back({c.name, &c.name, 1});
      for (auto const& ix : model::indexes)
        if (ix.unique) out.push_back({ix.name, ix.columns, ix.column_count});
      return out;
    }();
    return list;
  }

  /// The stored form of a constraint's columns, or nullopt when one is NULL
  /// (NULLs never collide, as in SQL).
  static std::optional<unique_key> unique_values(T const& row, unique_constraint const& u) {
    unique_key out(u.count);
    bool has_null = false;
    model::for_each_column(row, [&](column_info const& c, auto const& member) {
      for (std::size_t i = 0; i < u.count; ++i) {
        if (u.columns[i] != c.name) continue;
        detail::cell cell;
        detail::to_cell(member, cell);
        if (cell.null) has_null = true;
        out[i] = std::to_string(cell.integer) + '|' + std::to_string(cell.real) + '|' + cell.text;
      }
    });
    if (has_null) return std::nullopt;
    return out;
  }

  /// already_exists when a row other than `self` holds the same values of a unique constraint.
  void check_unique(T const& row, key_type const* self) const {
    auto const& list = constraints();
    for (std::size_t i = 0; i < list.size(); ++i) {
      auto const values = unique_values(row, list[i]);
      if (!values) continue;
      auto it = unique_[i].find(*values);
      if (it != unique_[i].end() && (!self || !(it->second == *self)))
        throw error(errc::already_exists,
                    "unique key " + std::string(list[i].name) + " of " + std::string(model::table) + " is taken");
    }
  }
  void index_row(T const& row, key_type const& key) {
    auto const& list = constraints();
    for (std::size_t i = 0; i < list.size(); ++i)
      if (auto values = unique_values(row, list[i])) unique_[i][std::move(*values)] = key;
  }
  void unindex_row(T const& row) {
    auto const& list = constraints();
    for (std::size_t i = 0; i < list.size(); ++i)
      if (auto values = unique_values(row, list[i])) unique_[i].erase(*values);
  }
  /// Replaces the stored row at `it` with `updated`, keeping the unique indexes true.
  template <class It>
  void replace(It it, T updated) {
    check_unique(updated, &it->first);
    unindex_row(it->second);
    index_row(updated, it->first);
    it->second = std::move(updated);
  }

  /// The version member; only called where the table has one (any use
  /// without is guarded by `if constexpr`, so explicit instantiation works).
  static constexpr auto version_member() {
    if constexpr (model::version_index.has_value())
      return std::remove_cvref_t<decltype(model::traits::version)>::member;
    else
      return nullptr;
  }

  mutable std::shared_mutex mutex_;
  std::map<key_type, T> rows_;
  std::vector<std::map<unique_key, key_type>> unique_ =
      std::vector<std::map<unique_key, key_type>>(constraints().size());
  long long next_id_ = 1;
};

}  // namespace taskstore
