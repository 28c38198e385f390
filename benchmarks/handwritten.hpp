// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The baseline: what a C++ team writes without taskstore, with SOCI by hand.
// Every column bound by name to a local, indicators for NULLs, statements
// prepared once per session and reused, timestamps and ids as text, the JSON
// `agents` serialized and parsed with Boost.JSON. The SQL text is the one
// taskstore sends (same columns, same order), so the ratios measure the
// library's own cost and nothing else.

#include "bench_support.hpp"

#include <soci/soci.h>
#include <boost/json.hpp>

#include <charconv>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bench {

/// The `tasks` row as SOCI locals.
struct task_binding {
  std::string task_id, workflow_id, tool_id, title, input_prompt, agents, status, current_agent, error_code,
      error_message, result_summary, failure_context, idempotency_key, locked_by, lease_token, lease_expires_at,
      run_after, created_at, upload_started_at, queued_at, processing_started_at, completed_at, failed_at, cancelled_at,
      expired_at, updated_at, deleted_at;
  long long user_id = 0, tokens_used = 0;
  int progress = 0, attempt = 0, max_attempts = 0, version = 0, agents_total = 0, priority = 0;
  double execution_time = 0;
  int s3_cleaned = 0, inputs_cleaned = 0;
  soci::indicator workflow_id_i{}, title_i{}, current_agent_i{}, error_code_i{}, error_message_i{}, result_summary_i{},
      failure_context_i{}, idempotency_key_i{}, locked_by_i{}, lease_token_i{}, lease_expires_at_i{}, run_after_i{},
      upload_started_at_i{}, queued_at_i{}, processing_started_at_i{}, completed_at_i{}, failed_at_i{},
      cancelled_at_i{}, expired_at_i{}, deleted_at_i{};
  std::string s3_cleaned_text, inputs_cleaned_text;  // read back as text: BOOLEAN on PostgreSQL

  template <class T, class S>
  static void put(std::optional<T> const& v, std::string& out, soci::indicator& ind, S&& to_text) {
    ind = v ? soci::i_ok : soci::i_null;
    if (v) out = to_text(*v);
  }
  static std::string ts_text(ts::timestamp const& t) { return t.to_sql(); }
  static std::string str(std::string const& s) { return s; }

  void from(ts::task const& t) {
    task_id = t.task_id.to_string();
    user_id = t.user_id;
    put(t.workflow_id, workflow_id, workflow_id_i, str);
    tool_id = t.tool_id;
    put(t.title, title, title_i, str);
    input_prompt = t.input_prompt;
    agents = boost::json::serialize(boost::json::value_from(t.agents.get()));
    status = std::string(ts::enum_to_string(t.status));
    progress = t.progress;
    put(t.current_agent, current_agent, current_agent_i, str);
    put(t.error_code, error_code, error_code_i, str);
    put(t.error_message, error_message, error_message_i, str);
    put(t.result_summary, result_summary, result_summary_i, str);
    attempt = t.attempt;
    max_attempts = t.max_attempts;
    put(t.failure_context, failure_context, failure_context_i,
        [](boost::json::value const& v) { return boost::json::serialize(v); });
    tokens_used = t.tokens_used;
    execution_time = t.execution_time.count();
    put(t.idempotency_key, idempotency_key, idempotency_key_i, str);
    put(t.locked_by, locked_by, locked_by_i, str);
    put(t.lease_token, lease_token, lease_token_i, [](ts::uuid const& u) { return u.to_string(); });
    put(t.lease_expires_at, lease_expires_at, lease_expires_at_i, ts_text);
    put(t.run_after, run_after, run_after_i, ts_text);
    version = t.version;
    created_at = t.created_at.to_sql();
    put(t.upload_started_at, upload_started_at, upload_started_at_i, ts_text);
    put(t.queued_at, queued_at, queued_at_i, ts_text);
    put(t.processing_started_at, processing_started_at, processing_started_at_i, ts_text);
    put(t.completed_at, completed_at, completed_at_i, ts_text);
    put(t.failed_at, failed_at, failed_at_i, ts_text);
    put(t.cancelled_at, cancelled_at, cancelled_at_i, ts_text);
    put(t.expired_at, expired_at, expired_at_i, ts_text);
    updated_at = t.updated_at.to_sql();
    put(t.deleted_at, deleted_at, deleted_at_i, ts_text);
    s3_cleaned = t.s3_cleaned ? 1 : 0;
    inputs_cleaned = t.inputs_cleaned ? 1 : 0;
    agents_total = t.agents_total;
    priority = t.priority;
  }

