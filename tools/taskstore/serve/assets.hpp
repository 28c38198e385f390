// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The dashboard's page, script and style, compiled in (assets/, embedded by
// embed_assets.cmake): nothing is fetched from elsewhere.

#include <span>
#include <string_view>

namespace taskstore::cli {

struct asset {
  std::string_view name;  ///< the file name under assets/
  std::string_view type;  ///< its Content-Type
  std::string_view body;
};

std::span<asset const> assets();

}  // namespace taskstore::cli
