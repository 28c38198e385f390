// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/outbox_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/detail/ownership.hpp>
#include <taskstore/service/outbox_service.hpp>

#include <algorithm>
#include <iterator>

namespace taskstore {

outbox_service::outbox_service(database const& db) : db_(db), tasks_(db), messages_(db) {}

email_message outbox_service::enqueue(outgoing_email const& e) {
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

std::vector<email_message> outbox_service::take_batch(std::string const& sender, std::size_t n,
                                                      std::chrono::seconds lease) {
  check_non_empty("sender", sender);
  check_length("sender", sender, 100);
  if (lease < std::chrono::seconds(1)) throw error(errc::validation_failed, "a lease lasts at least 1 s", "lease");
  if (n == 0) return {};
  auto const token = uuid::generate_v4();
  auto const until = timestamp::now().plus(lease, "lease");
  return db_.transact([&] {
    std::vector<email_message> out;
    for (;;) {
      auto taken = messages_.take_readable(
          query<email_message>{col(&email_message::status) == email_status::PENDING}
              .order_by(desc(&email_message::priority_rank), asc(&email_message::created_at))
              .limit(n - out.size()),
          set(&email_message::status, email_status::SENDING), increment(&email_message::attempts, 1),
          set(&email_message::locked_by, std::optional<std::string>(sender)),
          set(&email_message::lease_token, std::optional<uuid>(token)),
          set(&email_message::lease_expires_at, std::optional<timestamp>(until)));
      std::move(taken.rows.begin(), taken.rows.end(), std::back_inserter(out));
      if (taken.unreadable.empty()) break;
      // A message no sender can read would be selected first forever: FAILED,
      // by key. Each round takes at least one out, so the loop ends.
      for (auto const& u : taken.unreadable)
        messages_.update_where(
            query<email_message>{col(&email_message::id) == u.key &&
                                 col(&email_message::status) == email_status::PENDING},
            set(&email_message::status, email_status::FAILED),
            set(&email_message::last_error,
                std::optional<std::string>("corrupt_value: the stored message cannot be read: " + u.problem)));
      if (out.size() == n) break;
    }
    return out;
  });
}

std::size_t outbox_service::rescue_expired(std::optional<timestamp> cutoff_or_now) {
  auto const cutoff = cutoff_or_now.value_or(timestamp::now());
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

void outbox_service::mark_sent(email_message const& m) {
  finish(m, set(&email_message::status, email_status::SENT),
         set(&email_message::sent_at, std::optional<timestamp>(timestamp::now())));
}

void outbox_service::mark_failed(email_message const& m, std::string const& error_text) {
  auto const next = m.attempts >= max_attempts ? email_status::FAILED : email_status::PENDING;
  finish(m, set(&email_message::status, next), set(&email_message::last_error, std::optional<std::string>(error_text)));
}

bool outbox_service::cancel(std::int64_t id) {
  return messages_.update_where(query<email_message>{col(&email_message::id) == id &&
                                                     col(&email_message::status) == email_status::PENDING},
                                set(&email_message::status, email_status::CANCELLED)) == 1;
}

std::vector<email_message> outbox_service::list(uuid const& task_id, std::int64_t user_id) const {
  detail::require_owned_task(tasks_, task_id, user_id);
  return messages_.find(query<email_message>{col(&email_message::task_id) == task_id}.order_by(
      asc(&email_message::created_at), asc(&email_message::id)));
}

void outbox_service::finish(email_message const& m, assignment<email_message> const& status,
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

}  // namespace taskstore