  template <class T, class P>
  static void get(std::optional<T>& v, std::string const& text, soci::indicator ind, P&& parse) {
    if (ind == soci::i_null)
      v.reset();
    else
      v = parse(text);
  }
  static bool flag(std::string const& s) { return s == "1" || s == "t" || s == "true"; }

  ts::task to_task() const {
    ts::task t;
    t.task_id = ts::uuid::parse(task_id);
    t.user_id = user_id;
    get(t.workflow_id, workflow_id, workflow_id_i, str);
    t.tool_id = tool_id;
    get(t.title, title, title_i, str);
    t.input_prompt = input_prompt;
    t.agents = boost::json::value_to<std::vector<std::string>>(boost::json::parse(agents));
    t.status = *ts::enum_from_string<ts::task_status>(status);
    t.progress = progress;
    get(t.current_agent, current_agent, current_agent_i, str);
    get(t.error_code, error_code, error_code_i, str);
    get(t.error_message, error_message, error_message_i, str);
    get(t.result_summary, result_summary, result_summary_i, str);
    t.attempt = attempt;
    t.max_attempts = max_attempts;
    get(t.failure_context, failure_context, failure_context_i,
        [](std::string const& s) { return boost::json::parse(s); });
    t.tokens_used = tokens_used;
    t.execution_time = std::chrono::duration<double>(execution_time);
    get(t.idempotency_key, idempotency_key, idempotency_key_i, str);
    get(t.locked_by, locked_by, locked_by_i, str);
    get(t.lease_token, lease_token, lease_token_i, ts::uuid::parse);
    get(t.lease_expires_at, lease_expires_at, lease_expires_at_i, ts::timestamp::parse);
    get(t.run_after, run_after, run_after_i, ts::timestamp::parse);
    t.version = version;
    t.created_at = ts::timestamp::parse(created_at);
    get(t.upload_started_at, upload_started_at, upload_started_at_i, ts::timestamp::parse);
    get(t.queued_at, queued_at, queued_at_i, ts::timestamp::parse);
    get(t.processing_started_at, processing_started_at, processing_started_at_i, ts::timestamp::parse);
    get(t.completed_at, completed_at, completed_at_i, ts::timestamp::parse);
    get(t.failed_at, failed_at, failed_at_i, ts::timestamp::parse);
    get(t.cancelled_at, cancelled_at, cancelled_at_i, ts::timestamp::parse);
    get(t.expired_at, expired_at, expired_at_i, ts::timestamp::parse);
    t.updated_at = ts::timestamp::parse(updated_at);
    get(t.deleted_at, deleted_at, deleted_at_i, ts::timestamp::parse);
    t.s3_cleaned = flag(s3_cleaned_text);
    t.inputs_cleaned = flag(inputs_cleaned_text);
    t.agents_total = agents_total;
    t.priority = priority;
    return t;
  }

