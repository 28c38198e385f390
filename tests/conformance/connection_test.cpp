// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Opening databases: the per-connection set-up, and connection errors that
// say what is wrong without the password.

#include <taskstore/db/database.hpp>

#include "support/catalog.hpp"
#include "support/isolated_db.hpp"

#include <cstdlib>
#include <future>
#include <string>
#include <thread>

namespace {

using namespace taskstore;
using namespace taskstore::testing;

class connection_test : public backend_test {
 protected:
  std::string scalar(std::string const& sql) { return query_text(db(), sql).at(0).at(0); }
};

TEST_P(connection_test, every_connection_is_set_up_for_taskstore) {
  // LIKE is case-sensitive everywhere (SQLite: case_sensitive_like; MariaDB: the nopad_bin collation).
  auto const like = query_text(db(), "SELECT COUNT(*) FROM (SELECT 'abc' AS v) t WHERE v LIKE 'ABC'");
  EXPECT_EQ(like.at(0).at(0), "0");
  switch (db().backend().kind()) {
    case backend_kind::sqlite:
      EXPECT_EQ(scalar("PRAGMA foreign_keys"), "1");
      if (is(test_backend::sqlite_file)) {
        EXPECT_EQ(scalar("PRAGMA journal_mode"), "wal");
        EXPECT_EQ(scalar("PRAGMA synchronous"), "1");  // NORMAL
        EXPECT_EQ(scalar("PRAGMA busy_timeout"), "5000");
      }
      break;
    case backend_kind::postgresql:
      EXPECT_EQ(scalar("SHOW TimeZone"), "UTC");
      EXPECT_EQ(scalar("SHOW client_encoding"), "UTF8");
      break;
    case backend_kind::mysql:
      EXPECT_EQ(scalar("SELECT @@session.time_zone"), "+00:00");
      EXPECT_EQ(scalar("SELECT @@session.character_set_connection"), "utf8mb4");
      EXPECT_EQ(scalar("SELECT @@session.tx_isolation"), "READ-COMMITTED");
      EXPECT_NE(scalar("SELECT @@session.sql_mode").find("STRICT_ALL_TABLES"), std::string::npos);
      break;
  }
}

TEST_P(connection_test, speaks_the_flavor_of_the_server_or_the_one_the_url_forces) {
  if (!is_mysql(GetParam())) {
    EXPECT_EQ(db().backend().description(), db().dialect().name());
    return;
  }
  bool const forced = is(test_backend::mysql_flavor);
  EXPECT_EQ(db().backend().description(), forced ? "MariaDB (MySQL flavor)" : "MariaDB");
  EXPECT_EQ(db().dialect().returns_generated_keys(), !forced);  // MySQL has no INSERT … RETURNING
  // The collation follows the server: MariaDB knows no utf8mb4_0900_bin.
  EXPECT_EQ(scalar("SELECT @@session.collation_connection"), "utf8mb4_nopad_bin");
  if (!forced) {
    // MySQL refuses MariaDB's SQL: a MariaDB server may speak MySQL's, not the reverse.
    auto const sep = env().url().find('?') == std::string::npos ? "?" : "&";
    EXPECT_EQ(database::open(env().url() + sep + "flavor=mysql").backend().description(), "MariaDB (MySQL flavor)");
    EXPECT_EQ(database::open(env().url() + sep + "flavor=mariadb").backend().description(), "MariaDB");
  }
}

TEST_P(connection_test, url_options_reach_the_connection) {
  auto const url = env().url();
  auto const sep = url.find('?') == std::string::npos ? "?" : "&";
  if (is(test_backend::sqlite_memory)) {
    // A private in-memory database has exactly one connection.
    EXPECT_THROW(database::open(url + sep + "pool_size=2"), error);
    return;
  }
  auto const tuned = database::open(url + sep + "synchronous=full&busy_timeout_ms=2500&pool_size=2");
  EXPECT_EQ(tuned.options().pool_size, 2u);
  switch (tuned.backend().kind()) {
    case backend_kind::sqlite:
      EXPECT_EQ(query_text(tuned, "PRAGMA synchronous").at(0).at(0), "2");  // FULL
      EXPECT_EQ(query_text(tuned, "PRAGMA busy_timeout").at(0).at(0), "2500");
      break;
    case backend_kind::postgresql: {
      // Behind a pooler in transaction mode only a transaction's own SET LOCAL lasts.
      std::string timeout;
      tuned.transact([&] { timeout = query_text(tuned, "SHOW lock_timeout").at(0).at(0); });
      EXPECT_EQ(timeout, "2500ms");
      break;
    }
    case backend_kind::mysql:
      EXPECT_EQ(query_text(tuned, "SELECT @@session.innodb_lock_wait_timeout").at(0).at(0), "2");
      break;
  }
}

TEST_P(connection_test, a_pool_that_stays_full_is_pool_exhausted_after_pool_timeout_ms) {
  auto const url = env().url();
  auto const sep = url.find('?') == std::string::npos ? "?" : "&";
  auto const one =
      database::open(url + sep + (is(test_backend::sqlite_memory) ? "" : "pool_size=1&") + "pool_timeout_ms=50");
  EXPECT_EQ(one.options().pool_timeout.count(), 50);

  // Another thread holds the only session until told to let go.
  std::promise<void> holding, let_go;
  std::thread holder([&] {
    detail::with_pinned_session(one, [&](auto&) {
      holding.set_value();
      let_go.get_future().wait();
    });
  });
  holding.get_future().wait();

  auto const expect_exhausted = [&](auto&& operation) {
    try {
      operation();
      ADD_FAILURE() << "borrowed a session from a full pool";
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::pool_exhausted) << e.what();
      EXPECT_EQ(e.category(), error_category::temporary) << e.what();
      std::string const what = e.what();
      EXPECT_NE(what.find("pool_timeout_ms"), std::string::npos) << what;
      EXPECT_NE(what.find(one.url()), std::string::npos) << what;  // the URL as redacted
    } catch (...) {
      ADD_FAILURE() << "not a taskstore::error";  // caught: the holder must still be let go
    }
  };
  expect_exhausted([&] { one.execute("SELECT 1"); });
  // transact() does not run it again: the borrow has waited its time already.
  auto const retries = one.retry_count();
  bool ran = false;
  expect_exhausted([&] { one.transact([&] { ran = true; }); });
  EXPECT_FALSE(ran);
  EXPECT_EQ(one.retry_count(), retries);

