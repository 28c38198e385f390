// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The backends this build includes (CMake options TASKSTORE_WITH_*): the one place that names each.

#include <taskstore/db/backend.hpp>
#include <taskstore/db/connection_options.hpp>
#include <taskstore/detail/config.hpp>

#include <string_view>

namespace taskstore {

/// The backend for `kind`'s databases.
/// @throws error bad_config when this build leaves it out.
TASKSTORE_DECL backend const& backend_for(backend_kind kind);

/// The backend named `name` (`sqlite`, `postgresql`, `mysql`), or nullptr
/// when there is none of that name in this build.
TASKSTORE_DECL backend const* find_backend(std::string_view name) noexcept;

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/impl/registry.ipp>
#endif
