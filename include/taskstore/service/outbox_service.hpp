// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The outbox_service: the e-mail outbox.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/email_message.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/detail/leases.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// What enqueue() needs.
struct outgoing_email {
  uuid task_id{};
  std::string recipient{};
  std::string subject{};
  std::string body{};
  email_priority priority = email_priority::NORMAL;
  std::optional<std::int64_t> draft_id{};
};

/// The e-mail outbox: senders take batches by priority then age
/// (PENDING → SENDING under a lease), then mark each sent or failed; a failed
/// message is retried until its third attempt, then stays FAILED.
class outbox_service {
 public:
  static constexpr std::int32_t max_attempts = 3;

  TASKSTORE_DECL explicit outbox_service(database const& db);

  /// @throws error validation_failed for an invalid recipient (field `recipient`).
  TASKSTORE_DECL email_message enqueue(outgoing_email const& e);

  /// Up to `n` PENDING messages, most urgent then oldest first, now SENDING
  /// and leased to `sender`, in one transaction: the same take as task
  /// claims (SKIP LOCKED on PostgreSQL and MariaDB), so each message goes to
  /// exactly one sender and senders never wait for each other. A message
  /// whose stored values cannot be read (corrupt_value) is skipped and marked
  /// FAILED (last_error says why) in the same transaction, so that it never
  /// blocks the outbox.
  /// @throws error validation_failed for an empty or over-long sender or a lease under a second.
  TASKSTORE_DECL std::vector<email_message> take_batch(std::string const& sender, std::size_t n,
                                                       std::chrono::seconds lease);

  /// Extends the lease on `m` to `lease` from now (a sender that needs longer
  /// than its take's lease, e.g. a slow mail server), and records the new
  /// expiry in `m`.
  /// @throws error conflict when the lease is not the message's any more
  ///         (rescue_expired() took it back); validation_failed for a lease
  ///         under a second.
  TASKSTORE_DECL void renew(email_message& m, std::chrono::seconds lease);

  /// Messages whose sender's lease expired before `cutoff` (default now) go
  /// back to PENDING, or to FAILED after the third attempt.
  /// @returns how many.
  TASKSTORE_DECL std::size_t rescue_expired(std::optional<timestamp> cutoff = {});

  /// SENDING → SENT, for the sender holding the lease.
  /// @throws error conflict when the lease is not the message's any more.
  TASKSTORE_DECL void mark_sent(email_message const& m);
  /// SENDING → PENDING for another try, or FAILED after the third attempt.
  TASKSTORE_DECL void mark_failed(email_message const& m, std::string const& error_text);
  /// PENDING → CANCELLED. @returns false when the message was not pending.
  TASKSTORE_DECL bool cancel(std::int64_t id);

  /// The message with `id`, or nullopt.
  std::optional<email_message> find(std::int64_t id) const { return messages_.find(id); }
  /// The task's messages, oldest first, for the task's owner.
  /// @throws error not_found when the task is missing or another user's.
  TASKSTORE_DECL std::vector<email_message> list(uuid const& task_id, std::int64_t user_id) const;

 private:
  using leased = detail::leases<email_message>;

  /// Applies `status` and `detail` and clears the lease, only while `m`'s lease holds.
  TASKSTORE_DECL void finish(email_message const& m, assignment<email_message> const& status,
                             assignment<email_message> const& detail);
  TASKSTORE_DECL static void check_sender(std::string const& sender);
  TASKSTORE_DECL static void check_lease(std::chrono::seconds lease);

  database db_;
  soci_repository<task> tasks_;
  soci_repository<email_message> messages_;
};

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/outbox_service.ipp>
#endif
