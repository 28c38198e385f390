// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Every public operation that writes runs again safely: under a fault_plan
// that makes the first two attempts of each transaction (or statement
// outside one) fail at statement 1, 2, 3, … with each transient kind, the
// stored rows equal those of the same call without faults.
//
// Each case sets up the rows it needs, then the operation runs once cleanly
// and once per (kind, statement) with faults, each time on the same rows set
// up afresh, and the logical dumps (taskstore::dump) are compared. Values
// that differ between two runs by design are canonicalized: times, uuids and
// generated keys (in order of appearance). A statement number past the
// operation's last statement injects nothing, which ends that kind's sweep.
//
// Expected outcomes:
// - deadlock, serialization failure, lock-wait timeout, busy: retried, the
//   same rows as the clean run;
// - a connection lost before COMMIT: inside a transaction, retried; a
//   statement outside one is not (its outcome would be unknown) and raises
//   connection_lost, after which running the operation again gives the
//   clean run's rows;
// - a lost COMMIT: outcome_unknown, never retried, its transaction committed;
//   an operation of several transactions (expire_before, cleanup) stops there
//   and finishes the work when run again.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/schedule/leader_lease.hpp>
#include <taskstore/schedule/periodic.hpp>
#include <taskstore/service/admin.hpp>
#include <taskstore/service/agent_run_service.hpp>
#include <taskstore/service/completion_service.hpp>
#include <taskstore/service/credit_service.hpp>
#include <taskstore/service/draft_service.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_maintenance.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/isolated_db.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <span>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

// --- What a case works on ------------------------------------------------------

struct world {
  database db;
  std::int64_t alice = 0;
  task t;            ///< the case's task
  task_claim claim;  ///< a claim on `t`
  std::vector<task_claim> claims;
  std::int64_t id = 0;  ///< the case's row (run, draft, message, …)
  uuid other;           ///< a second uuid the case needs
  email_message message;
  user row;                        ///< a user as stored
  std::vector<task> tasks;         ///< tasks as stored, for the repository cases
  std::string dump_text;           ///< restore's input
  std::optional<database> source;  ///< copy's source
};

new_task request(std::int64_t user, std::string key = {}) {
  new_task r{.user_id = user,
             .tool_id = "profile-my-data",
             .agents = {"unified-profiler", "score-risk"},
             .title = "a title",
             .input_prompt = "the question"};
  if (!key.empty()) r.idempotency_key = key;
  return r;
}

task queued(world& w) {
  task_service tasks(w.db);
  return tasks.queue(tasks.create(request(w.alice)).task_id, w.alice);
}

void claimed(world& w) {
  w.t = queued(w);
  w.claim = task_claims(w.db).start_processing(w.t.task_id, "worker-1", 1h);
}

void completed(world& w) {
  claimed(w);
  w.t = task_claims(w.db).complete(w.claim, {.result_summary = "done", .tokens_used = 42, .execution_time = 1.5s});
}

boost::json::value context() { return boost::json::parse(R"({"k":"v","nested":{"list":[1,2,{"deep":true}]}})"); }

void some_rows(world& w) {  // a little of everything, for restore and copy
  completed(w);
  event_service(w.db).append({.task_id = w.t.task_id, .event_type = event_kind::message, .content = "hello"});
  agent_run_service(w.db).start(w.t.task_id, "profiler");
  draft_service(w.db).add(w.t.task_id, "a draft", draft_kind::EMAIL, "writer");
  credit_service(w.db).purchase(w.alice, credit_amount{100}, "a pack");
  session_service(w.db).create(w.alice);
}

/// Empties every domain table, children first.
void delete_rows(database const& db) {
  auto const tables = table_row_counts(db);
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) db.execute("DELETE FROM " + it->first);
}

// --- The cases ------------------------------------------------------------------

struct op_case {
  std::string name;
  std::function<void(world&)> setup;
  std::function<void(world&)> run;
  bool ddl = false;  ///< runs DDL, which MySQL commits statement by statement
};

