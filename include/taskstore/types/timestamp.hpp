// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The timestamp type: a point in time in UTC with microsecond precision.

#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <compare>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace taskstore {

/// A point in time in UTC with microsecond precision, the same in C++, JSON
/// (ISO-8601 with `Z`) and every database. A strong type, not an alias, so
/// Boost.JSON finds its conversions.
class timestamp {
 public:
  using duration = std::chrono::microseconds;
  using time_point = std::chrono::sys_time<duration>;

  /// The Unix epoch.
  constexpr timestamp() noexcept = default;
  constexpr explicit timestamp(time_point tp) noexcept : tp_(tp) {}
  /// Any system-clock time point, truncated to microseconds.
  template <class D>
  static constexpr timestamp from(std::chrono::sys_time<D> tp) noexcept {
    return timestamp(std::chrono::floor<duration>(tp));
  }

  /// The current time, truncated to microseconds.
  static timestamp now() noexcept { return from(std::chrono::system_clock::now()); }

  /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]` or ISO-8601 (`T` separator, `Z` or
  /// a `±HH[:MM]` offset). Years 0001–9999; digits past microseconds are
  /// truncated. Text without an offset is UTC.
  /// @throws error with code validation_failed naming the text's problem.
  TASKSTORE_DECL static timestamp parse(std::string_view text);
  /// Like parse(), but returns nullopt instead of throwing.
  TASKSTORE_DECL static std::optional<timestamp> try_parse(std::string_view text) noexcept;

  /// The earliest and the latest time every backend stores:
  /// 0001-01-01 00:00:00 and 9999-12-31 23:59:59.999999 UTC.
  static constexpr timestamp earliest() noexcept {
    return timestamp(time_point(std::chrono::sys_days{std::chrono::year{1} / 1 / 1}));
  }
  static constexpr timestamp latest() noexcept {
    return timestamp(time_point(std::chrono::sys_days{std::chrono::year{10000} / 1 / 1}) - duration{1});
  }
  /// Whether every backend stores this time (earliest() … latest()).
  constexpr bool storable() const noexcept { return earliest() <= *this && *this <= latest(); }

  /// This time plus `d`, computed without overflow, for times that enter as
  /// "now + a duration" (leases, delays, lifetimes).
  /// @throws error validation_failed naming `field` when the sum falls
  ///         outside earliest() … latest().
  template <class Rep, class Period>
  timestamp plus(std::chrono::duration<Rep, Period> d, std::string_view field) const {
    return shifted(d, false, field);
  }
  /// This time minus `d`, as plus() adds (cut-offs such as "now - 90 days").
  template <class Rep, class Period>
  timestamp minus(std::chrono::duration<Rep, Period> d, std::string_view field) const {
    return shifted(d, true, field);
  }

  constexpr time_point time() const noexcept { return tp_; }
  /// Microseconds since the Unix epoch.
  constexpr long long count() const noexcept { return tp_.time_since_epoch().count(); }

  /// `YYYY-MM-DD HH:MM:SS.ffffff`, the form every backend stores.
  TASKSTORE_DECL std::string to_sql() const;
  /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, the form JSON carries.
  TASKSTORE_DECL std::string to_iso() const;

  friend constexpr auto operator<=>(timestamp, timestamp) noexcept = default;
  friend constexpr bool operator==(timestamp, timestamp) noexcept = default;
  friend constexpr timestamp operator+(timestamp t, duration d) noexcept { return timestamp(t.tp_ + d); }
  friend constexpr timestamp operator-(timestamp t, duration d) noexcept { return timestamp(t.tp_ - d); }
  friend constexpr duration operator-(timestamp a, timestamp b) noexcept { return a.tp_ - b.tp_; }

 private:
  [[noreturn]] TASKSTORE_DECL static void out_of_range(std::string_view field);

  template <class Rep, class Period>
  timestamp shifted(std::chrono::duration<Rep, Period> d, bool back, std::string_view field) const {
    // Compared in floating seconds, which no duration overflows, before the
    // exact sum in microseconds, which then fits.
    using seconds = std::chrono::duration<long double>;
    auto s = std::chrono::duration_cast<seconds>(d).count();
    if (back) s = -s;
    auto const room_up = std::chrono::duration_cast<seconds>(latest() - *this).count();
    auto const room_down = std::chrono::duration_cast<seconds>(*this - earliest()).count();
    if (!storable() || !(s <= room_up && -s <= room_down)) out_of_range(field);
    auto const us = std::chrono::floor<duration>(d);
    return timestamp(back ? tp_ - us : tp_ + us);
  }

  time_point tp_{};
};

/// Writes the canonical text (logs, test failure messages).
inline std::ostream& operator<<(std::ostream& os, timestamp const& v) { return os << v.to_iso(); }

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& v, timestamp const& t) { v = t.to_iso(); }

TASKSTORE_DECL timestamp tag_invoke(boost::json::value_to_tag<timestamp>, boost::json::value const& v);

}  // namespace taskstore

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/types/impl/timestamp.ipp>
#endif
