CREATE TABLE IF NOT EXISTS "users" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "email" VARCHAR(255) NOT NULL,
  "full_name" VARCHAR(100) NOT NULL,
  "is_active" INTEGER NOT NULL DEFAULT 1,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  CONSTRAINT "ck_users_email" CHECK (length("email") <= 255 AND "email" <> ''),
  CONSTRAINT "ck_users_full_name" CHECK (length("full_name") <= 100),
  CONSTRAINT "ck_users_is_active" CHECK ("is_active" IN (0, 1)),
  CONSTRAINT "uq_users_email" UNIQUE ("email")
);

CREATE TABLE IF NOT EXISTS "tasks" (
  "task_id" CHAR(36) NOT NULL,
  "user_id" INTEGER NOT NULL,
  "workflow_id" VARCHAR(255),
  "tool_id" VARCHAR(50) NOT NULL,
  "title" VARCHAR(255),
  "input_prompt" TEXT NOT NULL DEFAULT '',
  "agents" TEXT NOT NULL DEFAULT '[]',
  "status" VARCHAR(13) NOT NULL DEFAULT 'CREATED',
  "progress" INTEGER NOT NULL DEFAULT 0,
  "current_agent" VARCHAR(100),
  "error_code" VARCHAR(50),
  "error_message" TEXT,
  "result_summary" TEXT,
  "attempt" INTEGER NOT NULL DEFAULT 0,
  "max_attempts" INTEGER NOT NULL DEFAULT 3,
  "failure_context" TEXT,
  "tokens_used" INTEGER NOT NULL DEFAULT 0,
  "execution_time" REAL NOT NULL DEFAULT 0,
  "idempotency_key" VARCHAR(255),
  "locked_by" VARCHAR(100),
  "lease_token" CHAR(36),
  "lease_expires_at" TEXT,
  "run_after" TEXT,
  "version" INTEGER NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "upload_started_at" TEXT,
  "queued_at" TEXT,
  "processing_started_at" TEXT,
  "completed_at" TEXT,
  "failed_at" TEXT,
  "cancelled_at" TEXT,
  "expired_at" TEXT,
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "deleted_at" TEXT,
  "s3_cleaned" INTEGER NOT NULL DEFAULT 0,
  "inputs_cleaned" INTEGER NOT NULL DEFAULT 0,
  "agents_total" INTEGER NOT NULL DEFAULT 0,
  "priority" INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT "ck_tasks_task_id" CHECK (length("task_id") = 36),
  CONSTRAINT "ck_tasks_workflow_id" CHECK (length("workflow_id") <= 255),
  CONSTRAINT "ck_tasks_tool_id" CHECK (length("tool_id") <= 50 AND "tool_id" <> ''),
  CONSTRAINT "ck_tasks_title" CHECK (length("title") <= 255),
  CONSTRAINT "ck_tasks_agents" CHECK (json_valid("agents")),
  CONSTRAINT "ck_tasks_status" CHECK ("status" IN ('CREATED', 'UPLOADING', 'UPLOAD_FAILED', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'EXPIRED') AND length("status") <= 13),
  CONSTRAINT "ck_tasks_progress" CHECK ("progress" >= 0 AND "progress" <= 100),
  CONSTRAINT "ck_tasks_current_agent" CHECK (length("current_agent") <= 100),
  CONSTRAINT "ck_tasks_error_code" CHECK (length("error_code") <= 50),
  CONSTRAINT "ck_tasks_attempt" CHECK ("attempt" >= 0),
  CONSTRAINT "ck_tasks_max_attempts" CHECK ("max_attempts" >= 1),
  CONSTRAINT "ck_tasks_failure_context" CHECK (("failure_context" IS NULL OR json_valid("failure_context"))),
  CONSTRAINT "ck_tasks_tokens_used" CHECK ("tokens_used" >= 0),
  CONSTRAINT "ck_tasks_execution_time" CHECK ((execution_time >= 0)),
  CONSTRAINT "ck_tasks_idempotency_key" CHECK (length("idempotency_key") <= 255),
  CONSTRAINT "ck_tasks_locked_by" CHECK (length("locked_by") <= 100),
  CONSTRAINT "ck_tasks_lease_token" CHECK (length("lease_token") = 36),
  CONSTRAINT "ck_tasks_s3_cleaned" CHECK ("s3_cleaned" IN (0, 1)),
  CONSTRAINT "ck_tasks_inputs_cleaned" CHECK ("inputs_cleaned" IN (0, 1)),
  CONSTRAINT "pk_tasks" PRIMARY KEY ("task_id"),
  CONSTRAINT "fk_tasks_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS "idx_tasks_user_id" ON "tasks" ("user_id");

CREATE INDEX IF NOT EXISTS "idx_tasks_status" ON "tasks" ("status");

CREATE INDEX IF NOT EXISTS "idx_tasks_user_status" ON "tasks" ("user_id", "status");

CREATE INDEX IF NOT EXISTS "idx_tasks_created_at" ON "tasks" ("created_at");

CREATE INDEX IF NOT EXISTS "idx_tasks_tool_id" ON "tasks" ("tool_id");

CREATE INDEX IF NOT EXISTS "idx_tasks_workflow_id" ON "tasks" ("workflow_id");

CREATE INDEX IF NOT EXISTS "idx_tasks_claim" ON "tasks" ("status", "run_after", "created_at");

CREATE UNIQUE INDEX IF NOT EXISTS "uq_tasks_user_idempotency" ON "tasks" ("user_id", "idempotency_key");

CREATE INDEX IF NOT EXISTS "idx_tasks_user_created" ON "tasks" ("user_id", "created_at", "task_id");

CREATE INDEX IF NOT EXISTS "idx_tasks_claim_order" ON "tasks" ("status", "priority", "created_at", "task_id");

CREATE INDEX IF NOT EXISTS "idx_tasks_status_tool" ON "tasks" ("status", "tool_id", "created_at", "task_id");

CREATE TABLE IF NOT EXISTS "event_logs" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "task_id" CHAR(36) NOT NULL,
  "event_type" VARCHAR(14) NOT NULL,
  "level" VARCHAR(7) NOT NULL DEFAULT 'INFO',
  "agent_role" VARCHAR(100),
  "content" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  CONSTRAINT "ck_event_logs_task_id" CHECK (length("task_id") = 36),
  CONSTRAINT "ck_event_logs_event_type" CHECK ("event_type" IN ('LOG', 'MESSAGE', 'ERROR', 'RESULT', 'AGENT_START', 'AGENT_COMPLETE', 'SYSTEM', 'STATUS_CHANGE') AND length("event_type") <= 14),
  CONSTRAINT "ck_event_logs_level" CHECK ("level" IN ('DEBUG', 'INFO', 'WARNING', 'ERROR') AND length("level") <= 7),
  CONSTRAINT "ck_event_logs_agent_role" CHECK (length("agent_role") <= 100),
  CONSTRAINT "fk_event_logs_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("task_id") ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS "ix_event_logs_task_id" ON "event_logs" ("task_id");

CREATE INDEX IF NOT EXISTS "ix_event_logs_event_type" ON "event_logs" ("event_type");

CREATE INDEX IF NOT EXISTS "ix_event_logs_agent_role" ON "event_logs" ("agent_role");

CREATE INDEX IF NOT EXISTS "ix_event_logs_created_at" ON "event_logs" ("created_at");

CREATE INDEX IF NOT EXISTS "idx_event_log_task_created" ON "event_logs" ("task_id", "created_at");

CREATE TABLE IF NOT EXISTS "agent_runs" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "task_id" CHAR(36) NOT NULL,
  "agent_name" VARCHAR(100) NOT NULL,
  "status" VARCHAR(9) NOT NULL DEFAULT 'STARTED',
  "started_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "finished_at" TEXT,
  "output_summary" TEXT,
  "tokens_used" INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT "ck_agent_runs_task_id" CHECK (length("task_id") = 36),
  CONSTRAINT "ck_agent_runs_agent_name" CHECK (length("agent_name") <= 100 AND "agent_name" <> ''),
  CONSTRAINT "ck_agent_runs_status" CHECK ("status" IN ('STARTED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED') AND length("status") <= 9),
  CONSTRAINT "ck_agent_runs_tokens_used" CHECK ("tokens_used" >= 0),
  CONSTRAINT "fk_agent_runs_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("task_id") ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS "ix_agent_runs_task_id" ON "agent_runs" ("task_id");

CREATE INDEX IF NOT EXISTS "ix_agent_runs_agent_name" ON "agent_runs" ("agent_name");

CREATE INDEX IF NOT EXISTS "ix_agent_runs_status" ON "agent_runs" ("status");

CREATE INDEX IF NOT EXISTS "ix_agent_runs_started_at" ON "agent_runs" ("started_at");

CREATE INDEX IF NOT EXISTS "idx_agent_run_task_started" ON "agent_runs" ("task_id", "started_at");

CREATE TABLE IF NOT EXISTS "task_completions" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "task_id" CHAR(36) NOT NULL,
  "workflow_id" VARCHAR(255) NOT NULL,
  "user_email" VARCHAR(255) NOT NULL,
  "task_data" TEXT NOT NULL,
  "original_question" TEXT NOT NULL,
  "summary_steps" TEXT,
  "summary_dos_donts" TEXT,
  "summary_learnings" TEXT,
  "summary_expected_outcome" TEXT,
  "status" VARCHAR(9) NOT NULL DEFAULT 'completed',
  "tokens_used" INTEGER NOT NULL DEFAULT 0,
  "execution_time" REAL NOT NULL DEFAULT 0,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "completed_at" TEXT,
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  CONSTRAINT "ck_task_completions_task_id" CHECK (length("task_id") = 36),
  CONSTRAINT "ck_task_completions_workflow_id" CHECK (length("workflow_id") <= 255),
  CONSTRAINT "ck_task_completions_user_email" CHECK (length("user_email") <= 255),
  CONSTRAINT "ck_task_completions_task_data" CHECK (json_valid("task_data")),
  CONSTRAINT "ck_task_completions_status" CHECK ("status" IN ('completed', 'failed') AND length("status") <= 9),
  CONSTRAINT "ck_task_completions_tokens_used" CHECK ("tokens_used" >= 0),
  CONSTRAINT "uq_task_completions_task_id" UNIQUE ("task_id"),
  CONSTRAINT "fk_task_completions_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("task_id") ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS "ix_task_completions_workflow_id" ON "task_completions" ("workflow_id");

CREATE INDEX IF NOT EXISTS "ix_task_completions_user_email" ON "task_completions" ("user_email");

CREATE TABLE IF NOT EXISTS "sessions" (
  "id" CHAR(36) NOT NULL,
  "user_id" INTEGER,
  "stage" VARCHAR(50) NOT NULL,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "expires_at" TEXT NOT NULL,
  CONSTRAINT "ck_sessions_id" CHECK (length("id") = 36),
  CONSTRAINT "ck_sessions_stage" CHECK (length("stage") <= 50),
  CONSTRAINT "pk_sessions" PRIMARY KEY ("id"),
  CONSTRAINT "fk_sessions_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS "ix_sessions_expires_at" ON "sessions" ("expires_at");

CREATE INDEX IF NOT EXISTS "ix_sessions_user_id" ON "sessions" ("user_id");

CREATE TABLE IF NOT EXISTS "session_tasks" (
  "id" CHAR(36) NOT NULL,
  "session_id" CHAR(36) NOT NULL,
  "task_type" VARCHAR(14) NOT NULL,
  "task_id" CHAR(36) NOT NULL,
  "status" VARCHAR(9) NOT NULL,
  "started_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "completed_at" TEXT,
  "failed_at" TEXT,
  "retry_count" INTEGER NOT NULL DEFAULT 0,
  "failure_context" TEXT,
  CONSTRAINT "ck_session_tasks_id" CHECK (length("id") = 36),
  CONSTRAINT "ck_session_tasks_session_id" CHECK (length("session_id") = 36),
  CONSTRAINT "ck_session_tasks_task_type" CHECK ("task_type" IN ('processing', 'export', 'adf_validation') AND length("task_type") <= 14),
  CONSTRAINT "ck_session_tasks_task_id" CHECK (length("task_id") = 36),
  CONSTRAINT "ck_session_tasks_status" CHECK ("status" IN ('running', 'completed', 'failed', 'cancelled') AND length("status") <= 9),
  CONSTRAINT "ck_session_tasks_retry_count" CHECK ("retry_count" >= 0 AND "retry_count" <= 3),
  CONSTRAINT "ck_session_tasks_failure_context" CHECK (("failure_context" IS NULL OR json_valid("failure_context"))),
  CONSTRAINT "pk_session_tasks" PRIMARY KEY ("id"),
  CONSTRAINT "uq_session_tasks_session_id" UNIQUE ("session_id"),
  CONSTRAINT "fk_session_tasks_session_id" FOREIGN KEY ("session_id") REFERENCES "sessions" ("id") ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS "drafts" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "task_id" CHAR(36) NOT NULL,
  "version" INTEGER NOT NULL,
  "content" TEXT NOT NULL,
  "status" VARCHAR(9) NOT NULL DEFAULT 'DRAFT',
  "draft_type" VARCHAR(8) NOT NULL DEFAULT 'OTHER',
  "author" VARCHAR(100),
  "reviewer" VARCHAR(100),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "reviewed_at" TEXT,
  CONSTRAINT "ck_drafts_task_id" CHECK (length("task_id") = 36),
  CONSTRAINT "ck_drafts_version" CHECK ("version" >= 1),
  CONSTRAINT "ck_drafts_status" CHECK ("status" IN ('DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED') AND length("status") <= 9),
  CONSTRAINT "ck_drafts_draft_type" CHECK ("draft_type" IN ('EMAIL', 'DOCUMENT', 'MESSAGE', 'OTHER') AND length("draft_type") <= 8),
  CONSTRAINT "ck_drafts_author" CHECK (length("author") <= 100),
  CONSTRAINT "ck_drafts_reviewer" CHECK (length("reviewer") <= 100),
  CONSTRAINT "fk_drafts_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("task_id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX IF NOT EXISTS "uq_drafts_task_version" ON "drafts" ("task_id", "version");

CREATE TABLE IF NOT EXISTS "email_messages" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "task_id" CHAR(36) NOT NULL,
  "draft_id" INTEGER,
  "recipient" VARCHAR(255) NOT NULL,
  "subject" TEXT NOT NULL,
  "body" TEXT NOT NULL,
  "status" VARCHAR(9) NOT NULL DEFAULT 'PENDING',
  "priority" VARCHAR(6) NOT NULL DEFAULT 'NORMAL',
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "last_error" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  "sent_at" TEXT,
  "priority_rank" INTEGER NOT NULL DEFAULT 1,
  "locked_by" VARCHAR(100),
  "lease_token" CHAR(36),
  "lease_expires_at" TEXT,
  CONSTRAINT "ck_email_messages_task_id" CHECK (length("task_id") = 36),
  CONSTRAINT "ck_email_messages_recipient" CHECK (length("recipient") <= 255 AND "recipient" <> ''),
  CONSTRAINT "ck_email_messages_status" CHECK ("status" IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED') AND length("status") <= 9),
  CONSTRAINT "ck_email_messages_priority" CHECK ("priority" IN ('LOW', 'NORMAL', 'HIGH', 'URGENT') AND length("priority") <= 6),
  CONSTRAINT "ck_email_messages_attempts" CHECK ("attempts" >= 0),
  CONSTRAINT "ck_email_messages_priority_rank" CHECK ("priority_rank" >= 0 AND "priority_rank" <= 3),
  CONSTRAINT "ck_email_messages_locked_by" CHECK (length("locked_by") <= 100),
  CONSTRAINT "ck_email_messages_lease_token" CHECK (length("lease_token") = 36),
  CONSTRAINT "fk_email_messages_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("task_id") ON DELETE CASCADE,
  CONSTRAINT "fk_email_messages_draft_id" FOREIGN KEY ("draft_id") REFERENCES "drafts" ("id") ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS "idx_email_messages_outbox" ON "email_messages" ("status", "priority_rank", "created_at");

CREATE INDEX IF NOT EXISTS "ix_email_messages_task_id" ON "email_messages" ("task_id");

CREATE INDEX IF NOT EXISTS "ix_email_messages_draft_id" ON "email_messages" ("draft_id");

CREATE TABLE IF NOT EXISTS "credit_wallets" (
  "user_id" INTEGER NOT NULL,
  "balance" INTEGER NOT NULL DEFAULT 0,
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  CONSTRAINT "ck_credit_wallets_balance" CHECK ("balance" >= 0),
  CONSTRAINT "pk_credit_wallets" PRIMARY KEY ("user_id"),
  CONSTRAINT "fk_credit_wallets_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT
);

CREATE TABLE IF NOT EXISTS "credit_transactions" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "user_id" INTEGER NOT NULL,
  "amount" INTEGER NOT NULL,
  "kind" VARCHAR(10) NOT NULL,
  "analysis_id" CHAR(36),
  "description" TEXT,
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  CONSTRAINT "ck_credit_transactions_kind" CHECK ("kind" IN ('PURCHASE', 'CHARGE', 'REFUND', 'ADJUSTMENT') AND length("kind") <= 10),
  CONSTRAINT "ck_credit_transactions_analysis_id" CHECK (length("analysis_id") = 36),
  CONSTRAINT "fk_credit_transactions_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE RESTRICT,
  CONSTRAINT "fk_credit_transactions_analysis_id" FOREIGN KEY ("analysis_id") REFERENCES "tasks" ("task_id") ON DELETE SET NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS "uq_credit_transactions_analysis_kind" ON "credit_transactions" ("analysis_id", "kind");

CREATE INDEX IF NOT EXISTS "ix_credit_transactions_user_created" ON "credit_transactions" ("user_id", "created_at");

CREATE TABLE IF NOT EXISTS "task_queues" (
  "tool_id" VARCHAR(50) NOT NULL,
  "paused_at" TEXT,
  "max_processing" INTEGER,
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  CONSTRAINT "ck_task_queues_tool_id" CHECK (length("tool_id") <= 50),
  CONSTRAINT "ck_task_queues_max_processing" CHECK ("max_processing" >= 0),
  CONSTRAINT "pk_task_queues" PRIMARY KEY ("tool_id")
);

CREATE TABLE IF NOT EXISTS "task_user_limits" (
  "user_id" INTEGER NOT NULL,
  "max_processing" INTEGER NOT NULL,
  "updated_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  CONSTRAINT "ck_task_user_limits_max_processing" CHECK ("max_processing" >= 0),
  CONSTRAINT "pk_task_user_limits" PRIMARY KEY ("user_id"),
  CONSTRAINT "fk_task_user_limits_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS "task_leaders" (
  "name" VARCHAR(100) NOT NULL,
  "holder" VARCHAR(200) NOT NULL,
  "elected_at" TEXT NOT NULL,
  "expires_at" TEXT NOT NULL,
  CONSTRAINT "ck_task_leaders_name" CHECK (length("name") <= 100 AND "name" <> ''),
  CONSTRAINT "ck_task_leaders_holder" CHECK (length("holder") <= 200 AND "holder" <> ''),
  CONSTRAINT "pk_task_leaders" PRIMARY KEY ("name")
);

CREATE TABLE IF NOT EXISTS "task_periodic_runs" (
  "id" INTEGER PRIMARY KEY AUTOINCREMENT,
  "schedule_id" VARCHAR(100) NOT NULL,
  "period_start" TEXT NOT NULL,
  "task_id" CHAR(36),
  "created_at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now') || '000'),
  CONSTRAINT "ck_task_periodic_runs_schedule_id" CHECK (length("schedule_id") <= 100 AND "schedule_id" <> ''),
  CONSTRAINT "ck_task_periodic_runs_task_id" CHECK (length("task_id") = 36),
  CONSTRAINT "fk_task_periodic_runs_task_id" FOREIGN KEY ("task_id") REFERENCES "tasks" ("task_id") ON DELETE SET NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS "uq_task_periodic_runs_schedule_period" ON "task_periodic_runs" ("schedule_id", "period_start");

CREATE INDEX IF NOT EXISTS "ix_task_periodic_runs_task_id" ON "task_periodic_runs" ("task_id");

CREATE TABLE IF NOT EXISTS "task_limit_gates" (
  "slot" INTEGER NOT NULL,
  CONSTRAINT "pk_task_limit_gates" PRIMARY KEY ("slot")
);

