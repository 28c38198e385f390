// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/draft_service.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/detail/ownership.hpp>
#include <taskstore/service/draft_service.hpp>

#include <utility>

namespace taskstore {

draft_service::draft_service(database const& db) : db_(db), tasks_(db), drafts_(db) {}

draft draft_service::add(uuid const& task_id, std::string content, draft_kind type, std::optional<std::string> author) {
  if (author) check_length("author", *author, 100);
  for (int attempt = 0;; ++attempt) {
    auto const latest_draft = find_latest(task_id);
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

draft draft_service::get_latest(uuid const& task_id, std::int64_t user_id) const {
  detail::require_owned_task(tasks_, task_id, user_id);
  auto d = find_latest(task_id);
  if (!d) throw error(errc::not_found, "the task has no draft");
  return std::move(*d);
}

std::vector<draft> draft_service::list(uuid const& task_id, std::int64_t user_id) const {
  detail::require_owned_task(tasks_, task_id, user_id);
  return drafts_.find(query<draft>{col(&draft::task_id) == task_id}.order_by(asc(&draft::version)));
}

draft draft_service::submit_for_review(std::int64_t draft_id) {
  return change(draft_id, draft_status::DRAFT, [](draft& d) { d.status = draft_status::IN_REVIEW; });
}

std::optional<draft> draft_service::find_latest(uuid const& task_id) const {
  return drafts_.find_one(query<draft>{col(&draft::task_id) == task_id}.order_by(desc(&draft::version)));
}

draft draft_service::review(std::int64_t draft_id, std::string const& reviewer, bool approved) {
  check_non_empty("reviewer", reviewer);
  check_length("reviewer", reviewer, 100);
  return change(draft_id, draft_status::IN_REVIEW, [&](draft& d) {
    d.status = approved ? draft_status::APPROVED : draft_status::REJECTED;
    d.reviewer = reviewer;
    d.reviewed_at = timestamp::now();
  });
}

}  // namespace taskstore
