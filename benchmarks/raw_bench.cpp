// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The practical ceiling: workloads 2 and 3 through each driver's C API on its
// own connection, set up as taskstore sets up its sessions, with the fastest
// bulk path each offers: a prepared INSERT stepped in one transaction
// (sqlite3), COPY FROM STDIN (libpq), multi-row INSERTs of escaped literals
// (MariaDB Connector/C). The rows and the conversion of a read row into a
// taskstore::task are the hand-written baseline's (handwritten.hpp).
// Workload 7's raw ceiling (claim_batch/raw/…) is in claim_bench.cpp.

#include "bench_support.hpp"
#include "handwritten.hpp"

#include <libpq-fe.h>
#include <mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>  // sqlite3.h, inside namespace sqlite_api

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

// SOCI's SQLite backend includes <sqlite3.h> inside namespace sqlite_api.
using namespace sqlite_api;  // NOLINT(google-build-using-namespace)

namespace bench {
namespace {

/// A driver connection with the two operations measured.
class raw_connection {
 public:
  virtual ~raw_connection() = default;
  virtual void insert_many(std::vector<ts::task> const& rows) = 0;
  virtual ts::task get(ts::uuid const& id) = 0;
};

// sqlite3 ---------------------------------------------------------------------

class sqlite_raw final : public raw_connection {
 public:
  explicit sqlite_raw(ts::connection_options const& o, std::int64_t user_id) {
    auto const path = o.in_memory ? std::string(":memory:") : o.path;
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
      throw std::runtime_error("sqlite3_open_v2 failed");
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA busy_timeout = 5000");
    if (!o.in_memory) {
      exec("PRAGMA journal_mode = WAL");
      exec("PRAGMA synchronous = NORMAL");
    } else {  // a private database: the same schema and user as taskstore's
      for (auto const& s : ts::canonical_schema_sql(ts::backend_for(ts::backend_kind::sqlite).dialect())) exec(s);
      exec("INSERT INTO users (id, email, full_name) VALUES (" + std::to_string(user_id) +
           ", 'raw@example.com', 'Raw')");
    }
    std::string const cols = task_column_list();
    std::string params;
    for (std::size_t i = 0; i < task_columns().size(); ++i) params += i ? ", ?" : "?";
    insert_ = prepare("INSERT INTO tasks (" + cols + ") VALUES (" + params + ")");
    select_ = prepare("SELECT " + cols + " FROM tasks WHERE task_id = ?");
  }
  ~sqlite_raw() override {
    sqlite3_finalize(insert_);
    sqlite3_finalize(select_);
    sqlite3_close(db_);
  }

