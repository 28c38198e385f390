// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
//
// Which text every backend stores alike (valid UTF-8 without NUL), checked
// at every offset: the check reads eight ASCII bytes at a time, so a bad
// byte must be found wherever it falls in or after a word.
#include <taskstore/value/detail/cell.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using taskstore::detail::is_storable_text;

TEST(storable_text, accepts_ascii_and_valid_utf8_of_every_length) {
  std::string s;
  for (int i = 0; i < 40; ++i, s += static_cast<char>('a' + i % 26)) EXPECT_TRUE(is_storable_text(s)) << s;
  for (std::string const valid : {"caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\x7f", "\xef\xbf\xbf"})
    for (std::size_t at = 0; at <= 20; ++at)
      EXPECT_TRUE(is_storable_text(std::string(at, 'x') + valid + std::string(20 - at, 'y'))) << at;
}

TEST(storable_text, refuses_a_bad_byte_wherever_it_falls) {
  std::string const bad[] = {
      std::string(1, '\0'),  // NUL
      "\xff",                // never in UTF-8
      "\xe9",                // Latin-1, not UTF-8
      "\xc3\x28",            // a lead without its continuation
      "\xc0\xaf",            // overlong
      "\xed\xa0\x80",        // a surrogate
      "\xf4\x90\x80\x80",    // beyond U+10FFFF
      "\xe2\x82",            // cut short at the end
  };
  for (auto const& b : bad)
    for (std::size_t at = 0; at <= 20; ++at) {
      EXPECT_FALSE(is_storable_text(std::string(at, 'x') + b)) << at;
      EXPECT_FALSE(is_storable_text(std::string(at, 'x') + b + std::string(20 - at, 'y'))) << at;
    }
}

}  // namespace
