// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

#include "live_feed.hpp"

#include <taskstore/domain/task.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <iostream>
#include <set>

namespace taskstore::cli {

namespace {

using clock = std::chrono::steady_clock;

constexpr std::size_t page_size = 1000;
// How long an id below the newest seen is waited for before it counts as
// rolled back; at most how many are waited for, and looked for each second.
constexpr auto late_for = std::chrono::seconds(30);
constexpr std::size_t most_missing = 20000;
constexpr std::size_t late_checks = 2000;
constexpr auto ping_every = std::chrono::seconds(15);

std::int64_t minute_of(timestamp t) {
  return std::chrono::duration_cast<std::chrono::minutes>(t.time().time_since_epoch()).count();
}

std::string sse_chunk(event_log const& e) {
  // JSON has no raw newlines, so the data is one `data:` line.
  return "id: " + std::to_string(e.id) + "\nevent: task_event\ndata: " + boost::json::serialize(to_json(e)) + "\n\n";
}

}  // namespace

live_feed::live_feed(database db, std::chrono::milliseconds poll) : db_(std::move(db)), poll_(poll) {
  soci_repository<event_log> const log(db_);
  if (auto newest = log.find_one(query<event_log>{}.order_by(desc(&event_log::id)).limit(1))) newest_ = newest->id;
  last_ping_ = last_late_check_ = clock::now();
  thread_ = std::thread([this] { run(); });
}

live_feed::~live_feed() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void live_feed::subscribe(std::shared_ptr<http::stream_client> client, std::optional<uuid> task) {
  // Tells the page the stream is open: it then fetches what it missed. Under
  // the lock, so that no event is sent before it.
  std::lock_guard lock(mutex_);
  if (client->send("retry: 2000\nevent: ready\ndata: {}\n\n")) subscribers_.push_back({std::move(client), task});
}

std::int64_t live_feed::skipped_ids() const { return skipped_; }

std::map<std::string, tool_counters> live_feed::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

std::vector<minute_counts> live_feed::last_hour() const {
  auto const now = minute_of(timestamp::now());
  std::vector<minute_counts> out;
  std::lock_guard lock(mutex_);
  for (auto m = now - 59; m <= now; ++m) {
    auto it = minutes_.find(m);
    out.push_back(it == minutes_.end() ? minute_counts{.minute = m} : it->second);
  }
  return out;
}

std::size_t live_feed::clients() const {
  std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(subscribers_.begin(), subscribers_.end(), [](subscriber const& s) { return !s.client->gone(); }));
}

void live_feed::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      // A full page: more are waiting, read them at once.
      while (poll_once() == page_size && !stopping_) {
      }
      last_problem_.clear();
    } catch (std::exception const& e) {
      // The database is away for a moment: the next poll tries again, from where this one stopped.
      std::string const problem = e.what();
      if (problem != last_problem_) std::cerr << "taskstore serve: reading the event log: " << problem << '\n';
      last_problem_ = problem;
    }
    lock.lock();
    wake_.wait_for(lock, poll_, [&] { return stopping_.load(); });
  }
}

std::size_t live_feed::poll_once() {
  soci_repository<event_log> const log(db_);
  auto const now = clock::now();
  auto events =
      log.find(query<event_log>{col(&event_log::id) > newest_}.order_by(asc(&event_log::id)).limit(page_size));
  auto const fresh = events.size();
  std::int64_t given_up = 0;
  if (!missing_.empty() && now - last_late_check_ >= std::chrono::seconds(1)) {
    last_late_check_ = now;
    given_up =
        static_cast<std::int64_t>(std::erase_if(missing_, [&](auto const& m) { return now - m.second > late_for; }));
    std::vector<std::int64_t> ids;
    for (auto it = missing_.begin(); it != missing_.end() && ids.size() < late_checks; ++it) ids.push_back(it->first);
    for (std::size_t at = 0; at < ids.size(); at += 500) {
      std::vector<std::int64_t> const some(ids.begin() + static_cast<std::ptrdiff_t>(at),
                                           ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + 500)));
      for (auto& e : log.find(query<event_log>{col(&event_log::id).in(some)})) events.push_back(std::move(e));
    }
  }
  deliver(events, given_up);  // may throw: then nothing below happens, and the next poll reads the same events
  for (auto const& e : events) {
    if (missing_.erase(e.id)) continue;
    auto id = newest_ + 1;
    for (; id < e.id && missing_.size() < most_missing; ++id) missing_.emplace(id, now);
    if (id < e.id) skipped_ += e.id - id;  // beyond what is waited for
    newest_ = std::max(newest_, e.id);
  }
  return fresh;
}

