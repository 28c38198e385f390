// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Bad input (issue 8): a table of invalid inputs across the public API and
// the `taskstore` tool, each run as its own test on every backend against a
// populated database. Each must raise the expected code and category, and the
// database must be unchanged: the logical dump (taskstore::dump) and a raw
// text dump of every table (the migration ledger included) are identical
// before and after.
//
// A few inputs need a database that no valid call produces: a row whose enum
// column holds an unknown name (planted by raw SQL with its CHECK constraint
// dropped or ignored) and a migration ledger newer than this build. The first
// cannot be dumped by taskstore::dump (it raises corrupt_value, as it should),
// so for those cases the logical dump is taken before planting and after the
// planted value was put back, and the raw dump, which can show the planted
// value, is compared around the call itself.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/migrate/sql_files.hpp>
#include <taskstore/service/admin.hpp>
#include <taskstore/service/agent_run_service.hpp>
#include <taskstore/service/completion_service.hpp>
#include <taskstore/service/credit_service.hpp>
#include <taskstore/service/draft_service.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_maintenance.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>
#include <taskstore/types/from_json.hpp>

#include "support/catalog.hpp"
#include "support/cli_runner.hpp"
#include "support/isolated_db.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using enum taskstore::errc;
using enum taskstore::error_category;

constexpr char const* secret = "pw-S3cr3t";  // a password that must never be printed

// --- The populated database -------------------------------------------------

/// Every kind of row, in the states the cases need.
struct world {
  database db;
  std::string url;
  fs::path dir;  ///< scratch files of this test
  std::int64_t alice = 0, bob = 0;
  task created, uploading, queued, processing, completed, failed, exhausted, cancelled, bobs_queued;
  task_claim claim;  ///< worker-1's claim on `processing`, at progress 50
  event_log message;
  agent_run done_run, running_run;
  session finished_session, running_session, exhausted_session, empty_session;
  draft fresh_draft, in_review, approved, rejected;
  email_message pending_email;
  credit_transaction purchase;
};

new_task request(std::int64_t user, std::int32_t max_attempts = 3) {
  return {.user_id = user,
          .tool_id = "profile-my-data",
          .agents = {"unified-profiler", "score-risk"},
          .title = "Grüße ✓ 'quoted'",
          .max_attempts = max_attempts};
}

void populate(world& w) {
  migrate_to_latest(w.db);
  user_service users(w.db);
  w.alice = users.create("alice@example.com", "Alice").id;
  w.bob = users.create("bob@example.com", "Bob").id;

  task_service tasks(w.db);
  task_claims work(w.db);
  w.created = tasks.create(request(w.alice));
  w.uploading = tasks.start_upload(tasks.create(request(w.alice)).task_id, w.alice);
  w.queued = tasks.queue(tasks.create(request(w.alice)).task_id, w.alice);
  auto const p = tasks.queue(tasks.create(request(w.alice)).task_id, w.alice);
  w.claim = work.start_processing(p.task_id, "worker-1", 1h);
  w.processing = work.report_progress(w.claim, 50, "score-risk");
  auto const c = tasks.queue(tasks.create(request(w.alice)).task_id, w.alice);
  w.completed = work.complete(work.start_processing(c.task_id, "worker-2", 1h),
                              {.result_summary = "done", .tokens_used = 42, .execution_time = 1.5s});
  auto const f = tasks.queue(tasks.create(request(w.alice)).task_id, w.alice);
  w.failed = work.fail(work.start_processing(f.task_id, "worker-2", 1h), "AGENT_CRASHED", "boom",
                       boost::json::object{{"agent", "score-risk"}, {"exit", 137}});
  auto const x = tasks.queue(tasks.create(request(w.alice, 1)).task_id, w.alice);
  w.exhausted = work.fail(work.start_processing(x.task_id, "worker-2", 1h), "E", "no attempts left");
  w.cancelled = tasks.cancel(tasks.queue(tasks.create(request(w.alice)).task_id, w.alice).task_id, w.alice);
  w.bobs_queued = tasks.queue(tasks.create(request(w.bob)).task_id, w.bob);

  w.message = event_service(w.db).append({.task_id = w.queued.task_id,
                                          .event_type = event_kind::message,
                                          .level = log_level::warning,
                                          .agent_role = "profiler",
                                          .content = R"({"b":1,"a":[2]})"});
  agent_run_service runs(w.db);
  w.done_run = runs.finish(runs.start(w.completed.task_id, "profiler").id, agent_run_status::COMPLETED, "ok", 10);
  w.running_run = runs.mark_running(runs.start(w.processing.task_id, "score-risk").id);
  completion_service(w.db).record(w.completed.task_id);

  session_service sessions(w.db);
  w.finished_session = sessions.create(w.alice);
  sessions.start(w.finished_session.id, session_task_type::processing, w.completed.task_id);
  sessions.complete(w.finished_session.id);
  w.running_session = sessions.create(w.alice);
  sessions.start(w.running_session.id, session_task_type::export_, w.processing.task_id);
  w.exhausted_session = sessions.create(w.alice);
  for (int i = 0; i < 3; ++i) {  // three failures: no retry left
    sessions.start(w.exhausted_session.id, session_task_type::processing, uuid::generate_v7());
    sessions.fail(w.exhausted_session.id, boost::json::object{{"attempt", i}});
  }
  w.empty_session = sessions.create(std::nullopt, "created");

  draft_service drafts(w.db);
  w.fresh_draft = drafts.add(w.completed.task_id, "v1", draft_kind::EMAIL, "writer");
  w.in_review = drafts.submit_for_review(drafts.add(w.completed.task_id, "v2", draft_kind::EMAIL, "writer").id);
  auto const a = drafts.submit_for_review(drafts.add(w.completed.task_id, "v3", draft_kind::EMAIL, "writer").id);
  w.approved = drafts.approve(a.id, "boss");
  auto const r = drafts.submit_for_review(drafts.add(w.completed.task_id, "v4", draft_kind::DOCUMENT).id);
  w.rejected = drafts.reject(r.id, "boss");
  w.pending_email = outbox_service(w.db).enqueue({.task_id = w.completed.task_id,
                                                  .recipient = "team@example.com",
                                                  .subject = "Subject",
                                                  .body = "Body ✓",
                                                  .priority = email_priority::HIGH,
                                                  .draft_id = w.approved.id});

  credit_service credits(w.db);
  w.purchase = credits.purchase(w.alice, credit_amount{100}, "pack");
  credits.charge(w.completed.task_id, credit_amount{30});  // balance 70
  credits.open_wallet(w.bob);                              // balance 0
}

// --- Dumps ------------------------------------------------------------------

std::string logical_dump(database const& db) {
  std::ostringstream out;
  dump(db, out);
  return out.str();
}

/// Every column of every row of T's table as the database's own text, by key.
template <class T>
void raw_table(database const& db, std::ostream& out) {
  using model = table_model<T>;
  auto const& d = db.dialect();
  std::string const text = db.backend().kind() == backend_kind::mysql ? "CHAR" : "TEXT";
  std::string sql = "SELECT ";
  for (std::size_t i = 0; i < model::column_count; ++i)
    sql += std::string(i ? ", " : "") + "CAST(" + sql::quote(d, model::columns[i].name) + " AS " + text + ")";
  sql += " FROM " + sql::quote(d, model::table) + " ORDER BY " + sql::quote(d, model::columns[model::key_index].name);
  std::vector<std::string> values(model::column_count);
  std::vector<soci::indicator> nulls(model::column_count, soci::i_ok);
  auto lease = detail::session_of(db);
  detail::guarded(lease, db.backend(), [&] {
    soci::statement st(lease.get());
    for (std::size_t i = 0; i < model::column_count; ++i) st.exchange(soci::into(values[i], nulls[i]));
    st.alloc();
    st.prepare(sql);
    st.define_and_bind();
    for (bool more = st.execute(true); more; more = st.fetch()) {
      out << model::table;
      for (std::size_t i = 0; i < model::column_count; ++i) out << '\t' << (nulls[i] == soci::i_null ? "∅" : values[i]);
      out << '\n';
    }
  });
}

/// What taskstore::dump cannot show: planted values and the migration ledger.
std::string raw_dump(database const& db) {
  std::ostringstream out;
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, domain_entities>>(
      [&](auto entity) { raw_table<typename decltype(entity)::type>(db, out); });
  raw_table<schema_migration>(db, out);
  return out.str();
}

/// An enum column of one row set to a name the code does not know.
struct corruption {
  std::string table, column, key_column, key, bogus;
};