std::vector<op_case> const& cases() {
  static std::vector<op_case> const all = [] {
    auto none = [](world&) {};
    std::vector<op_case> v;
    auto add = [&](std::string name, std::function<void(world&)> setup, std::function<void(world&)> run) {
      v.push_back({std::move(name), std::move(setup), std::move(run)});
    };
    auto tasks = [](world& w) { return task_service(w.db); };
    auto work = [](world& w) { return task_claims(w.db); };
    auto maintenance = [](world& w) { return task_maintenance(w.db); };

    // task_service, task_claims, task_maintenance
    add("task_create", none, [=](world& w) { tasks(w).create(request(w.alice, "the-key")); });
    add(
        "task_start_upload", [=](world& w) { w.t = tasks(w).create(request(w.alice)); },
        [=](world& w) { tasks(w).start_upload(w.t.task_id, w.alice); });
    add(
        "task_mark_uploaded",
        [=](world& w) { w.t = tasks(w).start_upload(tasks(w).create(request(w.alice)).task_id, w.alice); },
        [=](world& w) { tasks(w).mark_uploaded(w.t.task_id, w.alice); });
    add(
        "task_mark_upload_failed",
        [=](world& w) { w.t = tasks(w).start_upload(tasks(w).create(request(w.alice)).task_id, w.alice); },
        [=](world& w) { tasks(w).mark_upload_failed(w.t.task_id, w.alice, "E-UPLOAD", "the upload failed"); });
    add(
        "task_queue", [=](world& w) { w.t = tasks(w).create(request(w.alice)); },
        [=](world& w) { tasks(w).queue(w.t.task_id, w.alice); });
    add(
        "task_start_processing", [](world& w) { w.t = queued(w); },
        [=](world& w) { work(w).start_processing(w.t.task_id, "worker-1", 1h); });
    add(
        "task_claim_next",
        [](world& w) {
          queued(w);
          queued(w);
        },
        [=](world& w) { ASSERT_TRUE(work(w).claim_next("worker-1", 1h)); });
    add(
        "task_claim_batch",
        [](world& w) {
          for (int i = 0; i < 3; ++i) queued(w);
        },
        [=](world& w) { ASSERT_EQ(work(w).claim_batch("worker-1", 2, 1h).size(), 2u); });
    add(
        "task_claim_batch_limited",
        [](world& w) {
          for (int i = 0; i < 4; ++i) queued(w);
          queue_control(w.db).set_limit("profile-my-data", 3);
          queue_control(w.db).set_user_limit(w.alice, 2);
        },
        [=](world& w) { ASSERT_EQ(work(w).claim_batch("worker-1", 3, 1h).size(), 2u); });
    add(
        "task_start_processing_limited",
        [](world& w) {
          w.t = queued(w);
          queue_control(w.db).set_limit("profile-my-data", 1);
          queue_control(w.db).set_default_user_limit(1);
        },
        [=](world& w) { work(w).start_processing(w.t.task_id, "worker-1", 1h); });
    // queue_control
    add("queue_pause", none, [](world& w) { queue_control(w.db).pause("profile-my-data"); });
    add(
        "queue_resume", [](world& w) { queue_control(w.db).pause("profile-my-data"); },
        [](world& w) { queue_control(w.db).resume("profile-my-data"); });
    add("queue_set_limit", none, [](world& w) { queue_control(w.db).set_limit("profile-my-data", 2); });
    add("queue_set_user_limit", none, [](world& w) { queue_control(w.db).set_user_limit(w.alice, 2); });
    add("queue_set_default_user_limit", none, [](world& w) { queue_control(w.db).set_default_user_limit(5); });
    add("task_heartbeat", claimed, [=](world& w) { work(w).heartbeat(w.claim); });
    add("task_release", claimed, [=](world& w) { work(w).release(w.claim, 10s); });
    add("task_fail_or_retry", claimed,
        [=](world& w) { work(w).fail_or_retry(w.claim, "E-CODE", "the error message", context()); });
    add("task_rescue_expired", claimed,
        [=](world& w) { EXPECT_EQ(maintenance(w).rescue_expired(timestamp::now() + 2h).requeued, 1u); });
    add("task_report_progress", claimed, [=](world& w) { work(w).report_progress(w.claim, 40, "score-risk"); });
    add("task_complete", claimed, [=](world& w) {
      work(w).complete(w.claim, {.result_summary = "the result summary", .tokens_used = 7, .execution_time = 2.5s});
    });
    add(
        "task_complete_batch",
        [=](world& w) {
          queued(w);
          queued(w);
          w.claims = work(w).claim_batch("worker-1", 2, 1h);
        },
        [=](world& w) {
          std::vector<task_result> results{{"first summary", 5, 1.0s}, {"second summary", 6, 2.0s}};
          work(w).complete_batch(w.claims, results);
        });
    add("task_fail", claimed, [=](world& w) { work(w).fail(w.claim, "E-CODE", "the error message", context()); });
    add("task_fail_by_system", claimed,
        [=](world& w) { maintenance(w).fail_by_system(w.t.task_id, "E-SYSTEM", "the system gave up"); });
    add(
        "task_cancel", [](world& w) { w.t = queued(w); }, [=](world& w) { tasks(w).cancel(w.t.task_id, w.alice); });
    add(
        "task_retry",
        [=](world& w) {
          claimed(w);
          work(w).fail(w.claim, "E", "failed once");
        },
        [=](world& w) { tasks(w).retry(w.t.task_id, w.alice); });
    add(
        "task_expire_before",
        [=](world& w) {
          tasks(w).create(request(w.alice));
          tasks(w).create(request(w.alice));
        },
        [=](world& w) { maintenance(w).expire_before(timestamp::now() + 1h); });
    add(
        "task_soft_delete", [=](world& w) { w.t = tasks(w).create(request(w.alice)); },
        [=](world& w) { EXPECT_TRUE(tasks(w).soft_delete(w.t.task_id, w.alice)); });
    add(
        "task_soft_delete_before", [=](world& w) { tasks(w).create(request(w.alice)); },
        [=](world& w) { EXPECT_EQ(maintenance(w).soft_delete_before(timestamp::now() + 1h), 1u); });
    add("task_mark_inputs_cleaned", completed,
        [=](world& w) { EXPECT_EQ(maintenance(w).mark_inputs_cleaned({w.t.task_id}), 1u); });
    add("task_mark_outputs_cleaned", completed,
        [=](world& w) { EXPECT_EQ(maintenance(w).mark_outputs_cleaned({w.t.task_id}), 1u); });

    // event_service, agent_run_service
    auto event = [](world& w, std::string content) {
      return event_log{.task_id = w.t.task_id,
                       .event_type = event_kind::message,
                       .level = log_level::warning,
                       .agent_role = "profiler",
                       .content = std::move(content)};
    };
    add(
        "event_append", [](world& w) { w.t = queued(w); },
        [=](world& w) { event_service(w.db).append(event(w, "an event")); });
    add(
        "event_append_batch", [](world& w) { w.t = queued(w); },
        [=](world& w) {
          event_service(w.db).append_batch({event(w, "one"), event(w, "two"), event(w, "three")});
        });
    add(
        "event_purge_before",
        [=](world& w) {
          w.t = queued(w);
          event_service(w.db).append(event(w, "old"));
        },
        [](world& w) { EXPECT_GT(event_service(w.db).purge_before(timestamp::now() + 1h), 0u); });
    add(
        "agent_run_start", [](world& w) { w.t = queued(w); },
        [](world& w) { agent_run_service(w.db).start(w.t.task_id, "profiler"); });
    add(
        "agent_run_mark_running",
        [](world& w) {
          w.t = queued(w);
          w.id = agent_run_service(w.db).start(w.t.task_id, "profiler").id;
        },
        [](world& w) { agent_run_service(w.db).mark_running(w.id); });
    add(
        "agent_run_finish",
        [](world& w) {
          w.t = queued(w);
          w.id = agent_run_service(w.db).start(w.t.task_id, "profiler").id;
        },
        [](world& w) { agent_run_service(w.db).finish(w.id, agent_run_status::COMPLETED, "the output summary", 10); });

    // completion_service
    add("completion_record", completed, [](world& w) { completion_service(w.db).record(w.t.task_id); });
    add("completion_create", completed, [](world& w) {
      completion_service(w.db).create({.task_id = w.t.task_id,
                                       .workflow_id = "the-workflow",
                                       .user_email = "alice@example.com",
                                       .task_data = context().as_object(),
                                       .original_question = "the question",
                                       .tokens_used = 9});
    });
    add(
        "completion_update",
        [](world& w) {
          completed(w);
          completion_service(w.db).record(w.t.task_id);
        },
        [](world& w) {
          completion_service(w.db).update(w.t.task_id,
                                          {.summary_steps = "the steps", .summary_learnings = "the learnings"});
        });

    // credit_service
    add("credit_open_wallet", none, [](world& w) { credit_service(w.db).open_wallet(w.alice); });
    add("credit_purchase", none,
        [](world& w) { credit_service(w.db).purchase(w.alice, credit_amount{100}, "a pack of credits"); });
    add(
        "credit_charge",
        [](world& w) {
          claimed(w);
          credit_service(w.db).purchase(w.alice, credit_amount{100}, "a pack");
        },
        [](world& w) { credit_service(w.db).charge(w.t.task_id, credit_amount{30}); });
    add(
        "credit_refund",
        [](world& w) {
          claimed(w);
          credit_service(w.db).purchase(w.alice, credit_amount{100}, "a pack");
          credit_service(w.db).charge(w.t.task_id, credit_amount{30});
        },
        [](world& w) { credit_service(w.db).refund(w.t.task_id, "the refund reason"); });

    // draft_service
    add("draft_add", completed,
        [](world& w) { draft_service(w.db).add(w.t.task_id, "the draft", draft_kind::EMAIL, "writer"); });
    add(
        "draft_submit_for_review",
        [](world& w) {
          completed(w);
          w.id = draft_service(w.db).add(w.t.task_id, "the draft").id;
        },
        [](world& w) { draft_service(w.db).submit_for_review(w.id); });
    auto in_review = [](world& w) {
      completed(w);
      draft_service drafts(w.db);
      w.id = drafts.submit_for_review(drafts.add(w.t.task_id, "the draft").id).id;
    };
    add("draft_approve", in_review, [](world& w) { draft_service(w.db).approve(w.id, "the reviewer"); });
    add("draft_reject", in_review, [](world& w) { draft_service(w.db).reject(w.id, "the reviewer"); });

    // outbox_service
    auto email = [](world& w) {
      return outgoing_email{.task_id = w.t.task_id,
                            .recipient = "team@example.com",
                            .subject = "the subject",
                            .body = "the body",
                            .priority = email_priority::HIGH};
    };
    add("outbox_enqueue", completed, [=](world& w) { outbox_service(w.db).enqueue(email(w)); });
    add(
        "outbox_take_batch",
        [=](world& w) {
          completed(w);
          outbox_service(w.db).enqueue(email(w));
          outbox_service(w.db).enqueue(email(w));
        },
        [](world& w) { EXPECT_EQ(outbox_service(w.db).take_batch("sender-1", 2, 1h).size(), 2u); });
    auto taken = [=](world& w) {
      completed(w);
      outbox_service(w.db).enqueue(email(w));
      w.message = outbox_service(w.db).take_batch("sender-1", 1, 1h).at(0);
    };
    add("outbox_rescue_expired", taken,
        [](world& w) { EXPECT_EQ(outbox_service(w.db).rescue_expired(timestamp::now() + 2h), 1u); });
    add("outbox_renew", taken, [](world& w) { outbox_service(w.db).renew(w.message, 2h); });
    add("outbox_mark_sent", taken, [](world& w) { outbox_service(w.db).mark_sent(w.message); });
    add("outbox_mark_failed", taken, [](world& w) { outbox_service(w.db).mark_failed(w.message, "the error text"); });
    add(
        "outbox_cancel",
        [=](world& w) {
          completed(w);
          w.id = outbox_service(w.db).enqueue(email(w)).id;
        },
        [](world& w) { EXPECT_TRUE(outbox_service(w.db).cancel(w.id)); });

    // session_service
    add("session_create", none, [](world& w) { session_service(w.db).create(w.alice, "the-stage"); });
    auto opened = [](world& w) {
      w.t = queued(w);
      w.other = session_service(w.db).create(w.alice).id;
    };
    auto started = [=](world& w) {
      opened(w);
      session_service(w.db).start(w.other, session_task_type::processing, w.t.task_id);
    };
    add("session_start", opened,
        [](world& w) { session_service(w.db).start(w.other, session_task_type::processing, w.t.task_id, "running"); });
    add("session_complete", started, [](world& w) { session_service(w.db).complete(w.other, "done-stage"); });
    add("session_fail", started, [](world& w) { session_service(w.db).fail(w.other, context(), "failed-stage"); });
    add(
        "session_retry",
        [=](world& w) {
          started(w);
          session_service(w.db).fail(w.other, context());
          w.t = queued(w);
        },
        [](world& w) { session_service(w.db).retry(w.other, w.t.task_id); });
    add("session_remove", opened, [](world& w) { EXPECT_TRUE(session_service(w.db).remove(w.other)); });
    add("session_purge_before", opened,
        [](world& w) { EXPECT_EQ(session_service(w.db).purge_before(timestamp::now() + 24h * 400), 1u); });

    // user_service
    add("user_create", none, [](world& w) { user_service(w.db).create("Carol@Example.com", "Carol"); });
    add("user_find_or_create", none, [](world& w) { user_service(w.db).find_or_create("dave@example.com", "Dave"); });
    add("user_deactivate", none, [](world& w) { EXPECT_TRUE(user_service(w.db).deactivate(w.alice)); });

    // soci_repository, on users (a generated key) and tasks (a version column)
    auto users = [](world& w) { return soci_repository<user>(w.db); };
    auto task_rows = [](world& w) { return soci_repository<task>(w.db); };
    auto person = [](std::string name) {
      auto const now = timestamp::now();
      return user{0, name + "@example.com", name, true, now, now};
    };
    add("repository_insert", none, [=](world& w) { users(w).insert(person("erin")); });
    add("repository_insert_if_absent", none, [=](world& w) { EXPECT_TRUE(users(w).insert_if_absent(person("erin"))); });
    add("repository_insert_many", none, [=](world& w) {
      users(w).insert_many(std::vector{person("erin"), person("frank"), person("grace")});
    });
    add(
        "repository_upsert", [=](world& w) { w.row = *users(w).find(w.alice); },
        [=](world& w) {
          auto changed = w.row;
          changed.full_name = "Alice Upserted";
          users(w).upsert(changed);
        });
    add(
        "repository_update", [=](world& w) { w.row = *users(w).find(w.alice); },
        [=](world& w) {
          auto changed = w.row;
          changed.full_name = "Alice Updated";
          EXPECT_TRUE(users(w).update(changed));
        });
    add(
        "repository_update_changed", [](world& w) { w.t = queued(w); },
        [=](world& w) {
          auto changed = w.t;
          changed.title = "a new title";
          EXPECT_TRUE(task_rows(w).update(changed, w.t));
        });
    add(
        "repository_update_many",
        [](world& w) {
          w.tasks = {queued(w), queued(w)};
        },
        [=](world& w) {
          auto changed = w.tasks;
          changed[0].title = "first new title";
          changed[1].title = "second new title";
          task_rows(w).update_many(std::span<task>(changed), std::span<task const>(w.tasks));
        });
    add(
        "repository_update_where",
        [](world& w) {
          queued(w);
          queued(w);
        },
        [=](world& w) {
          EXPECT_EQ(task_rows(w).update_where(query<task>{col(&task::user_id) == w.alice},
                                              set(&task::title, std::optional<std::string>("set title"))),
                    2u);
        });
    add(
        "repository_remove", [=](world& w) { w.id = users(w).insert(person("erin")).id; },
        [=](world& w) { EXPECT_TRUE(users(w).remove(w.id)); });
    add(
        "repository_remove_where",
        [=](world& w) {
          users(w).insert(person("erin"));
          users(w).insert(person("frank"));
        },
        [=](world& w) { EXPECT_EQ(users(w).remove_where(query<user>{col(&user::id) != w.alice}), 2u); });
    add(
        "repository_take",
        [](world& w) {
          queued(w);
          queued(w);
        },
        [=](world& w) {
          EXPECT_EQ(
              task_rows(w)
                  .take(
                      query<task>{col(&task::status) == task_status::QUEUED}.order_by(asc(&task::created_at)).limit(1),
                      set(&task::status, task_status::PROCESSING))
                  .size(),
              1u);
        });

    // the scheduler
    auto elector = [](world& w) { return leader_lease(w.db, {.holder = "host-1", .ttl = 1h}); };
    add("leader_elect", none, [=](world& w) { elector(w).try_acquire(); });
    add(
        "leader_renew", [=](world& w) { elector(w).try_acquire(); }, [=](world& w) { elector(w).try_acquire(); });
    add(
        "leader_take_over_an_expired_term",
        [](world& w) {
          auto const t = timestamp::parse("2026-01-01 00:00:00");
          soci_repository<task_leader>(w.db).insert({"maintenance", "dead-host", t, t + std::chrono::hours(1)});
        },
        [=](world& w) { elector(w).try_acquire(); });
    add(
        "leader_step_down", [=](world& w) { elector(w).try_acquire(); }, [=](world& w) { elector(w).step_down(); });
    add("periodic_create", none, [](world& w) {
      periodic_schedule const s{.id = "report", .every = 1h, .task = request(w.alice)};
      create_periodic(w.db, s, timestamp::parse("2026-01-01 10:30:00"));
    });
    // The insert-if-absent that finds its row: the savepoint's rollback path, inside the transaction.
    add(
        "periodic_create_of_a_period_already_created",
        [](world& w) {
          periodic_schedule const s{.id = "report", .every = 1h, .task = request(w.alice)};
          create_periodic(w.db, s, timestamp::parse("2026-01-01 10:30:00"));
        },
        [](world& w) {
          periodic_schedule const s{.id = "report", .every = 1h, .task = request(w.alice)};
          EXPECT_FALSE(create_periodic(w.db, s, timestamp::parse("2026-01-01 10:45:00")));
        });
    add(
        "leader_elect_while_another_leads",
        [](world& w) {
          auto const t = timestamp::now();
          soci_repository<task_leader>(w.db).insert({"maintenance", "other-host", t, t + std::chrono::hours(1)});
        },
        [=](world& w) { EXPECT_FALSE(elector(w).try_acquire()); });

    // administration
    add(
        "admin_cleanup",
        [=](world& w) {
          tasks(w).create(request(w.alice));
          some_rows(w);
        },
        [](world& w) {
          // Events keep the default age: the op's own events would be older
          // than a re-run's cut-off, and deleting them would depend on timing.
          cleanup(w.db, {.expire_created_after = 0min, .soft_delete_tasks_after = std::chrono::days(0)});
        });
    add(
        "admin_restore",
        [](world& w) {
          some_rows(w);
          std::ostringstream out;
          dump(w.db, out);
          w.dump_text = out.str();
          delete_rows(w.db);
        },
        [](world& w) {
          std::istringstream in(w.dump_text);
          restore(w.db, in);
        });
    add(
        "admin_copy",
        [](world& w) {
          w.source.emplace(database::open("sqlite://:memory:"));
          migrate_to_latest(*w.source);
          world from{*w.source};
          from.alice = user_service(from.db).create("alice@example.com", "Alice").id;
          some_rows(from);
          delete_rows(w.db);
        },
        [](world& w) { copy_database(*w.source, w.db); });
    add(
        "admin_migrate", [](world& w) { migrator(w.db, builtin_migrations()).migrate_to(1); },
        [](world& w) { migrate_to_latest(w.db); });
    v.back().ddl = true;
    return v;
  }();
  return all;
}

