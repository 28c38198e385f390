// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The MySQL backend's flavors write only what their servers accept: MariaDB's
// keeps INSERT … RETURNING; MySQL's, for MySQL 8.0 servers, has none, writes
// defaults of LONGTEXT and JSON columns as expressions, and names MySQL's NO
// PAD binary collation. Checked here on the SQL text; the conformance suite
// runs the MySQL flavor against MariaDB (test_backend::mysql_flavor).

#include <taskstore/domain/event_log.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/migrate/schema.hpp>
#include <taskstore/reflect/table_traits.hpp>
#include <taskstore/sql/ddl.hpp>
#include <taskstore/sql/statements.hpp>

#include "support/dialects.hpp"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

namespace upsert_ns {
struct label {
  std::string id;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(label, (), (id, name))
}  // namespace upsert_ns

template <>
struct taskstore::table_traits<upsert_ns::label> {
  static constexpr std::string_view table = "labels";
  static constexpr auto primary_key = natural_key<&upsert_ns::label::id>;
  static constexpr auto columns = std::tuple{column<&upsert_ns::label::name>.max_length(50).unique()};
};

namespace {

using namespace taskstore;

std::string joined(std::vector<std::string> const& statements) {
  std::string out;
  for (auto const& s : statements) out += s + ";\n";
  return out;
}

std::string joined(std::span<std::string_view const> statements) {
  std::string out;
  for (auto const s : statements) out += std::string(s) + ";\n";
  return out;
}

sql::dialect const& mariadb() { return test::dialect_of(backend_kind::mysql); }

TEST(mysql_flavor, a_multi_row_insert_asks_for_returned_keys_only_on_mariadb) {
  EXPECT_NE(sql::insert_many_sql<event_log>(mariadb(), 3, key_source::generated).find(" RETURNING `id`"),
            std::string::npos);
  auto const mysql = sql::insert_many_sql<event_log>(test::mysql_flavor_dialect(), 3, key_source::generated);
  EXPECT_EQ(mysql.find("RETURNING"), std::string::npos) << mysql;
  EXPECT_FALSE(test::mysql_flavor_dialect().returns_generated_keys());
}

TEST(mysql_flavor, defaults_of_longtext_and_json_columns_are_expressions) {
  auto const mysql = joined(sql::create_table_sql<task>(test::mysql_flavor_dialect()));
  EXPECT_NE(mysql.find("`input_prompt` LONGTEXT NOT NULL DEFAULT ('')"), std::string::npos) << mysql;
  EXPECT_NE(mysql.find("`agents` JSON NOT NULL DEFAULT ('[]')"), std::string::npos) << mysql;
  EXPECT_NE(mysql.find("`status` VARCHAR(13) NOT NULL DEFAULT 'CREATED'"), std::string::npos) << mysql;
  EXPECT_NE(mysql.find("DEFAULT (UTC_TIMESTAMP(6))"), std::string::npos) << mysql;

  auto const maria = joined(sql::create_table_sql<task>(mariadb()));
  EXPECT_NE(maria.find("`input_prompt` LONGTEXT NOT NULL DEFAULT '',"), std::string::npos) << maria;
}

TEST(mysql_flavor, every_table_and_connection_uses_the_servers_nopad_binary_collation) {
  auto const mysql =
      joined(canonical_schema_sql(test::mysql_flavor_dialect())) + joined(test::mysql_flavor_dialect().schema_v0001());
  EXPECT_NE(mysql.find("COLLATE=utf8mb4_0900_bin"), std::string::npos);
  EXPECT_EQ(mysql.find("nopad"), std::string::npos) << "MySQL has no utf8mb4_nopad_bin";
  auto const v0001 = joined(test::mysql_flavor_dialect().schema_v0001());
  EXPECT_NE(v0001.find("`input_prompt` LONGTEXT NOT NULL DEFAULT (''),"), std::string::npos) << v0001;
  EXPECT_NE(v0001.find("`agents` JSON NOT NULL DEFAULT ('[]'),"), std::string::npos) << v0001;

  auto const maria = joined(canonical_schema_sql(mariadb())) + joined(mariadb().schema_v0001());
  EXPECT_NE(maria.find("COLLATE=utf8mb4_nopad_bin"), std::string::npos);
  EXPECT_EQ(maria.find("0900"), std::string::npos) << "MariaDB 10.11 has no utf8mb4_0900_bin";
}

TEST(mysql_flavor, is_found_by_name_and_mariadbs_is_the_registered_one) {
  auto const& registered = backend_for(backend_kind::mysql);
  ASSERT_NE(registered.flavor("mariadb"), nullptr);
  EXPECT_EQ(registered.flavor("mariadb"), &registered);
  ASSERT_NE(registered.flavor("mysql"), nullptr);
  EXPECT_EQ(registered.flavor("mysql")->description(), "MySQL");
  EXPECT_EQ(registered.description(), "MariaDB");
  EXPECT_EQ(registered.flavor("oracle"), nullptr);
  EXPECT_EQ(backend_for(backend_kind::postgresql).flavor("mysql"), nullptr);
}

TEST(mysql_upsert, with_nothing_but_its_target_to_update_is_still_a_statement) {
  // A natural key and one unique column: nothing is left to update, and
  // `ON DUPLICATE KEY UPDATE` with an empty list is a syntax error.
  for (auto const* d : {&mariadb(), &test::mysql_flavor_dialect()}) {
    auto const text = sql::upsert_sql<upsert_ns::label>(*d, key_source::row, {"name"});
    EXPECT_TRUE(text.ends_with(" ON DUPLICATE KEY UPDATE `name` = `name`")) << text;
  }
}

}  // namespace
