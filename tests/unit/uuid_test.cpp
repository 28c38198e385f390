// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#include <taskstore/types/uuid.hpp>

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <thread>
#include <unordered_set>
#include <vector>

namespace {

using taskstore::uuid;

TEST(uuid, parses_and_formats_canonical_text) {
  auto const u = uuid::parse("0192F0A4-7B1C-7DEF-8123-456789ABCDEF");
  EXPECT_EQ(u.to_string(), "0192f0a4-7b1c-7def-8123-456789abcdef");
  EXPECT_EQ(u.version(), 7);
  EXPECT_TRUE(uuid().is_nil());
  EXPECT_EQ(uuid().to_string(), "00000000-0000-0000-0000-000000000000");
  for (char const* bad : {"", "0192f0a4-7b1c-7def-8123-456789abcde", "0192f0a47b1c7def8123456789abcdef",
                          "{0192f0a4-7b1c-7def-8123-456789abcdef}", "0192f0a4-7b1c-7def-8123_456789abcdef",
                          "g192f0a4-7b1c-7def-8123-456789abcdef"}) {
    EXPECT_FALSE(uuid::try_parse(bad)) << bad;
    EXPECT_THROW(uuid::parse(bad), taskstore::error) << bad;
  }
}

TEST(uuid, v4_has_version_and_variant_bits) {
  auto const u = uuid::generate_v4();
  EXPECT_EQ(u.version(), 4);
  EXPECT_EQ(u.native().data[8] & 0xC0, 0x80);
  EXPECT_NE(u, uuid::generate_v4());
}

TEST(uuid, v4_varies_every_other_bit_and_differs_between_threads) {
  // Over 1,000 ids each of the 122 random bits takes both values.
  std::array<std::uint8_t, 16> ones{}, zeros{};
  for (int i = 0; i < 1000; ++i) {
    auto const u = uuid::generate_v4();
    ASSERT_EQ(u.version(), 4);
    ASSERT_EQ(u.native().data[8] & 0xC0, 0x80);
    for (std::size_t b = 0; b < 16; ++b) {
      ones[b] |= u.native().data[b];
      zeros[b] |= static_cast<std::uint8_t>(~u.native().data[b]);
    }
  }
  for (std::size_t b = 0; b < 16; ++b) {
    std::uint8_t const fixed = b == 6 ? 0xF0 : b == 8 ? 0xC0 : 0;  // version, variant
    EXPECT_EQ(ones[b] | fixed, 0xFF) << "byte " << b;
    EXPECT_EQ(zeros[b] | fixed, 0xFF) << "byte " << b;
  }
  // Each thread seeds its own generator: no two threads' ids coincide.
  std::vector<std::vector<uuid>> per_thread(4);
  {
    std::vector<std::jthread> threads;
    for (auto& ids : per_thread)
      threads.emplace_back([&ids] {
        for (int i = 0; i < 1000; ++i) ids.push_back(uuid::generate_v4());
      });
  }
  std::unordered_set<uuid> unique;
  for (auto const& ids : per_thread) unique.insert(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), 4000u);
}

TEST(uuid, v7_is_unique_and_strictly_increasing_over_a_million_ids) {
  constexpr std::size_t n = 1'000'000;
  std::vector<uuid> ids;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i) ids.push_back(uuid::generate_v7());
  for (std::size_t i = 1; i < n; ++i) ASSERT_LT(ids[i - 1], ids[i]) << "at " << i;
  std::unordered_set<uuid> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), n);
  EXPECT_EQ(ids.front().version(), 7);
  EXPECT_EQ(ids.back().native().data[8] & 0xC0, 0x80);
  // Text order equals byte order, so databases storing CHAR(36) sort them by creation too.
  EXPECT_LT(ids.front().to_string(), ids.back().to_string());
}

TEST(uuid, v7_leads_with_the_unix_millisecond_time) {
  auto const before =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto const u = uuid::generate_v7();
  long long ms = 0;
  for (int i = 0; i < 6; ++i) ms = ms << 8 | u.native().data[i];
  EXPECT_GE(ms, before);
  EXPECT_LE(ms, before + 1000);
}

TEST(uuid, v7_is_unique_across_threads) {
  std::vector<std::vector<uuid>> per_thread(4);
  std::vector<std::thread> threads;
  for (auto& out : per_thread)
    threads.emplace_back([&out] {
      for (int i = 0; i < 50'000; ++i) out.push_back(uuid::generate_v7());
    });
  for (auto& t : threads) t.join();
  std::unordered_set<uuid> all;
  for (auto const& v : per_thread) {
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), 200'000u);
}

TEST(uuid, converts_to_json_as_a_string_not_an_array) {
  auto const u = uuid::parse("0192f0a4-7b1c-7def-8123-456789abcdef");
  auto const v = boost::json::value_from(u);
  EXPECT_EQ(boost::json::serialize(v), "\"0192f0a4-7b1c-7def-8123-456789abcdef\"");
  EXPECT_EQ(boost::json::value_to<uuid>(v), u);
}

}  // namespace
