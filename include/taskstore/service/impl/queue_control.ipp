// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/queue_control.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/queue_control.hpp>

#include <taskstore/domain/task.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/error.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/task_signals.hpp>

#include <algorithm>

namespace taskstore {

namespace detail {
inline void check_queue_limit(std::optional<std::int32_t> max_processing) {
  if (max_processing && *max_processing < 0)
    throw error(errc::validation_failed, "a limit is 0 or more, not " + std::to_string(*max_processing),
                "max_processing");
}

/// The tool's row, made if missing, locked until the transaction ends.
inline task_queue locked_queue_row(database const& db, std::string const& tool_id) {
  soci_repository<task_queue> queues(db);
  auto const q = query<task_queue>{col(&task_queue::tool_id) == tool_id}.locked();
  if (auto row = queues.find_one(q)) return std::move(*row);
  // Not there: insert, unless a concurrent call just did.
  queues.insert_if_absent({tool_id, std::nullopt, std::nullopt, timestamp::now()});
  return *queues.find_one(q);
}
}  // namespace detail

queue_control::queue_control(database const& db) : db_(db) {}

void queue_control::pause(std::string const& tool_id) {
  check_tool_id(tool_id);
  change(tool_id, true, true, std::nullopt);
}

void queue_control::resume(std::string const& tool_id) {
  check_tool_id(tool_id);
  change(tool_id, true, false, std::nullopt);
}

void queue_control::set_limit(std::string const& tool_id, std::optional<std::int32_t> max_processing) {
  check_tool_id(tool_id);
  detail::check_queue_limit(max_processing);
  change(tool_id, false, false, max_processing);
}

void queue_control::set_default_user_limit(std::optional<std::int32_t> max_processing) {
  detail::check_queue_limit(max_processing);
  // The empty tool_id's row stays once made: its presence tells claims to
  // look up users' limits, which set_user_limit() may have added.
  db_.transact([&] {
    auto row = detail::locked_queue_row(db_, std::string());
    row.max_processing = max_processing;
    row.updated_at = timestamp::now();
    soci_repository<task_queue>(db_).update(row);
  });
}

void queue_control::set_user_limit(std::int64_t user_id, std::optional<std::int32_t> max_processing) {
  detail::check_queue_limit(max_processing);
  db_.transact([&] {
    soci_repository<task_user_limit> limits(db_);
    if (!max_processing) {
      limits.remove(user_id);
      return;
    }
    detail::locked_queue_row(db_, std::string());  // per-user limits exist from now on
    limits.upsert(task_user_limit{user_id, *max_processing, timestamp::now()});
  });
}

void queue_control::change(std::string const& tool_id, bool set_pause, bool pause,
                           std::optional<std::optional<std::int32_t>> limit) {
  db_.transact([&] {
    soci_repository<task_queue> queues(db_);
    auto const now = timestamp::now();
    auto row = detail::locked_queue_row(db_, tool_id);
    if (set_pause) row.paused_at = pause ? row.paused_at.value_or(now) : std::optional<timestamp>();
    if (limit) row.max_processing = *limit;
    row.updated_at = now;
    if (!row.paused_at && !row.max_processing)
      queues.remove(tool_id);  // a tool without settings has no row: claims stay on their fast path
    else
      queues.update(row);
    // Resumed, or its limit changed: its tasks may be claimable now.
    if (!row.paused_at) db_.notify(task_signal::queued(tool_id));
  });
}

std::vector<task_queue> queue_control::settings() const {
  return soci_repository<task_queue>(db_).find(
      query<task_queue>{col(&task_queue::tool_id) != std::string()}.order_by(asc(&task_queue::tool_id)));
}

std::vector<task_user_limit> queue_control::user_limits() const {
  return soci_repository<task_user_limit>(db_).find(query<task_user_limit>{}.order_by(asc(&task_user_limit::user_id)));
}

std::optional<std::int32_t> queue_control::default_user_limit() const {
  auto const row = soci_repository<task_queue>(db_).find(std::string());
  return row ? row->max_processing : std::nullopt;
}

std::vector<queue_stats> queue_control::stats(std::vector<std::string> const& tool_ids) const {
  for (auto const& t : tool_ids) check_tool_id(t);
  auto const rows = settings();
  soci_repository<task> tasks(db_.reads());  // counts may lag a little: from a standby where there is one
  std::vector<std::string> tools = tool_ids;
  if (tools.empty()) {
    for (auto const& r : rows) tools.push_back(r.tool_id);
    // The tools with work, per status in key order: each step seeks the next
    // tool id after the last one in the (status, tool_id, ...) index.
    for (auto const status : {task_status::QUEUED, task_status::PROCESSING}) {
      for (std::optional<std::string> last;;) {
        auto q = query<task>{col(&task::status) == status};
        if (last) q = q.where(col(&task::tool_id) > *last);
        auto const next = tasks.find_one(q.order_by(asc(&task::tool_id)).limit(1));
        if (!next) break;
        last = next->tool_id;
        tools.push_back(next->tool_id);
      }
    }
  }
  std::sort(tools.begin(), tools.end());
  tools.erase(std::unique(tools.begin(), tools.end()), tools.end());
  auto const now = timestamp::now();
  std::vector<queue_stats> out;
  for (auto const& tool : tools) {
    queue_stats s;
    s.tool_id = tool;
    auto const r = std::find_if(rows.begin(), rows.end(), [&](auto const& q) { return q.tool_id == tool; });
    if (r != rows.end()) {
      s.paused = r->paused_at.has_value();
      s.max_processing = r->max_processing;
    }
    auto const queued = query<task>{col(&task::status) == task_status::QUEUED && col(&task::tool_id) == tool &&
                                    col(&task::deleted_at).is_null()};
    s.queued = static_cast<std::int64_t>(tasks.count(queued));
    s.processing = static_cast<std::int64_t>(
        tasks.count(query<task>{col(&task::status) == task_status::PROCESSING && col(&task::tool_id) == tool}));
    if (s.queued > 0)
      if (auto const oldest = tasks.find_one(queued.order_by(asc(&task::queued_at)).limit(1)))
        s.oldest_queued_age =
            std::max(std::chrono::seconds(0), std::chrono::duration_cast<std::chrono::seconds>(
                                                  now.time() - oldest->queued_at.value_or(oldest->created_at).time()));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace taskstore
