// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// input limits (issue 31): what the limits admit is stored and read back on
// every backend (JSON at the maximum depth, values and rows at the maximum
// size, the first and last storable times), and what they refuse is refused
// with the same error and text on every backend.

#include <taskstore/limits.hpp>
#include <taskstore/service/admin.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>
#include <taskstore/types/from_json.hpp>

#include "support/domain_fixture.hpp"

#include <boost/json/value.hpp>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;

class limits_test : public domain_test {
 protected:
  task queued_task() {
    task_service s(db());
    auto const t = s.create({.user_id = alice_, .tool_id = "profile-my-data", .agents = {"a"}});
    return s.queue(t.task_id, alice_);
  }
  static boost::json::value nested(std::size_t depth) {
    boost::json::value v = "leaf";
    for (std::size_t i = 0; i < depth; ++i) v = boost::json::object{{"k", std::move(v)}};
    return v;
  }
  static std::string dump_of(database const& db) {
    std::ostringstream out;
    dump(db, out);
    return out.str();
  }
  /// The error `f` raises (validation_failed, user_fixable), or a failure.
  template <class F>
  static std::string refusal(std::string const& field, F&& f) {
    try {
      f();
      ADD_FAILURE() << "no error; expected validation_failed naming " << field;
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed) << e.what();
      EXPECT_EQ(e.category(), error_category::user_fixable) << e.what();
      EXPECT_EQ(e.field(), field) << e.what();
      return e.what();
    }
    return {};
  }
};

TEST_P(limits_test, json_at_the_maximum_depth_is_stored_claimed_dumped_and_restored) {
  task_service s(db());
  task_claims claims(db());
  auto const deep = nested(limits::max_json_depth);
  auto const t = queued_task();
  auto const requeued = claims.fail_or_retry(claims.start_processing(t.task_id, "w", 1min), "E", "deep", deep);
  ASSERT_EQ(requeued.status, task_status::QUEUED);
  EXPECT_EQ(s.get(t.task_id, alice_).failure_context, deep);
  db().execute("UPDATE tasks SET run_after = NULL");
  auto const claim = claims.claim_next("w", 1min);  // the queue reads the row
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->task.failure_context, deep);

  auto const text = dump_of(db());
  isolated_db target(GetParam());
  auto const to = target.open();
  std::istringstream in(text);
  restore(to, in);
  EXPECT_EQ(dump_of(to), text);

  refusal("tasks.failure_context", [&] { claims.fail(*claim, "E", "deeper", nested(limits::max_json_depth + 1)); });
  EXPECT_EQ(s.get(t.task_id, alice_).status, task_status::PROCESSING);
}

TEST_P(limits_test, values_and_rows_at_the_maximum_size_are_stored_on_every_backend) {
  // Quotes and backslashes: what MariaDB's escaping doubles.
  auto const fill = [](std::size_t n) {
    std::string s(n, '\'');
    for (std::size_t i = 1; i < n; i += 2) s[i] = '\\';
    return s;
  };
  auto const t = queued_task();
  soci_repository<task> tasks(db());
  auto row = *tasks.find(t.task_id);
  row.input_prompt = fill(limits::max_value_bytes);
  row.error_message = fill(limits::max_row_bytes - limits::max_value_bytes - 4096);  // room for the rest
  ASSERT_TRUE(tasks.update(row));
  auto const stored = *tasks.find(t.task_id);
  EXPECT_EQ(stored.input_prompt.size(), limits::max_value_bytes);
  EXPECT_EQ(stored.error_message, row.error_message);

  std::vector<event_log> events(5, event_log{.task_id = t.task_id, .content = fill(3u << 20)});
  for (auto& e : events) e.created_at = timestamp::now();
  soci_repository<event_log> logs(db());
  logs.insert_many(events);
  EXPECT_EQ(logs.count(query<event_log>{col(&event_log::content) == fill(3u << 20)}), 5u);

  auto const before = *tasks.find(t.task_id);
  row = before;
  row.result_summary = std::string(4096, 'x');  // more than a row holds
  auto const what = refusal("tasks.result_summary", [&] { tasks.update(row); });
  EXPECT_EQ(what, "tasks.result_summary: the row's text and JSON values total more than 6 MiB");
  EXPECT_EQ(to_json(*tasks.find(t.task_id)), to_json(before));
}

TEST_P(limits_test, the_first_and_last_storable_times_read_back_and_dump) {
  auto const t = queued_task();
  event_service events(db());
  events.append({.task_id = t.task_id, .content = "first", .created_at = timestamp::earliest()});
  events.append({.task_id = t.task_id, .content = "last", .created_at = timestamp::latest()});
  auto const read = task_service(db()).events(t.task_id, alice_);
  ASSERT_GE(read.size(), 2u);
  EXPECT_EQ(read.front().created_at, timestamp::earliest());
  EXPECT_EQ(read.back().created_at, timestamp::latest());
  EXPECT_NO_THROW(dump_of(db()));
  auto const what = refusal("event_logs.created_at", [&] {
    events.append(
        {.task_id = t.task_id, .content = "later", .created_at = timestamp::latest() + std::chrono::microseconds(1)});
  });
  EXPECT_EQ(what, "event_logs.created_at: a time outside 0001-01-01 00:00:00 … 9999-12-31 23:59:59.999999 UTC");
}

TEST_P(limits_test, declared_constraints_are_refused_with_the_same_text_on_every_backend) {
  auto const t = queued_task();
  soci_repository<task> tasks(db());
  auto row = *tasks.find(t.task_id);
  auto const before = row;
  row.tool_id = std::string(50, 'x') + "ü";
  EXPECT_EQ(refusal("tasks.tool_id", [&] { tasks.update(row); }), "tasks.tool_id: is longer than 50 characters");
  row.tool_id = std::string(50, 'x');
  row.progress = 101;
  EXPECT_EQ(refusal("tasks.progress", [&] { tasks.update(row); }), "tasks.progress: is greater than 100");
  row.progress = 0;
  row.execution_time = std::chrono::duration<double>(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(refusal("tasks.execution_time", [&] { tasks.update(row); }), "tasks.execution_time: not a finite number");
  EXPECT_EQ(refusal("tasks.tool_id",
                    [&] {
                      tasks.update_where(query<task>{col(&task::task_id) == t.task_id},
                                         set(&task::tool_id, std::string()));
                    }),
            "tasks.tool_id: must not be empty");
  EXPECT_EQ(to_json(*tasks.find(t.task_id)), to_json(before));
  // Exactly at the limits is fine: 50 characters of two bytes each.
  row = before;
  row.tool_id = std::string(50 * 2, 'x');
  for (std::size_t i = 0; i < 50; ++i) row.tool_id.replace(2 * i, 2, "ü");
  EXPECT_TRUE(tasks.update(row));
  EXPECT_EQ(tasks.find(t.task_id)->tool_id, row.tool_id);
}

TEST_P(limits_test, a_limit_of_max_rows_reads_the_same_everywhere_and_more_is_refused) {
  queued_task();
  soci_repository<task> tasks(db());
  EXPECT_EQ(tasks.find(query<task>{}.limit(limits::max_rows).offset(0)).size(), 1u);
  EXPECT_TRUE(tasks.find(query<task>{}.limit(1).offset(limits::max_rows)).empty());
  refusal("limit", [&] { tasks.find(query<task>{}.limit(limits::max_rows + 1)); });
  refusal("offset", [&] { tasks.find(query<task>{}.offset(std::size_t{1} << 63)); });
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(limits_test);

}  // namespace
