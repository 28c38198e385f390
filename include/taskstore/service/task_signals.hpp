// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The notifications the task services (task_service, task_claims,
/// task_maintenance) send when a task needs a worker's attention
/// (database::notify()), and how a worker reads them.

#include <taskstore/types/uuid.hpp>

#include <string>
#include <string_view>

namespace taskstore {

/// A task notification's payload: `q:<tool_id>` when a task of that tool
/// can be claimed now, `r:<task_id>` when a task a worker holds was taken
/// from it (cancelled, requeued). The database also delivers `*`: look at
/// everything.
struct task_signal {
  enum class kind { queued, revoked, anything, unknown };
  kind what = kind::unknown;
  std::string_view subject{};  ///< the tool id or task id, a view into the payload

  static std::string queued(std::string_view tool_id) { return "q:" + std::string(tool_id); }
  static std::string revoked(uuid const& task_id) { return "r:" + task_id.to_string(); }

  static task_signal read(std::string_view payload) noexcept {
    if (payload == "*") return {kind::anything, {}};
    if (payload.size() < 2 || payload[1] != ':') return {};
    auto const subject = payload.substr(2);
    if (payload[0] == 'q') return {kind::queued, subject};
    if (payload[0] == 'r') return {kind::revoked, subject};
    return {};
  }
};

}  // namespace taskstore