  /// INSERT of every column (taskstore's column order).
  void use_all(soci::statement& st) {
    using soci::use;
    st.exchange(use(task_id));
    st.exchange(use(user_id));
    st.exchange(use(workflow_id, workflow_id_i));
    st.exchange(use(tool_id));
    st.exchange(use(title, title_i));
    st.exchange(use(input_prompt));
    st.exchange(use(agents));
    st.exchange(use(status));
    st.exchange(use(progress));
    use_tail(st, true);
  }
  /// The columns after `status`…; with_key_last: UPDATE binds the key (and version) at the end.
  void use_tail(soci::statement& st, bool insert) {
    using soci::use;
    if (!insert) {  // UPDATE: every non-key column in order, the version excluded
      st.exchange(use(user_id));
      st.exchange(use(workflow_id, workflow_id_i));
      st.exchange(use(tool_id));
      st.exchange(use(title, title_i));
      st.exchange(use(input_prompt));
      st.exchange(use(agents));
      st.exchange(use(status));
      st.exchange(use(progress));
    }
    st.exchange(use(current_agent, current_agent_i));
    st.exchange(use(error_code, error_code_i));
    st.exchange(use(error_message, error_message_i));
    st.exchange(use(result_summary, result_summary_i));
    st.exchange(use(attempt));
    st.exchange(use(max_attempts));
    st.exchange(use(failure_context, failure_context_i));
    st.exchange(use(tokens_used));
    st.exchange(use(execution_time));
    st.exchange(use(idempotency_key, idempotency_key_i));
    st.exchange(use(locked_by, locked_by_i));
    st.exchange(use(lease_token, lease_token_i));
    st.exchange(use(lease_expires_at, lease_expires_at_i));
    st.exchange(use(run_after, run_after_i));
    if (insert) st.exchange(use(version));
    st.exchange(use(created_at));
    st.exchange(use(upload_started_at, upload_started_at_i));
    st.exchange(use(queued_at, queued_at_i));
    st.exchange(use(processing_started_at, processing_started_at_i));
    st.exchange(use(completed_at, completed_at_i));
    st.exchange(use(failed_at, failed_at_i));
    st.exchange(use(cancelled_at, cancelled_at_i));
    st.exchange(use(expired_at, expired_at_i));
    st.exchange(use(updated_at));
    st.exchange(use(deleted_at, deleted_at_i));
    st.exchange(use(s3_cleaned));
    st.exchange(use(inputs_cleaned));
    st.exchange(use(agents_total));
    st.exchange(use(priority));
  }
  /// SELECT of every column.
  void into_all(soci::statement& st) {
    using soci::into;
    st.exchange(into(task_id));
    st.exchange(into(user_id));
    st.exchange(into(workflow_id, workflow_id_i));
    st.exchange(into(tool_id));
    st.exchange(into(title, title_i));
    st.exchange(into(input_prompt));
    st.exchange(into(agents));
    st.exchange(into(status));
    st.exchange(into(progress));
    st.exchange(into(current_agent, current_agent_i));
    st.exchange(into(error_code, error_code_i));
    st.exchange(into(error_message, error_message_i));
    st.exchange(into(result_summary, result_summary_i));
    st.exchange(into(attempt));
    st.exchange(into(max_attempts));
    st.exchange(into(failure_context, failure_context_i));
    st.exchange(into(tokens_used));
    st.exchange(into(execution_time));
    st.exchange(into(idempotency_key, idempotency_key_i));
    st.exchange(into(locked_by, locked_by_i));
    st.exchange(into(lease_token, lease_token_i));
    st.exchange(into(lease_expires_at, lease_expires_at_i));
    st.exchange(into(run_after, run_after_i));
    st.exchange(into(version));
    st.exchange(into(created_at));
    st.exchange(into(upload_started_at, upload_started_at_i));
    st.exchange(into(queued_at, queued_at_i));
    st.exchange(into(processing_started_at, processing_started_at_i));
    st.exchange(into(completed_at, completed_at_i));
    st.exchange(into(failed_at, failed_at_i));
    st.exchange(into(cancelled_at, cancelled_at_i));
    st.exchange(into(expired_at, expired_at_i));
    st.exchange(into(updated_at));
    st.exchange(into(deleted_at, deleted_at_i));
    st.exchange(into(s3_cleaned_text));
    st.exchange(into(inputs_cleaned_text));
    st.exchange(into(agents_total));
    st.exchange(into(priority));
  }
};

