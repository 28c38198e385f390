// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The pipeline's first proof: every backend is reachable through SOCI and
// keeps a 64-bit integer, non-ASCII text, a NULL and a microsecond timestamp.

#include <taskstore/db/url.hpp>

#include "support/backends.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

namespace {

using taskstore::testing::test_backend;

class soci_roundtrip : public ::testing::TestWithParam<test_backend> {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_BACKEND(GetParam());
    std::string url;
    switch (GetParam()) {
      case test_backend::sqlite_memory: url = "sqlite://:memory:"; break;
      case test_backend::sqlite_file: url = file_.url(); break;
      default: url = *taskstore::testing::server_url(GetParam()); break;
    }
    auto const options = taskstore::parse_url(url);
    switch (options.backend) {
      case taskstore::backend_kind::sqlite:
        session_ = std::make_unique<soci::session>(*soci::factory_sqlite3(), options.connect_string);
        break;
      case taskstore::backend_kind::postgresql:
        session_ = std::make_unique<soci::session>(*soci::factory_postgresql(), options.connect_string);
        *session_ << "SET TIME ZONE 'UTC'";
        break;
      case taskstore::backend_kind::mysql:
        session_ = std::make_unique<soci::session>(*soci::factory_mysql(), options.connect_string);
        *session_ << "SET time_zone = '+00:00'";
        break;
    }
    table_ = "ts_roundtrip_" + taskstore::testing::unique_suffix();
  }

  void TearDown() override {
    if (session_) *session_ << "DROP TABLE IF EXISTS " + table_;
  }

  taskstore::testing::temp_sqlite_file file_;
  std::unique_ptr<soci::session> session_;
  std::string table_;
};

TEST_P(soci_roundtrip, keeps_int64_text_null_and_microseconds) {
  auto& sql = *session_;
  std::string ddl, select_at;
  switch (GetParam()) {
    case test_backend::postgresql:
    case test_backend::postgresql_pooler:
      ddl = "(id BIGINT NOT NULL, name TEXT NOT NULL, note TEXT NULL, at TIMESTAMPTZ(6) NOT NULL)";
      select_at = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";
      break;
    case test_backend::mysql:
    case test_backend::mysql_flavor:
      ddl =
          "(id BIGINT NOT NULL, name LONGTEXT NOT NULL, note LONGTEXT NULL, at DATETIME(6) NOT NULL)"
          " CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";
      select_at = "DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f')";
      break;
    default:
      ddl = "(id INTEGER NOT NULL, name TEXT NOT NULL, note TEXT NULL, at TEXT NOT NULL)";
      select_at = "at";
      break;
  }
  sql << "CREATE TABLE " + table_ + " " + ddl;

  long long const id = 9'000'000'000'123LL;  // beyond 32 bits
  std::string const name = "Grüße, 世界 🚀";
  std::string const at = "2024-02-29 23:59:59.123456";
  soci::indicator null_note = soci::i_null;
  std::string note_in;
  sql << "INSERT INTO " + table_ + " (id, name, note, at) VALUES (:id, :name, :note, :at)", soci::use(id),
      soci::use(name), soci::use(note_in, null_note), soci::use(at);

  long long id_out = 0;
  std::string name_out, note_out, at_out;
  soci::indicator note_ind = soci::i_ok;
  sql << "SELECT id, name, note, " + select_at + " FROM " + table_, soci::into(id_out), soci::into(name_out),
      soci::into(note_out, note_ind), soci::into(at_out);

  EXPECT_EQ(id_out, id);
  EXPECT_EQ(name_out, name);
  EXPECT_EQ(note_ind, soci::i_null);
  EXPECT_EQ(at_out, at);
}

INSTANTIATE_TEST_SUITE_P(conformance, soci_roundtrip, ::testing::ValuesIn(taskstore::testing::all_backends()),
                         taskstore::testing::backend_name{});

}  // namespace
