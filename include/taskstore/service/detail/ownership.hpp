// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/detail/config.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/error.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstdint>

namespace taskstore::detail {

/// The one ownership rule of every read of a task's records: another user's
/// task, or a soft-deleted one, is indistinguishable from a missing one.
/// @throws error not_found.
TASKSTORE_DECL task require_owned_task(soci_repository<task> const& tasks, uuid const& task_id, std::int64_t user_id);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/service/detail/impl/ownership.ipp>
#endif
