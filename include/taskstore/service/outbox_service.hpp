// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The outbox_service: the e-mail outbox (seed 004).

#include <taskstore/db/database.hpp>
#include <taskstore/domain/email_message.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/detail/ownership.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// What enqueue() needs.
struct outgoing_email {
  uuid task_id;
  std::string recipient;
  std::string subject;
  std::string body;
  email_priority priority = email_priority::NORMAL;
  std::optional<std::int64_t> draft_id;
};

/// The e-mail outbox (seed 004): senders take batches by priority then age
/// (PENDING → SENDING under a lease), then mark each sent or failed; a failed
/// message is retried until its third attempt, then stays FAILED.
class outbox_service {
 public:
  static constexpr std::int32_t max_attempts = 3;

  explicit outbox_service(database const& db) : db_(db), tasks_(db), messages_(db) {}

  /// @throws error validation_failed for an invalid recipient (field `recipient`).
  email_message enqueue(outgoing_email const& e) {
    email_message m;
    m.task_id = e.task_id;
    m.draft_id = e.draft_id;
    m.recipient = normalize_email(e.recipient, "recipient");
    m.subject = e.subject;
    m.body = e.body;
    m.priority = e.priority;
    m.priority_rank = priority_rank(e.priority);
    m.created_at = timestamp::now();
    return messages_.insert(m);
  }

  /// Up to `n` PENDING messages, most urgent then oldest first, now SENDING
  /// and leased to `sender`, in one transaction: the same take as task
  /// claims (SKIP LOCKED on PostgreSQL and MariaDB), so each message goes to
  /// exactly one sender and senders never wait for each other.
  /// @throws error validation_failed for an empty or over-long sender or a lease under a second.
  std::vector<email_message> take_batch(std::string const& sender, std::size_t n, std::chrono::seconds lease) {
    check_non_empty("sender", sender);
    check_length("sender", sender, 100);
    if (lease < std::chrono::seconds(1)) throw error(errc::validation_failed, "a lease lasts at least 1 s", "lease");
    if (n == 0) return {};
    return messages_.take(query<email_message>{col(&email_message::status) == email_status::PENDING}
                              .order_by(desc(&email_message::priority_rank), asc(&email_message::created_at))
                              .limit(n),
                          set(&email_message::status, email_status::SENDING), increment(&email_message::attempts, 1),
                          set(&email_message::locked_by, std::optional<std::string>(sender)),
                          set(&email_message::lease_token, std::optional<uuid>(uuid::generate_v4())),
                          set(&email_message::lease_expires_at, std::optional<timestamp>(timestamp::now() + lease)));
  }

  /// Messages whose sender's lease expired before `expired_before` (default
  /// now) go back to PENDING, or to FAILED after the third attempt.
  /// @returns how many.
  std::size_t rescue_expired(std::optional<timestamp> expired_before = {}) {
    auto const cutoff = expired_before.value_or(timestamp::now());
    auto const expired =
        col(&email_message::status) == email_status::SENDING && col(&email_message::lease_expires_at) < cutoff;
    auto const lost = std::optional<std::string>("the sender's lease expired");
    auto const unlease = [&](predicate<email_message> const& which, email_status to) {
      return messages_.update_where(query<email_message>{expired && which}, set(&email_message::status, to),
                                    set(&email_message::last_error, lost),
                                    set(&email_message::locked_by, std::optional<std::string>{}),
                                    set(&email_message::lease_token, std::optional<uuid>{}),
                                    set(&email_message::lease_expires_at, std::optional<timestamp>{}));
    };
    return db_.transact([&] {
      return unlease(col(&email_message::attempts) < max_attempts, email_status::PENDING) +
             unlease(col(&email_message::attempts) >= max_attempts, email_status::FAILED);
    });
  }

  /// SENDING → SENT, for the sender holding the lease.
  /// @throws error conflict when the lease is not the message's any more.
  void mark_sent(email_message const& m) {
    finish(m, set(&email_message::status, email_status::SENT),
           set(&email_message::sent_at, std::optional<timestamp>(timestamp::now())));
  }
  /// SENDING → PENDING for another try, or FAILED after the third attempt.
  void mark_failed(email_message const& m, std::string const& error_text) {
    auto const next = m.attempts >= max_attempts ? email_status::FAILED : email_status::PENDING;
    finish(m, set(&email_message::status, next),
           set(&email_message::last_error, std::optional<std::string>(error_text)));
  }
  /// PENDING → CANCELLED. @returns false when the message was not pending.
  bool cancel(std::int64_t id) {
    return messages_.update_where(query<email_message>{col(&email_message::id) == id &&
                                                       col(&email_message::status) == email_status::PENDING},
                                  set(&email_message::status, email_status::CANCELLED)) == 1;
  }

  /// The message with `id`, or nullopt.
  std::optional<email_message> find(std::int64_t id) const { return messages_.find(id); }
  /// The task's messages, oldest first, for its owner. @throws error not_found for another user's task.
  std::vector<email_message> for_task(uuid const& task_id, std::int64_t user_id) const {
    detail::require_owned_task(tasks_, task_id, user_id);
    return messages_.find(query<email_message>{col(&email_message::task_id) == task_id}.order_by(
        asc(&email_message::created_at), asc(&email_message::id)));
  }

 private:
  /// Applies `status` and `detail` and clears the lease, only while `m`'s lease holds.
  void finish(email_message const& m, assignment<email_message> const& status,
              assignment<email_message> const& detail) {
    if (!m.lease_token) throw error(errc::conflict, "the message was not taken by a sender");
    auto const held =
        query<email_message>{col(&email_message::id) == m.id && col(&email_message::status) == email_status::SENDING &&
                             col(&email_message::lease_token) == *m.lease_token};
    auto const changed =
        messages_.update_where(held, status, detail, set(&email_message::locked_by, std::optional<std::string>{}),
                               set(&email_message::lease_token, std::optional<uuid>{}),
                               set(&email_message::lease_expires_at, std::optional<timestamp>{}));
    if (changed != 1) throw error(errc::conflict, "the lease on this message was lost");
  }

  database db_;
  soci_repository<task> tasks_;
  soci_repository<email_message> messages_;
};

}  // namespace taskstore