std::string literal(std::string const& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// Writes the bogus name past the column's CHECK constraint (dropped on the
/// servers, ignored for one statement on SQLite); returns the old value.
std::string plant(database const& db, corruption const& c) {
  auto const& d = db.dialect();
  auto const where = " WHERE " + sql::quote(d, c.key_column) + " = " + literal(c.key);
  std::string original;
  {
    auto lease = detail::session_of(db);
    soci::indicator ind = soci::i_ok;
    detail::guarded(lease, db.backend(), [&] {
      lease.get() << "SELECT CAST(" + sql::quote(d, c.column) + " AS " +
                         (db.backend().kind() == backend_kind::mysql ? "CHAR" : "TEXT") + ") FROM " +
                         sql::quote(d, c.table) + where,
          soci::into(original, ind);
    });
  }
  auto const update =
      "UPDATE " + sql::quote(d, c.table) + " SET " + sql::quote(d, c.column) + " = " + literal(c.bogus) + where;
  if (db.backend().kind() == backend_kind::sqlite) {
    detail::with_pinned_session(db, [&](auto&) {
      db.execute("PRAGMA ignore_check_constraints = ON");
      db.execute(update);
      db.execute("PRAGMA ignore_check_constraints = OFF");
    });
  } else {
    db.execute("ALTER TABLE " + sql::quote(d, c.table) + " DROP CONSTRAINT " +
               sql::quote(d, "ck_" + c.table + "_" + c.column));
    db.execute(update);
  }
  return original;
}

void unplant(database const& db, corruption const& c, std::string const& original) {
  auto const& d = db.dialect();
  db.execute("UPDATE " + sql::quote(d, c.table) + " SET " + sql::quote(d, c.column) + " = " + literal(original) +
             " WHERE " + sql::quote(d, c.key_column) + " = " + literal(c.key));
}

/// A ledger row for a migration this build does not know.
void newer_schema(world& w) {
  soci_repository<schema_migration>(w.db).insert(
      {9999, "from_the_future", std::string(64, 'f'), timestamp::now() - 1h, 1});
}

// --- The cases ----------------------------------------------------------------

using case_fn = std::function<void(world&)>;
using corrupt_fn = std::function<corruption(world const&)>;

struct api_case {
  std::string name;
  errc code;
  error_category category;
  case_fn run;
  case_fn prepare = {};     ///< before the dumps: part of the "before" state
  corrupt_fn corrupt = {};  ///< planted after the logical dump, put back before the second
};

corrupt_fn const task_status_bogus = [](world const& w) {
  return corruption{"tasks", "status", "task_id", w.queued.task_id.to_string(), "BOGUS"};
};

std::string text(std::size_t n, std::string_view unit = "x") {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

task_service tasks(world& w) { return task_service(w.db); }
task_claims work(world& w) { return task_claims(w.db); }
task_maintenance maintenance(world& w) { return task_maintenance(w.db); }
task_claim forged_claim(task const& t) { return {t.task_id, "worker-1", uuid::generate_v4(), timestamp::now() + 1h}; }

/// Decodes a TaskCreateRequest of the task API and creates the task for alice.
void create_from_json(world& w, std::string_view json) {
  auto const r = parse_json<task_create_request>(json);
  validate(r);
  tasks(w).create({.user_id = w.alice, .tool_id = r.tool_id, .agents = r.agents.value_or(std::vector<std::string>{})});
}
/// Decodes a task list request and lists alice's tasks with it.
void list_from_json(world& w, std::string_view json) {
  auto const r = parse_json<task_list_request>(json);
  validate(r);
  tasks(w).list(w.alice, r.status,
                {.limit = static_cast<std::size_t>(r.limit.value_or(20)),
                 .offset = static_cast<std::size_t>(r.offset.value_or(0))});
}
/// Decodes a progress report and applies it under worker-1's claim.
void progress_from_json(world& w, std::string_view json) {
  auto const r = parse_json<progress_report_request>(json);
  validate(r);
  work(w).report_progress(w.claim, r.progress, r.current_agent);
}
/// A TaskCompletionCreate of the completion API for `task_id` with one field replaced.
std::string completion_json(std::string const& task_id, std::string const& key = {}, std::string const& value = {}) {
  boost::json::object o{{"task_id", task_id},      {"workflow_id", "wf-1"},       {"user_email", "a@example.com"},
                        {"task_data", {{"k", 1}}}, {"original_question", "why?"}, {"status", "completed"},
                        {"tokens_used", 1},        {"execution_time", 0.5}};
  if (!key.empty()) o[key] = boost::json::parse(value);
  return boost::json::serialize(o);
}
void create_completion_from_json(world& w, std::string const& json) {
  completion_service(w.db).create(parse_json<task_completion_create>(json));
}
void open_url(std::string const& url) { database::open(url); }

std::vector<api_case> const& api_cases() {
  static std::vector<api_case> const cases = [] {
    std::vector<api_case> c;
    auto add = [&](api_case x) { c.push_back(std::move(x)); };
    // Invalid transitions of a task.
    add({"complete_with_a_claim_on_a_created_task", conflict, user_fixable,
         [](world& w) { work(w).complete(forged_claim(w.created), {.result_summary = "done"}); }});
    add({"complete_with_a_stale_lease_token", conflict, user_fixable,
         [](world& w) { work(w).complete(forged_claim(w.processing), {.result_summary = "zombie"}); }});
    add({"report_progress_on_a_completed_task", conflict, user_fixable,
         [](world& w) { work(w).report_progress(forged_claim(w.completed), 60); }});
    add({"process_a_created_task", invalid_transition, user_fixable,
         [](world& w) { work(w).start_processing(w.created.task_id, "worker-9", 1min); }});
    add({"process_a_completed_task", invalid_transition, user_fixable,
         [](world& w) { work(w).start_processing(w.completed.task_id, "worker-9", 1min); }});
    add({"claim_a_processing_task_twice", invalid_transition, user_fixable,
         [](world& w) { work(w).start_processing(w.processing.task_id, "worker-9", 1min); }});
    add({"cancel_a_completed_task", invalid_transition, user_fixable,
         [](world& w) { tasks(w).cancel(w.completed.task_id, w.alice); }});
    add({"cancel_a_cancelled_task", invalid_transition, user_fixable,
         [](world& w) { tasks(w).cancel(w.cancelled.task_id, w.alice); }});
    add({"cancel_a_created_task", invalid_transition, user_fixable,
         [](world& w) { tasks(w).cancel(w.created.task_id, w.alice); }});
    add({"queue_a_task_twice", invalid_transition, user_fixable,
         [](world& w) { tasks(w).queue(w.queued.task_id, w.alice); }});
    add({"retry_a_completed_task", invalid_transition, user_fixable,
         [](world& w) { tasks(w).retry(w.completed.task_id, w.alice); }});
    add({"retry_a_queued_task", invalid_transition, user_fixable,
         [](world& w) { tasks(w).retry(w.queued.task_id, w.alice); }});
    add({"retry_past_max_attempts", retry_limit_exceeded, user_fixable,
         [](world& w) { tasks(w).retry(w.exhausted.task_id, w.alice); }});
    add({"mark_a_created_task_uploaded", invalid_transition, user_fixable,
         [](world& w) { tasks(w).mark_uploaded(w.created.task_id, w.alice); }});
    add({"start_uploading_a_queued_task", invalid_transition, user_fixable,
         [](world& w) { tasks(w).start_upload(w.queued.task_id, w.alice); }});
    add({"fail_a_queued_task_by_the_system", invalid_transition, user_fixable,
         [](world& w) { maintenance(w).fail_by_system(w.queued.task_id, "BILLING", "x"); }});
    add({"cancel_another_users_task", not_found, user_fixable,
         [](world& w) { tasks(w).cancel(w.bobs_queued.task_id, w.alice); }});
    add({"get_another_users_task", not_found, user_fixable,
         [](world& w) { tasks(w).get(w.bobs_queued.task_id, w.alice); }});
    add({"get_an_unknown_task", not_found, user_fixable, [](world& w) { tasks(w).get(uuid::generate_v7(), w.alice); }});
    // Invalid transitions elsewhere.
    add({"complete_a_completed_session_task", invalid_transition, user_fixable,
         [](world& w) { session_service(w.db).complete(w.finished_session.id); }});
    add({"fail_a_completed_session_task", invalid_transition, user_fixable, [](world& w) {
           session_service(w.db).fail(w.finished_session.id, boost::json::object{{"why", "late"}});
         }});
    add({"start_a_session_task_while_one_runs", invalid_transition, user_fixable, [](world& w) {
           session_service(w.db).start(w.running_session.id, session_task_type::adf_validation, uuid::generate_v7());
         }});
    add({"retry_a_session_task_a_fourth_time", retry_limit_exceeded, admin_required, [](world& w) {
           session_service(w.db).start(w.exhausted_session.id, session_task_type::processing, uuid::generate_v7());
         }});
    add({"retry_a_completed_session_task", invalid_transition, user_fixable,
         [](world& w) { session_service(w.db).retry(w.finished_session.id, uuid::generate_v7()); }});
    add({"complete_a_session_without_a_task", not_found, user_fixable,
         [](world& w) { session_service(w.db).complete(w.empty_session.id); }});
    add({"review_an_approved_draft", invalid_transition, user_fixable,
         [](world& w) { draft_service(w.db).approve(w.approved.id, "boss"); }});
    add({"submit_an_approved_draft_again", invalid_transition, user_fixable,
         [](world& w) { draft_service(w.db).submit_for_review(w.approved.id); }});
    add({"reject_a_draft_not_in_review", invalid_transition, user_fixable,
         [](world& w) { draft_service(w.db).reject(w.fresh_draft.id, "boss"); }});
    add({"finish_a_finished_agent_run", invalid_transition, user_fixable,
         [](world& w) { agent_run_service(w.db).finish(w.done_run.id, agent_run_status::FAILED); }});
    add({"finish_an_agent_run_as_running", validation_failed, user_fixable,
         [](world& w) { agent_run_service(w.db).finish(w.running_run.id, agent_run_status::RUNNING); }});
    add({"record_the_completion_of_a_queued_task", invalid_transition, user_fixable,
         [](world& w) { completion_service(w.db).record(w.queued.task_id); }});
    add({"record_a_completion_twice", already_exists, user_fixable,
         [](world& w) { completion_service(w.db).record(w.completed.task_id); }});
    add({"mark_an_untaken_email_sent", conflict, user_fixable,
         [](world& w) { outbox_service(w.db).mark_sent(w.pending_email); }});
    add({"renew_the_lease_of_an_untaken_email", conflict, user_fixable, [](world& w) {
           auto m = w.pending_email;
           outbox_service(w.db).renew(m, std::chrono::minutes(1));
         }});

    // Progress outside 0–100, and falling.
    add({"progress_minus_one", validation_failed, user_fixable,
         [](world& w) { work(w).report_progress(w.claim, -1); }});
    add({"progress_101", validation_failed, user_fixable, [](world& w) { work(w).report_progress(w.claim, 101); }});
    add({"progress_140", validation_failed, user_fixable, [](world& w) { work(w).report_progress(w.claim, 140); }});
    add({"progress_int32_min", validation_failed, user_fixable,
         [](world& w) { work(w).report_progress(w.claim, std::numeric_limits<std::int32_t>::min()); }});
    add({"progress_falling_from_50_to_20", validation_failed, user_fixable,
         [](world& w) { work(w).report_progress(w.claim, 20); }});
    add({"progress_140_in_a_json_report", validation_failed, user_fixable,
         [](world& w) { progress_from_json(w, R"({"progress":140,"current_agent":"score-risk"})"); }});
    add({"progress_minus_one_in_a_json_report", validation_failed, user_fixable,
         [](world& w) { progress_from_json(w, R"({"progress":-1})"); }});
    add({"progress_beyond_int32_in_a_json_report", validation_failed, user_fixable,
         [](world& w) { progress_from_json(w, R"({"progress":4294967346})"); }});
    add({"progress_as_a_fraction_in_a_json_report", validation_failed, user_fixable,
         [](world& w) { progress_from_json(w, R"({"progress":50.5})"); }});

    // Malformed uuids.
    add({"uuid_of_35_characters", validation_failed, user_fixable,
         [](world& w) { tasks(w).get(uuid::parse("0190a0b0-0000-7000-8000-00000000000"), w.alice); }});
    add({"uuid_with_a_non_hex_digit", validation_failed, user_fixable,
         [](world& w) { tasks(w).cancel(uuid::parse("0190a0b0-0000-7000-8000-00000000000g"), w.alice); }});
    add({"uuid_in_braces", validation_failed, user_fixable,
         [](world& w) { tasks(w).cancel(uuid::parse("{" + w.queued.task_id.to_string() + "}"), w.alice); }});
    add({"uuid_followed_by_sql", validation_failed, user_fixable,
         [](world& w) { tasks(w).cancel(uuid::parse(w.queued.task_id.to_string() + "' OR '1'='1"), w.alice); }});
    add({"malformed_uuid_in_a_completion_request", validation_failed, user_fixable,
         [](world& w) { create_completion_from_json(w, completion_json("not-a-uuid")); }});
    add({"uuid_as_a_number_in_a_completion_request", validation_failed, user_fixable,
         [](world& w) { create_completion_from_json(w, completion_json("x", "task_id", "12")); }});

    // Unknown enum names in requests.
    add({"unknown_status_in_a_list_request", validation_failed, user_fixable,
         [](world& w) { list_from_json(w, R"({"status":"BOGUS"})"); }});
    add({"lower_case_status_in_a_list_request", validation_failed, user_fixable,
         [](world& w) { list_from_json(w, R"({"status":"queued"})"); }});
    add({"status_as_a_number_in_a_list_request", validation_failed, user_fixable,
         [](world& w) { list_from_json(w, R"({"status":3})"); }});
    add({"limit_zero_in_a_list_request", validation_failed, user_fixable,
         [](world& w) { list_from_json(w, R"({"limit":0})"); }});
    add({"unknown_status_in_a_completion_request", validation_failed, user_fixable, [](world& w) {
           create_completion_from_json(w, completion_json(w.completed.task_id.to_string(), "status", R"("done")"));
         }});
    add({"unknown_status_in_a_completion_update", validation_failed, user_fixable, [](world& w) {
           completion_service(w.db).update(w.completed.task_id,
                                           parse_json<task_completion_update>(R"({"status":"archived"})"));
         }});
    add({"unknown_event_type_in_an_event", validation_failed, user_fixable, [](world& w) {
           auto const e = from_json<event_log>(boost::json::object{{"id", 0},
                                                                   {"task_id", w.queued.task_id.to_string()},
                                                                   {"event_type", "SHOUT"},
                                                                   {"level", "INFO"},
                                                                   {"agent_role", nullptr},
                                                                   {"content", "x"},
                                                                   {"created_at", "2026-01-01T00:00:00Z"}});
           event_service(w.db).append(e);
         }});
    add({"stored_name_with_its_cpp_underscore", validation_failed, user_fixable, [](world& w) {
           session_service(w.db).start(w.empty_session.id, parse_enum<session_task_type>("export_"),
                                       uuid::generate_v7());
         }});
    add({"unknown_email_priority", validation_failed, user_fixable, [](world& w) {
           outbox_service(w.db).enqueue({.task_id = w.completed.task_id,
                                         .recipient = "x@example.com",
                                         .priority = parse_enum<email_priority>("ASAP")});
         }});

    // Unknown enum names in the database: corrupt_value, nothing changes.
    add({"stored_unknown_task_status_on_get",
         corrupt_value,
         admin_required,
         [](world& w) { tasks(w).get(w.queued.task_id, w.alice); },
         {},
         task_status_bogus});
    add({"stored_unknown_task_status_on_cancel",
         corrupt_value,
         admin_required,
         [](world& w) { tasks(w).cancel(w.queued.task_id, w.alice); },
         {},
         task_status_bogus});
    add({"stored_unknown_task_status_on_list",
         corrupt_value,
         admin_required,
         [](world& w) { tasks(w).list(w.alice); },
         {},
         task_status_bogus});
    add({"stored_unknown_task_status_on_charge",
         corrupt_value,
         admin_required,
         [](world& w) { credit_service(w.db).charge(w.queued.task_id, credit_amount{5}); },
         {},
         task_status_bogus});
    add({"stored_unknown_task_status_on_dump",
         corrupt_value,
         admin_required,
         [](world& w) {
           std::ostringstream out;
           dump(w.db, out);
         },
         {},
         task_status_bogus});
    add({"stored_unknown_event_level",
         corrupt_value,
         admin_required,
         [](world& w) { event_service(w.db).list(w.queued.task_id, w.alice); },
         {},
         [](world const& w) {
           return corruption{"event_logs", "level", "id", std::to_string(w.message.id), "LOUD"};
         }});
    add({"stored_unknown_agent_run_status",
         corrupt_value,
         admin_required,
         [](world& w) { agent_run_service(w.db).finish(w.running_run.id, agent_run_status::COMPLETED); },
         {},
         [](world const& w) {
           return corruption{"agent_runs", "status", "id", std::to_string(w.running_run.id), "PAUSED"};
         }});
    add({"stored_unknown_draft_status",
         corrupt_value,
         admin_required,
         [](world& w) { draft_service(w.db).approve(w.in_review.id, "boss"); },
         {},
         [](world const& w) {
           return corruption{"drafts", "status", "id", std::to_string(w.in_review.id), "PENDING"};
         }});
    add({"stored_unknown_session_task_status",
         corrupt_value,
         admin_required,
         [](world& w) { session_service(w.db).complete(w.running_session.id); },
         {},
         [](world const& w) {
           return corruption{"session_tasks", "status", "session_id", w.running_session.id.to_string(), "zombie"};
         }});
    add({"stored_unknown_credit_kind",
         corrupt_value,
         admin_required,
         [](world& w) { credit_service(w.db).history(w.alice); },
         {},
         [](world const& w) {
           return corruption{"credit_transactions", "kind", "id", std::to_string(w.purchase.id), "GIFT"};
         }});
    add({"stored_unknown_email_priority",
         corrupt_value,
         admin_required,
         [](world& w) { outbox_service(w.db).find(w.pending_email.id); },
         {},
         [](world const& w) {
           return corruption{"email_messages", "priority", "id", std::to_string(w.pending_email.id), "SOON"};
         }});
    add({"stored_unknown_completion_status",
         corrupt_value,
         admin_required,
         [](world& w) { completion_service(w.db).update(w.completed.task_id, {.summary_steps = "1."}); },
         {},
         [](world const& w) {
           return corruption{"task_completions", "status", "task_id", w.completed.task_id.to_string(), "partial"};
         }});

    // Invalid JSON text.
    add({"empty_json_text", validation_failed, user_fixable, [](world& w) { create_from_json(w, ""); }});
    add({"truncated_json", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, R"({"tool_id":"x")"); }});
    add({"json_with_trailing_text", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, R"({"tool_id":"x"}; DROP TABLE tasks)"); }});
    add({"json_with_single_quotes", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, "{'tool_id':'x'}"); }});
    add({"json_with_invalid_utf8", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, "{\"tool_id\":\"\xff\xfe\"}"); }});
    add({"json_array_instead_of_an_object", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, R"(["tool_id","x"])"); }});
    add({"json_with_an_unknown_key", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, R"({"tool_id":"x","user_id":2})"); }});
    add({"json_with_a_string_for_a_list", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, R"({"tool_id":"x","agents":"a"})"); }});
    add({"json_null_for_a_required_field", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, R"({"tool_id":null})"); }});
    add({"json_string_for_task_data", validation_failed, user_fixable, [](world& w) {
           create_completion_from_json(w, completion_json(w.completed.task_id.to_string(), "task_data", R"("{}")"));
         }});
    add({"restore_of_text_that_is_not_a_dump", validation_failed, user_fixable, [](world& w) {
           std::istringstream in("this is not JSON\n");
           restore(w.db, in);
         }});
    add({"restore_into_a_database_with_rows", already_exists, user_fixable, [](world& w) {
           std::istringstream in(logical_dump(w.db));
           restore(w.db, in);
         }});

    // Over-long and empty strings.
    add({"tool_id_of_51_characters", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.tool_id = text(51);
           tasks(w).create(r);
         }});
    add({"empty_tool_id", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.tool_id = "";
           tasks(w).create(r);
         }});
    add({"title_of_256_characters", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.title = text(256);
           tasks(w).create(r);
         }});
    add({"title_of_256_two_byte_characters", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.title = text(256, "ü");
           tasks(w).create(r);
         }});
    add({"workflow_id_of_256_characters", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.workflow_id = text(256);
           tasks(w).create(r);
         }});
    add({"idempotency_key_of_256_characters", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.idempotency_key = text(256);
           tasks(w).create(r);
         }});
    add({"agent_id_of_101_characters", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.agents = {"ok", text(101)};
           tasks(w).create(r);
         }});
    add({"max_attempts_zero", validation_failed, user_fixable, [](world& w) { tasks(w).create(request(w.alice, 0)); }});
    add({"worker_id_of_101_characters", validation_failed, user_fixable,
         [](world& w) { work(w).start_processing(w.queued.task_id, text(101), 1min); }});
    add({"empty_worker_id", validation_failed, user_fixable,
         [](world& w) { work(w).start_processing(w.queued.task_id, "", 1min); }});
    add({"current_agent_of_101_characters", validation_failed, user_fixable,
         [](world& w) { work(w).report_progress(w.claim, 60, text(101)); }});
    add({"error_code_of_51_characters", validation_failed, user_fixable,
         [](world& w) { work(w).fail(w.claim, text(51), "boom"); }});
    add({"upload_error_code_of_51_characters", validation_failed, user_fixable,
         [](world& w) { tasks(w).mark_upload_failed(w.uploading.task_id, w.alice, text(51), "x"); }});
    add({"negative_tokens_on_complete", validation_failed, user_fixable,
         [](world& w) { work(w).complete(w.claim, {.result_summary = "done", .tokens_used = -1}); }});
    add({"full_name_of_101_characters", validation_failed, user_fixable,
         [](world& w) { user_service(w.db).create("carol@example.com", text(101)); }});
    add({"session_stage_of_51_characters", validation_failed, user_fixable,
         [](world& w) { session_service(w.db).create(w.alice, text(51)); }});
    add({"session_stage_of_51_characters_on_complete", validation_failed, user_fixable,
         [](world& w) { session_service(w.db).complete(w.running_session.id, text(51)); }});
    add({"draft_author_of_101_characters", validation_failed, user_fixable,
         [](world& w) { draft_service(w.db).add(w.completed.task_id, "v5", draft_kind::OTHER, text(101)); }});
    add({"reviewer_of_101_characters", validation_failed, user_fixable,
         [](world& w) { draft_service(w.db).approve(w.in_review.id, text(101)); }});
    add({"empty_reviewer", validation_failed, user_fixable,
         [](world& w) { draft_service(w.db).approve(w.in_review.id, ""); }});
    add({"agent_name_of_101_characters", validation_failed, user_fixable,
         [](world& w) { agent_run_service(w.db).start(w.processing.task_id, text(101)); }});
    add({"agent_role_of_101_characters", validation_failed, user_fixable,
         [](world& w) { event_service(w.db).append({.task_id = w.queued.task_id, .agent_role = text(101)}); }});
    add({"completion_workflow_id_of_256_characters", validation_failed, user_fixable, [](world& w) {
           create_completion_from_json(
               w, completion_json(w.completed.task_id.to_string(), "workflow_id", '"' + text(256) + '"'));
         }});

    // Text that no backend can store the same way: invalid UTF-8 and NUL.
    add({"title_with_invalid_utf8", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.title = "caf\xe9";  // Latin-1
           tasks(w).create(r);
         }});
    add({"tool_id_with_a_nul_byte", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.tool_id = std::string("profile\0evil", 12);
           tasks(w).create(r);
         }});
    add({"idempotency_key_with_a_nul_byte", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.idempotency_key = std::string("key\0other", 9);
           tasks(w).create(r);
         }});
    add({"agent_id_with_a_nul_byte", validation_failed, user_fixable, [](world& w) {
           auto r = request(w.alice);
           r.agents = {std::string("profiler\0", 9)};
           tasks(w).create(r);
         }});
    add({"full_name_with_invalid_utf8", validation_failed, user_fixable,
         [](world& w) { user_service(w.db).create("carol@example.com", "Carol \xed\xa0\x80"); }});  // a surrogate
    add({"event_content_with_invalid_utf8", validation_failed, user_fixable,
         [](world& w) { event_service(w.db).append({.task_id = w.queued.task_id, .content = "\xc3\x28 truncated"}); }});
    add({"draft_content_with_a_nul_byte", validation_failed, user_fixable,
         [](world& w) { draft_service(w.db).add(w.completed.task_id, std::string("a\0b", 3)); }});
    add({"failure_context_with_a_nul_character", validation_failed, user_fixable, [](world& w) {
           work(w).fail(w.claim, "E", "boom", boost::json::object{{"x", std::string("a\0b", 3)}});
         }});
    add({"invalid_timestamp_in_an_event", validation_failed, user_fixable, [](world& w) {
           event_service(w.db).append(
               from_json<event_log>(boost::json::object{{"id", 0},
                                                        {"task_id", w.queued.task_id.to_string()},
                                                        {"event_type", "LOG"},
                                                        {"level", "INFO"},
                                                        {"agent_role", nullptr},
                                                        {"content", "x"},
                                                        {"created_at", "2026-13-45T25:61:00Z"}}));
         }});
    add({"json_nested_ten_thousand_levels_deep", validation_failed, user_fixable,
         [](world& w) { create_from_json(w, text(10000, "[") + text(10000, "]")); }});
    add({"json_number_beyond_double_for_progress", validation_failed, user_fixable,
         [](world& w) { progress_from_json(w, R"({"progress":1e400})"); }});

    // Invalid e-mail addresses.
    for (auto const& [name, email] : std::vector<std::pair<std::string, std::string>>{
             {"email_without_an_at", "alice.example.com"},
             {"email_with_two_ats", "alice@@example.com"},
             {"email_without_a_dot_in_the_domain", "alice@localhost"},
             {"email_with_a_space", "alice smith@example.com"},
             {"email_starting_with_a_dot", ".alice@example.com"},
             {"email_with_an_underscore_in_the_domain", "alice@exa_mple.com"},
             {"email_with_a_hyphen_leading_a_label", "alice@-example.com"},
             {"empty_email", ""},
             {"email_of_256_characters",
              text(64, "a") + "@" + text(63, "b") + "." + text(63, "c") + "." + text(59, "d") + ".com"},
             {"email_with_sql_injection", "x@example.com'); DROP TABLE users; --"},
             {"email_with_invalid_utf8",
              "\xff"
              "alice@example.com"},
         })
      add({name, validation_failed, user_fixable,
           [email = email](world& w) { user_service(w.db).create(email, "Mallory"); }});
    add({"email_taken_in_another_case", already_exists, user_fixable,
         [](world& w) { user_service(w.db).create("ALICE@Example.com", "Alice again"); }});
    add({"invalid_recipient_in_the_outbox", validation_failed, user_fixable, [](world& w) {
           outbox_service(w.db).enqueue(
               {.task_id = w.completed.task_id, .recipient = "team@example..com", .subject = "s", .body = "b"});
         }});
    add({"invalid_email_in_a_completion_request", validation_failed, user_fixable, [](world& w) {
           create_completion_from_json(w, completion_json(w.completed.task_id.to_string(), "user_email", R"("x@y")"));
         }});

    // Credit amounts.
    add({"purchase_of_minus_5_credits", validation_failed, user_fixable,
         [](world& w) { credit_service(w.db).purchase(w.alice, credit_amount{-5}); }});
    add({"purchase_of_zero_credits", validation_failed, user_fixable,
         [](world& w) { credit_service(w.db).purchase(w.alice, credit_amount{0}); }});
    add({"purchase_of_int64_min_credits", validation_failed, user_fixable, [](world& w) {
           credit_service(w.db).purchase(w.alice, credit_amount{std::numeric_limits<std::int64_t>::min()});
         }});
    add({"purchase_that_overflows_the_balance", validation_failed, user_fixable, [](world& w) {
           credit_service(w.db).purchase(w.alice, credit_amount{std::numeric_limits<std::int64_t>::max()});
         }});
    add({"charge_of_minus_10_credits", validation_failed, user_fixable,
         [](world& w) { credit_service(w.db).charge(w.queued.task_id, credit_amount{-10}); }});
    add({"charge_of_zero_credits", validation_failed, user_fixable,
         [](world& w) { credit_service(w.db).charge(w.queued.task_id, credit_amount{0}); }});
    add({"charge_beyond_the_balance", precondition_failed, user_fixable,
         [](world& w) { credit_service(w.db).charge(w.queued.task_id, credit_amount{1000}); }});
    add({"charge_of_an_empty_wallet", precondition_failed, user_fixable,
         [](world& w) { credit_service(w.db).charge(w.bobs_queued.task_id, credit_amount{1}); }});
    add({"refund_of_a_task_never_charged", not_found, user_fixable,
         [](world& w) { credit_service(w.db).refund(w.queued.task_id); }});
    add({"purchase_for_an_unknown_user", foreign_key_violation, user_fixable,
         [](world& w) { credit_service(w.db).purchase(w.alice + w.bob + 1000, credit_amount{10}); }});

    // Unknown references.
    add({"task_for_an_unknown_user", foreign_key_violation, user_fixable,
         [](world& w) { tasks(w).create(request(w.alice + w.bob + 1000)); }});
    add({"event_for_an_unknown_task", foreign_key_violation, user_fixable,
         [](world& w) { event_service(w.db).append({.task_id = uuid::generate_v7(), .content = "x"}); }});
    add({"email_for_an_unknown_task", foreign_key_violation, user_fixable, [](world& w) {
           outbox_service(w.db).enqueue(
               {.task_id = uuid::generate_v7(), .recipient = "x@example.com", .subject = "s", .body = "b"});
         }});

    // Malformed and hostile URLs: bad_config or connection_failed, never the password.
    auto const url = [&](std::string name, errc code, std::string u) {
      add({std::move(name), code, admin_required, [u](world&) { open_url(u); }});
    };
    url("url_without_a_scheme", bad_config, std::string("ada:") + secret + "@127.0.0.1/x");
    url("url_with_an_unknown_scheme", bad_config, std::string("ftp://ada:") + secret + "@127.0.0.1/x");
    url("url_with_port_99999", bad_config, std::string("postgresql://ada:") + secret + "@127.0.0.1:99999/x");
    url("url_with_a_port_that_is_not_a_number", bad_config,
        std::string("mysql://ada:") + secret + "@127.0.0.1:3306;DROP/x");
    url("url_with_a_bad_percent_escape_in_the_password", bad_config,
        std::string("postgresql://ada:") + secret + "%zz@127.0.0.1/x");
    url("url_with_a_truncated_percent_escape", bad_config, std::string("mysql://ada:") + secret + "@127.0.0.1/x%2");
    url("url_with_a_nul_in_the_database_name", bad_config,
        std::string("postgresql://ada:") + secret + "@127.0.0.1/x%00y");
    url("url_with_a_slash_in_the_database_name", bad_config, std::string("mysql://ada:") + secret + "@127.0.0.1/a%2Fb");
    url("url_without_a_host", bad_config, std::string("postgresql://ada:") + secret + "@/x");
    url("url_with_an_unterminated_ipv6_host", bad_config, std::string("postgresql://ada:") + secret + "@[::1/x");
    url("url_with_mysql_reconnect", bad_config, std::string("mysql://ada:") + secret + "@127.0.0.1/x?reconnect=1");
    url("url_with_an_unknown_mysql_parameter", bad_config,
        std::string("mysql://ada:") + secret + "@127.0.0.1/x?init_command=DROP%20TABLE%20tasks");
    url("url_with_a_parameter_name_injecting_options", bad_config,
        std::string("postgresql://ada:") + secret + "@127.0.0.1/x?sslmode%3Ddisable%20host=evil");
    url("url_with_a_parameter_without_a_value", bad_config,
        std::string("postgresql://ada:") + secret + "@127.0.0.1/x?sslmode");
    url("url_with_pool_size_zero", bad_config, "sqlite:///taskstore-never.db?pool_size=0");
    url("url_with_an_unknown_synchronous_mode", bad_config, "sqlite:///taskstore-never.db?synchronous=maybe");
    url("url_of_a_shared_in_memory_database", bad_config, "sqlite://:memory:?pool_size=2");
    url("url_with_a_quote_in_the_sqlite_path", bad_config,
        "sqlite:///x.db\" ; ATTACH DATABASE '/tmp/evil.db' AS evil; --");
    url("url_with_an_empty_sqlite_path", bad_config, "sqlite:///");
    url("url_of_a_server_that_is_not_there", connection_failed,
        std::string("postgresql://ada:") + secret + "@127.0.0.1:1/x?connect_timeout=5");
    url("url_of_a_mysql_server_that_is_not_there", connection_failed,
        std::string("mysql://ada:") + secret + "@127.0.0.1:1/x");
    url("url_of_an_sqlite_file_in_a_missing_directory", connection_failed, "sqlite:////nonexistent-taskstore-dir/x.db");
    add({"url_of_a_file_that_is_not_a_database", connection_failed, admin_required, [](world& w) {
           auto const path = w.dir / "not-a-database.db";
           std::ofstream(path) << text(4096, "not an SQLite file ");
           open_url("sqlite:///" + path.string());
         }});
    add({"url_with_the_wrong_password", connection_failed, admin_required, [](world& w) {
           if (w.db.backend().kind() == backend_kind::sqlite) {  // no password: a server that refuses one instead
             open_url(std::string("postgresql://ada:") + secret + "@127.0.0.1:1/x");
             return;
           }
           auto const at = w.url.find('@');
           auto const colon = w.url.rfind(':', at);
           open_url(w.url.substr(0, colon + 1) + secret + w.url.substr(at));
         }});

    // A database at a newer schema version than this build knows.
    auto const newer = [&](std::string name, case_fn run) {
      add({std::move(name), schema_mismatch, admin_required, std::move(run), newer_schema});
    };
    newer("newer_schema_migrate_to_latest", [](world& w) { migrate_to_latest(w.db); });
    newer("newer_schema_migrator_up", [](world& w) { migrator(w.db, builtin_migrations()).up(); });
    newer("newer_schema_migrate_to_1", [](world& w) { migrator(w.db, builtin_migrations()).migrate_to(1); });
    newer("newer_schema_migrate_to_0", [](world& w) { migrator(w.db, builtin_migrations()).migrate_to(0); });
    newer("newer_schema_rollback", [](world& w) { migrator(w.db, builtin_migrations()).rollback(1); });
    newer("newer_schema_restore", [](world& w) {
      std::istringstream in("{}\n");
      restore(w.db, in);
    });
    newer("newer_schema_copy_into_it", [](world& w) { copy_database(w.db, w.db); });
    add({"changed_migration_checksum", schema_mismatch, admin_required, [](world& w) { migrate_to_latest(w.db); },
         [](world& w) {
           w.db.execute("UPDATE schema_migrations SET checksum = '" + std::string(64, '0') + "' WHERE version = 1");
         }});

    // input limits (issue 31): refused before any statement, validation_failed naming the column (or the
    // argument), the same on every backend.
    auto limit = [&](std::string name, std::string field, case_fn run) {
      add({std::move(name), validation_failed, user_fixable, [field, run](world& w) {
             try {
               run(w);
             } catch (error const& e) {
               EXPECT_EQ(e.field(), field) << e.what();
               throw;
             }
           }});
    };
    // Deep JSON: stored past what a backend reads back, or deep enough to exhaust the stack. The deep
    // values live in a monotonic resource, whose values are destroyed without recursing.
    static boost::json::monotonic_resource deep_memory;
    auto const nested = [](std::size_t depth) {
      boost::json::storage_ptr sp(&deep_memory);
      boost::json::value v(1, sp);
      for (std::size_t i = 0; i < depth; ++i) {
        boost::json::array a(sp);
        a.emplace_back(std::move(v));
        v = std::move(a);
      }
      return v;
    };
    limit("failure_context_31_deep", "tasks.failure_context",
          [nested](world& w) { work(w).fail(w.claim, "E", "deep", nested(31)); });
    limit("failure_context_31_deep_by_fail_or_retry", "tasks.failure_context",
          [nested](world& w) { work(w).fail_or_retry(w.claim, "E", "deep", nested(31)); });
    limit("failure_context_300000_deep", "tasks.failure_context",
          [nested](world& w) { work(w).fail(w.claim, "E", "deep", nested(300000)); });
    auto const deep_object = [nested](std::size_t depth) {
      boost::json::object o{boost::json::storage_ptr(&deep_memory)};
      o["k"] = nested(depth - 1);
      return o;
    };
    limit("task_data_100000_deep", "task_completions.task_data", [deep_object](world& w) {
      completion_service(w.db).create({.task_id = w.failed.task_id,
                                       .workflow_id = "wf",
                                       .user_email = "a@example.com",
                                       .task_data = deep_object(100000),
                                       .original_question = "why?"});
    });
    limit("task_data_31_deep", "task_completions.task_data", [deep_object](world& w) {
      completion_service(w.db).create({.task_id = w.failed.task_id,
                                       .workflow_id = "wf",
                                       .user_email = "a@example.com",
                                       .task_data = deep_object(31),
                                       .original_question = "why?"});
    });
    add({"decode_a_request_100000_deep", validation_failed, user_fixable, [deep_object](world& w) {
           // A value, not an object: from_json of an object would copy it into one, recursively.
           boost::json::value request = boost::json::object{boost::json::storage_ptr(&deep_memory)};
           auto& o = request.as_object();
           o["task_id"] = w.failed.task_id.to_string();
           o["workflow_id"] = "wf";
           o["user_email"] = "a@example.com";
           o["original_question"] = "why?";
           o["task_data"] = deep_object(100000);
           completion_service(w.db).create(from_json<task_completion_create>(request));
         }});
    limit("session_failure_context_40_deep", "session_tasks.failure_context",
          [nested](world& w) { session_service(w.db).fail(w.running_session.id, nested(40)); });
    limit("failure_context_31_deep_through_the_repository", "tasks.failure_context", [nested](world& w) {
      auto t = *soci_repository<task>(w.db).find(w.failed.task_id);
      t.failure_context = nested(31);
      soci_repository<task>(w.db).update(t);
    });
    // Times outside 0001-01-01 … 9999-12-31, including now + a duration.
    auto const year = [](int y) { return timestamp::from(std::chrono::sys_days{std::chrono::year{y} / 1 / 1}); };
    limit("lease_of_9000_years", "lease",
          [](world& w) { work(w).start_processing(w.queued.task_id, "worker-9", std::chrono::years(9000)); });
    limit("claim_with_a_lease_of_seconds_max", "lease",
          [](world& w) { work(w).claim_next("worker-9", std::chrono::seconds::max()); });
    limit("release_with_a_delay_of_9000_years", "delay",
          [](world& w) { work(w).release(w.claim, std::chrono::years(9000)); });
    limit("take_emails_with_a_lease_of_9000_years", "lease",
          [](world& w) { outbox_service(w.db).take_batch("sender-1", 1, std::chrono::years(9000)); });
    limit("renew_an_email_lease_to_9000_years", "lease", [](world& w) {
      auto m = w.pending_email;  // as if taken: the lease is checked before the row is looked at
      m.lease_token = uuid::generate_v4();
      outbox_service(w.db).renew(m, std::chrono::years(9000));
    });
    limit("event_dated_12026", "event_logs.created_at", [year](world& w) {
      event_service(w.db).append({.task_id = w.queued.task_id, .content = "late", .created_at = year(12026)});
    });
    limit("event_dated_10000_01_01", "event_logs.created_at", [year](world& w) {
      event_service(w.db).append({.task_id = w.queued.task_id, .content = "late", .created_at = year(10000)});
    });
    limit("expire_before_year_10001", "tasks.created_at",
          [year](world& w) { maintenance(w).expire_before(year(10001)); });
    limit("cleanup_of_events_older_than_days_max", "delete_events_after",
          [](world& w) { cleanup(w.db, {.delete_events_after = std::chrono::days::max()}); });
    // Floating-point values that are not finite.
    limit("execution_time_nan", "tasks.execution_time", [](world& w) {
      work(w).complete(w.claim,
                       {.result_summary = "done",
                        .tokens_used = 1,
                        .execution_time = std::chrono::duration<double>(std::numeric_limits<double>::quiet_NaN())});
    });
    limit("execution_time_infinite", "tasks.execution_time", [](world& w) {
      work(w).complete(w.claim,
                       {.result_summary = "done",
                        .tokens_used = 1,
                        .execution_time = std::chrono::duration<double>(std::numeric_limits<double>::infinity())});
    });
    limit("completion_execution_time_nan", "task_completions.execution_time", [](world& w) {
      completion_service(w.db).create(
          {.task_id = w.failed.task_id,
           .workflow_id = "wf",
           .user_email = "a@example.com",
           .task_data = boost::json::object{{"k", 1}},
           .original_question = "why?",
           .execution_time = std::chrono::duration<double>(-std::numeric_limits<double>::infinity())});
    });
    // Limits, offsets and batch sizes past limits::max_rows.
    limit("list_with_a_limit_of_size_max", "limit",
          [](world& w) { tasks(w).list(w.alice, std::nullopt, {.limit = std::numeric_limits<std::size_t>::max()}); });
    limit("list_with_an_offset_of_2_to_the_63", "offset",
          [](world& w) { tasks(w).list(w.alice, std::nullopt, {.limit = 20, .offset = std::size_t{1} << 63}); });
    limit("claim_batch_of_size_max", "limit", [](world& w) {
      work(w).claim_batch("worker-9", std::numeric_limits<std::size_t>::max(), std::chrono::minutes(1));
    });
    limit("take_batch_of_size_max", "limit", [](world& w) {
      outbox_service(w.db).take_batch("sender-1", std::numeric_limits<std::size_t>::max(), std::chrono::minutes(1));
    });
    // Integers the library increments, at values where the increment would overflow.
    limit("tokens_used_int64_max", "tokens_used", [](world& w) {
      work(w).complete(w.claim, {.result_summary = "done", .tokens_used = std::numeric_limits<std::int64_t>::max()});
    });
    limit("task_attempt_int32_max", "tasks.attempt", [](world& w) {
      auto t = w.created;
      t.task_id = uuid::generate_v7();
      t.attempt = std::numeric_limits<std::int32_t>::max();
      soci_repository<task>(w.db).insert(t);
    });
    limit("task_version_int32_max", "tasks.version", [](world& w) {
      auto t = w.created;
      t.task_id = uuid::generate_v7();
      t.version = std::numeric_limits<std::int32_t>::max();
      soci_repository<task>(w.db).insert(t);
    });
    limit("task_tokens_used_int64_max", "tasks.tokens_used", [](world& w) {
      auto t = w.created;
      t.task_id = uuid::generate_v7();
      t.tokens_used = std::numeric_limits<std::int64_t>::max();
      soci_repository<task>(w.db).insert(t);
    });
    limit("draft_version_int32_max", "drafts.version", [](world& w) {
      auto d = w.fresh_draft;
      d.id = 0;
      d.version = std::numeric_limits<std::int32_t>::max();
      soci_repository<draft>(w.db).insert(d);
    });
    // Column constraints declared in table_traits, checked before the statement.
    limit("tool_id_of_51_characters_through_the_repository", "tasks.tool_id", [](world& w) {
      auto t = w.created;
      t.task_id = uuid::generate_v7();
      t.tool_id = text(51);
      soci_repository<task>(w.db).insert(t);
    });
    limit("empty_tool_id_through_update_where", "tasks.tool_id", [](world& w) {
      soci_repository<task>(w.db).update_where(query<task>{col(&task::task_id) == w.queued.task_id},
                                               set(&task::tool_id, std::string()));
    });
    limit("title_of_256_characters_through_update", "tasks.title", [](world& w) {
      auto t = *soci_repository<task>(w.db).find(w.queued.task_id);
      t.title = text(256, "ü");
      soci_repository<task>(w.db).update(t);
    });
    limit("progress_101_through_upsert", "tasks.progress", [](world& w) {
      auto t = *soci_repository<task>(w.db).find(w.queued.task_id);
      t.progress = 101;
      soci_repository<task>(w.db).upsert(t);
    });
    limit("agent_role_of_101_characters_in_insert_many", "event_logs.agent_role", [](world& w) {
      event_log ok{.task_id = w.queued.task_id, .content = "ok", .created_at = timestamp::now()};
      auto bad = ok;
      bad.agent_role = text(101);
      soci_repository<event_log>(w.db).insert_many(std::vector<event_log>{ok, ok, bad});
    });
    limit("retry_count_4_through_update_many", "session_tasks.retry_count", [](world& w) {
      soci_repository<session_task> repo(w.db);
      auto rows = repo.find(query<session_task>{});
      auto const before = rows;
      for (auto& r : rows) r.retry_count = 4;
      repo.update_many(rows, before);
    });
    // Values too large for a server's packet.
    limit("event_content_over_4_mib", "event_logs.content",
          [](world& w) { event_service(w.db).append({.task_id = w.queued.task_id, .content = text((4u << 20) + 1)}); });
    limit("event_content_of_17_mib", "event_logs.content",
          [](world& w) { event_service(w.db).append({.task_id = w.queued.task_id, .content = text(17u << 20)}); });
    limit("task_row_over_6_mib", "tasks.error_message", [](world& w) {
      auto t = *soci_repository<task>(w.db).find(w.queued.task_id);
      t.input_prompt = text(4u << 20);
      t.error_message = text(3u << 20);
      soci_repository<task>(w.db).update(t);
    });
    // administration and the CLI (issue 31)
    auto const restore_text = [](world& w, std::string const& text) {
      std::istringstream in(text);
      restore(w.db, in);
    };
    auto const with_schema_version = [](std::string dump, std::string const& version) {
      auto const at = dump.find("\"schema_version\":");
      return dump.substr(0, at) + "\"schema_version\":" + version + dump.substr(dump.find(',', at));
    };
    add({"restore_of_a_truncated_dump", validation_failed, user_fixable, [=](world& w) {
           auto text = logical_dump(w.db);
           text.pop_back();
           restore_text(w, text.substr(0, text.rfind('\n') + 1));
         }});
    for (auto const& [name, version] :
         std::vector<std::pair<std::string, std::string>>{{"restore_of_a_dump_with_a_text_schema_version", "\"3\""},
                                                          {"restore_of_a_dump_with_a_fractional_schema_version", "1.5"},
                                                          {"restore_of_a_dump_with_a_schema_version_of_1e30", "1e30"}})
      add({name, validation_failed, user_fixable,
           [=, version = version](world& w) { restore_text(w, with_schema_version(logical_dump(w.db), version)); }});
    add({"restore_of_a_dump_with_a_negative_user_id", validation_failed, user_fixable, [=](world& w) {
           auto text = logical_dump(w.db);
           auto const key = text.find("\"id\":" + std::to_string(w.alice) + ",");
           text.replace(key, 5 + std::to_string(w.alice).size(), "\"id\":-5");
           restore_text(w, text);
         }});
    add({"load_migrations_from_a_symbolic_link_loop", bad_config, admin_required, [](world& w) {
           fs::create_directory_symlink(w.dir / "loop", w.dir / "loop");
           migrate_to_latest(w.db, load_migrations(w.dir / "loop"));
         }});
    return c;
  }();
  return cases;
}

