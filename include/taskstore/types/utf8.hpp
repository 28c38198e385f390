// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Text lengths as the databases count them.

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace taskstore {

/// A length limit in characters (UTF-8 code points), as the databases count:
/// every byte that does not continue a sequence.
inline std::size_t utf8_length(std::string_view s) noexcept {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace taskstore
