// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// A private database for one test: SQLite in memory or in a fresh file, a
// fresh schema on PostgreSQL, a fresh database on MariaDB; dropped afterwards.

#include <taskstore/db/database.hpp>

#include "support/backends.hpp"

#include <memory>
#include <optional>
#include <string>

namespace taskstore::testing {

class isolated_db {
 public:
  explicit isolated_db(test_backend backend) : backend_(backend) {
    switch (backend) {
      case test_backend::sqlite_memory: url_ = "sqlite://:memory:"; break;
      case test_backend::sqlite_file:
        file_.emplace();
        url_ = file_->url();
        break;
      case test_backend::postgresql: {
        auto const base = *server_url(backend);
        admin_.emplace(database::open(base));
        name_ = "ts_" + unique_suffix();
        admin_->execute("CREATE SCHEMA " + name_);
        url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" + name_;
        break;
      }
      case test_backend::mysql:
      case test_backend::mysql_flavor: {
        auto const base = *server_url(backend);
        admin_.emplace(database::open(base));
        name_ = "ts_" + unique_suffix();
        admin_->execute("CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
        auto const slash = base.rfind('/');
        auto const query = base.find('?', slash);
        url_ = base.substr(0, slash + 1) + name_ + (query == std::string::npos ? "" : base.substr(query));
        break;
      }
    }
  }
  ~isolated_db() {
    std::string drop;
    if (backend_ == test_backend::postgresql) drop = "DROP SCHEMA IF EXISTS " + name_ + " CASCADE";
    if (is_mysql(backend_)) drop = "DROP DATABASE IF EXISTS " + name_;
    if (drop.empty()) return;
    for (int attempt = 1;; ++attempt) {
      try {
        admin_->execute(drop);
        return;
      } catch (error const& e) {
        // After a server restart test the first use of the old connection fails.
        if (e.category() == error_category::temporary && attempt < 3) continue;
        ADD_FAILURE() << "dropping the test database failed: " << e.what();
        return;
      } catch (std::exception const& e) {
        ADD_FAILURE() << "dropping the test database failed: " << e.what();
        return;
      }
    }
  }
  isolated_db(isolated_db const&) = delete;
  isolated_db& operator=(isolated_db const&) = delete;

  test_backend backend() const { return backend_; }
  std::string const& url() const { return url_; }
  /// The schema (PostgreSQL) or database (MariaDB) name; empty for SQLite.
  std::string const& name() const { return name_; }
  /// A new database handle (its own pool) on this private database.
  database open() const { return database::open(url_); }

 private:
  test_backend backend_;
  std::optional<temp_sqlite_file> file_;
  std::optional<database> admin_;
  std::string name_;
  std::string url_;
};

/// The base of conformance tests: a private database `db` per test, on the
/// backend the test is instantiated for.
class backend_test : public ::testing::TestWithParam<test_backend> {
 protected:
  void SetUp() override {
    TASKSTORE_REQUIRE_BACKEND(GetParam());
    env_ = std::make_unique<isolated_db>(GetParam());
    db_.emplace(env_->open());
  }
  void TearDown() override {
    db_.reset();
    env_.reset();
  }
  database& db() { return *db_; }
  isolated_db& env() { return *env_; }
  bool is(test_backend b) const { return GetParam() == b; }

  std::unique_ptr<isolated_db> env_;
  std::optional<database> db_;
};

#define TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(conformance, suite, ::testing::ValuesIn(::taskstore::testing::all_backends()), \
                           ::taskstore::testing::backend_name{})

}  // namespace taskstore::testing
