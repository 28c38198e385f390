// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/detail/ownership.hpp>: included at its end
// when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/detail/ownership.hpp>

namespace taskstore::detail {

task require_owned_task(soci_repository<task> const& tasks, uuid const& task_id, std::int64_t user_id) {
  auto t = tasks.find(task_id);
  if (!t || t->user_id != user_id || t->deleted_at) throw error(errc::not_found, "no such task");
  return *t;
}

}  // namespace taskstore::detail
