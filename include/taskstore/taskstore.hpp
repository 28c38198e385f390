// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The umbrella header: includes only.

#include <taskstore/backend/registry.hpp>
#include <taskstore/db/backend.hpp>
#include <taskstore/db/database.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/db/url.hpp>
#include <taskstore/domain/api.hpp>
#include <taskstore/domain/entities.hpp>
#include <taskstore/domain/session_task_rules.hpp>
#include <taskstore/domain/task_lifecycle.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/error.hpp>
#include <taskstore/fwd.hpp>
#include <taskstore/limits.hpp>
#include <taskstore/migrate/adopt.hpp>
#include <taskstore/migrate/migrator.hpp>
#include <taskstore/migrate/schema.hpp>
#include <taskstore/migrate/sql_files.hpp>
#include <taskstore/reflect/column.hpp>
#include <taskstore/reflect/column_type.hpp>
#include <taskstore/reflect/described.hpp>
#include <taskstore/reflect/enum_names.hpp>
#include <taskstore/reflect/member.hpp>
#include <taskstore/reflect/table_model.hpp>
#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/repository/concepts.hpp>
#include <taskstore/repository/memory_repository.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/admin.hpp>
#include <taskstore/service/agent_run_service.hpp>
#include <taskstore/service/completion_service.hpp>
#include <taskstore/service/credit_service.hpp>
#include <taskstore/service/draft_service.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>
#include <taskstore/sql/ddl.hpp>
#include <taskstore/sql/dialect.hpp>
#include <taskstore/sql/predicate.hpp>
#include <taskstore/sql/query.hpp>
#include <taskstore/sql/statements.hpp>
#include <taskstore/types/from_json.hpp>
#include <taskstore/types/json.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>
#include <taskstore/worker/errors.hpp>
#include <taskstore/worker/task_context.hpp>
#include <taskstore/worker/worker.hpp>
#include <taskstore/worker/worker_options.hpp>