  void insert_many(std::vector<ts::task> const& rows) override {
    exec("BEGIN IMMEDIATE");
    task_binding row;
    auto const& columns = task_columns();
    for (auto const& t : rows) {
      row.from(t);
      for (std::size_t i = 0; i < columns.size(); ++i) {
        auto const& c = columns[i];
        int const at = static_cast<int>(i + 1);
        switch (c.kind) {
          case task_column::optional_text:
            if (row.*c.indicator == soci::i_null) {
              sqlite3_bind_null(insert_, at);
              break;
            }
            [[fallthrough]];
          case task_column::text: {
            auto const& s = row.*c.text_member;
            sqlite3_bind_text(insert_, at, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
            break;
          }
          case task_column::int64: sqlite3_bind_int64(insert_, at, row.*c.int64_member); break;
          case task_column::int32: sqlite3_bind_int(insert_, at, row.*c.int32_member); break;
          case task_column::real: sqlite3_bind_double(insert_, at, row.*c.real_member); break;
        }
      }
      if (sqlite3_step(insert_) != SQLITE_DONE) fail("insert");
      sqlite3_reset(insert_);
    }
    exec("COMMIT");
  }

  ts::task get(ts::uuid const& id) override {
    auto const text = id.to_string();
    sqlite3_bind_text(select_, 1, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    if (sqlite3_step(select_) != SQLITE_ROW) fail("select");
    auto t = task_from_text([&](int at) {
      return std::pair{reinterpret_cast<char const*>(sqlite3_column_text(select_, at)),
                       static_cast<std::size_t>(sqlite3_column_bytes(select_, at))};
    });
    sqlite3_reset(select_);
    return t;
  }

 private:
  void exec(std::string const& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  sqlite3_stmt* prepare(std::string const& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) fail(sql);
    return st;
  }
  [[noreturn]] void fail(std::string const& what) {
    throw std::runtime_error("sqlite3: " + what + ": " + sqlite3_errmsg(db_));
  }
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
};

// libpq -----------------------------------------------------------------------

class pg_raw final : public raw_connection {
 public:
  explicit pg_raw(ts::connection_options const& o) : conn_(PQconnectdb(o.connect_string.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) fail("connect");
    exec("SET TIME ZONE 'UTC'");
    exec("SET DateStyle = 'ISO, YMD'");
    exec("SET client_encoding = 'UTF8'");
    auto* r = PQprepare(conn_, "get", ("SELECT " + task_column_list() + " FROM tasks WHERE task_id = $1").c_str(), 1,
                        nullptr);
    check(r, PGRES_COMMAND_OK, "prepare");
  }
  ~pg_raw() override { PQfinish(conn_); }

  void insert_many(std::vector<ts::task> const& rows) override {
    check(PQexec(conn_, ("COPY tasks (" + task_column_list() + ") FROM STDIN").c_str()), PGRES_COPY_IN, "COPY");
    task_binding row;
    std::string buf;
    auto const& columns = task_columns();
    for (auto const& t : rows) {
      row.from(t);
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) buf += '\t';
        auto const v = column_text(row, columns[i]);
        if (!v) {
          buf += "\\N";
          continue;
        }
        for (char ch : *v) {  // COPY text format escapes
          switch (ch) {
            case '\\': buf += "\\\\"; break;
            case '\t': buf += "\\t"; break;
            case '\n': buf += "\\n"; break;
            case '\r': buf += "\\r"; break;
            default: buf += ch;
          }
        }
      }
      buf += '\n';
      if (buf.size() > (1u << 16)) {
        if (PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) fail("PQputCopyData");
        buf.clear();
      }
    }
    if (!buf.empty() && PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) fail("PQputCopyData");
    if (PQputCopyEnd(conn_, nullptr) != 1) fail("PQputCopyEnd");
    check(PQgetResult(conn_), PGRES_COMMAND_OK, "COPY end");
    while (auto* r = PQgetResult(conn_)) PQclear(r);
  }

  ts::task get(ts::uuid const& id) override {
    auto const text = id.to_string();
    char const* values[] = {text.c_str()};
    auto* r = PQexecPrepared(conn_, "get", 1, values, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
      PQclear(r);
      fail("get");
    }
    auto t = task_from_text([&](int at) {
      return std::pair{PQgetisnull(r, 0, at) ? nullptr : PQgetvalue(r, 0, at),
                       static_cast<std::size_t>(PQgetlength(r, 0, at))};
    });
    PQclear(r);
    return t;
  }

 private:
  void exec(char const* sql) { check(PQexec(conn_, sql), PGRES_COMMAND_OK, sql); }
  void check(PGresult* r, ExecStatusType want, char const* what) {
    bool const ok = PQresultStatus(r) == want;
    PQclear(r);
    if (!ok) fail(what);
  }
  [[noreturn]] void fail(char const* what) {
    throw std::runtime_error(std::string("libpq: ") + what + ": " + PQerrorMessage(conn_));
  }
  PGconn* conn_;
};

// MariaDB Connector/C ---------------------------------------------------------

/// SOCI's `key=value key='quoted value'` connect string, as a map.
std::map<std::string, std::string> connect_pairs(std::string const& s) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    auto const eq = s.find('=', i);
    if (eq == std::string::npos) break;
    auto const key = s.substr(i, eq - i);
    std::string value;
    i = eq + 1;
    if (i < s.size() && s[i] == '\'') {
      for (++i; i < s.size() && s[i] != '\''; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i];
      }
      ++i;
    } else {
      while (i < s.size() && s[i] != ' ') value += s[i++];
    }
    out[key] = value;
  }
  return out;
}

class mysql_raw final : public raw_connection {
 public:
  explicit mysql_raw(ts::connection_options const& o) : conn_(mysql_init(nullptr)) {
    auto p = connect_pairs(o.connect_string);
    if (!mysql_real_connect(conn_, p["host"].c_str(), p["user"].c_str(), p["password"].c_str(), p["db"].c_str(),
                            static_cast<unsigned>(std::stoul(p.count("port") ? p["port"] : "3306")), nullptr, 0))
      fail("connect");
    exec("SET NAMES utf8mb4 COLLATE utf8mb4_nopad_bin");
    exec("SET time_zone = '+00:00'");
  }
  ~mysql_raw() override { mysql_close(conn_); }