// --- Comparing runs --------------------------------------------------------------

/// The dump with what differs between two runs by design replaced: times by
/// "<time>", uuids and generated keys by their order of first appearance.
class canonicalizer {
 public:
  std::string operator()(database const& db) {
    std::ostringstream raw;
    dump(db, raw);
    std::istringstream lines(raw.str());
    std::string line, out;
    while (std::getline(lines, line)) {
      auto v = boost::json::parse(line);
      if (auto* o = v.if_object(); o && o->contains("row")) {
        std::string const table(o->at("table").as_string());
        auto& row = o->at("row").as_object();
        for (auto& [k, value] : row) {
          if (k == "id" && value.is_int64())
            value = label(table, value.as_int64());
          else if ((k == "user_id" || k == "draft_id") && value.is_int64())
            value = label(k == "user_id" ? "users" : "drafts", value.as_int64());
          else
            scrub(value);
        }
      }
      out += boost::json::serialize(v);
      out += '\n';
    }
    return out;
  }

 private:
  std::string label(std::string const& table, std::int64_t key) {
    auto& keys = keys_[table];
    auto const [it, added] = keys.emplace(key, keys.size());
    return table + "#" + std::to_string(it->second);
  }
  void scrub(boost::json::value& v) {
    static std::regex const time(R"(^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d.*)");
    static std::regex const id(R"(^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)");
    if (auto* s = v.if_string()) {
      std::string const text(*s);
      if (std::regex_match(text, time)) {
        v = "<time>";
      } else if (std::regex_match(text, id)) {
        auto const [it, added] = uuids_.emplace(text, uuids_.size());
        v = "uuid#" + std::to_string(it->second);
      } else if (text.starts_with("{") || text.starts_with("[")) {  // JSON in a text column
        boost::system::error_code ec;
        auto inner = boost::json::parse(text, ec);
        if (!ec) {
          scrub(inner);
          v = boost::json::serialize(inner);
        }
      }
    } else if (auto* a = v.if_array()) {
      for (auto& e : *a) scrub(e);
    } else if (auto* o = v.if_object()) {
      for (auto& [k, e] : *o) {
        if ((k == "id" || k == "user_id") && e.is_int64())
          e = label(k == "user_id" ? "users" : "nested", e.as_int64());
        else
          scrub(e);
      }
    }
  }

