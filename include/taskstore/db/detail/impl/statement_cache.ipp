// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/detail/statement_cache.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/detail/statement_cache.hpp>

namespace taskstore::detail {

inline void bind_use(soci::statement& st, cell& c, soci::indicator& ind, cell_slot slot) {
  switch (slot) {
    case cell_slot::integer: st.exchange(soci::use(c.integer, ind)); break;
    case cell_slot::real: st.exchange(soci::use(c.real, ind)); break;
    case cell_slot::text: st.exchange(soci::use(c.text, ind)); break;
  }
}
inline void bind_into(soci::statement& st, cell& c, soci::indicator& ind, cell_slot slot) {
  switch (slot) {
    case cell_slot::integer: st.exchange(soci::into(c.integer, ind)); break;
    case cell_slot::real: st.exchange(soci::into(c.real, ind)); break;
    case cell_slot::text: st.exchange(soci::into(c.text, ind)); break;
  }
}

prepared_statement::prepared_statement(soci::session& session, std::string const& sql,
                                       std::vector<cell_slot> const& param_slots,
                                       std::vector<cell_slot> const& result_slots, bool named)
    : params_(param_slots.size()),
      results_(result_slots.size()),
      param_nulls_(param_slots.size(), soci::i_ok),
      result_nulls_(result_slots.size(), soci::i_ok),
      statement_(session) {
  for (std::size_t i = 0; i < results_.size(); ++i)
    bind_into(statement_, results_[i], result_nulls_[i], result_slots[i]);
  for (std::size_t i = 0; i < params_.size(); ++i) bind_use(statement_, params_[i], param_nulls_[i], param_slots[i]);
  statement_.alloc();
  statement_.prepare(sql, named ? soci::details::st_repeatable_query : soci::details::st_one_time_query);
  statement_.define_and_bind();
}

void prepared_statement::finish() {
  while (statement_.fetch()) {
  }
}

prepared_statement& statement_cache::get(soci::session& session, std::string const& sql,
                                         std::vector<cell_slot> const& param_slots,
                                         std::vector<cell_slot> const& result_slots) {
  if (auto it = entries_.find(sql); it != entries_.end()) {
    ++hits_;
    return *it->second;
  }
  if (entries_.size() >= max_entries) clear();
  auto prepared = std::make_unique<prepared_statement>(session, sql, param_slots, result_slots, named_);
  return *entries_.emplace(sql, std::move(prepared)).first->second;
}

statement_cache::shaped const* statement_cache::find_shape(std::string const& shape) {
  auto const it = shapes_.find(shape);
  if (it == shapes_.end()) return nullptr;
  ++hits_;
  return &it->second;
}

void statement_cache::evict(std::string const& sql) {
  auto const it = entries_.find(sql);
  if (it == entries_.end()) return;
  std::erase_if(shapes_, [&](auto const& s) { return s.second.statement == it->second.get(); });
  entries_.erase(it);
}

void statement_cache::clear() noexcept {
  shapes_.clear();
  entries_.clear();
}

}  // namespace taskstore::detail
