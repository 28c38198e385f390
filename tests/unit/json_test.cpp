// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#include <taskstore/types/from_json.hpp>

#include <taskstore/domain/api.hpp>
#include <taskstore/domain/credit.hpp>
#include <taskstore/domain/task.hpp>

#include "support/sample_types.hpp"

#include <gtest/gtest.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <chrono>
#include <string>

namespace {

using namespace taskstore;
using sample_ns::sample;

sample full_sample() {
  sample s;
  s.id = 9'000'000'000'000'000'001;
  s.owner_id = 7;
  s.backup_owner_id = 8;
  s.flag = true;
  s.small = -2'147'483'647 - 1;
  s.big = -9'000'000'000'000'000'000;
  s.ratio = 100.0;  // Boost.JSON writes 1E2
  s.text = "Grüße \"quoted\" \\ 世界";
  s.shade = sample_ns::color::BLUE_GREEN;
  s.at = timestamp::parse("2024-02-29 23:59:59.999999");
  s.key = uuid::generate_v7();
  s.tags = std::vector<std::string>{"a", "b"};
  s.detail = sample_ns::detail_info{"inner", 5, {"x"}};
  s.extra = boost::json::parse(R"({"nested":{"list":[1,2.5,"three",null,true]}})");
  s.revision = 3;
  s.maybe_flag = false;
  s.maybe_small = 0;
  s.maybe_big = -1;
  s.maybe_ratio = 0.25;
  s.note = "";
  s.tint = sample_ns::color::RED;
  s.due = timestamp::parse("1970-01-01 00:00:00");
  s.parent = uuid::generate_v4();
  s.maybe_detail = json<sample_ns::detail_info>(sample_ns::detail_info{"opt", std::nullopt, {}});
  return s;
}

void expect_same(sample const& a, sample const& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.owner_id, b.owner_id);
  EXPECT_EQ(a.backup_owner_id, b.backup_owner_id);
  EXPECT_EQ(a.flag, b.flag);
  EXPECT_EQ(a.small, b.small);
  EXPECT_EQ(a.big, b.big);
  EXPECT_EQ(a.ratio, b.ratio);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.shade, b.shade);
  EXPECT_EQ(a.at, b.at);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(*a.tags, *b.tags);
  EXPECT_EQ(a.detail->label, b.detail->label);
  EXPECT_EQ(a.detail->score, b.detail->score);
  EXPECT_EQ(a.detail->tags, b.detail->tags);
  EXPECT_EQ(a.extra, b.extra);  // by value, never by text
  EXPECT_EQ(a.revision, b.revision);
  EXPECT_EQ(a.maybe_flag, b.maybe_flag);
  EXPECT_EQ(a.maybe_small, b.maybe_small);
  EXPECT_EQ(a.maybe_big, b.maybe_big);
  EXPECT_EQ(a.maybe_ratio, b.maybe_ratio);
  EXPECT_EQ(a.note, b.note);
  EXPECT_EQ(a.tint, b.tint);
  EXPECT_EQ(a.due, b.due);
  EXPECT_EQ(a.parent, b.parent);
  ASSERT_EQ(a.maybe_detail.has_value(), b.maybe_detail.has_value());
  if (a.maybe_detail) {
    EXPECT_EQ((*a.maybe_detail)->label, (*b.maybe_detail)->label);
  }
}

TEST(json, round_trips_every_member_type) {
  auto const s = full_sample();
  auto const v = to_json(s);
  auto const& o = v.as_object();
  EXPECT_EQ(o.at("shade"), "BLUE_GREEN");  // enums by name
  EXPECT_EQ(o.at("at"), "2024-02-29T23:59:59.999999Z");
  EXPECT_EQ(o.at("key"), boost::json::value(s.key.to_string()));
  EXPECT_TRUE(o.at("tags").is_array());
  expect_same(from_json<sample>(v), s);
  expect_same(parse_json<sample>(boost::json::serialize(v)), s);
}

TEST(json, to_json_writes_what_boost_json_writes_for_the_types_both_convert) {
  auto const s = full_sample();
  EXPECT_EQ(to_json(s), boost::json::value_from(s));
  sample empty;
  EXPECT_EQ(to_json(empty), boost::json::value_from(empty));
}

