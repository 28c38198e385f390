// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The canonical schema, read back from each database's own catalog, matches
// docs/design.md (The schema) and docs/schema/: tables, columns in order, NULLs, unique keys, foreign keys with
// their ON DELETE rules, index names. The expectations are written out here
// from the design, not taken from taskstore's metadata.

#include <taskstore/migrate/schema.hpp>

#include "support/catalog.hpp"
#include "support/isolated_db.hpp"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;

struct table_spec {
  std::vector<std::string> columns;
  std::set<std::string> nullable;
  std::set<std::string> indexes;      ///< named indexes that must exist
  std::set<std::string> constraints;  ///< named unique / check / foreign-key constraints
  std::map<std::string, std::string> fk_rules;
};

std::map<std::string, table_spec> design_schema() {
  return {
      {"schema_migrations",
       {{"version", "name", "checksum", "applied_at", "execution_ms"}, {}, {}, {"ck_schema_migrations_name"}, {}}},
      {"users",
       {{"id", "email", "full_name", "is_active", "created_at", "updated_at"},
        {},
        {},
        {"uq_users_email", "ck_users_email"},
        {}}},
      {"tasks",
       {{"task_id",        "user_id",           "workflow_id",     "tool_id",
         "title",          "input_prompt",      "agents",          "status",
         "progress",       "current_agent",     "error_code",      "error_message",
         "result_summary", "attempt",           "max_attempts",    "failure_context",
         "tokens_used",    "execution_time",    "idempotency_key", "locked_by",
         "lease_token",    "lease_expires_at",  "run_after",       "version",
         "created_at",     "upload_started_at", "queued_at",       "processing_started_at",
         "completed_at",   "failed_at",         "cancelled_at",    "expired_at",
         "updated_at",     "deleted_at",        "s3_cleaned",      "inputs_cleaned",
         "agents_total",   "priority"},  // migrations 2 and 4
        {"workflow_id",      "title",           "current_agent",     "error_code", "error_message",
         "result_summary",   "failure_context", "idempotency_key",   "locked_by",  "lease_token",
         "lease_expires_at", "run_after",       "upload_started_at", "queued_at",  "processing_started_at",
         "completed_at",     "failed_at",       "cancelled_at",      "expired_at", "deleted_at"},
        {"idx_tasks_user_id", "idx_tasks_status", "idx_tasks_user_status", "idx_tasks_created_at", "idx_tasks_tool_id",
         "idx_tasks_workflow_id", "idx_tasks_claim", "uq_tasks_user_idempotency", "idx_tasks_user_created",
         "idx_tasks_claim_order", "idx_tasks_status_tool"},  // migrations 4 and 7
        {"fk_tasks_user_id", "ck_tasks_status", "ck_tasks_progress", "ck_tasks_tool_id", "ck_tasks_max_attempts"},
        {{"user_id", "CASCADE"}}}},
      {"event_logs",
       {{"id", "task_id", "event_type", "level", "agent_role", "content", "created_at"},
        {"agent_role", "content"},
        {"ix_event_logs_task_id", "ix_event_logs_event_type", "ix_event_logs_agent_role", "ix_event_logs_created_at",
         "idx_event_log_task_created"},
        {"fk_event_logs_task_id", "ck_event_logs_event_type", "ck_event_logs_level"},
        {{"task_id", "CASCADE"}}}},
      {"agent_runs",
       {{"id", "task_id", "agent_name", "status", "started_at", "finished_at", "output_summary", "tokens_used"},
        {"finished_at", "output_summary"},
        {"ix_agent_runs_task_id", "ix_agent_runs_agent_name", "ix_agent_runs_status", "ix_agent_runs_started_at",
         "idx_agent_run_task_started"},
        {"fk_agent_runs_task_id", "ck_agent_runs_status"},
        {{"task_id", "CASCADE"}}}},
      {"task_completions",
       {{"id", "task_id", "workflow_id", "user_email", "task_data", "original_question", "summary_steps",
         "summary_dos_donts", "summary_learnings", "summary_expected_outcome", "status", "tokens_used",
         "execution_time", "created_at", "completed_at", "updated_at"},
        {"summary_steps", "summary_dos_donts", "summary_learnings", "summary_expected_outcome", "completed_at"},
        {"ix_task_completions_workflow_id", "ix_task_completions_user_email"},
        {"uq_task_completions_task_id", "fk_task_completions_task_id", "ck_task_completions_status"},
        {{"task_id", "CASCADE"}}}},
      {"sessions",
       {{"id", "user_id", "stage", "created_at", "updated_at", "expires_at"},
        {"user_id"},
        {"ix_sessions_user_id"},
        {"fk_sessions_user_id"},
        {{"user_id", "CASCADE"}}}},
      {"session_tasks",
       {{"id", "session_id", "task_type", "task_id", "status", "started_at", "completed_at", "failed_at", "retry_count",
         "failure_context"},
        {"completed_at", "failed_at", "failure_context"},
        {},
        {"uq_session_tasks_session_id", "fk_session_tasks_session_id", "ck_session_tasks_task_type",
         "ck_session_tasks_retry_count"},
        {{"session_id", "CASCADE"}}}},
      {"drafts",
       {{"id", "task_id", "version", "content", "status", "draft_type", "author", "reviewer", "created_at",
         "reviewed_at"},
        {"author", "reviewer", "reviewed_at"},
        {"uq_drafts_task_version"},
        {"fk_drafts_task_id", "ck_drafts_status", "ck_drafts_draft_type"},
        {{"task_id", "CASCADE"}}}},
      {"email_messages",
       {{"id", "task_id", "draft_id", "recipient", "subject", "body", "status", "priority", "attempts", "last_error",
         "created_at", "sent_at", "priority_rank", "locked_by", "lease_token", "lease_expires_at"},
        {"draft_id", "last_error", "sent_at", "locked_by", "lease_token", "lease_expires_at"},
        {"idx_email_messages_outbox", "ix_email_messages_task_id", "ix_email_messages_draft_id"},
        {"fk_email_messages_task_id", "fk_email_messages_draft_id", "ck_email_messages_priority"},
        {{"task_id", "CASCADE"}, {"draft_id", "SET NULL"}}}},
      {"credit_wallets",
       {{"user_id", "balance", "updated_at"},
        {},
        {},
        {"fk_credit_wallets_user_id", "ck_credit_wallets_balance"},
        {{"user_id", "RESTRICT"}}}},
      {"credit_transactions",
       {{"id", "user_id", "amount", "kind", "analysis_id", "description", "created_at"},
        {"analysis_id", "description"},
        {"uq_credit_transactions_analysis_kind"},
        {"fk_credit_transactions_user_id", "fk_credit_transactions_analysis_id", "ck_credit_transactions_kind"},
        {{"user_id", "RESTRICT"}, {"analysis_id", "SET NULL"}}}},
      // Migration 5: queue control.
      {"task_queues",
       {{"tool_id", "paused_at", "max_processing", "updated_at"},
        {"paused_at", "max_processing"},
        {},
        {"ck_task_queues_max_processing"},
        {}}},
      {"task_user_limits",
       {{"user_id", "max_processing", "updated_at"},
        {},
        {},
        {"fk_task_user_limits_user_id", "ck_task_user_limits_max_processing"},
        {{"user_id", "CASCADE"}}}},
      {"task_limit_gates", {{"slot"}, {}, {}, {}, {}}},
      {"task_leaders",  // migration 6
       {{"name", "holder", "elected_at", "expires_at"},
        {},
        {},
        {"ck_task_leaders_name", "ck_task_leaders_holder"},
        {}}},
      {"task_periodic_runs",  // migration 6
       {{"id", "schedule_id", "period_start", "task_id", "created_at"},
        {"task_id"},
        {"uq_task_periodic_runs_schedule_period", "ix_task_periodic_runs_task_id"},
        {"fk_task_periodic_runs_task_id", "ck_task_periodic_runs_schedule_id"},
        {{"task_id", "SET NULL"}}}},
  };
}