#ifdef TASKSTORE_CLI_PATH
// --- CLI cases ----------------------------------------------------------------

struct cli_case {
  std::string name;
  int exit_code;             ///< 2 usage, 3 user_fixable, 4 admin_required
  std::optional<errc> code;  ///< printed as "(code, category)"; none for usage errors
  error_category category;
  std::function<std::vector<std::string>(world&)> args;
  case_fn prepare = {};
  corrupt_fn corrupt = {};
};

std::vector<std::string> db_args(world const& w, std::vector<std::string> rest) {
  std::vector<std::string> out{"--db", w.url};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

std::vector<cli_case> const& cli_cases() {
  static std::vector<cli_case> const cases = [] {
    std::vector<cli_case> c;
    auto fails = [&](std::string name, errc code, error_category category, std::vector<std::string> rest,
                     case_fn prepare = {}, corrupt_fn corrupt = {}) {
      c.push_back({std::move(name), category == user_fixable ? 3 : 4, code, category,
                   [rest](world& w) { return db_args(w, rest); }, std::move(prepare), std::move(corrupt)});
    };
    auto usage = [&](std::string name, std::vector<std::string> rest) {
      c.push_back({std::move(name), 2, std::nullopt, user_fixable, [rest](world& w) { return db_args(w, rest); }});
    };
    auto with_args = [&](std::string name, errc code, error_category category,
                         std::function<std::vector<std::string>(world&)> args, case_fn prepare = {}) {
      c.push_back(
          {std::move(name), category == user_fixable ? 3 : 4, code, category, std::move(args), std::move(prepare)});
    };

    fails("cli_show_a_malformed_uuid", validation_failed, user_fixable, {"tasks", "show", "not-a-uuid"});
    fails("cli_show_sql_injection_as_a_uuid", validation_failed, user_fixable,
          {"tasks", "show", "x'); DROP TABLE tasks; --"});
    fails("cli_show_an_empty_uuid", validation_failed, user_fixable, {"tasks", "show", ""});
    fails("cli_show_a_missing_task", not_found, user_fixable,
          {"tasks", "show", "0190a0b0-0000-7000-8000-000000000000"});
    fails("cli_list_an_unknown_status", validation_failed, user_fixable, {"tasks", "list", "--status", "BOGUS"});
    fails("cli_list_sql_injection_as_a_status", validation_failed, user_fixable,
          {"tasks", "list", "--status", "QUEUED' OR '1'='1"});
    fails("cli_recreate_without_confirmation", validation_failed, user_fixable, {"recreate"});
    fails("cli_migrate_to_an_unknown_version", bad_config, admin_required, {"migrate", "up", "--to", "99"});
    fails("cli_migrate_to_a_negative_version", bad_config, admin_required, {"migrate", "up", "--to", "-1"});
    fails("cli_schema_of_an_unknown_dialect", bad_config, admin_required, {"schema", "--dialect", "oracle"});
    fails("cli_backup_into_a_missing_directory", bad_config, admin_required,
          {"backup", "/nonexistent-taskstore-dir/backup.jsonl"});
    with_args("cli_restore_a_file_that_is_not_a_dump", validation_failed, user_fixable, [](world& w) {
      auto const path = (w.dir / "garbage.jsonl").string();
      std::ofstream(path) << "DROP TABLE tasks;\n";
      return db_args(w, {"restore", path});
    });
    with_args("cli_restore_into_a_database_with_rows", already_exists, user_fixable, [](world& w) {
      auto const path = (w.dir / "backup.jsonl").string();
      std::ofstream(path) << logical_dump(w.db);
      return db_args(w, {"restore", path});
    });
    with_args("cli_copy_a_database_onto_itself", already_exists, user_fixable, [](world& w) {
      return db_args(w, {"copy", "--to", w.url});
    });
    with_args("cli_copy_to_a_hostile_url", bad_config, admin_required, [](world& w) {
      return db_args(w, {"copy", "--to", std::string("mysql://ada:") + secret + "@127.0.0.1/x?reconnect=1"});
    });
    with_args("cli_unknown_scheme", bad_config, admin_required, [](world&) -> std::vector<std::string> {
      return {"--db", std::string("ftp://ada:") + secret + "@127.0.0.1/x", "stats"};
    });
    with_args("cli_bad_percent_escape_in_the_password", bad_config, admin_required,
              [](world&) -> std::vector<std::string> {
                return {"--db", std::string("postgresql://ada:") + secret + "%g0@127.0.0.1/x", "stats"};
              });
    with_args("cli_quote_in_the_sqlite_path", bad_config, admin_required, [](world&) -> std::vector<std::string> {
      return {"--db", "sqlite:///x.db\"; ATTACH DATABASE '/tmp/evil.db' AS evil; --", "stats"};
    });
    with_args("cli_server_that_is_not_there", connection_failed, admin_required,
              [](world&) -> std::vector<std::string> {
                return {"--db", std::string("postgresql://ada:") + secret + "@127.0.0.1:1/x", "stats"};
              });
    // A stored status the code does not know.
    fails("cli_show_a_task_with_an_unknown_stored_status", corrupt_value, admin_required, {}, {}, task_status_bogus);
    c.back().args = [](world& w) { return db_args(w, {"tasks", "show", w.queued.task_id.to_string()}); };
    fails("cli_list_tasks_with_an_unknown_stored_status", corrupt_value, admin_required, {"tasks", "list", "--json"},
          {}, task_status_bogus);
    with_args("cli_backup_with_an_unknown_stored_status", corrupt_value, admin_required, [](world& w) {
      return db_args(w, {"backup", (w.dir / "corrupt.jsonl").string()});
    });
    c.back().corrupt = task_status_bogus;
    // A newer schema.
    fails("cli_init_a_newer_database", schema_mismatch, admin_required, {"init"}, newer_schema);
    fails("cli_migrate_up_a_newer_database", schema_mismatch, admin_required, {"migrate", "up"}, newer_schema);
    fails("cli_migrate_a_newer_database_to_1", schema_mismatch, admin_required, {"migrate", "up", "--to", "1"},
          newer_schema);
    fails("cli_migrate_down_a_newer_database", schema_mismatch, admin_required, {"migrate", "down"}, newer_schema);
    fails("cli_recreate_a_newer_database", schema_mismatch, admin_required, {"recreate", "--yes"}, newer_schema);
    with_args(
        "cli_copy_from_a_newer_database", schema_mismatch, admin_required,
        [](world& w) {
          return db_args(w, {"copy", "--to", "sqlite:///" + (w.dir / "target.db").string()});
        },
        newer_schema);
    // Usage errors: exit 2 before any database is opened.
    usage("cli_unknown_verb", {"frobnicate"});
    usage("cli_list_limit_zero", {"tasks", "list", "--limit", "0"});
    usage("cli_list_limit_1001", {"tasks", "list", "--limit", "1001"});
    usage("cli_list_user_that_is_not_a_number", {"tasks", "list", "--user", "1 OR 1=1"});
    usage("cli_migrate_down_zero_steps", {"migrate", "down", "--steps", "0"});
    usage("cli_backup_in_an_unknown_format", {"backup", "x.xml", "--format", "xml"});
    usage("cli_restore_a_missing_file", {"restore", "/nonexistent-taskstore-dir/backup.jsonl"});
    usage("cli_show_without_an_id", {"tasks", "show"});

    // the task verbs and `work` (issue 33)
    fails("cli_create_a_task_for_an_unknown_user", not_found, user_fixable,
          {"tasks", "create", "--user", "nobody@example.com", "--tool", "t"});
    fails("cli_create_a_task_with_priority_500", validation_failed, user_fixable,
          {"tasks", "create", "--user", "alice@example.com", "--tool", "t", "--priority", "500"});
    fails("cli_create_a_task_with_an_empty_tool", validation_failed, user_fixable,
          {"tasks", "create", "--user", "alice@example.com", "--tool", ""});
    fails("cli_requeue_a_missing_task", not_found, user_fixable,
          {"tasks", "requeue", "0190a0b0-0000-7000-8000-000000000000"});
    fails("cli_cancel_a_malformed_uuid", validation_failed, user_fixable, {"tasks", "cancel", "not-a-uuid"});
    with_args("cli_requeue_a_completed_task", invalid_transition, user_fixable, [](world& w) {
      return db_args(w, {"tasks", "requeue", w.completed.task_id.to_string()});
    });
    with_args("cli_retry_an_exhausted_task", retry_limit_exceeded, user_fixable, [](world& w) {
      return db_args(w, {"tasks", "retry", w.exhausted.task_id.to_string()});
    });
    fails("cli_events_of_a_missing_task", not_found, user_fixable,
          {"events", "--follow", "0190a0b0-0000-7000-8000-000000000000"});
    fails("cli_work_with_a_missing_program", validation_failed, user_fixable,
          {"work", "--tool", "profile-my-data", "--until-idle", "--", "/nonexistent-taskstore-dir/program"});
    usage("cli_work_without_a_program", {"work", "--tool", "profile-my-data"});
    usage("cli_work_with_zero_concurrency", {"work", "--tool", "t", "--concurrency", "0", "--", "true"});
    usage("cli_work_with_a_lease_of_0", {"work", "--tool", "t", "--lease", "0", "--", "true"});

    // administration and the CLI (issue 31)
    with_args("cli_restore_a_truncated_dump", validation_failed, user_fixable, [](world& w) {
      auto text = logical_dump(w.db);
      text.pop_back();
      auto const path = (w.dir / "truncated.jsonl").string();
      std::ofstream(path) << text.substr(0, text.rfind('\n') + 1);
      return db_args(w, {"restore", path});
    });
    with_args("cli_restore_a_dump_with_a_text_schema_version", validation_failed, user_fixable, [](world& w) {
      auto text = logical_dump(w.db);
      auto const at = text.find("\"schema_version\":");
      auto const path = (w.dir / "text-version.jsonl").string();
      std::ofstream(path) << text.substr(0, at) << "\"schema_version\":\"3\"" << text.substr(text.find(',', at));
      return db_args(w, {"restore", path});
    });
    fails("cli_migrate_up_to_0_without_confirmation", validation_failed, user_fixable, {"migrate", "up", "--to", "0"});
    fails("cli_migrate_up_to_1_without_confirmation", validation_failed, user_fixable, {"migrate", "up", "--to", "1"});
    fails("cli_migrate_down_without_confirmation", validation_failed, user_fixable, {"migrate", "down"});
    fails("cli_migrate_down_3_steps_without_confirmation", validation_failed, user_fixable,
          {"migrate", "down", "--steps", "3"});
    usage("cli_migrate_create_a_path", {"migrate", "create", "a/b"});
    usage("cli_migrate_create_a_name_with_a_dot", {"migrate", "create", "x.up"});
    with_args("cli_migrations_directory_that_loops", bad_config, admin_required, [](world& w) {
      fs::create_directory_symlink(w.dir / "loop", w.dir / "loop");
      auto args = db_args(w, {"--migrations", (w.dir / "loop").string(), "init"});
      return args;
    });
    with_args("cli_restore_a_dump_of_a_newer_schema", schema_mismatch, admin_required, [](world& w) {
      auto text = logical_dump(w.db);
      auto const at = text.find("\"schema_version\":");
      auto const path = (w.dir / "newer.jsonl").string();
      std::ofstream(path) << text.substr(0, at) << "\"schema_version\":1000" << text.substr(text.find(',', at));
      return db_args(w, {"restore", path});
    });
    return c;
  }();
  return cases;
}

#endif  // TASKSTORE_CLI_PATH

// --- Lookups that find nothing (not errors) -----------------------------------

/// Valid but hostile lookups: no error, nothing found, nothing changed.
struct lookup_case {
  std::string name;
  std::function<std::size_t(world&)> found;
};

std::vector<lookup_case> const& lookup_cases() {
  static std::vector<lookup_case> const cases{
      {"email_with_quotes_finds_no_user",
       [](world& w) -> std::size_t { return user_service(w.db).find_by_email("x'or'1'='1@example.com").has_value(); }},
      {"workflow_id_with_sql_finds_no_completion",
       [](world& w) { return completion_service(w.db).find_by_workflow("wf-1' OR '1'='1").size(); }},
      {"email_with_sql_finds_no_completion",
       [](world& w) { return completion_service(w.db).find_by_user_email("a'--@example.com").size(); }},
      {"agent_role_with_sql_finds_no_event",
       [](world& w) {
         return event_service(w.db).list(w.queued.task_id, w.alice, {.agent_role = "x' OR '1'='1"}).size();
       }},
      {"agent_role_with_a_like_wildcard_finds_no_event",
       [](world& w) { return event_service(w.db).list(w.queued.task_id, w.alice, {.agent_role = "%"}).size(); }},
      {"unknown_task_id_finds_no_task",
       [](world& w) -> std::size_t { return tasks(w).find(uuid::generate_v7()).has_value(); }},
  };
  return cases;
}

// --- Running a case -------------------------------------------------------------

/// A populated private database per test, with the before/after comparison.
class bad_input_base {
 protected:
  bool set_up(test_backend backend) {
    env_ = std::make_unique<isolated_db>(backend);
    w_.emplace(
        world{env_->open(), env_->url(), fs::temp_directory_path() / ("taskstore-bad-input-" + unique_suffix())});
    fs::create_directories(w_->dir);
    populate(*w_);
    return true;
  }
  void tear_down() {
    if (w_) {
      std::error_code ec;
      fs::remove_all(w_->dir, ec);
    }
    w_.reset();
    env_.reset();
  }

  /// Runs `call` between the dumps; `corrupt` is planted after the logical dump.
  void unchanged_around(case_fn const& prepare, corrupt_fn const& corrupt, std::function<void()> const& call) {
    auto& w = *w_;
    if (prepare) prepare(w);
    auto const before = logical_dump(w.db);
    ASSERT_GE(std::count(before.begin(), before.end(), '\n'), 50) << "the database is not populated:\n" << before;
    std::optional<corruption> planted;
    std::string original;
    if (corrupt) {
      planted = corrupt(w);
      original = plant(w.db, *planted);
    }
    auto const raw_before = raw_dump(w.db);
    if (planted) {
      ASSERT_NE(raw_before.find('\t' + planted->bogus), std::string::npos) << "not planted";
    }
    call();
    EXPECT_EQ(raw_dump(w.db), raw_before) << "the database changed";
    if (planted) unplant(w.db, *planted, original);
    EXPECT_EQ(logical_dump(w.db), before) << "the database changed";
  }

  std::unique_ptr<isolated_db> env_;
  std::optional<world> w_;
};

// API cases: backend × case.
using api_param = std::tuple<test_backend, std::size_t>;

class bad_input_api : public ::testing::TestWithParam<api_param>, protected bad_input_base {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_BACKEND(std::get<0>(GetParam()));
    set_up(std::get<0>(GetParam()));
  }
  void TearDown() override { tear_down(); }
};

