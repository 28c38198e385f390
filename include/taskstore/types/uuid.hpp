// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The uuid type: a UUID stored as its canonical text, with version 4 and 7 generation.

#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>
#include <boost/uuid/uuid.hpp>

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstring>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace taskstore {

/// A UUID, stored as its canonical 36-character text (native UUID on
/// PostgreSQL). A strong type over boost::uuids::uuid, so Boost.JSON converts
/// it to a string rather than an array of 16 numbers. Ordering is byte-wise,
/// which for version 7 ids is creation order.
class uuid {
 public:
  /// The nil UUID.
  constexpr uuid() noexcept = default;
  explicit uuid(boost::uuids::uuid const& value) noexcept : value_(value) {}

  /// A random (version 4) UUID.
  TASKSTORE_DECL static uuid generate_v4();
  /// A time-ordered (version 7, RFC 9562) UUID: later calls in this process
  /// give greater ids, even within one millisecond.
  TASKSTORE_DECL static uuid generate_v7();

  /// Parses the canonical `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` form, any case.
  /// @throws error with code validation_failed.
  TASKSTORE_DECL static uuid parse(std::string_view text);
  TASKSTORE_DECL static std::optional<uuid> try_parse(std::string_view text) noexcept;

  /// The canonical lower-case text.
  TASKSTORE_DECL std::string to_string() const;

  bool is_nil() const noexcept { return value_.is_nil(); }
  /// The RFC version nibble (4, 7, …).
  int version() const noexcept { return value_.data[6] >> 4; }
  boost::uuids::uuid const& native() const noexcept { return value_; }

  friend bool operator==(uuid const& a, uuid const& b) noexcept { return a.value_ == b.value_; }
  friend std::strong_ordering operator<=>(uuid const& a, uuid const& b) noexcept {
    // Byte order, as the databases sort. (Not lexicographical_compare_three_way:
    // g++ 12 at -O3 warns falsely about its memcmp bound.)
    return std::memcmp(a.value_.data, b.value_.data, sizeof a.value_.data) <=> 0;
  }

 private:
  static constexpr int hex(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  boost::uuids::uuid value_{};
};

/// Writes the canonical text (logs, test failure messages).
inline std::ostream& operator<<(std::ostream& os, uuid const& v) { return os << v.to_string(); }

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, uuid const& u) { v = u.to_string(); }

TASKSTORE_DECL uuid tag_invoke(boost::json::value_to_tag<uuid>, boost::json::value const& v);

}  // namespace taskstore

template <>
struct std::hash<taskstore::uuid> {
  std::size_t operator()(taskstore::uuid const& u) const noexcept {
    std::size_t h = 1469598103934665603ull;
    for (auto b : u.native().data) h = (h ^ b) * 1099511628211ull;
    return h;
  }
};

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/types/impl/uuid.ipp>
#endif