  std::map<std::string, std::map<std::int64_t, std::size_t>> keys_;
  std::map<std::string, std::size_t> uuids_;
};

std::string first_difference(std::string const& expected, std::string const& actual) {
  std::istringstream a(expected), b(actual);
  std::string x, y;
  for (int line = 1;; ++line) {
    bool const more_a = static_cast<bool>(std::getline(a, x)), more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) return "no difference";
    if (x != y || more_a != more_b)
      return "line " + std::to_string(line) + "\n  clean run:   " + (more_a ? x : "(none)") +
             "\n  with faults: " + (more_b ? y : "(none)");
  }
}

// --- The test ----------------------------------------------------------------------

using param = std::tuple<test_backend, std::size_t>;

class retry_safety : public ::testing::TestWithParam<param> {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_BACKEND(std::get<0>(GetParam()));
    env_ = std::make_unique<isolated_db>(std::get<0>(GetParam()));
    db_.emplace(env_->open());
    migrate_to_latest(*db_);
  }

  /// The case's rows set up afresh on an empty database.
  world fresh(op_case const& c) {
    db_->inject_faults(std::nullopt);
    migrate_to_latest(*db_);
    delete_rows(*db_);
    world w{*db_};
    w.alice = user_service(*db_).create("alice@example.com", "Alice").id;
    c.setup(w);
    return w;
  }

  std::unique_ptr<isolated_db> env_;
  std::optional<database> db_;
};