TEST_P(bad_input_api, raises_its_error_and_changes_nothing) {
  auto const& c = api_cases().at(std::get<1>(GetParam()));
  unchanged_around(c.prepare, c.corrupt, [&] {
    try {
      c.run(*w_);
      ADD_FAILURE() << "no error; expected " << c.code << " (" << c.category << ")";
    } catch (error const& e) {
      EXPECT_EQ(e.code(), c.code) << e.what();
      EXPECT_EQ(e.category(), c.category) << e.what();
      EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << "the password was printed: " << e.what();
    } catch (std::exception const& e) {
      ADD_FAILURE() << "not a taskstore::error: " << e.what();
    }
  });
}

std::string api_name(::testing::TestParamInfo<api_param> const& info) {
  return std::string(name(std::get<0>(info.param))) + "_" + api_cases().at(std::get<1>(info.param)).name;
}

INSTANTIATE_TEST_SUITE_P(bad_input, bad_input_api,
                         ::testing::Combine(::testing::ValuesIn(all_backends()),
                                            ::testing::Range<std::size_t>(0, api_cases().size())),
                         api_name);

#ifdef TASKSTORE_CLI_PATH
// CLI cases: every backend a process can reach × case.
class bad_input_cli : public ::testing::TestWithParam<api_param>, protected bad_input_base {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_BACKEND(std::get<0>(GetParam()));
    set_up(std::get<0>(GetParam()));
  }
  void TearDown() override { tear_down(); }
};

