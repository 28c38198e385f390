// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Input checks shared by services and JSON requests; each failure is
/// validation_failed naming the field.

#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>
#include <taskstore/types/utf8.hpp>  // utf8_length, which check_length() counts with

#include <boost/json/fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore {

TASKSTORE_DECL void check_length(std::string_view field, std::string_view value, std::size_t max);

TASKSTORE_DECL void check_non_empty(std::string_view field, std::string_view value);

/// JSON nested at most limits::max_json_depth deep, measured without
/// recursion: for a service to call before it copies a value bound for the
/// column `field` (`table.column`), since a copy, a comparison and a
/// destruction of a deep value recurse.
/// @throws error validation_failed naming `field`, as the repository would.
TASKSTORE_DECL void check_json_depth(std::string_view field, boost::json::value const& v);
TASKSTORE_DECL void check_json_depth(std::string_view field, boost::json::object const& v);

/// A count (tokens, credits) in [0, max].
/// @throws error validation_failed naming `field`.
TASKSTORE_DECL void check_count(std::string_view field, long long value, long long max);

/// A duration in seconds that is not negative (NaN and infinity are left to
/// the column they are written to, which refuses them).
/// @throws error validation_failed naming `field`.
TASKSTORE_DECL void check_seconds(std::string_view field, double value);

/// a + b for a counter the library adds to.
/// @throws error validation_failed naming `field` when the sum overflows.
TASKSTORE_DECL std::int64_t checked_add(std::string_view field, std::int64_t a, std::int64_t b);

/// A plausible e-mail address (one `@`, a non-empty local part of at most 64
/// characters, a dotted domain of letters, digits and hyphens, no spaces, at
/// most 255 characters), returned lower-case, as taskstore stores it.
/// @throws error validation_failed naming `field`.
TASKSTORE_DECL std::string normalize_email(std::string_view value, std::string_view field = "email");

/// A tool id: non-empty, at most 50 characters (the task API's list of tools is application data).
TASKSTORE_DECL void check_tool_id(std::string_view tool_id);

/// The agents list: agent ids, each non-empty and at most 100 characters.
TASKSTORE_DECL void check_agents(std::vector<std::string> const& agents);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/domain/impl/validation.ipp>
#endif
