CREATE TABLE IF NOT EXISTS `users` (
  `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
  `email` VARCHAR(255) NOT NULL,
  `full_name` VARCHAR(100) NOT NULL,
  `is_active` BOOLEAN NOT NULL DEFAULT TRUE,
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `updated_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT `ck_users_email` CHECK (`email` <> ''),
  CONSTRAINT `uq_users_email` UNIQUE (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `tasks` (
  `task_id` CHAR(36) NOT NULL,
  `user_id` BIGINT NOT NULL,
  `workflow_id` VARCHAR(255),
  `tool_id` VARCHAR(50) NOT NULL,
  `title` VARCHAR(255),
  `input_prompt` LONGTEXT NOT NULL DEFAULT (''),
  `agents` JSON NOT NULL DEFAULT ('[]'),
  `status` VARCHAR(13) NOT NULL DEFAULT 'CREATED',
  `progress` INT NOT NULL DEFAULT 0,
  `current_agent` VARCHAR(100),
  `error_code` VARCHAR(50),
  `error_message` LONGTEXT,
  `result_summary` LONGTEXT,
  `attempt` INT NOT NULL DEFAULT 0,
  `max_attempts` INT NOT NULL DEFAULT 3,
  `failure_context` JSON,
  `tokens_used` BIGINT NOT NULL DEFAULT 0,
  `execution_time` DOUBLE NOT NULL DEFAULT 0,
  `idempotency_key` VARCHAR(255),
  `locked_by` VARCHAR(100),
  `lease_token` CHAR(36),
  `lease_expires_at` DATETIME(6),
  `run_after` DATETIME(6),
  `version` INT NOT NULL DEFAULT 0,
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `upload_started_at` DATETIME(6),
  `queued_at` DATETIME(6),
  `processing_started_at` DATETIME(6),
  `completed_at` DATETIME(6),
  `failed_at` DATETIME(6),
  `cancelled_at` DATETIME(6),
  `expired_at` DATETIME(6),
  `updated_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `deleted_at` DATETIME(6),
  `s3_cleaned` BOOLEAN NOT NULL DEFAULT FALSE,
  `inputs_cleaned` BOOLEAN NOT NULL DEFAULT FALSE,
  `agents_total` INT NOT NULL DEFAULT 0,
  `priority` INT NOT NULL DEFAULT 0,
  CONSTRAINT `ck_tasks_tool_id` CHECK (`tool_id` <> ''),
  CONSTRAINT `ck_tasks_status` CHECK (`status` IN ('CREATED', 'UPLOADING', 'UPLOAD_FAILED', 'QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED', 'EXPIRED')),
  CONSTRAINT `ck_tasks_progress` CHECK (`progress` >= 0 AND `progress` <= 100),
  CONSTRAINT `ck_tasks_attempt` CHECK (`attempt` >= 0),
  CONSTRAINT `ck_tasks_max_attempts` CHECK (`max_attempts` >= 1),
  CONSTRAINT `ck_tasks_tokens_used` CHECK (`tokens_used` >= 0),
  CONSTRAINT `ck_tasks_execution_time` CHECK ((execution_time >= 0)),
  CONSTRAINT `pk_tasks` PRIMARY KEY (`task_id`),
  CONSTRAINT `fk_tasks_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
  KEY `idx_tasks_user_id` (`user_id`),
  KEY `idx_tasks_status` (`status`),
  KEY `idx_tasks_user_status` (`user_id`, `status`),
  KEY `idx_tasks_created_at` (`created_at`),
  KEY `idx_tasks_tool_id` (`tool_id`),
  KEY `idx_tasks_workflow_id` (`workflow_id`),
  KEY `idx_tasks_claim` (`status`, `run_after`, `created_at`),
  UNIQUE KEY `uq_tasks_user_idempotency` (`user_id`, `idempotency_key`),
  KEY `idx_tasks_user_created` (`user_id`, `created_at`, `task_id`),
  KEY `idx_tasks_claim_order` (`status`, `priority`, `created_at`, `task_id`),
  KEY `idx_tasks_status_tool` (`status`, `tool_id`, `created_at`, `task_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `event_logs` (
  `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
  `task_id` CHAR(36) NOT NULL,
  `event_type` VARCHAR(14) NOT NULL,
  `level` VARCHAR(7) NOT NULL DEFAULT 'INFO',
  `agent_role` VARCHAR(100),
  `content` LONGTEXT,
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT `ck_event_logs_event_type` CHECK (`event_type` IN ('LOG', 'MESSAGE', 'ERROR', 'RESULT', 'AGENT_START', 'AGENT_COMPLETE', 'SYSTEM', 'STATUS_CHANGE')),
  CONSTRAINT `ck_event_logs_level` CHECK (`level` IN ('DEBUG', 'INFO', 'WARNING', 'ERROR')),
  CONSTRAINT `fk_event_logs_task_id` FOREIGN KEY (`task_id`) REFERENCES `tasks` (`task_id`) ON DELETE CASCADE,
  KEY `ix_event_logs_task_id` (`task_id`),
  KEY `ix_event_logs_event_type` (`event_type`),
  KEY `ix_event_logs_agent_role` (`agent_role`),
  KEY `ix_event_logs_created_at` (`created_at`),
  KEY `idx_event_log_task_created` (`task_id`, `created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `agent_runs` (
  `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
  `task_id` CHAR(36) NOT NULL,
  `agent_name` VARCHAR(100) NOT NULL,
  `status` VARCHAR(9) NOT NULL DEFAULT 'STARTED',
  `started_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `finished_at` DATETIME(6),
  `output_summary` LONGTEXT,
  `tokens_used` BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT `ck_agent_runs_agent_name` CHECK (`agent_name` <> ''),
  CONSTRAINT `ck_agent_runs_status` CHECK (`status` IN ('STARTED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
  CONSTRAINT `ck_agent_runs_tokens_used` CHECK (`tokens_used` >= 0),
  CONSTRAINT `fk_agent_runs_task_id` FOREIGN KEY (`task_id`) REFERENCES `tasks` (`task_id`) ON DELETE CASCADE,
  KEY `ix_agent_runs_task_id` (`task_id`),
  KEY `ix_agent_runs_agent_name` (`agent_name`),
  KEY `ix_agent_runs_status` (`status`),
  KEY `ix_agent_runs_started_at` (`started_at`),
  KEY `idx_agent_run_task_started` (`task_id`, `started_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `task_completions` (
  `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
  `task_id` CHAR(36) NOT NULL,
  `workflow_id` VARCHAR(255) NOT NULL,
  `user_email` VARCHAR(255) NOT NULL,
  `task_data` JSON NOT NULL,
  `original_question` LONGTEXT NOT NULL,
  `summary_steps` LONGTEXT,
  `summary_dos_donts` LONGTEXT,
  `summary_learnings` LONGTEXT,
  `summary_expected_outcome` LONGTEXT,
  `status` VARCHAR(9) NOT NULL DEFAULT 'completed',
  `tokens_used` BIGINT NOT NULL DEFAULT 0,
  `execution_time` DOUBLE NOT NULL DEFAULT 0,
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `completed_at` DATETIME(6),
  `updated_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT `ck_task_completions_status` CHECK (`status` IN ('completed', 'failed')),
  CONSTRAINT `ck_task_completions_tokens_used` CHECK (`tokens_used` >= 0),
  CONSTRAINT `uq_task_completions_task_id` UNIQUE (`task_id`),
  CONSTRAINT `fk_task_completions_task_id` FOREIGN KEY (`task_id`) REFERENCES `tasks` (`task_id`) ON DELETE CASCADE,
  KEY `ix_task_completions_workflow_id` (`workflow_id`),
  KEY `ix_task_completions_user_email` (`user_email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `sessions` (
  `id` CHAR(36) NOT NULL,
  `user_id` BIGINT,
  `stage` VARCHAR(50) NOT NULL,
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `updated_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `expires_at` DATETIME(6) NOT NULL,
  CONSTRAINT `pk_sessions` PRIMARY KEY (`id`),
  CONSTRAINT `fk_sessions_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
  KEY `ix_sessions_expires_at` (`expires_at`),
  KEY `ix_sessions_user_id` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `session_tasks` (
  `id` CHAR(36) NOT NULL,
  `session_id` CHAR(36) NOT NULL,
  `task_type` VARCHAR(14) NOT NULL,
  `task_id` CHAR(36) NOT NULL,
  `status` VARCHAR(9) NOT NULL,
  `started_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `completed_at` DATETIME(6),
  `failed_at` DATETIME(6),
  `retry_count` INT NOT NULL DEFAULT 0,
  `failure_context` JSON,
  CONSTRAINT `ck_session_tasks_task_type` CHECK (`task_type` IN ('processing', 'export', 'adf_validation')),
  CONSTRAINT `ck_session_tasks_status` CHECK (`status` IN ('running', 'completed', 'failed', 'cancelled')),
  CONSTRAINT `ck_session_tasks_retry_count` CHECK (`retry_count` >= 0 AND `retry_count` <= 3),
  CONSTRAINT `pk_session_tasks` PRIMARY KEY (`id`),
  CONSTRAINT `uq_session_tasks_session_id` UNIQUE (`session_id`),
  CONSTRAINT `fk_session_tasks_session_id` FOREIGN KEY (`session_id`) REFERENCES `sessions` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `drafts` (
  `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
  `task_id` CHAR(36) NOT NULL,
  `version` INT NOT NULL,
  `content` LONGTEXT NOT NULL,
  `status` VARCHAR(9) NOT NULL DEFAULT 'DRAFT',
  `draft_type` VARCHAR(8) NOT NULL DEFAULT 'OTHER',
  `author` VARCHAR(100),
  `reviewer` VARCHAR(100),
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `reviewed_at` DATETIME(6),
  CONSTRAINT `ck_drafts_version` CHECK (`version` >= 1),
  CONSTRAINT `ck_drafts_status` CHECK (`status` IN ('DRAFT', 'IN_REVIEW', 'APPROVED', 'REJECTED')),
  CONSTRAINT `ck_drafts_draft_type` CHECK (`draft_type` IN ('EMAIL', 'DOCUMENT', 'MESSAGE', 'OTHER')),
  CONSTRAINT `fk_drafts_task_id` FOREIGN KEY (`task_id`) REFERENCES `tasks` (`task_id`) ON DELETE CASCADE,
  UNIQUE KEY `uq_drafts_task_version` (`task_id`, `version`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `email_messages` (
  `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
  `task_id` CHAR(36) NOT NULL,
  `draft_id` BIGINT,
  `recipient` VARCHAR(255) NOT NULL,
  `subject` LONGTEXT NOT NULL,
  `body` LONGTEXT NOT NULL,
  `status` VARCHAR(9) NOT NULL DEFAULT 'PENDING',
  `priority` VARCHAR(6) NOT NULL DEFAULT 'NORMAL',
  `attempts` INT NOT NULL DEFAULT 0,
  `last_error` LONGTEXT,
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  `sent_at` DATETIME(6),
  `priority_rank` INT NOT NULL DEFAULT 1,
  `locked_by` VARCHAR(100),
  `lease_token` CHAR(36),
  `lease_expires_at` DATETIME(6),
  CONSTRAINT `ck_email_messages_recipient` CHECK (`recipient` <> ''),
  CONSTRAINT `ck_email_messages_status` CHECK (`status` IN ('PENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED')),
  CONSTRAINT `ck_email_messages_priority` CHECK (`priority` IN ('LOW', 'NORMAL', 'HIGH', 'URGENT')),
  CONSTRAINT `ck_email_messages_attempts` CHECK (`attempts` >= 0),
  CONSTRAINT `ck_email_messages_priority_rank` CHECK (`priority_rank` >= 0 AND `priority_rank` <= 3),
  CONSTRAINT `fk_email_messages_task_id` FOREIGN KEY (`task_id`) REFERENCES `tasks` (`task_id`) ON DELETE CASCADE,
  CONSTRAINT `fk_email_messages_draft_id` FOREIGN KEY (`draft_id`) REFERENCES `drafts` (`id`) ON DELETE SET NULL,
  KEY `idx_email_messages_outbox` (`status`, `priority_rank`, `created_at`),
  KEY `ix_email_messages_task_id` (`task_id`),
  KEY `ix_email_messages_draft_id` (`draft_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `credit_wallets` (
  `user_id` BIGINT NOT NULL,
  `balance` BIGINT NOT NULL DEFAULT 0,
  `updated_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT `ck_credit_wallets_balance` CHECK (`balance` >= 0),
  CONSTRAINT `pk_credit_wallets` PRIMARY KEY (`user_id`),
  CONSTRAINT `fk_credit_wallets_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `credit_transactions` (
  `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
  `user_id` BIGINT NOT NULL,
  `amount` BIGINT NOT NULL,
  `kind` VARCHAR(10) NOT NULL,
  `analysis_id` CHAR(36),
  `description` LONGTEXT,
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT `ck_credit_transactions_kind` CHECK (`kind` IN ('PURCHASE', 'CHARGE', 'REFUND', 'ADJUSTMENT')),
  CONSTRAINT `fk_credit_transactions_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE RESTRICT,
  CONSTRAINT `fk_credit_transactions_analysis_id` FOREIGN KEY (`analysis_id`) REFERENCES `tasks` (`task_id`) ON DELETE SET NULL,
  UNIQUE KEY `uq_credit_transactions_analysis_kind` (`analysis_id`, `kind`),
  KEY `ix_credit_transactions_user_created` (`user_id`, `created_at`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `task_queues` (
  `tool_id` VARCHAR(50) NOT NULL,
  `paused_at` DATETIME(6),
  `max_processing` INT,
  `updated_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT `ck_task_queues_max_processing` CHECK (`max_processing` >= 0),
  CONSTRAINT `pk_task_queues` PRIMARY KEY (`tool_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `task_user_limits` (
  `user_id` BIGINT NOT NULL,
  `max_processing` INT NOT NULL,
  `updated_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT `ck_task_user_limits_max_processing` CHECK (`max_processing` >= 0),
  CONSTRAINT `pk_task_user_limits` PRIMARY KEY (`user_id`),
  CONSTRAINT `fk_task_user_limits_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `task_leaders` (
  `name` VARCHAR(100) NOT NULL,
  `holder` VARCHAR(200) NOT NULL,
  `elected_at` DATETIME(6) NOT NULL,
  `expires_at` DATETIME(6) NOT NULL,
  CONSTRAINT `ck_task_leaders_name` CHECK (`name` <> ''),
  CONSTRAINT `ck_task_leaders_holder` CHECK (`holder` <> ''),
  CONSTRAINT `pk_task_leaders` PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `task_periodic_runs` (
  `id` BIGINT AUTO_INCREMENT PRIMARY KEY,
  `schedule_id` VARCHAR(100) NOT NULL,
  `period_start` DATETIME(6) NOT NULL,
  `task_id` CHAR(36),
  `created_at` DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
  CONSTRAINT `ck_task_periodic_runs_schedule_id` CHECK (`schedule_id` <> ''),
  CONSTRAINT `fk_task_periodic_runs_task_id` FOREIGN KEY (`task_id`) REFERENCES `tasks` (`task_id`) ON DELETE SET NULL,
  UNIQUE KEY `uq_task_periodic_runs_schedule_period` (`schedule_id`, `period_start`),
  KEY `ix_task_periodic_runs_task_id` (`task_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

CREATE TABLE IF NOT EXISTS `task_limit_gates` (
  `slot` INT NOT NULL,
  CONSTRAINT `pk_task_limit_gates` PRIMARY KEY (`slot`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;

