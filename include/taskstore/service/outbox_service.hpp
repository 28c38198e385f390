// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

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
  /// and leased to `sender`. Each is taken by exactly one sender.
  std::vector<email_message> take_batch(std::string const& sender, std::size_t n, std::chrono::seconds lease) {
    check_non_empty("sender", sender);
    check_length("sender", sender, 100);
    std::vector<email_message> taken;
    auto const candidates =
        messages_.find(query<email_message>{col(&email_message::status) == email_status::PENDING}
                           .order_by(desc(&email_message::priority_rank), asc(&email_message::created_at))
                           .limit(n * 2 + 4));
    for (auto m : candidates) {
      if (taken.size() == n) break;
      auto const token = uuid::generate_v4();
      auto const until = timestamp::now() + lease;
      // Compare-and-set on the status: a message another sender took is skipped.
      if (messages_.update_where(query<email_message>{col(&email_message::id) == m.id &&
                                                      col(&email_message::status) == email_status::PENDING},
                                 set(&email_message::status, email_status::SENDING),
                                 set(&email_message::attempts, m.attempts + 1), set(&email_message::locked_by, sender),
                                 set(&email_message::lease_token, token),
                                 set(&email_message::lease_expires_at, until)) == 1) {
        m.status = email_status::SENDING;
        m.attempts += 1;
        m.locked_by = sender;
        m.lease_token = token;
        m.lease_expires_at = until;
        taken.push_back(std::move(m));
      }
    }
    return taken;
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
