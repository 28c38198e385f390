// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#include <taskstore/domain/event_log.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/value/detail/row_access.hpp>

#include "support/sample_types.hpp"

#include <gtest/gtest.h>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <string>
#include <vector>

namespace {

using namespace taskstore;
using model = table_model<sample_ns::sample>;

// The model is a compile-time value: the SQL layer can read it in constexpr code.
static_assert(model::table == "samples");
static_assert(model::column_count == 24);
static_assert(model::columns[model::key_index].name == "id");
static_assert(model::columns[0].generated);
static_assert(model::version_index && model::columns[*model::version_index].name == "revision");
static_assert(member_name<&sample_ns::sample::shade> == "shade");
static_assert(is_described_member<&sample_ns::sample::shade>);
static_assert(enum_names<sample_ns::color>.size() == 3 && enum_names<sample_ns::color>[2] == "BLUE_GREEN");
static_assert(enum_max_length<sample_ns::color> == 10);
static_assert(enum_to_string(sample_ns::color::GREEN) == "GREEN");
static_assert(enum_from_string<sample_ns::color>("BLUE_GREEN") == sample_ns::color::BLUE_GREEN);
static_assert(!enum_from_string<sample_ns::color>("green"));  // names are case-sensitive
static_assert(described_struct<sample_ns::sample> && !described_struct<int>);
static_assert(described_enum<sample_ns::color> && !described_enum<int>);
static_assert(column_value<std::optional<sample_ns::color>> && !column_value<std::vector<int>>);
static_assert(!has_table_traits<sample_ns::detail_info>);

column_info const& col(std::string_view name) {
  auto const* c = model::find_column(name);
  if (!c) throw std::runtime_error("no column " + std::string(name));
  return *c;
}

TEST(table_model, takes_types_and_nullability_from_cpp) {
  EXPECT_EQ(col("flag").type, column_type::boolean);
  EXPECT_EQ(col("small").type, column_type::int32);
  EXPECT_EQ(col("big").type, column_type::int64);
  EXPECT_EQ(col("ratio").type, column_type::real);
  EXPECT_EQ(col("text").type, column_type::text);
  EXPECT_EQ(col("shade").type, column_type::enumeration);
  EXPECT_EQ(col("at").type, column_type::timestamp);
  EXPECT_EQ(col("key").type, column_type::uuid);
  EXPECT_EQ(col("tags").type, column_type::json);
  EXPECT_EQ(col("extra").type, column_type::json);
  EXPECT_EQ(col("tint").type, column_type::enumeration);
  for (auto const& c : model::columns)
    EXPECT_EQ(c.nullable, c.name.starts_with("maybe_") || c.name == "note" || c.name == "tint" || c.name == "due" ||
                              c.name == "parent" || c.name == "backup_owner_id")
        << c.name;
}

TEST(table_model, merges_column_options) {
  EXPECT_EQ(col("text").max_length(), 200u);
  EXPECT_TRUE(col("text").options.non_empty);
  EXPECT_TRUE(col("small").options.has_min && col("small").options.has_max);
  EXPECT_EQ(col("small").options.max, 100);
  EXPECT_EQ(col("shade").options.default_value.text, "GREEN");
  EXPECT_EQ(col("shade").max_length(), 10u);  // the longest enum name
  ASSERT_EQ(col("tint").enum_count, 3u);
  EXPECT_EQ(col("tint").enum_names[1], "GREEN");
  EXPECT_EQ(col("at").options.default_value.what, column_default::kind::now);
  EXPECT_EQ(col("tags").options.default_value.what, column_default::kind::json);
  EXPECT_EQ(col("ratio").options.default_value.real, 0.5);
  EXPECT_EQ(col("flag").options.default_value.what, column_default::kind::boolean);
  EXPECT_TRUE(col("key").options.unique);
  EXPECT_EQ(col("big").options.check, "big <> 13");
  EXPECT_EQ(col("owner_id").options.references.table, "owners");
  EXPECT_EQ(col("owner_id").options.references.column, "id");
  EXPECT_EQ(col("owner_id").options.references.action, on_delete::cascade);
  EXPECT_EQ(col("backup_owner_id").options.references.action, on_delete::set_null);
  EXPECT_FALSE(col("extra").options.references.present());
}

TEST(table_model, lists_named_indexes_in_column_order) {
  ASSERT_EQ(model::indexes.size(), 2u);
  EXPECT_EQ(model::indexes[0].name, "ix_samples_at");
  EXPECT_FALSE(model::indexes[0].unique);
  EXPECT_EQ(model::indexes[1].name, "uq_samples_shade_text");
  EXPECT_TRUE(model::indexes[1].unique);
  ASSERT_EQ(model::indexes[1].column_count, 2u);
  EXPECT_EQ(model::indexes[1].columns[0], "shade");
  EXPECT_EQ(model::indexes[1].columns[1], "text");
}

TEST(table_model, visits_members_in_described_order) {
  sample_ns::sample s;
  s.text = "hello";
  std::vector<std::string> names;
  model::for_each_column(s, [&](column_info const& c, auto& member) {
    names.emplace_back(c.name);
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(member)>, std::string>) member += "!";
  });
  ASSERT_EQ(names.size(), model::column_count);
  EXPECT_EQ(names.front(), "id");
  EXPECT_EQ(names.back(), "maybe_detail");
  EXPECT_EQ(s.text, "hello!");
}