/// The `tasks` columns in taskstore's order, as member pointers into
/// task_binding: for column-wise binding (SOCI use(vector)) and for the raw
/// drivers' text rows.
struct task_column {
  enum kind_t { text, optional_text, int64, int32, real } kind;
  std::string task_binding::*text_member = nullptr;
  soci::indicator task_binding::*indicator = nullptr;
  long long task_binding::*int64_member = nullptr;
  int task_binding::*int32_member = nullptr;
  double task_binding::*real_member = nullptr;
};
inline std::vector<task_column> const& task_columns() {
  using B = task_binding;
  using K = task_column;
  auto t = [](std::string B::*m) { return K{K::text, m}; };
  auto o = [](std::string B::*m, soci::indicator B::*i) { return K{K::optional_text, m, i}; };
  auto l = [](long long B::*m) { return K{K::int64, nullptr, nullptr, m}; };
  auto i = [](int B::*m) { return K{K::int32, nullptr, nullptr, nullptr, m}; };
  auto r = [](double B::*m) { return K{K::real, nullptr, nullptr, nullptr, nullptr, m}; };
  static std::vector<K> const all{t(&B::task_id),
                                  l(&B::user_id),
                                  o(&B::workflow_id, &B::workflow_id_i),
                                  t(&B::tool_id),
                                  o(&B::title, &B::title_i),
                                  t(&B::input_prompt),
                                  t(&B::agents),
                                  t(&B::status),
                                  i(&B::progress),
                                  o(&B::current_agent, &B::current_agent_i),
                                  o(&B::error_code, &B::error_code_i),
                                  o(&B::error_message, &B::error_message_i),
                                  o(&B::result_summary, &B::result_summary_i),
                                  i(&B::attempt),
                                  i(&B::max_attempts),
                                  o(&B::failure_context, &B::failure_context_i),
                                  l(&B::tokens_used),
                                  r(&B::execution_time),
                                  o(&B::idempotency_key, &B::idempotency_key_i),
                                  o(&B::locked_by, &B::locked_by_i),
                                  o(&B::lease_token, &B::lease_token_i),
                                  o(&B::lease_expires_at, &B::lease_expires_at_i),
                                  o(&B::run_after, &B::run_after_i),
                                  i(&B::version),
                                  t(&B::created_at),
                                  o(&B::upload_started_at, &B::upload_started_at_i),
                                  o(&B::queued_at, &B::queued_at_i),
                                  o(&B::processing_started_at, &B::processing_started_at_i),
                                  o(&B::completed_at, &B::completed_at_i),
                                  o(&B::failed_at, &B::failed_at_i),
                                  o(&B::cancelled_at, &B::cancelled_at_i),
                                  o(&B::expired_at, &B::expired_at_i),
                                  t(&B::updated_at),
                                  o(&B::deleted_at, &B::deleted_at_i),
                                  i(&B::s3_cleaned),
                                  i(&B::inputs_cleaned),
                                  i(&B::agents_total),
                                  i(&B::priority)};
  return all;
}

/// The columns of `tasks` in table order, comma-separated, for the raw drivers' statements.
inline std::string task_column_list() {
  std::string out;
  for (auto const& c : ts::table_model<ts::task>::columns) out += (out.empty() ? "" : ", ") + std::string(c.name);
  return out;
}

/// One column's value as text (nullopt for NULL), for the raw drivers.
inline std::optional<std::string> column_text(task_binding const& row, task_column const& c) {
  switch (c.kind) {
    case task_column::text: return row.*c.text_member;
    case task_column::optional_text:
      if (row.*c.indicator == soci::i_null) return std::nullopt;
      return row.*c.text_member;
    case task_column::int64: return std::to_string(row.*c.int64_member);
    case task_column::int32: return std::to_string(row.*c.int32_member);
    case task_column::real: {
      char buf[32];
      auto const [end, ec] = std::to_chars(buf, buf + sizeof buf, row.*c.real_member);
      return std::string(buf, end);
    }
  }
  return std::nullopt;
}