TEST_P(retry_safety, every_attempt_starts_from_the_same_inputs) {
  auto const& c = cases().at(std::get<1>(GetParam()));
  std::string clean;
  {
    auto w = fresh(c);
    c.run(w);
    ASSERT_FALSE(HasFailure()) << "the clean run of " << c.name << " failed";
    clean = canonicalizer{}(*db_);
  }
  std::size_t injected = 0;
  for (auto const kind : {fault_kind::deadlock, fault_kind::serialization_failure, fault_kind::lock_timeout,
                          fault_kind::busy, fault_kind::connection_lost, fault_kind::commit_lost}) {
    // A connection lost after MySQL committed part of a migration's DDL leaves
    // that part applied, as docs/migrations.md says: nothing to compare.
    if (c.ddl && kind == fault_kind::connection_lost && is_mysql(std::get<0>(GetParam()))) continue;
    for (std::size_t statement = 1;; ++statement) {
      SCOPED_TRACE(std::string(to_string(kind)) + " at statement " + std::to_string(statement));
      auto w = fresh(c);
      auto const retries = db_->retry_count();
      db_->inject_faults(fault_plan{kind, statement, 2});
      std::optional<error> failed;
      try {
        c.run(w);
      } catch (error const& e) {
        failed = e;
      }
      db_->inject_faults(std::nullopt);
      bool const fired = failed || db_->retry_count() != retries;
      if (failed) {
        if (kind == fault_kind::commit_lost) {
          EXPECT_EQ(failed->code(), errc::outcome_unknown) << failed->what();
          EXPECT_EQ(db_->retry_count(), retries) << "a lost COMMIT was retried";
          // The lost COMMIT went through; an operation of several transactions
          // stopped after it, and running it again (what a caller does after
          // outcome_unknown with an idempotent operation) finishes the work.
          if (canonicalizer{}(*db_) != clean) c.run(w);
        } else if (kind == fault_kind::connection_lost && failed->code() == errc::connection_lost) {
          c.run(w);  // a statement outside a transaction: not retried, and not applied
        } else {
          ADD_FAILURE() << "two failed attempts were not absorbed by retries: " << failed->what() << " ("
                        << to_string(failed->code()) << ")";
        }
      }
      auto const faulted = canonicalizer{}(*db_);
      EXPECT_TRUE(faulted == clean) << c.name << ": " << first_difference(clean, faulted);
      if (HasFailure()) return;
      if (fired) ++injected;
      if (!fired || kind == fault_kind::commit_lost) break;  // past the operation's statements
    }
  }
  EXPECT_GT(injected, 0u) << "no fault reached " << c.name;
  RecordProperty("faults_injected", static_cast<int>(injected));
}

std::string case_name(::testing::TestParamInfo<param> const& info) {
  return std::string(name(std::get<0>(info.param))) + "_" + cases().at(std::get<1>(info.param)).name;
}

INSTANTIATE_TEST_SUITE_P(conformance, retry_safety,
                         ::testing::Combine(::testing::ValuesIn(all_backends()),
                                            ::testing::Range(std::size_t{0}, cases().size())),
                         case_name);

}  // namespace
