// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

#include <boost/uuid/uuid.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <random>

namespace taskstore::detail {

/// This thread's generator, seeded with 256 bits from std::random_device.
inline std::mt19937_64& uuid_rng() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    std::seed_seq seed{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seed);
  }()};
  return rng;
}

/// RFC 9562 version 4: 122 random bits. The same generator as v7's, rather
/// than boost/uuid/random_generator.hpp, whose Boost.Random headers every
/// translation unit that includes taskstore.hpp would parse.
inline boost::uuids::uuid make_uuid_v4() {
  auto& rng = uuid_rng();
  std::uint64_t const halves[] = {rng(), rng()};
  boost::uuids::uuid u{};
  for (std::size_t i = 0; i < 16; ++i) u.data[i] = static_cast<std::uint8_t>(halves[i / 8] >> (8 * (i % 8)));
  u.data[6] = static_cast<std::uint8_t>(0x40 | (u.data[6] & 0x0F));  // version 4
  u.data[8] = static_cast<std::uint8_t>(0x80 | (u.data[8] & 0x3F));  // variant 10
  return u;
}

/// RFC 9562 version 7: 48-bit Unix milliseconds, then a 42-bit counter (the
/// 12 bits of rand_a and the top 30 of rand_b) that starts at a random value
/// below 2^41 each millisecond and counts up within it (method 1), then 32
/// random bits. Process-wide monotonic: when the counter would overflow, or
/// the clock steps back, the timestamp advances past the last one used.
inline boost::uuids::uuid make_uuid_v7() {
  static std::mutex mutex;
  static std::uint64_t last_ms = 0;
  static std::uint64_t counter = 0;
  constexpr std::uint64_t counter_max = (std::uint64_t{1} << 42) - 1;

  auto& rng = uuid_rng();
  auto const now_ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  std::uint64_t ms, ctr;
  {
    std::lock_guard lock(mutex);
    if (now_ms > last_ms) {
      last_ms = now_ms;
      counter = rng() & ((std::uint64_t{1} << 41) - 1);
    } else if (counter < counter_max) {
      ++counter;
    } else {
      ++last_ms;
      counter = rng() & ((std::uint64_t{1} << 41) - 1);
    }
    ms = last_ms;
    ctr = counter;
  }
  auto const tail = static_cast<std::uint32_t>(rng());

  boost::uuids::uuid u{};
  for (int i = 0; i < 6; ++i) u.data[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  u.data[6] = static_cast<std::uint8_t>(0x70 | ((ctr >> 38) & 0x0F));  // version 7, counter bits 41..38
  u.data[7] = static_cast<std::uint8_t>(ctr >> 30);                    // counter bits 37..30
  u.data[8] = static_cast<std::uint8_t>(0x80 | ((ctr >> 24) & 0x3F));  // variant 10, counter bits 29..24
  u.data[9] = static_cast<std::uint8_t>(ctr >> 16);
  u.data[10] = static_cast<std::uint8_t>(ctr >> 8);
  u.data[11] = static_cast<std::uint8_t>(ctr);
  for (int i = 0; i < 4; ++i) u.data[12 + i] = static_cast<std::uint8_t>(tail >> (24 - 8 * i));
  return u;
}

}  // namespace taskstore::detail