TEST_P(bad_input_cli, exits_with_its_code_and_changes_nothing) {
  auto const& c = cli_cases().at(std::get<1>(GetParam()));
  unchanged_around(c.prepare, c.corrupt, [&] {
    auto const args = c.args(*w_);
    auto const r = taskstore_cli(args, w_->dir);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    if (c.code) {
      auto const printed = "(" + std::string(to_string(*c.code)) + ", " + std::string(to_string(c.category)) + ")";
      EXPECT_NE(r.err.find(printed), std::string::npos) << "expected " << printed << " in: " << r.err;
    } else {
      EXPECT_EQ(r.err.find("taskstore: "), std::string::npos) << "a usage error ran the command: " << r.err;
    }
    EXPECT_EQ((r.out + r.err).find(secret), std::string::npos) << "the password was printed: " << r.err;
  });
}

std::string cli_name(::testing::TestParamInfo<api_param> const& info) {
  return std::string(name(std::get<0>(info.param))) + "_" + cli_cases().at(std::get<1>(info.param)).name;
}

// A process cannot share an in-memory database: every other backend.
INSTANTIATE_TEST_SUITE_P(bad_input, bad_input_cli,
                         ::testing::Combine(::testing::Values(test_backend::sqlite_file, test_backend::postgresql,
                                                              test_backend::mysql),
                                            ::testing::Range<std::size_t>(0, cli_cases().size())),
                         cli_name);

