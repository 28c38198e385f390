// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// SQL migration files: statement splitting, naming, per-dialect overrides,
// checksums. (Running them is in the conformance suite.)

#include <taskstore/migrate/builtin/migrations.hpp>
#include <taskstore/migrate/sql_files.hpp>

#include "support/dialects.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace {

using namespace taskstore;
namespace fs = std::filesystem;

TEST(split_sql_statements, splits_at_top_level_semicolons_only) {
  auto const s = split_sql_statements(R"(
    -- a comment; with a semicolon
    CREATE TABLE a (x TEXT DEFAULT 'a;b', "we;ird" INT);
    /* block; comment */
    INSERT INTO a VALUES ('it''s; fine', 1);;
    CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
    SELECT $$;$$
  )",
                                      test::dialect_of(backend_kind::postgresql));
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0], "-- a comment; with a semicolon\n    CREATE TABLE a (x TEXT DEFAULT 'a;b', \"we;ird\" INT)");
  EXPECT_EQ(s[1], "/* block; comment */\n    INSERT INTO a VALUES ('it''s; fine', 1)");
  EXPECT_EQ(s[2], "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql");
  EXPECT_EQ(s[3], "SELECT $$;$$");
}

TEST(split_sql_statements, backslash_escapes_only_on_mariadb) {
  EXPECT_EQ(split_sql_statements(R"(SELECT 'a\';b'; SELECT 2)", test::dialect_of(backend_kind::mysql)).size(), 2u);
  EXPECT_EQ(split_sql_statements(R"(SELECT 'C:\'; SELECT 2)", test::dialect_of(backend_kind::sqlite)).size(), 2u);
  EXPECT_TRUE(split_sql_statements("-- only a comment\n", test::dialect_of(backend_kind::sqlite)).empty());
}

class migration_files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("taskstore_migrations_" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(fs::path const& relative, std::string const& text) {
    fs::create_directories((dir_ / relative).parent_path());
    std::ofstream(dir_ / relative) << text;
  }
  fs::path dir_;
};

TEST_F(migration_files, load_in_version_order_with_dialect_overrides) {
  write("1001_notes.up.sql", "CREATE TABLE notes (id INT);\nCREATE INDEX ix_notes ON notes (id);");
  write("1001_notes.down.sql", "DROP TABLE notes;");
  write("postgresql/1001_notes.up.sql", "CREATE TABLE notes (id BIGINT);");
  write("1002_seen.up.sql", "ALTER TABLE notes ADD COLUMN seen INT;");
  write("README.md", "not a migration");
  auto const m = load_migrations(dir_);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].version, 1001);
  EXPECT_EQ(m[0].name, "notes");
  EXPECT_EQ(m[0].up(test::dialect_of(backend_kind::sqlite)).size(), 2u);
  EXPECT_EQ(m[0].up(test::dialect_of(backend_kind::postgresql)),
            std::vector<std::string>{"CREATE TABLE notes (id BIGINT)"});
  EXPECT_EQ(m[0].down(test::dialect_of(backend_kind::mysql)), std::vector<std::string>{"DROP TABLE notes"});
  EXPECT_FALSE(m[1].down);  // no down file: cannot be rolled back
  EXPECT_NE(m[0].checksum(test::dialect_of(backend_kind::sqlite)),
            m[0].checksum(test::dialect_of(backend_kind::postgresql)));
  EXPECT_EQ(m[0].checksum(test::dialect_of(backend_kind::sqlite)).size(), 64u);
}

TEST_F(migration_files, bad_names_and_missing_up_files_are_bad_config) {
  write("7-notes.up.sql", "SELECT 1;");
  try {
    load_migrations(dir_);
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::bad_config);
    EXPECT_NE(std::string(e.what()).find("7-notes.up.sql"), std::string::npos);
  }
  fs::remove(dir_ / "7-notes.up.sql");
  write("0003_x.down.sql", "SELECT 1;");
  EXPECT_THROW(load_migrations(dir_), error);
  EXPECT_THROW(load_migrations(dir_ / "missing"), error);
}