TEST(json, durations_are_numbers_of_seconds) {
  task_completion_out out;
  out.execution_time = std::chrono::milliseconds(2500);
  auto const v = to_json(out);
  EXPECT_EQ(v.at("execution_time"), boost::json::value(2.5));

  auto const in = parse_json<task_completion_create>(
      R"({"task_id":"01890a5d-ac96-774b-bcce-b302099a8057","workflow_id":"w","user_email":"a@example.com",)"
      R"("task_data":{},"original_question":"q","execution_time":1.25})");
  ASSERT_TRUE(in.execution_time);
  EXPECT_EQ(*in.execution_time, std::chrono::duration<double>(1.25));
  EXPECT_EQ(from_json<task_completion_out>(v).execution_time, out.execution_time);

  try {
    parse_json<task_completion_create>(
        R"({"task_id":"01890a5d-ac96-774b-bcce-b302099a8057","workflow_id":"w","user_email":"a@example.com",)"
        R"("task_data":{},"original_question":"q","execution_time":"1.25"})");
    ADD_FAILURE() << "a string read as seconds";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed);
    EXPECT_EQ(e.field(), "execution_time");
  }
}

TEST(json, empty_optionals_are_null_and_missing_optionals_are_empty) {
  sample s = full_sample();
  s.backup_owner_id.reset();
  s.maybe_flag.reset();
  s.note.reset();
  s.tint.reset();
  s.due.reset();
  s.parent.reset();
  s.maybe_detail.reset();
  auto v = to_json(s);
  EXPECT_TRUE(v.as_object().at("note").is_null());
  expect_same(from_json<sample>(v), s);
  for (auto key : {"backup_owner_id", "maybe_flag", "note", "tint", "due", "parent", "maybe_detail", "maybe_small",
                   "maybe_big", "maybe_ratio"})
    v.as_object().erase(key);
  auto const back = from_json<sample>(v);
  EXPECT_FALSE(back.note || back.maybe_small || back.maybe_big || back.maybe_ratio || back.parent);
}

TEST(json, unknown_keys_follow_the_policy) {
  auto v = to_json(full_sample());
  v.as_object()["surprise"] = 1;
  EXPECT_THROW(from_json<sample>(v), error);
  EXPECT_NO_THROW(from_json<sample>(v, {.unknown = unknown_keys::ignore}));
}

TEST(json, stored_data_that_does_not_fit_is_corrupt_value) {
  auto v = to_json(full_sample());
  v.as_object()["shade"] = "MAUVE";
  try {
    from_json<sample>(v, {.code = errc::corrupt_value});
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::corrupt_value);
    EXPECT_EQ(e.field(), "shade");
  }
}

struct malformed_case {
  char const* what;
  char const* key;    // a top-level key to replace (or erase when `value` is nullptr)
  char const* value;  // JSON text of the replacement
  char const* expected_field;
  char const* message_part;
};

class malformed_json : public ::testing::TestWithParam<malformed_case> {};