#endif  // TASKSTORE_CLI_PATH

// Hostile but valid lookups: not errors; nothing found, nothing changed.
class bad_input_lookup : public ::testing::TestWithParam<api_param>, protected bad_input_base {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_BACKEND(std::get<0>(GetParam()));
    set_up(std::get<0>(GetParam()));
  }
  void TearDown() override { tear_down(); }
};

TEST_P(bad_input_lookup, finds_nothing_and_changes_nothing) {
  auto const& c = lookup_cases().at(std::get<1>(GetParam()));
  unchanged_around({}, {}, [&] { EXPECT_EQ(c.found(*w_), 0u); });
}

std::string lookup_name(::testing::TestParamInfo<api_param> const& info) {
  return std::string(name(std::get<0>(info.param))) + "_" + lookup_cases().at(std::get<1>(info.param)).name;
}

INSTANTIATE_TEST_SUITE_P(bad_input, bad_input_lookup,
                         ::testing::Combine(::testing::ValuesIn(all_backends()),
                                            ::testing::Range<std::size_t>(0, lookup_cases().size())),
                         lookup_name);

// The table itself: enough cases, names unique, every category of the issue.
TEST(bad_input_table, has_at_least_fifty_distinct_error_cases) {
  std::set<std::string> names;
  for (auto const& c : api_cases()) EXPECT_TRUE(names.insert(c.name).second) << c.name;
#ifdef TASKSTORE_CLI_PATH
  for (auto const& c : cli_cases()) EXPECT_TRUE(names.insert(c.name).second) << c.name;
#endif
  for (auto const& c : lookup_cases()) EXPECT_TRUE(names.insert(c.name).second) << c.name;
  EXPECT_GE(api_cases().size(), 50u);
  std::set<errc> codes;
  for (auto const& c : api_cases()) codes.insert(c.code);
  for (auto const code : {invalid_transition, validation_failed, corrupt_value, bad_config, connection_failed,
                          schema_mismatch, precondition_failed, already_exists})
    EXPECT_TRUE(codes.count(code)) << code;
}