TEST(migration_file_names, parse_version_name_and_direction) {
  using taskstore::detail::parse_migration_file_name;
  auto const up = parse_migration_file_name("0042_add_notes_2.up.sql");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->version, 42);
  EXPECT_EQ(up->name, "add_notes_2");
  EXPECT_TRUE(up->up);
  auto const down = parse_migration_file_name("7_x.down.sql");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->version, 7);
  EXPECT_FALSE(down->up);
  for (auto const* bad : {"7-notes.up.sql", "_notes.up.sql", "7_.up.sql", "7_notes.sql", "7_notes.up.sql.bak",
                          "7_no-tes.up.sql", "x7_notes.up.sql", "7_notes.UP.sql", "99999999999999999999_big.up.sql"})
    EXPECT_FALSE(parse_migration_file_name(bad)) << bad;
}

TEST_F(migration_files, a_version_too_large_is_bad_config) {
  write("99999999999999999999_big.up.sql", "SELECT 1;");
  try {
    load_migrations(dir_);
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::bad_config);
  }
}

TEST(builtin_migrations, checksums_are_frozen) {
  // These values are in every migrated database's ledger: if this test fails,
  // a released migration was edited. Add a new migration instead.
  auto const m = builtin_migrations();
  ASSERT_EQ(m.size(), 7u);
  EXPECT_EQ(m[0].checksum(test::dialect_of(backend_kind::sqlite)),
            "cc82064858f1f8d28d82175f09f8cbea2a06c19b4ba8293e2809dc01b8961da4");
  EXPECT_EQ(m[0].checksum(test::dialect_of(backend_kind::postgresql)),
            "5b7782a9e9579add2475870b7725ebb98c2c6e7a68e4d93efcc4bb29968867cb");
  EXPECT_EQ(m[0].checksum(test::dialect_of(backend_kind::mysql)),
            "f8f8af29acf2a9b97061d941065523d18e046f6c24021314efe281bb4161e532");
  EXPECT_EQ(m[0].checksum(test::mysql_flavor_dialect()),
            "de53f3e8b3558946733b6384823e38253d3b68fc99e74522593bc7c8ccf7753c");
  EXPECT_EQ(m[1].checksum(test::dialect_of(backend_kind::sqlite)),
            "d5074c61045c7710947e8228a101a7d986abb8024bac6bf9846a1f5dd7848ead");
  EXPECT_EQ(m[1].checksum(test::dialect_of(backend_kind::postgresql)),
            "536ae2a2a6241d9134b64ffb4940b6a7ae5cba767ef8dbf66b6a1289e68c35cb");
  EXPECT_EQ(m[1].checksum(test::dialect_of(backend_kind::mysql)),
            "4b03d09bc20cbd5e6eef0417b1caa435e1cdc93c2ee103504ff35ca41c3db108");
  EXPECT_EQ(m[2].checksum(test::dialect_of(backend_kind::sqlite)),
            "f0a52e7ab6b850b5d24f2921d4b2c56544e705f894c4a72c6a55673e1b30ce83");
  EXPECT_EQ(m[2].checksum(test::dialect_of(backend_kind::postgresql)),
            "f0a52e7ab6b850b5d24f2921d4b2c56544e705f894c4a72c6a55673e1b30ce83");
  EXPECT_EQ(m[2].checksum(test::dialect_of(backend_kind::mysql)),
            "d687201d38847c2223fc56bcdc7c07d47f475007ed0e46205d7d94e59f98b65b");
  EXPECT_EQ(m[3].checksum(test::dialect_of(backend_kind::sqlite)),
            "73ed83a7eb63e1e279642b2dde9a87bb0329394a79eb82e852dd5f6d6e5a3180");
  EXPECT_EQ(m[3].checksum(test::dialect_of(backend_kind::postgresql)),
            "73ed83a7eb63e1e279642b2dde9a87bb0329394a79eb82e852dd5f6d6e5a3180");
  EXPECT_EQ(m[3].checksum(test::dialect_of(backend_kind::mysql)),
            "3ad7319ecd4c17e9e4b1fd034320736bfeb52b0744b9c2ed7a912ef832e7430d");
  // Migrations 2 to 4 are the same text in both MySQL flavors.
  EXPECT_EQ(m[1].checksum(test::mysql_flavor_dialect()), m[1].checksum(test::dialect_of(backend_kind::mysql)));
  EXPECT_EQ(m[2].checksum(test::mysql_flavor_dialect()), m[2].checksum(test::dialect_of(backend_kind::mysql)));
  EXPECT_EQ(m[3].checksum(test::mysql_flavor_dialect()), m[3].checksum(test::dialect_of(backend_kind::mysql)));
  // Migration 5 is written from its tables' traits, so this pins them too.
  EXPECT_EQ(m[4].checksum(test::dialect_of(backend_kind::sqlite)),
            "85f2ca7caa79c312570a26429d265f03cfa6bc82bfadbc1eb7be01a3c58a4ce4");
  EXPECT_EQ(m[4].checksum(test::dialect_of(backend_kind::postgresql)),
            "4fa69494b5a9ca44bbcd9a19f229b18fe9d1739dddaa3c20ad49bba2f0ccdb31");
  EXPECT_EQ(m[4].checksum(test::dialect_of(backend_kind::mysql)),
            "1916c4a70f3c82483a1d9ed60d233e2c24f552d2fd9e44acb1de71c3bd92bb77");
  EXPECT_EQ(m[4].checksum(test::mysql_flavor_dialect()),
            "9c121bd07e464b8f7046368de5ce1266627ffb005cc3028e1cb95a429699238a");
  // Migration 6 (the scheduler's tables): its number is migrations::v0006::version.
  EXPECT_EQ(m[5].version, migrations::v0006::version);
  EXPECT_EQ(m[5].checksum(test::dialect_of(backend_kind::sqlite)),
            "1cffea26ea6807fae87e5a8570fcfa4d4ff3e58818b1050dabf6a78265a4a490");
  EXPECT_EQ(m[5].checksum(test::dialect_of(backend_kind::postgresql)),
            "1e0cdea1854cf0357ea7be4c9e81a3e2983add213d1fbf6e31f456d89c92f094");
  EXPECT_EQ(m[5].checksum(test::dialect_of(backend_kind::mysql)),
            "5718106732af0d0728cd22908334d26553fd0fb2e3dbf487cb9bea1163402f3e");
  EXPECT_EQ(m[5].checksum(test::mysql_flavor_dialect()),
            "e296a532cc48ecc93bce00898dd2acc31e576b25cd369f3d3c44fb2a3d29c093");
  // Migration 7 (tasks by status and tool).
  EXPECT_EQ(m[6].version, migrations::v0007::version);
  EXPECT_EQ(m[6].checksum(test::dialect_of(backend_kind::sqlite)),
            "9346ea6361803bbf9160e4ef060e0eb0283de9fdde74b00066cb9066ef0cc965");
  EXPECT_EQ(m[6].checksum(test::dialect_of(backend_kind::postgresql)),
            "9346ea6361803bbf9160e4ef060e0eb0283de9fdde74b00066cb9066ef0cc965");
  EXPECT_EQ(m[6].checksum(test::dialect_of(backend_kind::mysql)),
            "e67bcd068a19625bfda9bdc2c32109d0ebe5ef78f83fbf4bed2041bd7af38167");
  EXPECT_EQ(m[6].checksum(test::mysql_flavor_dialect()),
            "e67bcd068a19625bfda9bdc2c32109d0ebe5ef78f83fbf4bed2041bd7af38167");
}

}  // namespace
