// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#include <taskstore/db/url.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace taskstore;

TEST(url, sqlite_forms) {
  auto rel = parse_url("sqlite:///data/tasks.db");
  EXPECT_EQ(rel.backend, backend_kind::sqlite);
  EXPECT_EQ(rel.path, "data/tasks.db");
  EXPECT_EQ(rel.connect_string, "db=\"data/tasks.db\"");
  EXPECT_EQ(rel.pool_size, 4u);
  EXPECT_EQ(rel.synchronous, sqlite_synchronous::normal);

  auto abs = parse_url("sqlite:////var/lib/my%20tasks.db?synchronous=FULL&busy_timeout_ms=250&pool_size=2");
  EXPECT_EQ(abs.path, "/var/lib/my tasks.db");
  EXPECT_EQ(abs.synchronous, sqlite_synchronous::full);
  EXPECT_EQ(abs.busy_timeout.count(), 250);
  EXPECT_EQ(abs.pool_size, 2u);

  auto mem = parse_url("sqlite://:memory:");
  EXPECT_TRUE(mem.in_memory);
  EXPECT_EQ(mem.pool_size, 1u);

  auto soci = parse_url("sqlite3://db=/tmp/x.db timeout=2");
  EXPECT_EQ(soci.connect_string, "db=/tmp/x.db timeout=2");
}

TEST(url, server_forms_decode_and_quote) {
  auto pg = parse_url("postgresql://app%40corp:p%40ss'w\\rd@db.example:6543/tasks?sslmode=disable&pool_size=8");
  EXPECT_EQ(pg.backend, backend_kind::postgresql);
  EXPECT_EQ(pg.pool_size, 8u);
  EXPECT_EQ(pg.connect_string,
            "host='db.example' port='6543' dbname='tasks' user='app@corp' password='p@ss\\'w\\\\rd' "
            "sslmode='disable'");
  EXPECT_EQ(parse_url("postgres://u@h/d").backend, backend_kind::postgresql);

  auto my = parse_url("mariadb://root:secret@[::1]:3307/app");
  EXPECT_EQ(my.backend, backend_kind::mysql);
  EXPECT_EQ(my.connect_string, "host='::1' port='3307' db='app' user='root' password='secret' charset='utf8mb4'");
  EXPECT_EQ(parse_url("MYSQL://u@h/d?charset=latin1").connect_string, "host='h' db='d' user='u' charset='latin1'");

  auto passthrough = parse_url("postgresql://dbname=tasks user=app password=hunter2");
  EXPECT_EQ(passthrough.connect_string, "dbname=tasks user=app password=hunter2");
  EXPECT_EQ(passthrough.redacted_url.find("hunter2"), std::string::npos) << passthrough.redacted_url;
}

TEST(url, redacts_passwords) {
  EXPECT_EQ(parse_url("postgresql://app:hunter2@h:5432/d").redacted_url, "postgresql://app:***@h:5432/d");
  EXPECT_EQ(parse_url("mysql://db='x' user=u password='hun\\'ter2'").redacted_url.find("hun"), std::string::npos);
}

TEST(url, bad_urls_are_bad_config_and_never_echo_the_password) {
  for (char const* bad : {
           "",
           "tasks.db",
           "oracle://u:hunter2@h/d",
           "sqlite://relative.db",
           "sqlite:///",
           "sqlite://:memory:?pool_size=4",
           "sqlite:///x.db?pool_size=0",
           "sqlite:///x.db?pool_size=abc",
           "sqlite:///x.db?synchronous=sometimes",
           "sqlite:///x.db?busy_timeout_ms=-1",
           "sqlite:///x.db?journal=wal",
           "sqlite:///x%2.db",
           "sqlite:///a%00b.db",
           "postgresql://u:hunter2@/d",
           "postgresql://u:hunter2@h:99999/d",
           "postgresql://u:hunter2@h:port/d",
           "postgresql://u:hunter2@h/d/e",
           "postgresql://u:hunter2@[::1/d",
           "postgresql://u:hunter2@h/d?sslmode",
           "postgresql://u:hunter2@h/d?bad-key=1",
           "mysql://u:hunter2@h/d?reconnect=1",
           "mysql://u:hunter2@h/d?frobnicate=1",
       }) {
    try {
      parse_url(bad);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::bad_config) << bad;
      EXPECT_EQ(e.category(), error_category::admin_required) << bad;
      EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
