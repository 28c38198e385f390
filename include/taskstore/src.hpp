// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The library's non-template code, for separate compilation: include this in
/// exactly one translation unit of a program whose translation units all
/// define TASKSTORE_SEPARATE_COMPILATION (see <taskstore/detail/config.hpp>
/// and docs/integration.md). Every `impl/*.ipp` is listed here; the tests'
/// CMakeLists checks that none is missing.

#include <taskstore/detail/config.hpp>

#ifndef TASKSTORE_SEPARATE_COMPILATION
#error "<taskstore/src.hpp> is for separate compilation: define TASKSTORE_SEPARATE_COMPILATION in every TU"
#endif

#include <taskstore/taskstore.hpp>

#include <taskstore/backend/impl/registry.ipp>
#include <taskstore/backend/impl/url_schemes.ipp>
#include <taskstore/db/detail/impl/fault_injector.ipp>
#include <taskstore/db/detail/impl/pool.ipp>
#include <taskstore/db/detail/impl/replica_reads.ipp>
#include <taskstore/db/detail/impl/signal_hub.ipp>
#include <taskstore/db/detail/impl/statement_cache.ipp>
#include <taskstore/db/detail/impl/url_parse.ipp>
#include <taskstore/db/detail/impl/url_parts.ipp>
#include <taskstore/db/detail/impl/url_redact.ipp>
#include <taskstore/db/impl/backend.ipp>
#include <taskstore/db/impl/database.ipp>
#include <taskstore/db/impl/errors.ipp>
#include <taskstore/domain/impl/api.ipp>
#include <taskstore/domain/impl/retry_backoff.ipp>
#include <taskstore/domain/impl/session.ipp>
#include <taskstore/domain/impl/session_task_rules.ipp>
#include <taskstore/domain/impl/task_lifecycle.ipp>
#include <taskstore/domain/impl/validation.ipp>
#include <taskstore/impl/error.ipp>
#include <taskstore/migrate/builtin/impl/migrations.ipp>
#include <taskstore/migrate/builtin/impl/v0002_task_agents_total.ipp>
#include <taskstore/migrate/builtin/impl/v0003_task_order_indexes.ipp>
#include <taskstore/migrate/builtin/impl/v0004_task_priority.ipp>
#include <taskstore/migrate/builtin/impl/v0005_task_queues.ipp>
#include <taskstore/migrate/builtin/impl/v0006_scheduler.ipp>
#include <taskstore/migrate/builtin/impl/v0007_task_status_tool_index.ipp>
#include <taskstore/migrate/detail/impl/catalog.ipp>
#include <taskstore/migrate/detail/impl/sha256.ipp>
#include <taskstore/migrate/impl/adopt.ipp>
#include <taskstore/migrate/impl/migration.ipp>
#include <taskstore/migrate/impl/migrator.ipp>
#include <taskstore/migrate/impl/schema.ipp>
#include <taskstore/migrate/impl/sql_files.ipp>
#include <taskstore/repository/detail/impl/rows.ipp>
#include <taskstore/repository/detail/impl/soci_table.ipp>
#include <taskstore/schedule/impl/leader_lease.ipp>
#include <taskstore/schedule/impl/periodic.ipp>
#include <taskstore/schedule/impl/scheduler.ipp>
#include <taskstore/service/detail/impl/limit_gate.ipp>
#include <taskstore/service/detail/impl/ownership.ipp>
#include <taskstore/service/detail/impl/task_transitions.ipp>
#include <taskstore/service/impl/admin.ipp>
#include <taskstore/service/impl/agent_run_service.ipp>
#include <taskstore/service/impl/completion_service.ipp>
#include <taskstore/service/impl/credit_service.ipp>
#include <taskstore/service/impl/doctor.ipp>
#include <taskstore/service/impl/draft_service.ipp>
#include <taskstore/service/impl/event_service.ipp>
#include <taskstore/service/impl/maintenance.ipp>
#include <taskstore/service/impl/outbox_service.ipp>
#include <taskstore/service/impl/queue_control.ipp>
#include <taskstore/service/impl/session_service.ipp>
#include <taskstore/service/impl/task_claims.ipp>
#include <taskstore/service/impl/task_maintenance.ipp>
#include <taskstore/service/impl/task_service.ipp>
#include <taskstore/service/impl/user_service.ipp>
#include <taskstore/sql/detail/impl/condition.ipp>
#include <taskstore/sql/detail/impl/query_support.ipp>
#include <taskstore/sql/impl/ddl.ipp>
#include <taskstore/sql/impl/dialect.ipp>
#include <taskstore/sql/impl/predicate.ipp>
#include <taskstore/sql/impl/statements.ipp>
#include <taskstore/types/impl/timestamp.ipp>
#include <taskstore/types/impl/uuid.ipp>
#include <taskstore/value/detail/impl/cell.ipp>
#include <taskstore/value/detail/impl/row_access.ipp>
#include <taskstore/worker/detail/impl/worker_state.ipp>
#include <taskstore/worker/impl/errors.ipp>
#include <taskstore/worker/impl/task_context.ipp>
#include <taskstore/worker/impl/worker.ipp>
