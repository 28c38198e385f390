// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The SQL a query renders where the backends differ: the index a keyset page
// names on MySQL and MariaDB.

#include <taskstore/domain/task.hpp>
#include <taskstore/sql/query.hpp>
#include <taskstore/sql/statements.hpp>

#include "support/dialects.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace taskstore;

/// What soci_repository::find() sends for `q` on `d`, up to the WHERE clause.
std::string select_head(query<task> const& q, sql::dialect const& d) {
  detail::sql_builder b{d, sql::select_sql<task>(d)};
  q.render_index_hint(b);
  q.render_where(b);
  return b.text.substr(0, b.text.find(" WHERE "));
}

task cursor() {
  task t;
  t.task_id = uuid::generate_v7();
  t.user_id = 7;
  t.created_at = timestamp::now();
  return t;
}

TEST(keyset_index_hint, names_the_index_of_the_fixed_columns_then_the_order_on_mysql_only) {
  auto const newest = query<task>{col(&task::user_id) == 7 && col(&task::deleted_at).is_null()}.order_by(
      desc(&task::created_at), desc(&task::task_id));
  auto const page = newest.after(cursor()).limit(100);
  std::string const from = " FROM `tasks`";
  EXPECT_TRUE(select_head(page, test::dialect_of(backend_kind::mysql))
                  .ends_with(from + " FORCE INDEX (`idx_tasks_user_created`)"));
  // No fixed column: the index of the order alone, which may leave out the
  // key that ends the order (InnoDB appends it to every index).
  EXPECT_TRUE(
      select_head(query<task>{}.order_by(asc(&task::created_at)).after(cursor()), test::dialect_of(backend_kind::mysql))
          .ends_with(" FORCE INDEX (`idx_tasks_created_at`)"));
  for (auto const* d : {&test::dialect_of(backend_kind::sqlite), &test::dialect_of(backend_kind::postgresql)})
    EXPECT_TRUE(select_head(page, *d).ends_with(" FROM \"tasks\"")) << select_head(page, *d);
}

TEST(keyset_index_hint, is_left_to_the_optimizer_without_a_cursor_or_an_index_in_order) {
  auto const& mysql = test::dialect_of(backend_kind::mysql);
  auto const newest = query<task>{col(&task::user_id) == 7}.order_by(desc(&task::created_at), desc(&task::task_id));
  EXPECT_TRUE(select_head(newest.limit(100), mysql).ends_with(" FROM `tasks`"));
  EXPECT_TRUE(select_head(newest.limit(100).offset(100), mysql).ends_with(" FROM `tasks`"));
  // Mixed directions (the key that ends the order ascends): no index reads that order.
  auto const mixed = query<task>{col(&task::user_id) == 7}.order_by(desc(&task::created_at));
  EXPECT_TRUE(select_head(mixed.after(cursor()), mysql).ends_with(" FROM `tasks`"));
  // A range on the leading column does not fix it: (user_id, created_at) would not read created_at in order.
  auto const range = query<task>{col(&task::user_id) > 7}.order_by(asc(&task::created_at));
  EXPECT_TRUE(select_head(range.after(cursor()), mysql).ends_with(" FORCE INDEX (`idx_tasks_created_at`)"));
  // No index over the order's column.
  auto const by_title = query<task>{col(&task::user_id) == 7}.order_by(asc(&task::title));
  EXPECT_TRUE(select_head(by_title.after(cursor()), mysql).ends_with(" FROM `tasks`"));
}

}  // namespace
