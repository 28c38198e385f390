// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The task API's own SQL ("Query Patterns" and "Cleanup Queries",
// docs/seeds.md) run as raw SQL
// against the schema taskstore created, adjusting only the `?` placeholders
// and the NOW()/INTERVAL syntax per dialect, and returning what the service
// API returns. Its `SET status = 'DELETED'` is refused by the status CHECK:
// soft delete is `deleted_at`.

#include <taskstore/db/detail/each_row.hpp>
#include <taskstore/db/detail/pool.hpp>
#include <taskstore/service/task_maintenance.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using enum task_status;
using namespace std::chrono_literals;

class specified_queries_test : public domain_test {
 protected:
  void SetUp() override {
    domain_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    service_.emplace(db());
    maintenance_.emplace(db());
    auto const now = timestamp::now();
    stale_ = add(alice_, CREATED, now - 2h);
    queued_ = add(alice_, QUEUED, now - 90min);
    processing_ = add(alice_, PROCESSING, now - 60min);
    fresh_ = add(alice_, CREATED, now - 5min);
    outputs_due_ = add(alice_, COMPLETED, now - 40 * 24h, now - 35 * 24h);
    inputs_due_ = add(alice_, COMPLETED, now - 20 * 24h, now - 10 * 24h);
    bobs_queued_ = add(bob_, QUEUED, now - 30min);
    bobs_ancient_ = add(bob_, COMPLETED, now - 730 * 24h, now - 729 * 24h);
  }

  /// A task row as it would be after its history, written directly so its
  /// timestamps can lie in the past.
  uuid add(std::int64_t user, task_status status, timestamp created, std::optional<timestamp> completed = {}) {
    task t;
    t.task_id = uuid::generate_v7();
    t.user_id = user;
    t.tool_id = "profile-my-data";
    t.agents = std::vector<std::string>{"unified-profiler"};
    t.status = status;
    t.created_at = t.updated_at = created;
    t.completed_at = completed;
    soci_repository<task>(db()).insert(t);
    return t.task_id;
  }

  /// The specification's NOW() and `NOW() - INTERVAL n unit` in this dialect.
  std::string now_sql() {
    switch (db().backend().kind()) {
      case backend_kind::sqlite: return "strftime('%Y-%m-%d %H:%M:%f', 'now')";
      case backend_kind::postgresql:
      case backend_kind::mysql: return "NOW()";
    }
    return {};
  }
  std::string now_minus(int n, std::string const& unit) {
    switch (db().backend().kind()) {
      case backend_kind::sqlite:
        return "strftime('%Y-%m-%d %H:%M:%f', 'now', '-" + std::to_string(n) + " " + lower(unit) + "s')";
      case backend_kind::postgresql: return "NOW() - INTERVAL '" + std::to_string(n) + " " + unit + "'";
      case backend_kind::mysql: return "NOW() - INTERVAL " + std::to_string(n) + " " + unit;
    }
    return {};
  }
  static std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  /// Runs `body`'s raw statements in a transaction, translating errors: a
  /// pooler in transaction mode keeps a prepared statement only that long.
  template <class Body>
  void in_transaction(detail::session_lease& lease, Body&& body) {
    detail::guarded(lease, db().backend(), [&] {
      lease.get() << "BEGIN";
      try {
        body();
      } catch (...) {
        lease.get() << "ROLLBACK";
        throw;
      }
      lease.get() << "COMMIT";
    });
  }

  /// The task_id column of every row of `sql`, in order; `bind` adds the uses.
  template <class Bind>
  std::vector<uuid> ids(std::string const& sql, Bind&& bind) {
    std::vector<uuid> out;
    auto lease = detail::session_of(db());
    in_transaction(lease, [&] {
      auto prepared = (lease.get().prepare << sql);
      bind(prepared);
      soci::rowset<soci::row> rows(prepared);
      for (auto const& row : rows) out.push_back(uuid::parse(row.get<std::string>("task_id")));
    });
    return out;
  }
  std::vector<uuid> ids(std::string const& sql) {
    return ids(sql, [](auto&) {});
  }
  /// Runs a raw statement; @returns the rows it changed. @throws error translated.
  std::size_t execute(std::string const& sql) {
    std::size_t n = 0;
    auto lease = detail::session_of(db());
    in_transaction(lease, [&] {
      soci::statement st = (lease.get().prepare << sql);
      st.execute(true);
      n = static_cast<std::size_t>(st.get_affected_rows());
    });
    return n;
  }
  static std::vector<uuid> ids_of(std::vector<task> const& tasks) {
    std::vector<uuid> out;
    for (auto const& t : tasks) out.push_back(t.task_id);
    return out;
  }
  std::vector<task> every_task() {
    return soci_repository<task>(db()).find(query<task>{}.order_by(asc(&task::task_id)));
  }

  std::optional<task_service> service_;
  std::optional<task_maintenance> maintenance_;
  uuid stale_, queued_, processing_, fresh_, outputs_due_, inputs_due_, bobs_queued_, bobs_ancient_;
};