  void insert_many(std::vector<ts::task> const& rows) override {
    exec("START TRANSACTION");
    std::string const head = "INSERT INTO tasks (" + task_column_list() + ") VALUES ";
    task_binding row;
    auto const& columns = task_columns();
    std::string sql, escaped;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (sql.empty()) sql = head;
      row.from(rows[r]);
      sql += sql.size() == head.size() ? "(" : ", (";
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i) sql += ", ";
        auto const v = column_text(row, columns[i]);
        if (!v) {
          sql += "NULL";
          continue;
        }
        escaped.resize(v->size() * 2 + 1);
        auto const n = mysql_real_escape_string(conn_, escaped.data(), v->data(), v->size());
        sql += '\'';
        sql.append(escaped.data(), n);
        sql += '\'';
      }
      sql += ')';
      if ((r + 1) % 1000 == 0 || r + 1 == rows.size()) {  // well under max_allowed_packet
        exec(sql);
        sql.clear();
      }
    }
    exec("COMMIT");
  }

  ts::task get(ts::uuid const& id) override {
    auto const sql = "SELECT " + task_column_list() + " FROM tasks WHERE task_id = '" + id.to_string() + "'";
    exec(sql);
    MYSQL_RES* res = mysql_store_result(conn_);
    if (!res) fail("store_result");
    MYSQL_ROW r = mysql_fetch_row(res);
    if (!r) {
      mysql_free_result(res);
      throw std::runtime_error("mysql: task not found");
    }
    auto const* lengths = mysql_fetch_lengths(res);
    auto t = task_from_text([&](int at) { return std::pair<char const*, std::size_t>{r[at], lengths[at]}; });
    mysql_free_result(res);
    return t;
  }

 private:
  void exec(std::string const& sql) {
    if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail(sql.substr(0, 60).c_str());
  }
  [[noreturn]] void fail(char const* what) {
    throw std::runtime_error(std::string("mariadb: ") + what + ": " + mysql_error(conn_));
  }
  MYSQL* conn_;
};

/// One raw connection per backend for the run.
raw_connection& raw(fixture& f, backend const& b) {
  static std::map<std::string, std::unique_ptr<raw_connection>> conns;
  auto& slot = conns[b.name + "/" + b.workload];
  if (!slot) {
    auto const o = ts::parse_url(f.url);
    switch (o.backend) {
      case ts::backend_kind::sqlite: slot = std::make_unique<sqlite_raw>(o, f.user_id); break;
      case ts::backend_kind::postgresql: slot = std::make_unique<pg_raw>(o); break;
      case ts::backend_kind::mysql: slot = std::make_unique<mysql_raw>(o); break;
    }
  }
  return *slot;
}

void insert_many_raw(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto& conn = raw(f, b);
    auto const n = static_cast<std::size_t>(state.range(0));
    for (auto _ : state) {
      state.PauseTiming();
      auto rows = make_tasks(f.user_id, n);
      state.ResumeTiming();
      conn.insert_many(rows);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
  });
}

void get_raw(benchmark::State& state, backend const& b) {
  guarded(state, [&] {
    auto& f = open(b);
    auto& conn = raw(f, b);
    static std::map<std::string, std::vector<ts::uuid>> sets;  // the raw connection's own rows (SQLite memory)
    auto& ids = sets[b.name + "/" + b.workload];
    if (ids.empty()) {
      auto rows = make_tasks(f.user_id, 1000);
      conn.insert_many(rows);
      for (auto const& t : rows) ids.push_back(t.task_id);
    }
    std::size_t i = 0;
    for (auto _ : state) {
      auto t = conn.get(ids[i++ % ids.size()]);
      if (t.user_id != f.user_id || t.deleted_at) throw std::runtime_error("not the user's task");
      benchmark::DoNotOptimize(t.agents->size());
    }
    state.SetItemsProcessed(state.iterations());
  });
}

}  // namespace

void register_raw_benchmarks() {
  for (auto* r : register_all("insert_many", "raw", insert_many_raw))
    r->ArgName("rows")->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
  register_all("get", "raw", get_raw);
}

}  // namespace bench