  let_go.set_value();
  holder.join();
  EXPECT_EQ(query_text(one, "SELECT 1").at(0).at(0), "1");  // the session is back
}

void expect_connection_failed(std::string const& url, std::string const& secret) {
  try {
    database::open(url);
    ADD_FAILURE() << "connected to " << url;
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::connection_failed) << e.what();
    EXPECT_EQ(e.category(), error_category::admin_required) << e.what();
    if (!secret.empty()) {
      EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos) << e.what();
    }
  }
}

/// `url` with its password replaced.
std::string with_password(std::string const& url, std::string const& password) {
  auto const scheme = url.find("://") + 3;
  auto const at = url.find('@', scheme);
  auto const colon = url.find(':', scheme);
  return url.substr(0, colon + 1) + password + url.substr(at);
}

TEST_P(connection_test, a_wrong_password_or_an_unreachable_server_is_connection_failed) {
  switch (GetParam()) {
    case test_backend::sqlite_memory: {
      expect_connection_failed("sqlite:////nonexistent-dir-" + unique_suffix() + "/tasks.db", "");
      break;
    }
    case test_backend::sqlite_file: {
      // A file that is not a database.
      temp_sqlite_file junk;
      {
        std::FILE* f = std::fopen(junk.path().c_str(), "w");
        std::fputs("this is not a database file, it is text", f);
        std::fclose(f);
      }
      try {
        database::open(junk.url());
        ADD_FAILURE() << "opened a text file";
      } catch (error const& e) {
        EXPECT_EQ(e.category(), error_category::admin_required) << e.what();
      }
      break;
    }
    default: {
      auto const url = *server_url(GetParam());
      expect_connection_failed(with_password(url, "WrongPassw0rdSecret"), "WrongPassw0rdSecret");
      auto const at = url.find('@');
      auto const port_start = url.find(':', at) + 1;
      auto const port_end = url.find('/', port_start);
      expect_connection_failed(url.substr(0, port_start) + "1" + url.substr(port_end), "t@sk");
      break;
    }
  }
}

