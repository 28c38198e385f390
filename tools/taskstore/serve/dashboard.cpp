// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

#include "dashboard.hpp"

#include "../json_views.hpp"
#include "assets.hpp"
#include "request_target.hpp"

#include <taskstore/domain/api.hpp>
#include <taskstore/domain/schedule.hpp>
#include <taskstore/domain/validation.hpp>
#include <taskstore/migrate/migrator.hpp>
#include <taskstore/migrate/schema.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/service/agent_run_service.hpp>
#include <taskstore/service/completion_service.hpp>
#include <taskstore/service/doctor.hpp>
#include <taskstore/service/draft_service.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/outbox_service.hpp>
#include <taskstore/service/queue_control.hpp>
#include <taskstore/service/task_maintenance.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/service/user_service.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/json/serialize.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

namespace taskstore::cli {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

namespace {

bhttp::status status_of(error const& e) {
  switch (e.code()) {
    case errc::not_found: return bhttp::status::not_found;
    case errc::validation_failed:
    case errc::constraint_violation: return bhttp::status::bad_request;
    case errc::already_exists:
    case errc::invalid_transition:
    case errc::conflict:
    case errc::retry_limit_exceeded:
    case errc::precondition_failed: return bhttp::status::conflict;
    default:
      return e.category() == error_category::temporary ? bhttp::status::service_unavailable
                                                       : bhttp::status::internal_server_error;
  }
}

http::reply json_reply(http::request const& req, json::value const& body, bhttp::status status = bhttp::status::ok) {
  return {http::make_response(req, status, "application/json", json::serialize(body) + "\n"), {}};
}

http::reply error_reply(http::request const& req, error const& e) {
  json::object detail{{"code", to_string(e.code())}, {"category", to_string(e.category())}, {"message", e.what()}};
  if (!e.field().empty()) detail["field"] = e.field();
  return json_reply(req, json::object{{"error", std::move(detail)}}, status_of(e));
}

http::reply plain_reply(http::request const& req, bhttp::status status, std::string text) {
  return {http::make_response(req, status, "text/plain; charset=utf-8", std::move(text)), {}};
}

/// The task as the task API's TaskResponse, with what an operator needs besides.
json::value task_json(task const& t) {
  auto v = to_json(to_task_response(t));
  auto& o = v.as_object();
  o["user_id"] = t.user_id;
  o["workflow_id"] = t.workflow_id ? json::value(*t.workflow_id) : json::value();
  o["title"] = t.title ? json::value(*t.title) : json::value();
  o["attempt"] = t.attempt;
  o["max_attempts"] = t.max_attempts;
  o["priority"] = t.priority;
  o["locked_by"] = t.locked_by ? json::value(*t.locked_by) : json::value();
  o["lease_expires_at"] = t.lease_expires_at ? to_json(*t.lease_expires_at) : json::value();
  o["run_after"] = t.run_after ? to_json(*t.run_after) : json::value();
  o["current_agent"] = t.current_agent ? json::value(*t.current_agent) : json::value();
  return v;
}

/// A Prometheus label value.
std::string label(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

/// The shortest text that reads back as `v`.
std::string number(double v) {
  std::array<char, 32> buffer{};
  auto const end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v).ptr;
  return std::string(buffer.data(), end);
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  // Digests first: the comparison then takes as long whatever the lengths.
  std::array<unsigned char, EVP_MAX_MD_SIZE> da{}, db{};
  unsigned int la = 0, lb = 0;
  if (!EVP_Digest(a.data(), a.size(), da.data(), &la, EVP_sha256(), nullptr) ||
      !EVP_Digest(b.data(), b.size(), db.data(), &lb, EVP_sha256(), nullptr))
    return false;
  return CRYPTO_memcmp(da.data(), db.data(), la) == 0;
}

}  // namespace

std::string read_token_file(std::string const& path) {
  std::ifstream in(path);
  std::string token;
  if (!in || !std::getline(in, token)) throw error(errc::bad_config, "cannot read the token file " + path);
  auto const blank = [](unsigned char c) { return std::isspace(c) != 0; };
  token.erase(token.begin(), std::find_if_not(token.begin(), token.end(), blank));
  token.erase(std::find_if_not(token.rbegin(), token.rend(), blank).base(), token.end());
  if (token.size() < 16) throw error(errc::bad_config, "the token in " + path + " is shorter than 16 characters");
  return token;
}

dashboard::dashboard(database db, dashboard_options options, live_feed& feed)
    : db_(std::move(db)), options_(std::move(options)), feed_(feed) {}

http::reply dashboard::handle(http::request const& req) const {
  if (!options_.allowed_hosts.empty()) {
    std::string host(req[bhttp::field::host]);
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
    if (std::find(options_.allowed_hosts.begin(), options_.allowed_hosts.end(), host) == options_.allowed_hosts.end())
      return plain_reply(req, bhttp::status::misdirected_request, "this server answers to another host name\n");
  }
  try {
    return dispatch(req);
  } catch (error const& e) {
    return error_reply(req, e);
  }
}

http::reply dashboard::dispatch(http::request const& req) const {
  auto const t = parse_request_target(req.target());
  auto const& p = t.path;
  bool const get = req.method() == bhttp::verb::get || req.method() == bhttp::verb::head;
  bool const post = req.method() == bhttp::verb::post;
  auto method_not_allowed = [&](char const* allow) {
    auto r = plain_reply(req, bhttp::status::method_not_allowed, "method not allowed\n");
    r.head.set(bhttp::field::allow, allow);
    return r;
  };

  if (p == std::vector<std::string>{"healthz"}) {
    if (!get) return method_not_allowed("GET, HEAD");
    return plain_reply(req, bhttp::status::ok, "ok\n");
  }
  if (p == std::vector<std::string>{"readyz"}) {
    if (!get) return method_not_allowed("GET, HEAD");
    try {
      for (auto const& m : migrator(db_, builtin_migrations()).status().migrations)
        if (m.state != migration_state::applied)
          return plain_reply(req, bhttp::status::service_unavailable,
                             "schema not at the latest version: migration " + std::to_string(m.version) + " " +
                                 std::string(enum_to_string(m.state)) + "\n");
    } catch (error const& e) {
      return plain_reply(req, bhttp::status::service_unavailable, std::string("database: ") + e.what() + "\n");
    }
    return plain_reply(req, bhttp::status::ok, "ready\n");
  }
  if (p == std::vector<std::string>{"metrics"}) {
    if (!get) return method_not_allowed("GET, HEAD");
    t.allow({});
    return metrics(req);
  }
  if (p == std::vector<std::string>{"favicon.ico"}) return plain_reply(req, bhttp::status::no_content, "");
  // The pages: one document whose script draws each from the API.
  bool const page = p.empty() || (p[0] == "tasks" && p.size() <= 2) || p == std::vector<std::string>{"health"};
  if (page || (p.size() == 2 && p[0] == "assets")) {
    if (!get) return method_not_allowed("GET, HEAD");
    auto const name = page ? std::string("index.html") : p[1];
    for (auto const& a : assets())
      if (a.name == name) return {http::make_response(req, bhttp::status::ok, a.type, std::string(a.body)), {}};
    return plain_reply(req, bhttp::status::not_found, "not found\n");
  }
  if (p[0] != "api") return plain_reply(req, bhttp::status::not_found, "not found\n");

  // /api/…
  auto const n = p.size();
  if (n == 2 && p[1] == "overview") {
    if (!get) return method_not_allowed("GET, HEAD");
    t.allow({});
    return overview(req);
  }
  if (n == 2 && p[1] == "queues") {
    if (!get) return method_not_allowed("GET, HEAD");
    t.allow({});
    json::array out;
    for (auto const& q : queue_control(db_).stats()) out.push_back(queue_json(q));
    return json_reply(req, json::object{{"queues", std::move(out)}});
  }
  if (n == 2 && p[1] == "tasks") {
    if (!get) return method_not_allowed("GET, HEAD");
    return task_list(req, t);
  }
  if (n == 2 && p[1] == "doctor") {
    if (!get) return method_not_allowed("GET, HEAD");
    t.allow({});
    return json_reply(req, to_json(doctor(db_)));
  }
  if (n == 2 && p[1] == "stream") {
    if (req.method() != bhttp::verb::get) return method_not_allowed("GET");
    t.allow({"task"});
    auto const task_id = t.task_id("task");
    auto head = http::make_response(req, bhttp::status::ok, "text/event-stream", "");
    return {std::move(head),
            [this, task_id](std::shared_ptr<http::stream_client> c) { feed_.subscribe(std::move(c), task_id); }};
  }
  if (n >= 3 && p[1] == "tasks") {
    auto const id = task_id_of(p[2], "task_id");
    if (n == 3) {
      if (!get) return method_not_allowed("GET, HEAD");
      t.allow({});
      auto found = task_service(db_).find(id);
      if (!found || found->deleted_at) throw error(errc::not_found, "no task " + id.to_string());
      return json_reply(req, task_json(*found));
    }
    if (n == 4 && p[3] == "detail") {
      if (!get) return method_not_allowed("GET, HEAD");
      t.allow({});
      return task_detail(req, id);
    }
    if (n == 4 && p[3] == "events") {
      if (!get) return method_not_allowed("GET, HEAD");
      return task_events(req, t, id);
    }
    if (n == 4 && (p[3] == "cancel" || p[3] == "retry" || p[3] == "requeue")) {
      if (!post) return method_not_allowed("POST");
      t.allow({});
      if (auto refused = unauthorized(req)) return std::move(*refused);
      return task_action(req, id, p[3]);
    }
  }
  if (n == 4 && p[1] == "queues" && (p[3] == "pause" || p[3] == "resume")) {
    if (!post) return method_not_allowed("POST");
    t.allow({});
    if (auto refused = unauthorized(req)) return std::move(*refused);
    check_tool_id(p[2]);
    queue_control q(db_);
    p[3] == "pause" ? q.pause(p[2]) : q.resume(p[2]);
    std::cout << "serve: " << p[3] << " queue " << p[2] << '\n' << std::flush;
    auto stats = q.stats({p[2]});
    return json_reply(req, stats.empty() ? json::value() : queue_json(stats.front()));
  }
  return plain_reply(req, bhttp::status::not_found, "not found\n");
}

std::optional<http::reply> dashboard::unauthorized(http::request const& req) const {
  if (!options_.token)
    return plain_reply(req, bhttp::status::forbidden,
                       "read-only: start taskstore serve with --token-file to allow actions\n");
  constexpr std::string_view scheme = "Bearer ";
  auto const given = req[bhttp::field::authorization];
  if (given.size() > scheme.size() && given.substr(0, scheme.size()) == scheme &&
      equal_in_constant_time(given.substr(scheme.size()), *options_.token))
    return std::nullopt;
  auto r = plain_reply(req, bhttp::status::unauthorized, "this action needs the token (Authorization: Bearer)\n");
  r.head.set(bhttp::field::www_authenticate, "Bearer");
  return r;
}

http::reply dashboard::task_action(http::request const& req, uuid const& id, std::string const& action) const {
  // The action and its event in one transaction: both happen, or neither.
  auto const done = db_.transact([&] {
    auto const found = task_service(db_).find(id);
    if (!found || found->deleted_at) throw error(errc::not_found, "no task " + id.to_string());
    task t;
    if (action == "cancel") t = task_service(db_).cancel(id, found->user_id);
    if (action == "retry") t = task_service(db_).retry(id, found->user_id);
    if (action == "requeue") t = task_maintenance(db_).requeue(id);
    event_log e;
    e.task_id = id;
    e.event_type = event_kind::system;
    e.content = "dashboard: " + action;
    event_service(db_).append(e);
    return t;
  });
  std::cout << "serve: " << action << " task " << id.to_string() << '\n' << std::flush;
  return json_reply(req, task_json(done));
}

http::reply dashboard::task_list(http::request const& req, request_target const& t) const {
  t.allow({"status", "tool", "user", "workflow", "created_after", "created_before", "limit", "after", "count"});
  auto q = query<task>{col(&task::deleted_at).is_null()};
  bool one_user = false;
  if (auto s = t.get("status")) {
    auto const status = enum_from_string<task_status>(*s);
    if (!status) throw error(errc::validation_failed, "unknown status " + *s, "status");
    q = q.where(col(&task::status) == *status);
  }
  if (auto tool = t.get("tool")) {
    check_tool_id(*tool);
    q = q.where(col(&task::tool_id) == *tool);
  }
  if (auto u = t.get("user")) {
    one_user = true;
    std::int64_t user_id = 0;
    if (std::all_of(u->begin(), u->end(), [](char c) { return c >= '0' && c <= '9'; }) && u->size() <= 18) {
      user_id = std::stoll(*u);
    } else {
      auto const found = user_service(db_).find_by_email(*u);
      if (!found) throw error(errc::not_found, "no user with that email", "user");
      user_id = found->id;
    }
    q = q.where(col(&task::user_id) == user_id);
  }
  if (auto w = t.get("workflow")) {
    if (w->size() > 255) throw error(errc::validation_failed, "workflow is at most 255 characters", "workflow");
    q = q.where(col(&task::workflow_id) == *w);
  }
  if (auto a = t.time("created_after")) q = q.where(col(&task::created_at) >= *a);
  if (auto b = t.time("created_before")) q = q.where(col(&task::created_at) < *b);
  auto const count = t.get("count");
  if (count && *count != "exact") throw error(errc::validation_failed, "count is exact or absent", "count");
  auto const limit = t.limit(50, 200);

  auto const reads = db_.reads();
  soci_repository<task> const tasks(reads);
  // Counting every match of a big table is what makes dashboards slow: only one user's, or when asked.
  std::optional<std::size_t> total;
  if (one_user || count) total = tasks.count(q);
  auto page = q.order_by(desc(&task::created_at), desc(&task::task_id));
  if (auto after = t.task_id("after")) {
    auto const last = tasks.find(*after);
    if (!last) throw error(errc::validation_failed, "after names no task", "after");
    page = page.after(*last);
  }
  auto rows = tasks.find(page.limit(limit + 1));
  bool const has_more = rows.size() > limit;
  if (has_more) rows.pop_back();
  json::array out;
  for (auto const& row : rows) out.push_back(task_json(row));
  json::object pagination{{"total", total ? json::value(*total) : json::value()},
                          {"limit", limit},
                          {"offset", 0},
                          {"has_more", has_more},
                          {"next", has_more ? json::value(rows.back().task_id.to_string()) : json::value()}};
  return json_reply(req, json::object{{"tasks", std::move(out)}, {"pagination", std::move(pagination)}});
}

http::reply dashboard::task_events(http::request const& req, request_target const& t, uuid const& id) const {
  t.allow({"after", "limit"});
  auto const after = t.whole_number("after").value_or(0);
  auto const limit = t.limit(500, 1000);
  auto const found = task_service(db_).find(id);
  if (!found || found->deleted_at) throw error(errc::not_found, "no task " + id.to_string());
  // Keyset paging on the event id, which the database assigns at insert: an
  // event whose transaction commits after a later-numbered one was read is
  // not on a later page (docs/dashboard.md).
  auto rows = soci_repository<event_log>(db_.reads())
                  .find(query<event_log>{col(&event_log::task_id) == id && col(&event_log::id) > after}
                            .order_by(asc(&event_log::id))
                            .limit(limit + 1));
  bool const has_more = rows.size() > limit;
  if (has_more) rows.pop_back();
  json::array out;
  for (auto const& e : rows) out.push_back(to_json(e));
  return json_reply(req, json::object{{"events", std::move(out)},
                                      {"has_more", has_more},
                                      {"next", rows.empty() ? json::value() : json::value(rows.back().id)}});
}

http::reply dashboard::task_detail(http::request const& req, uuid const& id) const {
  auto const found = task_service(db_).find(id);
  if (!found || found->deleted_at) throw error(errc::not_found, "no task " + id.to_string());
  auto const owner = found->user_id;
  // Lease tokens fence workers' writes: a reader has no use for them.
  auto row = to_json(*found);
  row.as_object().erase("lease_token");
  json::array runs, drafts, emails;
  for (auto const& r : agent_run_service(db_).list(id, owner)) runs.push_back(to_json(r));
  for (auto const& d : draft_service(db_).list(id, owner)) drafts.push_back(to_json(d));
  for (auto const& m : outbox_service(db_).list(id, owner)) {
    auto v = to_json(m);
    v.as_object().erase("lease_token");
    emails.push_back(std::move(v));
  }
  auto const completion = completion_service(db_).find_by_task(id);
  return json_reply(req,
                    json::object{{"task", std::move(row)},
                                 {"response", task_json(*found)},
                                 {"agent_runs", std::move(runs)},
                                 {"completion", completion ? to_json(to_completion_out(*completion)) : json::value()},
                                 {"drafts", std::move(drafts)},
                                 {"emails", std::move(emails)}});
}

http::reply dashboard::overview(http::request const& req) const {
  auto const reads = db_.reads();
  json::array queues;
  for (auto const& q : queue_control(db_).stats()) queues.push_back(queue_json(q));
  // PROCESSING tasks are few (bounded by the workers): the status index finds them.
  json::array running;
  for (auto const& t : soci_repository<task>(reads).find(
           query<task>{col(&task::status) == task_status::PROCESSING && col(&task::deleted_at).is_null()}
               .order_by(asc(&task::processing_started_at), asc(&task::task_id))
               .limit(100)))
    running.push_back(task_json(t));
  json::array leaders;
  for (auto const& l : soci_repository<task_leader>(db_).find(query<task_leader>{}.order_by(asc(&task_leader::name))))
    leaders.push_back(to_json(l));
  json::array hour;
  for (auto const& m : feed_.last_hour())
    hour.push_back(json::object{{"minute", to_json(timestamp(timestamp::time_point(std::chrono::minutes(m.minute))))},
                                {"completions", m.completions},
                                {"failures", m.failures}});
  json::object out{{"queues", std::move(queues)},
                   {"running", std::move(running)},
                   {"leaders", std::move(leaders)},
                   {"last_hour", std::move(hour)},
                   {"database", db_.url()}};
  if (auto const r = db_.replica(); r.configured) out["replica"] = replica_json(r);
  return json_reply(req, out);
}

http::reply dashboard::metrics(http::request const& req) const {
  std::string out;
  auto family = [&](char const* name, char const* type, char const* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  auto const queues = queue_control(db_).stats();
  family("taskstore_tasks", "gauge", "Tasks waiting or running, by status and tool.");
  for (auto const& q : queues) {
    out += "taskstore_tasks{status=\"QUEUED\",tool=\"" + label(q.tool_id) + "\"} " + std::to_string(q.queued) + "\n";
    out += "taskstore_tasks{status=\"PROCESSING\",tool=\"" + label(q.tool_id) + "\"} " + std::to_string(q.processing) +
           "\n";
  }
  family("taskstore_queue_depth", "gauge", "QUEUED tasks per tool (delayed retries included).");
  for (auto const& q : queues)
    out += "taskstore_queue_depth{tool=\"" + label(q.tool_id) + "\"} " + std::to_string(q.queued) + "\n";
  family("taskstore_queue_oldest_age_seconds", "gauge", "Age of the oldest QUEUED task per tool.");
  for (auto const& q : queues)
    if (q.oldest_queued_age)
      out += "taskstore_queue_oldest_age_seconds{tool=\"" + label(q.tool_id) + "\"} " +
             std::to_string(q.oldest_queued_age->count()) + "\n";
  family("taskstore_queue_paused", "gauge", "1 while the tool's queue is paused.");
  for (auto const& q : queues)
    out += "taskstore_queue_paused{tool=\"" + label(q.tool_id) + "\"} " + (q.paused ? "1" : "0") + "\n";

  // Counters: the status changes this server has read from the event log since it started.
  auto const counters = feed_.counters();
  auto counter = [&](char const* name, char const* help, std::int64_t tool_counters::*field) {
    family(name, "counter", help);
    for (auto const& [tool, c] : counters)
      out += std::string(name) + "{tool=\"" + label(tool) + "\"} " + std::to_string(c.*field) + "\n";
  };
  counter("taskstore_claims_total", "Tasks that became PROCESSING.", &tool_counters::claims);
  counter("taskstore_completions_total", "Tasks that became COMPLETED.", &tool_counters::completions);
  counter("taskstore_failures_total", "Tasks that became FAILED.", &tool_counters::failures);
  counter("taskstore_retries_total", "FAILED tasks queued again.", &tool_counters::retries);
  counter("taskstore_rescues_total",
          "PROCESSING tasks back in the queue: expired leases rescued, requeued, or released by a stopping worker.",
          &tool_counters::returned);
  counter("taskstore_cancellations_total", "Tasks that became CANCELLED.", &tool_counters::cancellations);
  family("taskstore_processing_seconds", "histogram",
         "Processing time of tasks that finished (processing start to COMPLETED or FAILED).");
  for (auto const& [tool, c] : counters) {
    std::int64_t cumulative = 0;
    for (std::size_t i = 0; i <= tool_counters::bounds.size(); ++i) {
      cumulative += c.buckets[i];
      auto const le = i < tool_counters::bounds.size() ? number(tool_counters::bounds[i]) : std::string("+Inf");
      out += "taskstore_processing_seconds_bucket{tool=\"" + label(tool) + "\",le=\"" + le + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "taskstore_processing_seconds_sum{tool=\"" + label(tool) + "\"} " + number(c.seconds_sum) + "\n";
    out += "taskstore_processing_seconds_count{tool=\"" + label(tool) + "\"} " + std::to_string(cumulative) + "\n";
  }
  family("taskstore_event_ids_skipped_total", "counter",
         "Event ids never seen within 30 s of a later one: rolled back, or committed later (then not streamed).");
  out += "taskstore_event_ids_skipped_total " + std::to_string(feed_.skipped_ids()) + "\n";
  family("taskstore_live_clients", "gauge", "Event streams open on this server.");
  out += "taskstore_live_clients " + std::to_string(feed_.clients()) + "\n";
  return {http::make_response(req, bhttp::status::ok, "text/plain; version=0.0.4; charset=utf-8", std::move(out)), {}};
}

}  // namespace taskstore::cli
