// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The input limits every backend enforces alike. A value beyond one is
/// refused with error validation_failed (category user_fixable) naming the
/// column (`table.column`) or the argument, before any statement runs.

#include <cstddef>
#include <cstdint>

namespace taskstore::limits {

/// The deepest nesting of arrays and objects a JSON column stores (`{"a":[1]}`
/// is 2 deep). MariaDB's JSON refuses 32 and Boost.JSON's parser stops at 33 by
/// default; 30 leaves room for a dump line's two levels around a row.
inline constexpr std::size_t max_json_depth = 30;

/// The deepest JSON taskstore parses or decodes (requests, stored values,
/// dump lines): deeper than any column stores, so that whatever was stored
/// reads back.
inline constexpr std::size_t max_json_read_depth = 64;

/// The most bytes one text or JSON value (serialized) may have: 4 MiB.
inline constexpr std::size_t max_value_bytes = std::size_t{4} << 20;

/// The most bytes the text and JSON values of one row may have together:
/// 6 MiB, so that a statement, with MariaDB's escaping doubling the worst
/// case, stays under its default `max_allowed_packet` of 16 MiB.
inline constexpr std::size_t max_row_bytes = std::size_t{6} << 20;

/// The largest value of a counter the library increments (attempts, draft
/// versions): far below 2^31 - 1, so that no increment overflows.
inline constexpr long long max_counter = 1'000'000'000;

/// The largest token count or credit amount a row holds (2^53 - 1, which
/// JSON readers take exactly): two of them add without overflow.
inline constexpr long long max_amount = 9'007'199'254'740'991;

/// A task's priority: smaller is claimed first, 0 by default.
inline constexpr long long min_priority = -100;
inline constexpr long long max_priority = 100;

/// The largest limit, offset or batch size a query or operation accepts
/// (2^31 - 1): every backend reads it the same way.
inline constexpr std::size_t max_rows = 2147483647;

}  // namespace taskstore::limits
