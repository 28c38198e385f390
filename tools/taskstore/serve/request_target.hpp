// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// A request's target as the dashboard reads it: the decoded path and the
// query parameters, each checked before it reaches a query. Every refusal is
// taskstore::error validation_failed naming the parameter (tests/fuzz/http_fuzz.cpp
// holds it to that for any bytes).

#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::cli {

struct request_target {
  std::vector<std::string> path;              ///< decoded segments
  std::map<std::string, std::string> params;  ///< decoded, each at most once

  /// @throws error validation_failed for a parameter not in `known`.
  void allow(std::initializer_list<std::string_view> known) const;
  /// The parameter's value; nullopt when absent or empty.
  std::optional<std::string> get(std::string const& name) const;
  /// `limit`: 1 to `most`, `fallback` when absent.
  std::size_t limit(std::size_t fallback, std::size_t most) const;
  /// A whole number 0 to 10^18 − 1.
  std::optional<std::int64_t> whole_number(std::string const& name) const;
  std::optional<uuid> task_id(std::string const& name) const;
  std::optional<timestamp> time(std::string const& name) const;
};

/// @throws error validation_failed for a malformed target, a parameter given
///         twice, a name over 64 or a value over 1,024 characters.
request_target parse_request_target(std::string_view text);

/// A path segment that must be a task id. @throws error validation_failed naming `field`.
uuid task_id_of(std::string const& text, std::string const& field);

}  // namespace taskstore::cli