// errors and poison rows (issue 31)
//
// A row that cannot be read (planted by raw SQL) never blocks a queue: the
// take skips it and takes it out of circulation, and the other rows go on. A
// missing table or column is schema_mismatch on every backend, with what to do.

class poison_rows : public ::testing::TestWithParam<test_backend>, protected bad_input_base {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_BACKEND(GetParam());
    set_up(GetParam());
  }
  void TearDown() override { tear_down(); }

  std::string cell(std::string const& sql) { return query_text(w_->db, sql).at(0).at(0); }
  std::string task_column(uuid const& id, std::string const& column) {
    auto const& d = w_->db.dialect();
    return cell("SELECT " + sql::quote(d, column) + " FROM tasks WHERE task_id = " + literal(id.to_string()));
  }
  std::string failed_events(uuid const& id) {
    return cell("SELECT COUNT(*) FROM event_logs WHERE task_id = " + literal(id.to_string()) +
                " AND event_type = 'STATUS_CHANGE' AND content = 'QUEUED->FAILED'");
  }
  /// JSON that parses but does not fit the column's type: no CHECK constraint stops it.
  void poison_agents(task const& t) {
    w_->db.execute("UPDATE tasks SET agents = '{\"not\":\"a list\"}' WHERE task_id = " +
                   literal(t.task_id.to_string()));
    try {
      tasks(*w_).get(t.task_id, t.user_id);
      FAIL() << "the planted row can still be read";
    } catch (error const& e) {
      ASSERT_EQ(e.code(), corrupt_value) << e.what();
    }
  }
  void expect_quarantined(task const& t) {
    EXPECT_EQ(task_column(t.task_id, "status"), "FAILED");
    EXPECT_EQ(task_column(t.task_id, "error_code"), "corrupt_value");
    EXPECT_NE(task_column(t.task_id, "error_message").find("agents"), std::string::npos);
    EXPECT_EQ(failed_events(t.task_id), "1");
  }
};

