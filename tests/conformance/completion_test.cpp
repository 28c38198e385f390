// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Users and completion records on every backend.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/agent_run_service.hpp>
#include <taskstore/service/completion_service.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/isolated_db.hpp"

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

class completion_test : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    migrate_to_latest(db());
  }
};

TEST_P(completion_test, users_are_created_found_by_email_in_any_case_and_deactivated) {
  user_service users(db());
  auto const ada = users.create("Ada@Example.com", "Ada Lovelace");
  EXPECT_EQ(ada.email, "ada@example.com");
  EXPECT_EQ(users.find_by_email("ADA@EXAMPLE.COM")->id, ada.id);
  EXPECT_EQ(users.find(ada.id)->full_name, "Ada Lovelace");
  try {
    users.create("ada@example.com", "Twin");
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::already_exists);
  }
  try {
    users.create("not an address", "X");
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed);
    EXPECT_EQ(e.field(), "email");
  }
  EXPECT_EQ(users.find_or_create("ADA@example.com", "Other").id, ada.id);  // found, not changed
  EXPECT_EQ(users.find(ada.id)->full_name, "Ada Lovelace");
  auto const grace = users.find_or_create("grace@example.com", "Grace");
  EXPECT_NE(grace.id, ada.id);
  EXPECT_EQ(users.find_by_email("grace@example.com")->full_name, "Grace");
  EXPECT_TRUE(users.deactivate(ada.id));
  EXPECT_FALSE(users.find(ada.id)->is_active);
  EXPECT_FALSE(users.deactivate(ada.id + 100));
}

TEST_P(completion_test, a_finished_task_is_recorded_with_its_full_state_and_summaries_update_partially) {
  auto const ada = user_service(db()).create("ada@example.com", "Ada");
  task_service tasks(db());
  task_claims claims(db());
  auto t = tasks.create({.user_id = ada.id,
                         .tool_id = "clean-my-data",
                         .agents = {"cleaner"},
                         .workflow_id = "wf-7",
                         .input_prompt = "Clean my CSV"});
  completion_service completions(db());
  EXPECT_THROW(completions.record(t.task_id), error);  // not finished yet
  tasks.queue(t.task_id, ada.id);
  auto const claim = claims.start_processing(t.task_id, "w", 1min);
  agent_run_service runs(db());
  runs.finish(runs.start(t.task_id, "cleaner").id, agent_run_status::COMPLETED, "removed 3 duplicates", 500);
  claims.complete(claim, {.result_summary = "clean", .tokens_used = 500, .execution_time = 1.25s});

  auto const c = completions.record(t.task_id);
  EXPECT_EQ(c.workflow_id, "wf-7");
  EXPECT_EQ(c.user_email, "ada@example.com");
  EXPECT_EQ(c.original_question, "Clean my CSV");
  EXPECT_EQ(c.status, completion_status::completed);
  EXPECT_EQ(c.tokens_used, 500);
  auto const back = completions.get_by_task(t.task_id, ada.id);
  auto const eve = user_service(db()).create("eve@example.com", "Eve");
  try {  // another user's task reads as missing
    completions.get_by_task(t.task_id, eve.id);
    ADD_FAILURE() << "read another user's completion";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::not_found);
  }
  auto const& data = back.task_data.as_object();
  EXPECT_EQ(data.at("task").as_object().at("status"), "COMPLETED");
  EXPECT_EQ(data.at("events").as_array().size(), 4u);  // ->CREATED, ->QUEUED, ->PROCESSING, ->COMPLETED
  EXPECT_EQ(data.at("agent_runs").as_array().at(0).as_object().at("output_summary"), "removed 3 duplicates");
  EXPECT_EQ(from_json<task>(data.at("task")).task_id, t.task_id);  // the stored state reads back as a task

  try {
    completions.record(t.task_id);
    ADD_FAILURE() << "recorded twice";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::already_exists);
  }

  completions.update(t.task_id, {.summary_steps = "1. load 2. dedupe"});
  auto updated = completions.update(t.task_id, {.summary_learnings = "check keys first"});
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->summary_steps, "1. load 2. dedupe");  // untouched by the second update
  EXPECT_EQ(updated->summary_learnings, "check keys first");
  EXPECT_FALSE(updated->summary_dos_donts);
  EXPECT_FALSE(completions.update(uuid::generate_v7(), {.summary_steps = "x"}));
  EXPECT_EQ(completions.find_by_workflow("wf-7").size(), 1u);
  EXPECT_EQ(completions.find_by_user_email("ada@example.com").size(), 1u);
  EXPECT_EQ(completions.find_by_user_email("ADA@Example.com").size(), 1u);
  EXPECT_TRUE(completions.find_by_workflow("wf-8").empty());
}

TEST_P(completion_test, the_completion_apis_create_applies_its_defaults) {
  auto const ada = user_service(db()).create("ada@example.com", "Ada");
  auto const t = task_service(db()).create({.user_id = ada.id, .tool_id = "x", .agents = {}});
  completion_service completions(db());
  auto const c = completions.create(parse_json<task_completion_create>(
      R"({"task_id": ")" + t.task_id.to_string() +
      R"(", "workflow_id": "wf-9", "user_email": "ADA@example.com", "task_data": {"messages": [1, 2]},
          "original_question": "What changed?"})"));
  EXPECT_EQ(c.status, completion_status::completed);
  EXPECT_EQ(c.tokens_used, 0);
  EXPECT_EQ(c.user_email, "ada@example.com");
  auto const out = to_json(to_completion_out(*completions.find_by_task(t.task_id)));
  EXPECT_EQ(out.as_object().at("workflow_id"), "wf-9");
  EXPECT_EQ(completions.find_by_task(t.task_id)->task_data.at("messages").as_array().size(), 2u);
  try {
    completions.create(parse_json<task_completion_create>(
        R"({"task_id": ")" + uuid::generate_v7().to_string() +
        R"(", "workflow_id": "w", "user_email": "a@example.com", "task_data": {}, "original_question": "q"})"));
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::foreign_key_violation);
  }
}

TEST_P(completion_test, a_failed_task_is_recorded_as_failed_and_the_status_can_be_updated) {
  auto const ada = user_service(db()).create("ada@example.com", "Ada");
  task_service tasks(db());
  task_claims claims(db());
  auto const t = tasks.create({.user_id = ada.id, .tool_id = "x", .agents = {}, .workflow_id = "wf"});
  tasks.queue(t.task_id, ada.id);
  auto const failed = claims.fail(claims.start_processing(t.task_id, "w", 1min), "E", "boom");
  completion_service completions(db());
  EXPECT_FALSE(completions.find_by_task(t.task_id));
  try {  // the owner's task without a record
    completions.get_by_task(t.task_id, ada.id);
    ADD_FAILURE() << "read a completion that was never recorded";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::not_found);
  }
  auto const c = completions.record(t.task_id);
  EXPECT_EQ(c.status, completion_status::failed);
  EXPECT_EQ(c.completed_at, failed.failed_at);  // a failed task completes when it fails
  auto const updated = completions.update(
      t.task_id, parse_json<task_completion_update>(R"({"status": "completed", "summary_steps": null})"));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->status, completion_status::completed);
  EXPECT_FALSE(updated->summary_steps);  // null is "not given": nothing to clear
  EXPECT_EQ(completions.get_by_task(t.task_id, ada.id).status, completion_status::completed);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(completion_test);

}  // namespace
