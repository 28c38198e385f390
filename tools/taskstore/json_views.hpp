// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The JSON the tool prints and `taskstore serve` answers for values that have
// no described struct: one shape for both.

#include <taskstore/db/replica_status.hpp>
#include <taskstore/service/queue_control.hpp>

#include <boost/json/value.hpp>

namespace taskstore::cli {

/// One tool's queue: `queue stats --json`, /api/queues, /api/overview.
inline boost::json::object queue_json(queue_stats const& q) {
  namespace json = boost::json;
  return {{"tool_id", q.tool_id},
          {"paused", q.paused},
          {"max_processing", q.max_processing ? json::value(*q.max_processing) : json::value()},
          {"queued", q.queued},
          {"processing", q.processing},
          {"oldest_queued_age_s", q.oldest_queued_age ? json::value(q.oldest_queued_age->count()) : json::value()}};
}

/// The standby's state: `stats --json` and /api/overview.
inline boost::json::object replica_json(replica_status const& r) {
  namespace json = boost::json;
  return {{"serving", r.serving},
          {"lag_ms", r.lag ? json::value(r.lag->count()) : json::value()},
          {"max_lag_ms", r.max_lag.count()},
          {"problem", r.problem}};
}

}  // namespace taskstore::cli