void live_feed::deliver(std::vector<event_log> const& events, std::int64_t given_up) {
  // The tool and processing time of each task whose status changed.
  std::vector<uuid> changed;
  for (auto const& e : events)
    if (e.event_type == event_kind::status_change) changed.push_back(e.task_id);
  std::map<uuid, task> tasks;
  if (!changed.empty()) {
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    for (auto& t : soci_repository<task>(db_).find(query<task>{col(&task::task_id).in(changed)}))
      tasks.emplace(t.task_id, std::move(t));
  }
  // Everything that can fail is done before anything changes.
  std::map<std::string, tool_counters> counted;
  std::map<std::int64_t, minute_counts> per_minute;
  for (auto const& e : events) {
    if (e.event_type != event_kind::status_change || !e.content) continue;
    auto const it = tasks.find(e.task_id);
    if (it == tasks.end()) continue;  // deleted meanwhile
    auto const& t = it->second;
    auto const& change = *e.content;
    auto const arrow = change.find("->");
    if (arrow == std::string::npos) continue;
    auto const from = change.substr(0, arrow), to = change.substr(arrow + 2);
    auto& c = counted[t.tool_id];
    auto& m = per_minute[minute_of(e.created_at)];
    m.minute = minute_of(e.created_at);
    if (to == "PROCESSING") ++c.claims;
    if (to == "CANCELLED") ++c.cancellations;
    if (to == "QUEUED" && from == "FAILED") ++c.retries;
    if (to == "QUEUED" && from == "PROCESSING") ++c.returned;
    if (to != "COMPLETED" && to != "FAILED") continue;
    ++(to == "COMPLETED" ? c.completions : c.failures);
    ++(to == "COMPLETED" ? m.completions : m.failures);
    // The row as read now: its times are this attempt's only while it is still in the state entered.
    auto const end = to == "COMPLETED" ? t.completed_at : t.failed_at;
    if (from != "PROCESSING" || enum_to_string(t.status) != to || !end || !t.processing_started_at ||
        *end < *t.processing_started_at)
      continue;
    auto const seconds = std::chrono::duration<double>(*end - *t.processing_started_at).count();
    auto const bucket = std::lower_bound(tool_counters::bounds.begin(), tool_counters::bounds.end(), seconds) -
                        tool_counters::bounds.begin();
    ++c.buckets[static_cast<std::size_t>(bucket)];
    c.seconds_sum += seconds;
  }
  std::vector<std::string> chunks;
  for (auto const& e : events) chunks.push_back(sse_chunk(e));

  std::lock_guard lock(mutex_);
  for (auto const& [tool, c] : counted) {
    auto& to = counters_[tool];
    to.claims += c.claims;
    to.completions += c.completions;
    to.failures += c.failures;
    to.retries += c.retries;
    to.returned += c.returned;
    to.cancellations += c.cancellations;
    for (std::size_t i = 0; i < c.buckets.size(); ++i) to.buckets[i] += c.buckets[i];
    to.seconds_sum += c.seconds_sum;
  }
  for (auto const& [minute, m] : per_minute) {
    auto& to = minutes_[minute];
    to.minute = minute;
    to.completions += m.completions;
    to.failures += m.failures;
  }
  skipped_ += given_up;
  // An hour of minutes is kept.
  auto const oldest = minute_of(timestamp::now()) - 60;
  std::erase_if(minutes_, [&](auto const& m) { return m.first < oldest; });

  auto const now = clock::now();
  bool const ping = now - last_ping_ >= ping_every;
  if (ping) last_ping_ = now;
  std::erase_if(subscribers_, [&](subscriber const& s) {
    if (s.client->gone()) return true;
    std::string chunk;
    for (std::size_t i = 0; i < events.size(); ++i)
      if (!s.task || *s.task == events[i].task_id) chunk += chunks[i];
    if (chunk.empty() && ping) chunk = ": keep-alive\n\n";
    return !chunk.empty() && !s.client->send(std::move(chunk));
  });
}

}  // namespace taskstore::cli