/// The message of the connection_failed error that opening `url` raises.
std::string connection_failure(std::string const& url) {
  try {
    database::open(url);
    ADD_FAILURE() << "connected to " << url;
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::connection_failed) << e.what();
    return e.what();
  }
  return {};
}

// The server's (or the client library's) reason, not just "cannot connect": a wrong password, none, a closed port.
TEST_P(connection_test, a_failed_connection_says_why_without_the_password) {
  if (!server_url(GetParam())) GTEST_SKIP() << "no server";
  bool const pg = is_postgresql(GetParam());
  auto const url = *server_url(GetParam());
  auto const scheme = url.find("://") + 3;
  auto const at = url.find('@', scheme);
  auto const colon = url.find(':', scheme);
  auto const port_start = url.find(':', at) + 1;
  auto const port_end = url.find('/', port_start);
  auto const port = url.substr(port_start, port_end - port_start);

  auto const wrong = connection_failure(with_password(url, "WrongPassw0rdSecret"));
  auto const refused = is(test_backend::postgresql_pooler) ? "SASL authentication failed"  // PgBouncer's words
                       : pg                                ? "password authentication failed for user"
                                                           : "Access denied for user";
  EXPECT_NE(wrong.find(refused), std::string::npos) << wrong;
  EXPECT_EQ(wrong.find("WrongPassw0rdSecret"), std::string::npos) << wrong;

  auto const none = connection_failure(url.substr(0, colon) + url.substr(at));
  EXPECT_NE(none.find(pg ? "no password supplied" : "using password: NO"), std::string::npos) << none;

  auto const closed = connection_failure(url.substr(0, port_start) + "1" + url.substr(port_end));
  EXPECT_NE(closed.find(pg ? "Connection refused" : "Can't connect"), std::string::npos) << closed;
  EXPECT_EQ(closed.find("t@sk"), std::string::npos) << closed;

  // SOCI connect strings whose password has a blank: no piece of it in the message, whatever the driver quotes.
  std::string const scheme_name = pg ? "postgresql://" : "mysql://";
  for (auto const& cs : {"host=127.0.0.1 port=" + port + " password=SeCrEtA SeCrEtB",
                         "host=127.0.0.1 port=" + port + " password=SeCrEtA SeCrEtB=SeCrEtC",
                         "host=127.0.0.1 port=" + port + " user=nobody password='SeCrEtA \\' SeCrEtB'",
                         "host=127.0.0.1 port=" + port + " password=SeCrEtA SeCrEtB user=nobody"}) {
    auto const message = connection_failure(scheme_name + cs);
    EXPECT_EQ(message.find("SeCrEt"), std::string::npos) << message;
  }
}

TEST_P(connection_test, open_without_arguments_reads_the_environment) {
  ::unsetenv("TASKSTORE_DATABASE_URL");
  try {
    database::open();
    ADD_FAILURE();
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::bad_config);
  }
  ::setenv("TASKSTORE_DATABASE_URL", env().url().c_str(), 1);
  auto const from_env = database::open();
  ::unsetenv("TASKSTORE_DATABASE_URL");
  EXPECT_EQ(&from_env.backend(), &db().backend());
  EXPECT_EQ(from_env.url().find("t%40sk%3Ast"), std::string::npos);  // the password is masked
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(connection_test);

}  // namespace
