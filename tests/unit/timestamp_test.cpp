// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#include <taskstore/types/timestamp.hpp>

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <chrono>
#include <limits>
#include <string>

namespace {

using taskstore::timestamp;
using namespace std::chrono;

TEST(timestamp, round_trips_sql_text_at_microsecond_precision) {
  for (std::string const text :
       {"1970-01-01 00:00:00.000000", "2024-02-29 23:59:59.999999", "2000-02-29 12:00:00.000001",
        "9999-12-31 23:59:59.999999", "0001-01-01 00:00:00.000000", "1969-12-31 23:59:59.999999",
        "2026-11-24 03:26:48.123456"}) {
    auto const t = timestamp::parse(text);
    EXPECT_EQ(t.to_sql(), text);
    EXPECT_EQ(timestamp::parse(t.to_iso()), t) << text;
    EXPECT_EQ(timestamp::parse(t.to_sql()), t) << text;
  }
}

TEST(timestamp, knows_the_epoch_and_leap_days) {
  EXPECT_EQ(timestamp::parse("1970-01-01 00:00:00").count(), 0);
  EXPECT_EQ(timestamp().to_iso(), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(timestamp::parse("1969-12-31T23:59:59.999999Z").count(), -1);
  auto const leap = timestamp::parse("2024-02-29 00:00:00");
  EXPECT_EQ((leap + hours{24}).to_sql(), "2024-03-01 00:00:00.000000");
  EXPECT_EQ(timestamp::parse("2024-03-01 00:00:00") - timestamp::parse("2024-02-28 00:00:00"), hours{48});
  EXPECT_FALSE(timestamp::try_parse("2023-02-29 00:00:00"));  // not a leap year
  EXPECT_FALSE(timestamp::try_parse("1900-02-29 00:00:00"));  // century, not a leap year
  EXPECT_TRUE(timestamp::try_parse("2000-02-29 00:00:00"));   // 400-year rule
}

TEST(timestamp, reads_time_zones_and_writes_utc) {
  auto const utc = timestamp::parse("2024-06-01T12:00:00Z");
  EXPECT_EQ(timestamp::parse("2024-06-01T14:00:00+02:00"), utc);
  EXPECT_EQ(timestamp::parse("2024-06-01T07:30:00-04:30"), utc);
  EXPECT_EQ(timestamp::parse("2024-06-01 12:00:00+00"), utc);  // PostgreSQL's text form
  EXPECT_EQ(timestamp::parse("2024-06-01T13:00:00+0100"), utc);
  EXPECT_EQ(timestamp::parse("2024-06-01T00:30:00+01:00").to_sql(), "2024-05-31 23:30:00.000000");
}

TEST(timestamp, accepts_short_fractions_and_truncates_beyond_microseconds) {
  EXPECT_EQ(timestamp::parse("2024-06-01T12:00:00.5Z").to_sql(), "2024-06-01 12:00:00.500000");
  EXPECT_EQ(timestamp::parse("2024-06-01T12:00:00.123Z").to_sql(), "2024-06-01 12:00:00.123000");
  EXPECT_EQ(timestamp::parse("2024-06-01T12:00:00.123456789Z").to_sql(), "2024-06-01 12:00:00.123456");
}

TEST(timestamp, rejects_malformed_text_with_validation_failed) {
  for (char const* bad :
       {"", "2024-06-01", "2024-6-01 00:00:00", "2024-13-01 00:00:00", "2024-06-31 00:00:00", "2024-06-01 24:00:00",
        "2024-06-01 23:60:00", "2024-06-01 23:59:60", "2024-06-01X00:00:00", "2024-06-01 00:00:00.",
        "2024-06-01 00:00:00+25:00", "2024-06-01 00:00:00 UTC", "0000-01-01 00:00:00", "abcd-ef-gh ij:kl:mn"}) {
    EXPECT_FALSE(timestamp::try_parse(bad)) << bad;
    try {
      timestamp::parse(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (taskstore::error const& e) {
      EXPECT_EQ(e.code(), taskstore::errc::validation_failed);
      EXPECT_EQ(e.category(), taskstore::error_category::user_fixable);
    }
  }
}

TEST(timestamp, rejects_an_offset_that_carries_the_time_outside_years_0001_to_9999) {
  for (char const* bad : {"0001-01-01T00:30:00+01:00", "0001-01-01 00:00:00+00:01", "9999-12-31T23:30:00-01:00",
                          "9999-12-31T23:59:59.999999-00:30"}) {
    EXPECT_FALSE(timestamp::try_parse(bad)) << bad;
    try {
      timestamp::parse(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (taskstore::error const& e) {
      EXPECT_EQ(e.code(), taskstore::errc::validation_failed) << bad;
      EXPECT_NE(std::string(e.what()).find("year out of range 0001-9999"), std::string::npos) << e.what();
    }
  }
}

TEST(timestamp, an_offset_may_reach_the_first_and_the_last_microsecond) {
  auto const first = timestamp::parse("0001-01-01T01:00:00+01:00");
  auto const last = timestamp::parse("9999-12-31T22:59:59.999999-01:00");
  EXPECT_EQ(first.to_sql(), "0001-01-01 00:00:00.000000");
  EXPECT_EQ(last.to_sql(), "9999-12-31 23:59:59.999999");
  for (auto const t : {first, last}) {
    EXPECT_EQ(timestamp::parse(t.to_iso()), t) << t.to_sql();
    EXPECT_EQ(timestamp::parse(t.to_sql()), t) << t.to_sql();
  }
  // At the edges, an offset pointing inwards stays in range.
  EXPECT_EQ(timestamp::parse("0001-01-01T00:30:00-01:00").to_sql(), "0001-01-01 01:30:00.000000");
  EXPECT_EQ(timestamp::parse("9999-12-31T23:30:00+01:00").to_sql(), "9999-12-31 22:30:00.000000");
}

TEST(timestamp, now_is_truncated_to_microseconds_and_orders) {
  auto const a = timestamp::now();
  auto const b = timestamp::now();
  EXPECT_LE(a, b);
  EXPECT_EQ(timestamp::parse(a.to_iso()), a);
}

TEST(timestamp, converts_to_and_from_json_as_iso_8601) {
  auto const t = timestamp::parse("2024-02-29 23:59:59.123456");
  auto const v = boost::json::value_from(t);
  EXPECT_EQ(boost::json::serialize(v), "\"2024-02-29T23:59:59.123456Z\"");
  EXPECT_EQ(boost::json::value_to<timestamp>(v), t);
}

// input limits (issue 31): times within 0001-01-01 … 9999-12-31, sums without overflow.

TEST(timestamp_limits, plus_refuses_a_sum_outside_the_storable_range) {
  auto const now = timestamp::now();
  EXPECT_EQ(now.plus(minutes(5), "lease"), now + minutes(5));
  EXPECT_EQ(now.plus(-hours(1), "lease"), now - hours(1));
  auto const refused = [&](auto d) {
    try {
      now.plus(d, "lease");
      return false;
    } catch (taskstore::error const& e) {
      EXPECT_EQ(e.code(), taskstore::errc::validation_failed);
      EXPECT_EQ(e.field(), "lease");
      return true;
    }
  };
  EXPECT_TRUE(refused(years(9000)));
  EXPECT_TRUE(refused(seconds::max()));
  EXPECT_TRUE(refused(hours::min()));
  EXPECT_TRUE(refused(duration<double>(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_TRUE(refused(years(-2100)));
  EXPECT_EQ(now.minus(days(90), "cutoff"), now - days(90));
  EXPECT_THROW(now.minus(days::max(), "cutoff"), taskstore::error);
  EXPECT_THROW(now.minus(days::min(), "cutoff"), taskstore::error);
}

TEST(timestamp_limits, earliest_and_latest_are_the_storable_range) {
  EXPECT_EQ(timestamp::earliest().to_sql(), "0001-01-01 00:00:00.000000");
  EXPECT_EQ(timestamp::latest().to_sql(), "9999-12-31 23:59:59.999999");
  EXPECT_TRUE(timestamp::latest().storable());
  EXPECT_FALSE((timestamp::latest() + microseconds(1)).storable());
  EXPECT_FALSE((timestamp::earliest() - microseconds(1)).storable());
  EXPECT_EQ(timestamp::latest().plus(microseconds(0), "t"), timestamp::latest());
}

}  // namespace
