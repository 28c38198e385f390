// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// A private database for one test: SQLite in memory or in a fresh file, a
// fresh schema on PostgreSQL, a fresh database on MariaDB; dropped afterwards.

#include <taskstore/db/database.hpp>
#include <taskstore/migrate/builtin/migrations.hpp>

#include "support/backends.hpp"

#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
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
      case test_backend::postgresql_pooler: {
        // A database of its own (a pooler forwards no search_path option),
        // LISTENing on a direct connection to it.
        name_ = spare_databases::take();
        url_ = with_database(*server_url(backend), name_) +
               "&listen_url=" + percent_encoded(with_database(*server_url(test_backend::postgresql), name_));
        break;
      }
      case test_backend::mysql:
      case test_backend::mysql_flavor: {
        auto const base = *server_url(backend);
        admin_.emplace(database::open(base));
        name_ = "ts_" + unique_suffix();
        admin_->execute("CREATE DATABASE " + name_ + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
        url_ = with_database(base, name_);
        break;
      }
    }
  }
  ~isolated_db() {
    std::string drop;
    if (backend_ == test_backend::postgresql) drop = "DROP SCHEMA IF EXISTS " + name_ + " CASCADE";
    if (is_mysql(backend_)) drop = "DROP DATABASE IF EXISTS " + name_;
    if (backend_ == test_backend::postgresql_pooler) {
      spare_databases::give_back(name_);
      return;
    }
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
  /// The PostgreSQL databases of the pooler configuration, each emptied and
  /// reused by the next test of the process: creating one costs more than
  /// most tests. Dropped when the process exits.
  class spare_databases {
   public:
    static std::string take() {
      std::lock_guard lock(mutex());
      if (!names().empty()) {
        auto name = names().back();
        names().pop_back();
        return name;
      }
      auto name = "ts_" + unique_suffix();
      database::open(*server_url(test_backend::postgresql)).execute("CREATE DATABASE " + name + " OWNER taskstore");
      // After the first open: run before the statics that opening made are destroyed.
      static bool const dropped_at_exit = (std::atexit(drop_all), true);
      (void)dropped_at_exit;
      return name;
    }
    static void give_back(std::string const& name) {
      try {
        auto const db = database::open(with_database(*server_url(test_backend::postgresql), name));
        db.execute("DROP SCHEMA IF EXISTS public CASCADE");
        db.execute("CREATE SCHEMA public");
      } catch (std::exception const& e) {
        ADD_FAILURE() << "emptying the test database failed: " << e.what();
        return;
      }
      std::lock_guard lock(mutex());
      names().push_back(name);
    }

   private:
    static std::mutex& mutex() {
      static std::mutex m;
      return m;
    }
    static std::vector<std::string>& names() {
      static std::vector<std::string> n;
      return n;
    }
    static void drop_all() {
      try {
        auto const admin = database::open(*server_url(test_backend::postgresql));
        // WITH (FORCE): the pooler's server connections to it end with it.
        for (auto const& name : names()) admin.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (...) {  // the server may be gone already
      }
    }
  };

  /// `url` naming database `name` instead of its own.
  static std::string with_database(std::string const& url, std::string const& name) {
    auto const slash = url.find('/', url.find("://") + 3);
    auto const query = url.find('?', slash);
    return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
  }

  test_backend backend_;
  std::optional<temp_sqlite_file> file_;
  std::optional<database> admin_;
  std::string name_;
  std::string url_;
};

/// The base of conformance tests: a private database `db` per test, on the
/// backend the test is instantiated for.
/// The newest built-in migration's number: the schema version `init` reaches.
inline std::int64_t latest_version() { return builtin_migrations().back().version; }

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
