// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The versioned drafts an agent writes for a task.

#include <taskstore/domain/task.hpp>
#include <taskstore/limits.hpp>

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

namespace taskstore {

enum class draft_status { DRAFT, IN_REVIEW, APPROVED, REJECTED };
BOOST_DESCRIBE_ENUM(draft_status, DRAFT, IN_REVIEW, APPROVED, REJECTED)

enum class draft_kind { EMAIL, DOCUMENT, MESSAGE, OTHER };
BOOST_DESCRIBE_ENUM(draft_kind, EMAIL, DOCUMENT, MESSAGE, OTHER)

/// A versioned draft an agent writes for a task; versions count
/// 1, 2, … per task.
struct draft {
  std::int64_t id = 0;
  uuid task_id;
  std::int32_t version = 1;
  std::string content;
  draft_status status = draft_status::DRAFT;
  draft_kind draft_type = draft_kind::OTHER;
  std::optional<std::string> author;
  std::optional<std::string> reviewer;
  timestamp created_at;
  std::optional<timestamp> reviewed_at;
};
BOOST_DESCRIBE_STRUCT(draft, (),
                      (id, task_id, version, content, status, draft_type, author, reviewer, created_at, reviewed_at))

template <>
struct table_traits<draft> {
  static constexpr std::string_view table = "drafts";
  static constexpr auto primary_key = auto_increment<&draft::id>;
  static constexpr auto columns = std::tuple{
      column<&draft::task_id>.references<&task::task_id>(on_delete::cascade),
      column<&draft::version>.min(1).accepts(1, limits::max_counter),
      column<&draft::status>.default_value(draft_status::DRAFT),
      column<&draft::draft_type>.default_value(draft_kind::OTHER),
      column<&draft::author>.max_length(100),
      column<&draft::reviewer>.max_length(100),
      column<&draft::created_at>.default_now(),
  };
  static constexpr auto indexes = std::tuple{
      unique_index<&draft::task_id, &draft::version>("uq_drafts_task_version"),
  };
};

}  // namespace taskstore