/// The same row read back from text columns (nullptr for NULL), for the raw drivers.
inline void set_column_text(task_binding& row, task_column const& c, char const* text, std::size_t size) {
  switch (c.kind) {
    case task_column::text: (row.*c.text_member).assign(text ? text : "", text ? size : 0); break;
    case task_column::optional_text:
      row.*c.indicator = text ? soci::i_ok : soci::i_null;
      if (text) (row.*c.text_member).assign(text, size);
      break;
    case task_column::int64: std::from_chars(text, text + size, row.*c.int64_member); break;
    case task_column::int32: std::from_chars(text, text + size, row.*c.int32_member); break;
    case task_column::real: std::from_chars(text, text + size, row.*c.real_member); break;
  }
}

/// A task from a result row of task_columns(), whose column `i` text_of(i)
/// gives as {text, size}, text null for NULL: how the raw drivers read rows.
template <class TextOf>
ts::task task_from_text(TextOf&& text_of) {
  task_binding row;
  auto const& columns = task_columns();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    auto const [text, size] = text_of(static_cast<int>(i));
    set_column_text(row, columns[i], text, size);
  }
  return row.to_task();
}

/// The STATUS_CHANGE event a transition logs ("CREATED->QUEUED", "->CREATED").
inline ts::event_log status_change(ts::uuid const& task_id, std::string content, ts::timestamp at) {
  ts::event_log e;
  e.task_id = task_id;
  e.event_type = ts::event_kind::status_change;
  e.content = std::move(content);
  e.created_at = at;
  return e;
}

/// The event row as SOCI locals.
struct event_binding {
  std::string task_id, event_type, level, agent_role, content, created_at;
  soci::indicator agent_role_i{}, content_i{};
  void from(ts::event_log const& e) {
    task_id = e.task_id.to_string();
    event_type = std::string(ts::enum_to_string(e.event_type));
    level = std::string(ts::enum_to_string(e.level));
    agent_role_i = e.agent_role ? soci::i_ok : soci::i_null;
    if (e.agent_role) agent_role = *e.agent_role;
    content_i = e.content ? soci::i_ok : soci::i_null;
    if (e.content) content = *e.content;
    created_at = e.created_at.to_sql();
  }
  void use_all(soci::statement& st) {
    using soci::use;
    st.exchange(use(task_id));
    st.exchange(use(event_type));
    st.exchange(use(level));
    st.exchange(use(agent_role, agent_role_i));
    st.exchange(use(content, content_i));
    st.exchange(use(created_at));
  }
};

/// A prepared INSERT of an event row returning its generated id, kept beside
/// the caller's other statements as hand-written code keeps it.
class event_insert {
 public:
  event_insert(soci::session& sql, ts::backend_kind kind) : sql_(sql), kind_(kind), st_(sql) {
    row_.use_all(st_);
    if (returning()) st_.exchange(soci::into(id_));
    st_.alloc();
    st_.prepare(
        ts::sql::insert_sql<ts::event_log>(ts::backend_for(kind).dialect(), ts::key_source::generated) +
        (returning() ? ts::sql::returning_key_sql<ts::event_log>(ts::backend_for(kind).dialect()) : std::string()));
    st_.define_and_bind();
  }
  event_insert(event_insert const&) = delete;  // the statement holds the row's addresses
  event_insert& operator=(event_insert const&) = delete;

  /// Inserts `e`; returns its id (PostgreSQL returns it; SQLite and MySQL report the last insert id).
  long long run(ts::event_log const& e) {
    row_.from(e);
    st_.execute(true);
    if (!returning()) sql_.get_last_insert_id("event_logs", id_);
    return id_;
  }

 private:
  bool returning() const { return kind_ == ts::backend_kind::postgresql; }

  soci::session& sql_;
  ts::backend_kind kind_;
  event_binding row_;
  long long id_ = 0;
  soci::statement st_;
};

/// BEGIN as taskstore's transact() does it (SQLite takes the write lock up front).
inline void begin(soci::session& sql, ts::backend_kind kind) {
  if (kind == ts::backend_kind::sqlite)
    sql << "BEGIN IMMEDIATE";
  else
    sql.begin();
}

}  // namespace bench
