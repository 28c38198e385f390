// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The task and completion APIs' shapes: produced and accepted exactly, with errors naming the field.

#include <taskstore/domain/api.hpp>
#include <taskstore/types/from_json.hpp>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <set>
#include <string>

namespace {

using namespace taskstore;

std::set<std::string> keys(boost::json::value const& v) {
  std::set<std::string> out;
  for (auto const& kv : v.as_object()) out.insert(std::string(kv.key()));
  return out;
}

void expect_invalid(std::string const& field, auto&& f) {
  try {
    f();
    ADD_FAILURE() << "accepted; expected an error on " << field;
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed) << e.what();
    EXPECT_EQ(e.field(), field) << e.what();
  }
}

TEST(api, task_create_request_accepts_the_task_apis_example_and_names_bad_fields) {
  auto const r = parse_json<task_create_request>(
      R"({"tool_id": "profile-my-data", "agents": ["unified-profiler", "score-risk"]})");
  EXPECT_EQ(r.tool_id, "profile-my-data");
  EXPECT_EQ(r.agents->size(), 2u);
  EXPECT_FALSE(parse_json<task_create_request>(R"({"tool_id": "x"})").agents);  // agents is optional
  expect_invalid("tool_id", [] { parse_json<task_create_request>(R"({"agents": []})"); });
  expect_invalid("tool_id", [] { parse_json<task_create_request>(R"({"tool_id": 7})"); });
  expect_invalid("agents[1]", [] { parse_json<task_create_request>(R"({"tool_id": "x", "agents": ["a", 2]})"); });
  expect_invalid("tool_id", [] { validate(parse_json<task_create_request>(R"({"tool_id": ""})")); });
  expect_invalid("agents[0]", [] { validate(parse_json<task_create_request>(R"({"tool_id": "x", "agents": [""]})")); });
}

TEST(api, progress_and_list_requests_are_checked) {
  expect_invalid("progress", [] { validate(parse_json<progress_report_request>(R"({"progress": 140})")); });
  expect_invalid("progress", [] { parse_json<progress_report_request>(R"({"progress": "40"})"); });
  EXPECT_NO_THROW(validate(parse_json<progress_report_request>(R"({"progress": 40, "current_agent": "score-risk"})")));
  expect_invalid("status", [] { parse_json<task_list_request>(R"({"status": "DONE"})"); });
  expect_invalid("status", [] { parse_json<task_list_request>(R"({"status": "queued"})"); });  // names are exact
  EXPECT_EQ(parse_json<task_list_request>(R"({"status": "QUEUED"})").status, task_status::QUEUED);
  expect_invalid("limit", [] { validate(parse_json<task_list_request>(R"({"limit": 0})")); });
}

TEST(api, task_response_has_exactly_the_task_apis_fields) {
  task t;
  t.task_id = uuid::generate_v7();
  t.status = task_status::COMPLETED;
  t.tool_id = "profile-my-data";
  t.agents = std::vector<std::string>{"unified-profiler"};
  t.progress = 100;
  t.created_at = timestamp::parse("2025-01-01T10:00:00Z");
  t.completed_at = timestamp::parse("2025-01-01T10:05:00.25Z");
  auto const v = to_json(to_task_response(t, progress_detail{"unified-profiler", 1, 1}));
  EXPECT_EQ(keys(v), (std::set<std::string>{"task_id", "status", "tool_id", "agents", "progress", "progress_detail",
                                            "created_at", "upload_started_at", "processing_started_at", "completed_at",
                                            "failed_at", "downloads_available", "error_code", "error_message"}));
  auto const& o = v.as_object();
  EXPECT_EQ(o.at("status"), "COMPLETED");
  EXPECT_EQ(o.at("downloads_available"), true);
  EXPECT_EQ(o.at("completed_at"), "2025-01-01T10:05:00.250000Z");
  EXPECT_TRUE(o.at("failed_at").is_null());
  EXPECT_EQ(o.at("progress_detail").as_object().at("agents_completed"), 1);
  t.s3_cleaned = true;
  EXPECT_FALSE(to_task_response(t).downloads_available);  // outputs cleaned
  auto const back = from_json<task_response>(v);
  EXPECT_EQ(back.task_id, t.task_id);
  EXPECT_EQ(back.completed_at, t.completed_at);

  task_list_response list{{to_task_response(t)}, {1, 20, 0, false}};
  EXPECT_EQ(keys(to_json(list)), (std::set<std::string>{"tasks", "pagination"}));
  EXPECT_EQ(keys(to_json(list).as_object().at("pagination")),
            (std::set<std::string>{"total", "limit", "offset", "has_more"}));
}

TEST(api, task_completion_shapes_follow_the_completion_api) {
  auto const create = parse_json<task_completion_create>(R"({
      "task_id": "0192f0a4-7b1c-7def-8123-456789abcdef", "workflow_id": "wf-1", "user_email": "a@example.com",
      "task_data": {"messages": [], "taskInfo": {"name": "x"}}, "original_question": "Why?"})");
  EXPECT_FALSE(create.status);  // defaults applied by the service
  EXPECT_EQ(create.task_data.at("taskInfo").as_object().at("name"), "x");
  expect_invalid("task_id", [] {
    parse_json<task_completion_create>(R"({"task_id": "nope", "workflow_id": "w", "user_email": "a@example.com",
                                          "task_data": {}, "original_question": "q"})");
  });
  expect_invalid("task_data", [] {
    parse_json<task_completion_create>(R"({"task_id": "0192f0a4-7b1c-7def-8123-456789abcdef", "workflow_id": "w",
                                          "user_email": "a@example.com", "task_data": [], "original_question": "q"})");
  });
  expect_invalid("status",
                 [] { parse_json<task_completion_update>(R"({"status": "COMPLETED"})"); });  // names are lower-case
  auto const update = parse_json<task_completion_update>(R"({"summary_steps": "1. 2. 3."})");
  EXPECT_EQ(update.summary_steps, "1. 2. 3.");
  EXPECT_FALSE(update.summary_learnings);
  task_completion c;
  c.task_id = create.task_id;
  c.status = completion_status::failed;
  EXPECT_EQ(keys(to_json(to_completion_out(c))),
            (std::set<std::string>{"id", "task_id", "workflow_id", "user_email", "original_question", "summary_steps",
                                   "summary_dos_donts", "summary_learnings", "summary_expected_outcome", "status",
                                   "tokens_used", "execution_time", "created_at", "completed_at", "updated_at"}));
  EXPECT_EQ(to_json(to_completion_out(c)).as_object().at("status"), "failed");
}

}  // namespace
