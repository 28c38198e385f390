// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Every entity of the canonical schema (docs/design.md), and the list of them in
/// dependency order: a table comes after every table it references.

#include <taskstore/domain/credit.hpp>
#include <taskstore/domain/draft.hpp>
#include <taskstore/domain/email_message.hpp>
#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/schedule.hpp>
#include <taskstore/domain/session.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/domain/task_completion.hpp>
#include <taskstore/domain/task_queue.hpp>
#include <taskstore/domain/user.hpp>

#include <boost/mp11/list.hpp>

namespace taskstore {

/// The domain's entities, parents before children.
using domain_entities = boost::mp11::mp_list<user, task, event_log, agent_run, task_completion, session, session_task,
                                             draft, email_message, credit_wallet, credit_transaction, task_queue,
                                             task_user_limit, task_leader, task_periodic_run>;

/// Tables of the schema that hold no data: fixed rows a migration writes, which
/// backups, copies and restores leave alone.
using schema_lock_tables = boost::mp11::mp_list<task_limit_gate>;

}  // namespace taskstore
