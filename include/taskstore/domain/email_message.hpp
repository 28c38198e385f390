// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The e-mail outbox's messages.

#include <taskstore/domain/draft.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/limits.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace taskstore {

enum class email_status { PENDING, SENDING, SENT, FAILED, CANCELLED };
BOOST_DESCRIBE_ENUM(email_status, PENDING, SENDING, SENT, FAILED, CANCELLED)

enum class email_priority { LOW, NORMAL, HIGH, URGENT };
BOOST_DESCRIBE_ENUM(email_priority, LOW, NORMAL, HIGH, URGENT)

/// The sort rank of a priority (names do not sort by meaning): LOW 0 … URGENT 3.
constexpr std::int32_t priority_rank(email_priority p) noexcept { return static_cast<std::int32_t>(p); }

/// An outgoing e-mail in the outbox, with lease columns for senders.
struct email_message {
  std::int64_t id = 0;
  uuid task_id;
  std::optional<std::int64_t> draft_id;
  std::string recipient;
  std::string subject;
  std::string body;
  email_status status = email_status::PENDING;
  email_priority priority = email_priority::NORMAL;
  std::int32_t attempts = 0;
  std::optional<std::string> last_error;
  timestamp created_at;
  std::optional<timestamp> sent_at;
  std::int32_t priority_rank = 1;  ///< kept in step with `priority`
  std::optional<std::string> locked_by;
  std::optional<uuid> lease_token;
  std::optional<timestamp> lease_expires_at;
};
BOOST_DESCRIBE_STRUCT(email_message, (),
                      (id, task_id, draft_id, recipient, subject, body, status, priority, attempts, last_error,
                       created_at, sent_at, priority_rank, locked_by, lease_token, lease_expires_at))

template <>
struct table_traits<email_message> {
  static constexpr std::string_view table = "email_messages";
  static constexpr auto primary_key = auto_increment<&email_message::id>;
  static constexpr auto columns = std::tuple{
      column<&email_message::task_id>.references<&task::task_id>(on_delete::cascade),
      column<&email_message::draft_id>.references<&draft::id>(on_delete::set_null),
      column<&email_message::recipient>.max_length(255).non_empty(),
      column<&email_message::status>.default_value(email_status::PENDING),
      column<&email_message::priority>.default_value(email_priority::NORMAL),
      column<&email_message::attempts>.min(0).accepts(0, limits::max_counter).default_value(0),
      column<&email_message::created_at>.default_now(),
      column<&email_message::priority_rank>.range(0, 3).default_value(1),
      column<&email_message::locked_by>.max_length(100),
  };
  static constexpr auto indexes = std::tuple{
      index<&email_message::status, &email_message::priority_rank, &email_message::created_at>(
          "idx_email_messages_outbox"),
      index<&email_message::task_id>("ix_email_messages_task_id"),
  };
};

}  // namespace taskstore