class schema_test : public backend_test {};

TEST_P(schema_test, the_canonical_schema_matches_design_md) {
  migrate_to_latest(db());
  migrate_to_latest(db());  // idempotent
  for (auto const& [table, spec] : design_schema()) {
    SCOPED_TRACE(table);
    auto const t = read_catalog(db(), table);
    ASSERT_EQ(t.columns.size(), spec.columns.size());
    for (std::size_t i = 0; i < spec.columns.size(); ++i) {
      EXPECT_EQ(t.columns[i].name, spec.columns[i]);
      bool const is_rowid_alias = db().backend().kind() == backend_kind::sqlite && i == 0 && spec.columns[0] == "id";
      if (!is_rowid_alias) {
        EXPECT_EQ(t.columns[i].nullable, spec.nullable.count(spec.columns[i]) > 0) << spec.columns[i];
      }
    }
    for (auto const& ix : spec.indexes) EXPECT_TRUE(t.indexes.count(ix)) << "missing index " << ix;
    for (auto const& c : spec.constraints) EXPECT_TRUE(t.constraints.count(c)) << "missing constraint " << c;
    for (auto const& [column, rule] : spec.fk_rules) {
      ASSERT_TRUE(t.fk_delete_rules.count(column)) << "no foreign key on " << column;
      // SQLite and MariaDB report RESTRICT as written; PostgreSQL too.
      EXPECT_EQ(t.fk_delete_rules.at(column), rule) << column;
    }
    EXPECT_EQ(t.fk_delete_rules.size(), spec.fk_rules.size());
  }
}

TEST_P(schema_test, the_task_apis_status_soft_delete_is_rejected_by_the_check) {
  migrate_to_latest(db());
  db().execute("INSERT INTO users (email, full_name) VALUES ('a@example.com', 'A')");
  db().execute(
      "INSERT INTO tasks (task_id, user_id, tool_id) VALUES ('0192f0a4-7b1c-7def-8123-456789abcdef', "
      "(SELECT id FROM users WHERE email = 'a@example.com'), 'profile-my-data')");
  try {
    db().execute("UPDATE tasks SET status = 'DELETED' WHERE task_id = '0192f0a4-7b1c-7def-8123-456789abcdef'");
    ADD_FAILURE() << "status DELETED accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::constraint_violation) << e.what();
  }
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(schema_test);

}  // namespace
