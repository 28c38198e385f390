// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/detail/limit_gate.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/detail/limit_gate.hpp>

#include <algorithm>

namespace taskstore::detail {

std::int32_t limit_gate_slot(std::string_view kind, std::string_view key) {
  std::uint64_t h = 14695981039346656037ull;
  auto const mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  mix(kind);
  mix(":");
  mix(key);
  return static_cast<std::int32_t>(h % static_cast<std::uint64_t>(limit_gate_slots));
}

bool queue_controls::is_paused(std::string const& tool_id) const {
  return std::find(paused.begin(), paused.end(), tool_id) != paused.end();
}

queue_controls queue_controls::read(database const& db) {
  queue_controls out;
  for (auto const& q : soci_repository<task_queue>(db).find(query<task_queue>{})) {
    if (q.tool_id.empty()) {  // the per-user settings
      out.user_limits = true;
      out.default_user_limit = q.max_processing;
      continue;
    }
    if (q.paused_at) out.paused.push_back(q.tool_id);
    if (q.max_processing) out.tool_limits.emplace(q.tool_id, *q.max_processing);
  }
  return out;
}

limit_admission::limit_admission(database const& db, queue_controls const& controls) : db_(db), controls_(controls) {}

std::vector<task> limit_admission::admit(std::vector<task>&& rows, std::size_t max) {
  // The limits of the tasks' keys; a key without one needs no gate.
  std::vector<key_state*> pending;
  std::vector<std::string> pending_tools;
  std::vector<std::int64_t> pending_users;
  for (auto const& t : rows) {
    auto const limit = controls_.tool_limits.find(t.tool_id);
    if (limit == controls_.tool_limits.end() || tools_.count(t.tool_id)) continue;
    auto& k = tools_[t.tool_id];
    k.limit = limit->second;
    k.slot = limit_gate_slot("tool", t.tool_id);
    pending.push_back(&k);
    pending_tools.push_back(t.tool_id);
  }
  if (controls_.user_limits) {
    std::vector<std::int64_t> unknown;
    for (auto const& t : rows)
      if (!users_.count(t.user_id) && std::find(unknown.begin(), unknown.end(), t.user_id) == unknown.end())
        unknown.push_back(t.user_id);
    if (!unknown.empty()) {
      auto const own = soci_repository<task_user_limit>(db_).find(
          query<task_user_limit>{col(&task_user_limit::user_id).in(unknown)});
      for (auto const u : unknown) {
        auto const it = std::find_if(own.begin(), own.end(), [&](auto const& l) { return l.user_id == u; });
        auto& k = users_[u];
        if (it != own.end()) {
          k.limit = it->max_processing;
        } else if (controls_.default_user_limit) {
          k.limit = *controls_.default_user_limit;
        } else {
          k.gated = true;  // unlimited: never gated, never counted
          k.limit = -1;
          continue;
        }
        k.slot = limit_gate_slot("user", std::to_string(u));
        pending.push_back(&k);
        pending_users.push_back(u);
      }
    }
  }
  if (!pending.empty()) lock_and_count(pending, pending_tools, pending_users);

  auto const open = [](key_state const* k) { return !k || k->limit < 0 || (k->used && *k->used < k->limit); };
  std::vector<task> admitted;
  admitted.reserve(rows.size());
  for (auto& t : rows) {
    if (admitted.size() == max) break;  // the rest stay as they are, not turned away
    auto const tool = tools_.find(t.tool_id);
    key_state* tk = tool == tools_.end() ? nullptr : &tool->second;
    auto const user = users_.find(t.user_id);
    key_state* uk = user == users_.end() ? nullptr : &user->second;
    if (open(tk) && open(uk)) {
      if (tk) ++*tk->used;
      if (uk && uk->limit >= 0) ++*uk->used;
      admitted.push_back(std::move(t));
      continue;
    }
    ++rejected_;
    if (!open(tk) && std::find(saturated_tools_.begin(), saturated_tools_.end(), t.tool_id) == saturated_tools_.end())
      saturated_tools_.push_back(t.tool_id);
    if (!open(uk) && std::find(saturated_users_.begin(), saturated_users_.end(), t.user_id) == saturated_users_.end())
      saturated_users_.push_back(t.user_id);
  }
  return admitted;
}

void limit_admission::lock_and_count(std::vector<key_state*> const& keys, std::vector<std::string> const& tools,
                                     std::vector<std::int64_t> const& users) {
  std::vector<std::int32_t> wanted;
  for (auto const* k : keys)
    if (!held_.count(k->slot) && std::find(wanted.begin(), wanted.end(), k->slot) == wanted.end())
      wanted.push_back(k->slot);
  if (!wanted.empty()) {
    // The first gates are awaited, in ascending order, so that claimers never
    // wait for each other in a cycle; once some are held, more are only taken
    // if free (a key whose gate is busy waits for the next claim).
    auto q = query<task_limit_gate>{col(&task_limit_gate::slot).in(wanted)}.order_by(asc(&task_limit_gate::slot));
    q = held_.empty() ? q.locked() : q.skip_locked();
    for (auto const& g : soci_repository<task_limit_gate>(db_).find(q)) held_.insert(g.slot);
  }
  // Counted only now, under the gates: a count read before them could miss a
  // claim that commits in between.
  soci_repository<task> tasks(db_);
  for (std::size_t i = 0; i < keys.size(); ++i) {  // `keys` is the tools' then the users'
    auto* k = keys[i];
    k->gated = true;
    if (!held_.count(k->slot)) continue;
    auto processing = query<task>{col(&task::status) == task_status::PROCESSING};
    processing = i < tools.size() ? processing.where(col(&task::tool_id) == tools[i])
                                  : processing.where(col(&task::user_id) == users[i - tools.size()]);
    k->used = static_cast<std::int64_t>(tasks.count(processing));
  }
}

}  // namespace taskstore::detail
