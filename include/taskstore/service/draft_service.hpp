// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The draft_service: a task's versioned drafts and their review.

#include <taskstore/db/database.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/domain/draft.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskstore {

/// Versioned drafts of a task: each new draft takes the task's next
/// version number; review moves DRAFT → IN_REVIEW → APPROVED or REJECTED.
class draft_service {
 public:
  TASKSTORE_DECL explicit draft_service(database const& db);

  /// Adds a draft as the task's next version. Two writers racing for one
  /// number: the unique (task_id, version) key decides and the loser takes
  /// the next number.
  TASKSTORE_DECL draft add(uuid const& task_id, std::string content, draft_kind type = draft_kind::OTHER,
                           std::optional<std::string> author = {});

  /// The task's newest draft, for the task's owner.
  /// @throws error not_found when the task is missing or another user's, or has no draft.
  TASKSTORE_DECL draft get_latest(uuid const& task_id, std::int64_t user_id) const;
  /// Every version, oldest first, for the task's owner.
  /// @throws error not_found when the task is missing or another user's.
  TASKSTORE_DECL std::vector<draft> list(uuid const& task_id, std::int64_t user_id) const;

  /// DRAFT → IN_REVIEW.
  TASKSTORE_DECL draft submit_for_review(std::int64_t draft_id);
  /// IN_REVIEW → APPROVED by `reviewer`.
  draft approve(std::int64_t draft_id, std::string const& reviewer) { return review(draft_id, reviewer, true); }
  /// IN_REVIEW → REJECTED by `reviewer`.
  draft reject(std::int64_t draft_id, std::string const& reviewer) { return review(draft_id, reviewer, false); }

 private:
  TASKSTORE_DECL std::optional<draft> find_latest(uuid const& task_id) const;
  TASKSTORE_DECL draft review(std::int64_t draft_id, std::string const& reviewer, bool approved);
  template <class F>
  draft change(std::int64_t draft_id, draft_status from, F const& f) {
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

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/impl/draft_service.ipp>
#endif
