// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/outbox_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/detail/ownership.hpp>
#include <taskstore/service/outbox_service.hpp>

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
  check_sender(sender);
  check_lease(lease);
  auto const token = uuid::generate_v4();
  auto const until = timestamp::now().plus(lease, "lease");
  auto const pending = [](std::size_t wanted) {
    return query<email_message>{col(&email_message::status) == email_status::PENDING}
        .order_by(desc(&email_message::priority_rank), asc(&email_message::created_at))
        .limit(wanted);
  };
  // A message no sender can read would be selected first forever: FAILED, by key.
  auto const take_out = [&](auto const& unreadable) {
    for (auto const& u : unreadable)
      messages_.update_where(
          leased::still_waiting(u.key), set(&email_message::status, email_status::FAILED),
          set(&email_message::last_error,
              std::optional<std::string>("corrupt_value: the stored message cannot be read: " + u.problem)));
  };
  return leased::take(messages_, n, {sender, token, until}, pending, take_out);
}

void outbox_service::renew(email_message& m, std::chrono::seconds lease) {
  check_lease(lease);
  if (!m.lease_token) throw error(errc::conflict, "the message was not taken by a sender");
  auto const until = timestamp::now().plus(lease, "lease");
  if (!leased::renew(messages_, m.id, *m.lease_token, until))
    throw error(errc::conflict, "the lease on this message was lost");
  m.lease_expires_at = until;
}

std::size_t outbox_service::rescue_expired(std::optional<timestamp> cutoff_or_now) {
  auto const expired = leased::expired(cutoff_or_now.value_or(timestamp::now()));
  auto const lost = set(&email_message::last_error, std::optional<std::string>("the sender's lease expired"));
  auto const attempts = col(&email_message::attempts);
  return db_.transact([&] {
    return leased::end(messages_, query<email_message>{expired && attempts < max_attempts},
                       set(&email_message::status, email_status::PENDING), lost) +
           leased::end(messages_, query<email_message>{expired && attempts >= max_attempts},
                       set(&email_message::status, email_status::FAILED), lost);
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
  if (leased::end(messages_, leased::held(m.id, *m.lease_token), status, detail) != 1)
    throw error(errc::conflict, "the lease on this message was lost");
}

void outbox_service::check_sender(std::string const& sender) {
  check_non_empty("sender", sender);
  check_length("sender", sender, 100);
}

void outbox_service::check_lease(std::chrono::seconds lease) {
  if (lease < std::chrono::seconds(1)) throw error(errc::validation_failed, "a lease lasts at least 1 s", "lease");
}

}  // namespace taskstore
