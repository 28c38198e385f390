// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The backends every conformance test runs on, and where their URLs come from.

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::testing {

/// `mysql` is MariaDB as it is (its own flavor); `mysql_flavor` the same
/// server with the URL forcing the MySQL flavor's SQL (`flavor=mysql`).
/// `postgresql_pooler`: the PostgreSQL server through PgBouncer in
/// transaction mode, with fewer server connections than clients.
enum class test_backend { sqlite_memory, sqlite_file, postgresql, mysql, mysql_flavor, postgresql_pooler };

/// Whether `b` runs on the PostgreSQL backend, directly or through a pooler.
constexpr bool is_postgresql(test_backend b) {
  return b == test_backend::postgresql || b == test_backend::postgresql_pooler;
}

/// Whether `b` runs on the MySQL backend, in either flavor.
constexpr bool is_mysql(test_backend b) { return b == test_backend::mysql || b == test_backend::mysql_flavor; }

inline std::string_view name(test_backend b) {
  switch (b) {
    case test_backend::sqlite_memory: return "sqlite_memory";
    case test_backend::sqlite_file: return "sqlite_file";
    case test_backend::postgresql: return "postgresql";
    case test_backend::mysql: return "mysql";
    case test_backend::mysql_flavor: return "mysql_flavor";
    case test_backend::postgresql_pooler: return "postgresql_pooler";
  }
  return "unknown";
}

inline void PrintTo(test_backend b, std::ostream* os) { *os << name(b); }

inline std::vector<test_backend> all_backends() {
  return {test_backend::sqlite_memory, test_backend::sqlite_file,  test_backend::postgresql,
          test_backend::mysql,         test_backend::mysql_flavor, test_backend::postgresql_pooler};
}

/// gtest's parameter-name generator: `conformance/sqlite_file`.
struct backend_name {
  std::string operator()(::testing::TestParamInfo<test_backend> const& info) const {
    return std::string(name(info.param));
  }
};

inline std::string env_or_empty(char const* var) {
  char const* v = std::getenv(var);
  return v ? std::string(v) : std::string();
}

inline bool all_backends_required() { return env_or_empty("TASKSTORE_REQUIRE_ALL_BACKENDS") == "1"; }

/// `text` percent-encoded, for a URL inside a URL's query (listen_url, replica).
inline std::string percent_encoded(std::string const& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// A name no other test process uses at the same time.
inline std::string unique_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s;
  for (int i = 0; i < 10; ++i) s += digits[rng() % 36];
  return s;
}

/// A fresh SQLite file path under the temp directory; removed with its WAL
/// files when the object dies.
class temp_sqlite_file {
 public:
  temp_sqlite_file() : path_(std::filesystem::temp_directory_path() / ("taskstore-test-" + unique_suffix() + ".db")) {}
  ~temp_sqlite_file() {
    std::error_code ec;
    for (char const* ext : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_.string() + ext, ec);
  }
  temp_sqlite_file(temp_sqlite_file const&) = delete;
  temp_sqlite_file& operator=(temp_sqlite_file const&) = delete;
  std::filesystem::path const& path() const { return path_; }
  std::string url() const { return "sqlite:///" + path_.string(); }  // absolute: four slashes

 private:
  std::filesystem::path path_;
};

/// The environment variable with a server backend's URL; null for SQLite.
inline char const* server_url_variable(test_backend b) {
  if (b == test_backend::postgresql) return "TASKSTORE_TEST_POSTGRES_URL";
  if (b == test_backend::postgresql_pooler) return "TASKSTORE_TEST_POSTGRES_POOLER_URL";
  if (is_mysql(b)) return "TASKSTORE_TEST_MYSQL_URL";
  return nullptr;
}

/// The URL of a server backend from the environment, or nullopt.
inline std::optional<std::string> server_url(test_backend b) {
  auto const var = server_url_variable(b);
  auto url = var ? env_or_empty(var) : std::string();
  if (url.empty()) return std::nullopt;
  if (b == test_backend::mysql_flavor)
    url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("flavor=mysql");
  return url;
}

/// Skips (or, with TASKSTORE_REQUIRE_ALL_BACKENDS=1, fails) a test whose server
/// is not configured. Use at the top of SetUp().
#define TASKSTORE_REQUIRE_BACKEND(backend)                                                    \
  do {                                                                                        \
    if (auto const taskstore_var_ = ::taskstore::testing::server_url_variable(backend);       \
        taskstore_var_ && !::taskstore::testing::server_url(backend)) {                       \
      if (::taskstore::testing::all_backends_required())                                      \
        GTEST_FAIL() << taskstore_var_ << " is not set and TASKSTORE_REQUIRE_ALL_BACKENDS=1"; \
      GTEST_SKIP() << ::taskstore::testing::name(backend) << " skipped: " << taskstore_var_   \
                   << " is not set (run under scripts/with-databases)";                       \
    }                                                                                         \
  } while (0)

}  // namespace taskstore::testing