TEST_P(malformed_json, names_the_offending_field) {
  auto const& c = GetParam();
  auto v = to_json(full_sample());
  if (c.value)
    v.as_object()[c.key] = boost::json::parse(c.value);
  else
    v.as_object().erase(c.key);
  try {
    from_json<sample>(v);
    ADD_FAILURE() << c.what << " was accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed) << c.what;
    EXPECT_EQ(e.category(), error_category::user_fixable);
    EXPECT_EQ(e.field(), c.expected_field) << c.what << ": " << e.what();
    EXPECT_NE(std::string(e.what()).find(c.message_part), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(c.expected_field), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    decoder, malformed_json,
    ::testing::Values(
        malformed_case{"missing required int", "owner_id", nullptr, "owner_id", "is required"},
        malformed_case{"missing required string", "text", nullptr, "text", "is required"},
        malformed_case{"null for required", "text", "null", "text", "must not be null"},
        malformed_case{"string for int", "small", "\"12\"", "small", "expected an integer, got a string"},
        malformed_case{"fraction for int", "small", "1.5", "small", "expected an integer, got a number"},
        malformed_case{"int32 overflow", "small", "2147483648", "small", "out of range"},
        malformed_case{"int64 overflow", "big", "18446744073709551615", "big", "out of range"},
        malformed_case{"bool as int", "flag", "1", "flag", "expected a boolean"},
        malformed_case{"string for double", "ratio", "\"0.5\"", "ratio", "expected a number"},
        malformed_case{"double beyond range", "ratio", "1e400", "ratio", "number out of range"},
        malformed_case{"optional double beyond range", "maybe_ratio", "-1e400", "maybe_ratio", "number out of range"},
        malformed_case{"number beyond range in free-form JSON", "extra", R"({"nested":{"list":[1,2.5,-1e400]}})",
                       "extra.nested.list[2]", "number out of range"},
        malformed_case{"number for string", "text", "42", "text", "expected a string, got a number"},
        malformed_case{"unknown enum name", "shade", "\"PURPLE\"", "shade", "unknown value 'PURPLE'"},
        malformed_case{"enum by number", "shade", "1", "shade", "expected one of RED, GREEN, BLUE_GREEN"},
        malformed_case{"enum wrong case", "tint", "\"red\"", "tint", "unknown value 'red'"},
        malformed_case{"bad timestamp", "at", "\"2024-02-30T00:00:00Z\"", "at", "invalid timestamp"},
        malformed_case{"timestamp offset past year 9999", "at", "\"9999-12-31T23:30:00-01:00\"", "at",
                       "invalid timestamp"},
        malformed_case{"timestamp as number", "due", "1700000000", "due", "expected a timestamp string"},
        malformed_case{"bad uuid", "key", "\"not-a-uuid\"", "key", "invalid uuid"},
        malformed_case{"uuid as array", "parent", "[1,2]", "parent", "expected a uuid string, got an array"},
        malformed_case{"object for array", "tags", "{}", "tags", "expected an array, got an object"},
        malformed_case{"bad array element", "tags", "[\"a\", 2]", "tags[1]", "expected a string"},
        malformed_case{"nested missing", "detail", "{\"score\":1,\"tags\":[]}", "detail.label", "is required"},
        malformed_case{"nested wrong type", "detail", "{\"label\":\"x\",\"score\":\"high\",\"tags\":[]}",
                       "detail.score", "expected an integer"},
        malformed_case{"nested array element", "detail", "{\"label\":\"x\",\"tags\":[\"ok\",null]}", "detail.tags[1]",
                       "expected a string, got null"},
        malformed_case{"nested unknown key", "detail", "{\"label\":\"x\",\"tags\":[],\"bogus\":1}", "detail.bogus",
                       "unknown field"},
        malformed_case{"optional nested wrong type", "maybe_detail", "[]", "maybe_detail",
                       "expected an object, got an array"},
        malformed_case{"unknown top-level key", "bogus", "true", "bogus", "unknown field"}),
    [](auto const& param_info) {
      std::string name = param_info.param.what;
      for (auto& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return name;
    });

TEST(json, numbers_at_the_edge_of_the_double_range_round_trip) {
  sample s = full_sample();
  s.ratio = 1.7976931348623157e308;
  s.maybe_ratio = -1e308;
  s.extra = boost::json::parse(R"({"big":[1e308,-1.7976931348623157e308]})");
  expect_same(parse_json<sample>(boost::json::serialize(to_json(s))), s);
}

// The fuzzer's task_failure_context_huge_number: a task whose free-form failure_context holds -1e400.
TEST(json, task_failure_context_rejects_a_number_beyond_the_double_range) {
  auto const text = [](std::string const& failure_context) {
    auto v = to_json(task{});
    v.as_object()["failure_context"] = nullptr;
    auto out = boost::json::serialize(v);
    std::string const null_member = "\"failure_context\":null";
    auto const at = out.find(null_member);
    EXPECT_NE(at, std::string::npos) << out;
    return out.replace(at, null_member.size(), "\"failure_context\":" + failure_context);
  };
  auto const fine = parse_json<task>(text(R"({"reason":"timeout","at":[1,2.5,null]})"));
  EXPECT_EQ(fine.failure_context, boost::json::parse(R"({"reason":"timeout","at":[1,2.5,null]})"));
  struct huge_case {
    char const* failure_context;
    char const* expected_field;
  };
  for (auto const& c :
       {huge_case{R"({"reason":"timeout","at":[1,2.5,-1e400]})", "failure_context.at[2]"},
        huge_case{R"({"at":{"x":[0,1e400]}})", "failure_context.at.x[1]"}, huge_case{"1e400", "failure_context"}}) {
    try {
      parse_json<task>(text(c.failure_context));
      ADD_FAILURE() << c.failure_context << " was accepted";
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed) << c.failure_context;
      EXPECT_EQ(e.field(), c.expected_field) << e.what();
      EXPECT_NE(std::string(e.what()).find("number out of range"), std::string::npos) << e.what();
    }
  }
}

TEST(json, invalid_text_and_non_objects_are_validation_failed) {
  for (char const* text : {"", "{", "[1,2]", "\"text\"", "{\"id\": }", "nul"}) {
    try {
      parse_json<sample>(text);
      ADD_FAILURE() << text;
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed) << text;
    }
  }
}

TEST(error, codes_and_categories_have_stable_names) {
  error const e(errc::busy_or_deadlock, "database is locked");
  EXPECT_EQ(e.category(), error_category::temporary);
  EXPECT_EQ(to_string(e.code()), "busy_or_deadlock");
  EXPECT_EQ(to_string(e.category()), "temporary");
  EXPECT_EQ(default_category(errc::connection_failed), error_category::admin_required);
  EXPECT_EQ(default_category(errc::invalid_transition), error_category::user_fixable);
  error const custom(errc::retry_limit_exceeded, error_category::admin_required, "Maximum retry attempts exceeded");
  EXPECT_STREQ(custom.what(), "Maximum retry attempts exceeded");
  EXPECT_TRUE(custom.reason().name.empty());
}

TEST(error, a_domain_rule_is_precondition_failed_with_the_reason_its_domain_declares) {
  error const e(insufficient_credits, "balance 3 is below 5 credits");
  EXPECT_EQ(e.code(), errc::precondition_failed);
  EXPECT_EQ(to_string(e.code()), "precondition_failed");
  EXPECT_EQ(e.category(), error_category::user_fixable);
  EXPECT_EQ(e.reason(), insufficient_credits);
  EXPECT_EQ(e.reason().name, "insufficient_credits");
  EXPECT_NE(e.reason(), error_reason{"another_rule"});
}

// input limits (issue 31): JSON depth, measured without recursion.

boost::json::value nested_arrays(std::size_t depth, boost::json::storage_ptr sp = {}) {
  boost::json::value v(1, sp);
  for (std::size_t i = 0; i < depth; ++i) {
    boost::json::array a(sp);
    a.emplace_back(std::move(v));
    v = std::move(a);
  }
  return v;
}

TEST(json_limits, depth_counts_arrays_and_objects_and_stops_past_the_maximum) {
  EXPECT_EQ(detail::json_depth(boost::json::value(1), 30), 0u);
  EXPECT_EQ(detail::json_depth(boost::json::parse(R"({"a":[1,{"b":[]}],"c":{}})"), 30), 4u);
  EXPECT_EQ(detail::json_depth(nested_arrays(30), 30), 30u);
  EXPECT_EQ(detail::json_depth(nested_arrays(31), 30), 31u);
  boost::json::monotonic_resource memory;  // destroyed without recursing
  EXPECT_EQ(detail::json_depth(nested_arrays(300000, &memory), 30), 31u);
}

TEST(json_limits, from_json_refuses_a_value_deeper_than_the_read_limit_without_recursing) {
  boost::json::monotonic_resource memory;
  boost::json::value doc = boost::json::object(&memory);
  doc.as_object()["x"] = nested_arrays(300000, &memory);
  try {
    from_json<boost::json::value>(doc);
    FAIL() << "accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed);
  }
}

TEST(json_limits, parse_json_reads_as_deep_as_a_column_stores_and_a_dump_wraps) {
  auto const deep = std::string(limits::max_json_depth + 2, '[') + std::string(limits::max_json_depth + 2, ']');
  EXPECT_EQ(detail::json_depth(parse_json<boost::json::value>(deep), 64), limits::max_json_depth + 2);
}

}  // namespace
