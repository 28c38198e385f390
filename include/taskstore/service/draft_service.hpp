// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The draft_service: a task's versioned drafts and their review (seed 004).

#include <taskstore/db/database.hpp>
#include <taskstore/domain/draft.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/detail/ownership.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// Versioned drafts of a task (seed 004): each new draft takes the task's next
/// version number; review moves DRAFT → IN_REVIEW → APPROVED or REJECTED.
class draft_service {
 public:
  explicit draft_service(database const& db) : db_(db), tasks_(db), drafts_(db) {}

  /// Adds a draft as the task's next version. Two writers racing for one
  /// number: the unique (task_id, version) key decides and the loser takes
  /// the next number.
  draft add(uuid const& task_id, std::string content, draft_kind type = draft_kind::OTHER,
            std::optional<std::string> author = {}) {
    if (author) check_length("author", *author, 100);
    for (int attempt = 0;; ++attempt) {
      auto const latest_draft = latest_of(task_id);
      draft d;
      d.task_id = task_id;
      d.version = latest_draft ? latest_draft->version + 1 : 1;
      d.content = content;
      d.draft_type = type;
      d.author = author;
      d.created_at = timestamp::now();
      if (auto stored = drafts_.insert_if_absent(d)) return *stored;
      if (attempt >= 20) throw error(errc::conflict, "could not take a draft version after 20 attempts");
    }
  }

  /// The task's newest draft, for its owner. @throws error not_found for another user's task.
  std::optional<draft> latest(uuid const& task_id, std::int64_t user_id) const {
    detail::require_owned_task(tasks_, task_id, user_id);
    return latest_of(task_id);
  }
  /// Every version, oldest first, for the task's owner.
  std::vector<draft> history(uuid const& task_id, std::int64_t user_id) const {
    detail::require_owned_task(tasks_, task_id, user_id);
    return drafts_.find(query<draft>{col(&draft::task_id) == task_id}.order_by(asc(&draft::version)));
  }

  /// DRAFT → IN_REVIEW.
  draft submit_for_review(std::int64_t draft_id) {
    return change(draft_id, draft_status::DRAFT, [](draft& d) { d.status = draft_status::IN_REVIEW; });
  }
  /// IN_REVIEW → APPROVED by `reviewer`.
  draft approve(std::int64_t draft_id, std::string reviewer) { return review(draft_id, std::move(reviewer), true); }
  /// IN_REVIEW → REJECTED by `reviewer`.
  draft reject(std::int64_t draft_id, std::string reviewer) { return review(draft_id, std::move(reviewer), false); }

 private:
  std::optional<draft> latest_of(uuid const& task_id) const {
    return drafts_.find_one(query<draft>{col(&draft::task_id) == task_id}.order_by(desc(&draft::version)));
  }
  draft review(std::int64_t draft_id, std::string reviewer, bool approved) {
    check_non_empty("reviewer", reviewer);
    check_length("reviewer", reviewer, 100);
    return change(draft_id, draft_status::IN_REVIEW, [&](draft& d) {
      d.status = approved ? draft_status::APPROVED : draft_status::REJECTED;
      d.reviewer = std::move(reviewer);
      d.reviewed_at = timestamp::now();
    });
  }
  template <class F>
  draft change(std::int64_t draft_id, draft_status from, F&& f) {
    return db_.transact([&] {
      auto d = drafts_.find(draft_id);
      if (!d) throw error(errc::not_found, "no such draft");
      if (d->status != from)
        throw error(errc::invalid_transition, "expected a " + std::string(enum_to_string(from)) + " draft, not " +
                                                  std::string(enum_to_string(d->status)));
      f(*d);
      // Only the row as read changes: a concurrent review makes this update miss.
      if (drafts_.update_where(query<draft>{col(&draft::id) == draft_id && col(&draft::status) == from},
                               set(&draft::status, d->status), set(&draft::reviewer, d->reviewer),
                               set(&draft::reviewed_at, d->reviewed_at)) != 1)
        throw error(errc::conflict, "the draft was reviewed meanwhile");
      return *d;
    });
  }

  database db_;
  soci_repository<task> tasks_;
  soci_repository<draft> drafts_;
};

}  // namespace taskstore