TEST_P(poison_rows, claim_next_skips_an_unreadable_task_and_fails_it) {
  auto& w = *w_;
  ASSERT_LT(w.queued.created_at, w.bobs_queued.created_at);  // the poisoned task is first in the queue
  poison_agents(w.queued);
  auto const claim = work(w).claim_next("worker-9", 1min);
  ASSERT_TRUE(claim.has_value());
  EXPECT_EQ(claim->task_id, w.bobs_queued.task_id);
  expect_quarantined(w.queued);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(work(w).claim_next("worker-9", 1min).has_value());  // never fails
  EXPECT_EQ(failed_events(w.queued.task_id), "1");
}

TEST_P(poison_rows, claim_batch_skips_unreadable_tasks_and_claims_the_others) {
  auto& w = *w_;
  auto const later = tasks(w).queue(tasks(w).create(request(w.bob)).task_id, w.bob);
  poison_agents(w.queued);
  poison_agents(later);
  auto const claims = work(w).claim_batch("worker-9", 5, 1min);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims.front().task_id, w.bobs_queued.task_id);
  EXPECT_EQ(claims.front().task.status, task_status::PROCESSING);
  EXPECT_EQ(task_column(w.bobs_queued.task_id, "status"), "PROCESSING");
  expect_quarantined(w.queued);
  expect_quarantined(later);
  EXPECT_TRUE(work(w).claim_batch("worker-9", 5, 1min).empty());
}

TEST_P(poison_rows, a_poisoned_task_counts_nothing_towards_the_batch_size) {
  auto& w = *w_;
  poison_agents(w.queued);  // first in order: the batch of one still gets a task
  auto const claims = work(w).claim_batch("worker-9", 1, 1min);
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims.front().task_id, w.bobs_queued.task_id);
  expect_quarantined(w.queued);
}

TEST_P(poison_rows, the_outbox_skips_an_unreadable_message_and_marks_it_failed) {
  auto& w = *w_;
  outbox_service outbox(w.db);
  auto const good = outbox.enqueue({.task_id = w.completed.task_id,
                                    .recipient = "next@example.com",
                                    .subject = "S",
                                    .body = "B",
                                    .priority = email_priority::LOW});
  // The pending HIGH message goes first; its priority becomes a name the code does not know.
  plant(w.db, corruption{"email_messages", "priority", "id", std::to_string(w.pending_email.id), "SOON"});
  auto const taken = outbox.take_batch("sender-1", 1, 1min);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken.front().id, good.id);
  auto const& d = w.db.dialect();
  auto const row = query_text(
      w.db, "SELECT " + sql::quote(d, "status") +
                ", last_error, locked_by FROM email_messages WHERE id = " + std::to_string(w.pending_email.id));
  EXPECT_EQ(row.at(0).at(0), "FAILED");
  EXPECT_NE(row.at(0).at(1).find("corrupt_value"), std::string::npos) << row.at(0).at(1);
  EXPECT_EQ(row.at(0).at(2), "");
  EXPECT_TRUE(outbox.take_batch("sender-1", 5, 1min).empty());
}

TEST_P(poison_rows, a_take_through_the_repository_still_reports_an_unreadable_row) {
  auto& w = *w_;
  poison_agents(w.queued);
  soci_repository<task> repo(w.db);
  try {
    repo.take(query<task>{col(&task::status) == task_status::QUEUED}.order_by(asc(&task::created_at)),
              set(&task::progress, 1));
    ADD_FAILURE() << "took an unreadable row";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), corrupt_value) << e.what();
  }
  EXPECT_EQ(task_column(w.bobs_queued.task_id, "progress"), "0");  // nothing taken
}

TEST_P(poison_rows, a_missing_table_is_schema_mismatch_with_what_to_do) {
  isolated_db other(GetParam());
  auto const empty = other.open();  // never migrated
  for (auto const& call : std::vector<std::function<void()>>{
           [&] { task_service(empty).get(uuid::generate_v7(), 1); },
           [&] { user_service(empty).create("new@example.com", "New"); },
           [&] { task_claims(empty).claim_next("worker-1", 1min); },
       }) {
    try {
      call();
      ADD_FAILURE() << "no error on a database without tables";
    } catch (error const& e) {
      EXPECT_EQ(e.code(), schema_mismatch) << e.what();
      EXPECT_EQ(e.category(), admin_required) << e.what();
      EXPECT_NE(std::string(e.what()).find("run `taskstore init` (`ts::migrate_to_latest`)"), std::string::npos)
          << e.what();
    }
  }
}

TEST_P(poison_rows, a_missing_column_is_schema_mismatch_with_what_to_do) {
  auto& w = *w_;
  w.db.execute("ALTER TABLE tasks DROP COLUMN input_prompt");  // in no index or CHECK
  try {
    tasks(w).get(w.queued.task_id, w.alice);
    ADD_FAILURE() << "read a task without its input_prompt column";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), schema_mismatch) << e.what();
    EXPECT_NE(std::string(e.what()).find("run `taskstore init` (`ts::migrate_to_latest`)"), std::string::npos)
        << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(bad_input, poison_rows, ::testing::ValuesIn(all_backends()),
                         [](auto const& p) { return std::string(name(p.param)); });

}  // namespace