TEST_P(specified_queries_test, a_users_tasks_paginated) {
  auto const sql = "SELECT * FROM tasks WHERE user_id = :user_id ORDER BY created_at DESC LIMIT :lim OFFSET :off";
  long long user = alice_, limit = 3, offset = 1;
  auto const raw = ids(sql, [&](auto& st) { st, soci::use(user), soci::use(limit), soci::use(offset); });
  auto const page = service_->list(alice_, std::nullopt, {.limit = 3, .offset = 1});
  EXPECT_EQ(raw, ids_of(page.tasks));
  EXPECT_EQ(raw, (std::vector<uuid>{processing_, queued_, stale_}));
}

TEST_P(specified_queries_test, a_users_active_tasks) {
  auto const sql =
      "SELECT * FROM tasks WHERE user_id = :user_id AND status IN ('PROCESSING', 'QUEUED') ORDER BY created_at DESC";
  long long user = alice_;
  auto const raw = ids(sql, [&](auto& st) { st, soci::use(user); });
  EXPECT_EQ(raw, ids_of(service_->active(alice_)));
  EXPECT_EQ(raw, (std::vector<uuid>{processing_, queued_}));
}

TEST_P(specified_queries_test, a_task_by_id_with_the_ownership_check) {
  auto const sql = "SELECT * FROM tasks WHERE task_id = :task_id AND user_id = :user_id";
  auto const by = [&](uuid const& id, long long user) {
    auto const text = id.to_string();
    return ids(sql, [&](auto& st) { st, soci::use(text), soci::use(user); });
  };
  EXPECT_EQ(by(processing_, alice_), std::vector<uuid>{processing_});
  EXPECT_NO_THROW(service_->get(processing_, alice_));
  EXPECT_TRUE(by(processing_, bob_).empty());
  expect_error(errc::not_found, [&] { service_->get(processing_, bob_); });
}

TEST_P(specified_queries_test, the_expiry_update_expires_what_expire_before_would) {
  auto const changed = execute("UPDATE tasks SET status = 'EXPIRED', expired_at = " + now_sql() +
                               " WHERE status = 'CREATED' AND created_at < " + now_minus(15, "MINUTE"));
  EXPECT_EQ(changed, 1u);
  auto const expired = service_->get(stale_, alice_);
  EXPECT_EQ(expired.status, EXPIRED);
  ASSERT_TRUE(expired.expired_at);
  EXPECT_LT(timestamp::now() - *expired.expired_at, 1min);
  EXPECT_EQ(service_->get(fresh_, alice_).status, CREATED);
  EXPECT_EQ(maintenance_->expire_before(), 0u);  // the service finds nothing the specification's SQL left
}

TEST_P(specified_queries_test, expire_before_leaves_nothing_for_the_specifications_update) {
  EXPECT_EQ(maintenance_->expire_before(), 1u);
  EXPECT_EQ(execute("UPDATE tasks SET status = 'EXPIRED', expired_at = " + now_sql() +
                    " WHERE status = 'CREATED' AND created_at < " + now_minus(15, "MINUTE")),
            0u);
}

TEST_P(specified_queries_test, the_s3_cleanup_query_finds_what_outputs_to_clean_returns) {
  std::set<std::pair<uuid, long long>> raw;
  {
    auto lease = detail::session_of(db());  // returned before the service borrows (SQLite memory has one connection)
    detail::each_row(lease.get(),
                     "SELECT task_id, user_id FROM tasks WHERE status = 'COMPLETED' AND completed_at < " +
                         now_minus(30, "DAY") + " AND s3_cleaned = FALSE",
                     [&](soci::row const& row) {
                       auto const user = row.get_properties(1).get_data_type() == soci::dt_integer
                                             ? row.get<int>(1)
                                             : row.get<long long>(1);
                       raw.emplace(uuid::parse(row.get<std::string>(0)), user);
                     });
  }
  std::set<std::pair<uuid, long long>> service;
  for (auto const& c : maintenance_->outputs_to_clean()) service.emplace(c.task_id, c.user_id);
  EXPECT_EQ(raw, service);
  EXPECT_EQ(raw, (std::set<std::pair<uuid, long long>>{{outputs_due_, alice_}, {bobs_ancient_, bob_}}));
}

TEST_P(specified_queries_test, the_specifications_status_deleted_is_refused_by_the_check_and_changes_nothing) {
  auto const before = every_task();
  expect_error(errc::constraint_violation,
               [&] { execute("UPDATE tasks SET status = 'DELETED' WHERE created_at < " + now_minus(1, "YEAR")); });
  auto const after = every_task();
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i].status, before[i].status);
  // What the specification means is the retention sweep: deleted_at on tasks over a year old.
  EXPECT_EQ(maintenance_->soft_delete_before(), 1u);
  EXPECT_TRUE(service_->find(bobs_ancient_)->deleted_at);
  EXPECT_EQ(service_->list(bob_).total, 1u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(specified_queries_test);

}  // namespace