TEST(row_layout, moves_every_column_through_cells_and_back) {
  sample_ns::sample s;
  s.id = 9;
  s.owner_id = 4;
  s.text = "hello";
  s.shade = sample_ns::color::BLUE_GREEN;
  s.at = timestamp::parse("2026-12-03 08:00:00.123456");
  s.key = uuid::generate_v7();
  s.tags = json<std::vector<std::string>>{{"a", "b"}};
  s.revision = 3;
  s.maybe_ratio = 0.25;
  s.note = "n";
  constexpr auto layout = detail::row_layout::of<sample_ns::sample>();
  std::vector<detail::cell> cells(model::column_count);
  ASSERT_EQ(layout.write_insert(&s, 1, key_source::row, cells, 0), model::column_count);
  EXPECT_EQ(cells[0].integer, 9);
  EXPECT_EQ(cells[7].text, "hello");
  EXPECT_EQ(cells[8].text, "BLUE_GREEN");
  EXPECT_TRUE(cells[20].null);  // tint
  EXPECT_EQ(layout.write_insert(&s, 1, key_source::generated, cells, 0),
            model::column_count - 1);  // the generated key left out
  EXPECT_EQ(cells[0].integer, 4);

  layout.write_insert(&s, 1, key_source::row, cells, 0);
  cells[3].text = "0";  // a boolean is read as text (PostgreSQL returns t/f)
  sample_ns::sample back;
  detail::read_row(cells, back);
  EXPECT_EQ(back.id, 9);
  EXPECT_EQ(back.text, "hello");
  EXPECT_EQ(back.shade, sample_ns::color::BLUE_GREEN);
  EXPECT_EQ(back.at, s.at);
  EXPECT_EQ(back.key, s.key);
  EXPECT_EQ(back.tags.get(), s.tags.get());
  EXPECT_EQ(back.maybe_ratio, 0.25);
  EXPECT_EQ(back.note, "n");
  EXPECT_FALSE(back.tint);
}

TEST(row_layout, finds_changed_columns_but_never_the_key_or_version) {
  sample_ns::sample before;
  before.text = "a";
  auto row = before;
  row.id = 7;        // the key: never written by an update
  row.revision = 2;  // the version: checked and incremented, not written
  row.text = "b";
  row.due = timestamp::parse("2026-12-03 08:00:00");
  constexpr auto layout = detail::row_layout::of<sample_ns::sample>();
  std::array<std::size_t, model::column_count> changed{};
  auto const n = layout.changes(&row, &before, changed);
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < n; ++i) names.push_back(model::columns[changed[i]].name);
  // json<detail_info> has no ==: such a column always counts as changed.
  EXPECT_EQ(names, (std::vector<std::string_view>{"text", "detail", "due", "maybe_detail"}));

  std::vector<detail::cell> cells(n + 2);
  layout.write_update(&row, std::span<std::size_t const>(changed.data(), n), cells);
  EXPECT_EQ(cells[0].text, "b");
  EXPECT_EQ(cells[2].text, "2026-12-03 08:00:00.000000");
  EXPECT_EQ(cells[n].integer, 7);      // then the key
  EXPECT_EQ(cells[n + 1].integer, 2);  // then the version
}

// One codec per C++ type, shared by every table: what keeps a row type's
// compiled code small.
static_assert(detail::row_access<sample_ns::sample>[7].codec == &detail::codec_of<std::string>);
static_assert(detail::row_access<sample_ns::owner>[1].codec == detail::row_access<sample_ns::sample>[7].codec);

TEST(enum_names, unknown_names_are_errors_never_defaults) {
  EXPECT_EQ(parse_enum<sample_ns::color>("RED"), sample_ns::color::RED);
  try {
    parse_enum<sample_ns::color>("PURPLE");
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed);
    EXPECT_NE(std::string(e.what()).find("RED, GREEN, BLUE_GREEN"), std::string::npos) << e.what();
  }
  try {
    parse_enum<sample_ns::color>("", errc::corrupt_value);
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::corrupt_value);
    EXPECT_EQ(e.category(), error_category::admin_required);
  }
  EXPECT_EQ(enum_to_string(static_cast<sample_ns::color>(42)), "");
}

// Enumerators spelled safely from macros keep the names stored before.
static_assert(enum_to_string(log_level::error) == "ERROR");
static_assert(enum_to_string(event_kind::status_change) == "STATUS_CHANGE");
static_assert(enum_max_length<event_kind> == 14);  // the column width stays

TEST(enum_names, stored_names_can_differ_from_the_enumerators) {
  EXPECT_EQ(enum_names<log_level>, (std::array<std::string_view, 4>{"DEBUG", "INFO", "WARNING", "ERROR"}));
  EXPECT_EQ(enum_names<event_kind>[0], "LOG");
  EXPECT_EQ(enum_names<lifecycle_level>[3], "AUDIT");
  EXPECT_EQ(enum_from_string<log_level>("WARNING"), log_level::warning);
  EXPECT_EQ(enum_from_string<event_kind>("AGENT_START"), event_kind::agent_start);
  EXPECT_EQ(enum_from_string<log_level>("warning"), std::nullopt);  // the stored name only
  EXPECT_EQ(parse_enum<lifecycle_level>("DEBUG"), lifecycle_level::debug);
  event_log e;
  e.event_type = event_kind::error;
  e.level = log_level::debug;
  auto const j = boost::json::value_from(e).as_object();
  EXPECT_EQ(j.at("event_type"), "ERROR");
  EXPECT_EQ(j.at("level"), "DEBUG");
}

}  // namespace
