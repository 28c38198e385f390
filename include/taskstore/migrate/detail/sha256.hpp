// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <taskstore/detail/config.hpp>

#include <string>
#include <string_view>

namespace taskstore::detail {

/// SHA-256 of `data` as 64 lower-case hex digits (OpenSSL's EVP interface).
TASKSTORE_DECL std::string sha256_hex(std::string_view data);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/migrate/detail/impl/sha256.ipp>
#endif
