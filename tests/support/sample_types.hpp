// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Test types that use every mapped column type and every table_traits option.

#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/types/json.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <boost/describe.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace sample_ns {

enum class color { RED, GREEN, BLUE_GREEN };
BOOST_DESCRIBE_ENUM(color, RED, GREEN, BLUE_GREEN)

struct detail_info {
  std::string label;
  std::optional<std::int32_t> score;
  std::vector<std::string> tags;
};
BOOST_DESCRIBE_STRUCT(detail_info, (), (label, score, tags))

struct owner {
  std::int64_t id = 0;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(owner, (), (id, name))

/// One member of every mapped type, plain and optional.
struct sample {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  std::optional<std::int64_t> backup_owner_id;
  bool flag = false;
  std::int32_t small = 0;
  std::int64_t big = 0;
  double ratio = 0;
  std::string text;
  color shade = color::RED;
  taskstore::timestamp at;
  taskstore::uuid key;
  taskstore::json<std::vector<std::string>> tags;
  taskstore::json<detail_info> detail;
  boost::json::value extra;
  std::int32_t revision = 0;
  std::optional<bool> maybe_flag;
  std::optional<std::int32_t> maybe_small;
  std::optional<std::int64_t> maybe_big;
  std::optional<double> maybe_ratio;
  std::optional<std::string> note;
  std::optional<color> tint;
  std::optional<taskstore::timestamp> due;
  std::optional<taskstore::uuid> parent;
  std::optional<taskstore::json<detail_info>> maybe_detail;
};
BOOST_DESCRIBE_STRUCT(sample, (),
                      (id, owner_id, backup_owner_id, flag, small, big, ratio, text, shade, at, key, tags, detail,
                       extra, revision, maybe_flag, maybe_small, maybe_big, maybe_ratio, note, tint, due, parent,
                       maybe_detail))

}  // namespace sample_ns

template <>
struct taskstore::table_traits<sample_ns::owner> {
  static constexpr std::string_view table = "owners";
  static constexpr auto primary_key = auto_increment<&sample_ns::owner::id>;
  static constexpr auto columns = std::tuple{column<&sample_ns::owner::name>.max_length(100).unique()};
};

template <>
struct taskstore::table_traits<sample_ns::sample> {
  using S = sample_ns::sample;
  static constexpr std::string_view table = "samples";
  static constexpr auto primary_key = auto_increment<&S::id>;
  static constexpr auto columns = std::tuple{
      column<&S::owner_id>.references<&sample_ns::owner::id>(on_delete::cascade),
      column<&S::backup_owner_id>.references<&sample_ns::owner::id>(on_delete::set_null),
      column<&S::text>.max_length(200).non_empty(),
      column<&S::small>.range(0, 100).default_value(0),
      column<&S::flag>.default_value(false),
      column<&S::shade>.default_value(sample_ns::color::GREEN),
      column<&S::at>.default_now(),
      column<&S::key>.unique(),
      column<&S::tags>.default_json("[]"),
      column<&S::ratio>.default_value(0.5),
      column<&S::note>.max_length(20),
      column<&S::big>.check("big <> 13"),
  };
  static constexpr auto indexes = std::tuple{
      index<&S::at>("ix_samples_at"),
      unique_index<&S::shade, &S::text>("uq_samples_shade_text"),
  };
  static constexpr auto version = version_column<&S::revision>;
};

namespace sample_ns {
/// A narrow row for bulk tests.
struct event_row {
  std::int64_t id = 0;
  std::int64_t seq = 0;
  std::string body;
  taskstore::timestamp at;
  std::optional<double> score;
};
BOOST_DESCRIBE_STRUCT(event_row, (), (id, seq, body, at, score))
}  // namespace sample_ns

template <>
struct taskstore::table_traits<sample_ns::event_row> {
  static constexpr std::string_view table = "event_rows";
  static constexpr auto primary_key = auto_increment<&sample_ns::event_row::id>;
  static constexpr auto indexes = std::tuple{index<&sample_ns::event_row::seq>("ix_event_rows_seq")};
};

namespace sample_ns {
/// A versioned counter for lost-update tests.
struct counter {
  std::int64_t id = 0;
  std::string name;
  std::int64_t value = 0;
  std::int32_t version = 0;
};
BOOST_DESCRIBE_STRUCT(counter, (), (id, name, value, version))
}  // namespace sample_ns

template <>
struct taskstore::table_traits<sample_ns::counter> {
  static constexpr std::string_view table = "counters";
  static constexpr auto primary_key = auto_increment<&sample_ns::counter::id>;
  static constexpr auto columns = std::tuple{column<&sample_ns::counter::name>.max_length(100).unique()};
  static constexpr auto version = version_column<&sample_ns::counter::version>;
};
