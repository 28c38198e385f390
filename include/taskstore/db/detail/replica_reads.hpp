// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/db/backend.hpp>
#include <taskstore/db/connection_options.hpp>
#include <taskstore/db/replica_status.hpp>
#include <taskstore/detail/config.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace taskstore::detail {

class pool;
class session_lease;

/// Where database::reads() reads: a standby of the primary pool's database
/// while it is up, within the lag bound and caught up with the pool's own
/// writes; else the primary.
///
/// Read your writes: any use of a primary session marks the pool
/// (note_write(), when the session is returned, so after its commit). The
/// next read takes the mark and asks the primary for its write position, and
/// reads from the standby only once the standby has replayed that far. So a
/// read that starts after a write through the same pool returned sees it. A
/// new pool starts marked: its reads see all the primary had committed when
/// the first of them began (another process's `init` just before, say).
class replica_reads {
 public:
  /// `primary`: the primary's options, which name the standby.
  TASKSTORE_DECL explicit replica_reads(connection_options const& primary);
  TASKSTORE_DECL ~replica_reads();
  replica_reads(replica_reads const&) = delete;
  replica_reads& operator=(replica_reads const&) = delete;

  /// A session to read from: the standby's, or `primary`'s.
  TASKSTORE_DECL session_lease borrow(pool& primary);
  /// A session of `primary` was used: the next read must catch up with it.
  void note_write() noexcept { written_.store(true); }
  /// What reads see; `measure`: ask the standby now.
  TASKSTORE_DECL replica_status status(bool measure);

  /// How often a standby in use is asked for its lag.
  static constexpr std::chrono::milliseconds check_interval{250};
  /// Back-off after the standby failed, doubling from check_interval up to this.
  static constexpr std::chrono::milliseconds max_backoff{10000};

 private:
  using clock = std::chrono::steady_clock;

  /// The standby's pool, connecting it on first use; null while it is passed over.
  TASKSTORE_DECL pool* standby(clock::time_point now);
  /// The primary's write position this read must reach, and its generation.
  TASKSTORE_DECL std::pair<std::string, std::uint64_t> position_to_reach(pool& primary);
  TASKSTORE_DECL session_lease from_primary(pool& primary);
  /// Takes in what the standby said (mutex_ held). @returns whether it may serve reads.
  TASKSTORE_DECL bool record(standby_progress const& p, clock::time_point now);
  /// The standby failed: passed over for a back-off.
  TASKSTORE_DECL void failed(std::string why, clock::time_point now);

  connection_options options_;  // the standby's
  std::chrono::milliseconds max_lag_;

  std::mutex mutex_;  // guards what follows, up to position_mutex_
  std::unique_ptr<pool> standby_;
  bool connecting_ = false;
  clock::time_point retry_at_{};
  clock::time_point checked_at_{};
  std::chrono::milliseconds backoff_{0};
  std::optional<std::chrono::milliseconds> lag_;
  bool serving_ = false;
  std::string problem_;
  std::uint64_t reached_ = 0;  // the generation of the latest position the standby was seen to reach

  std::mutex position_mutex_;        // one read at a time asks the primary for its position
  std::atomic<bool> written_{true};  // a new pool first catches up with all the primary had, others' writes too
  std::string position_;
  std::uint64_t generation_ = 0;

  std::atomic<std::uint64_t> standby_reads_{0};
  std::atomic<std::uint64_t> primary_reads_{0};
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/db/detail/impl/replica_reads.ipp>
#endif
