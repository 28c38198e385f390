// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// MySQL and MariaDB: InnoDB tables, DDL that commits as it runs, GET_LOCK for migrations.

#include <taskstore/backend/mysql/schema_v0001.hpp>
#include <taskstore/db/backend.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/detail/config.hpp>
#include <taskstore/sql/dialect.hpp>

#include <soci/mysql/soci-mysql.h>

#include <string>
#include <string_view>
#include <vector>

namespace taskstore::detail {

/// A server of the MySQL family, or the SQL written for one: a flavor.
enum class mysql_server { mariadb, mysql };

/// The SQL of one flavor, for tables on one server. The two differ in what
/// MySQL 8.0 refuses: INSERT … RETURNING (MariaDB 10.5+), a literal DEFAULT
/// on LONGTEXT and JSON, and MariaDB's name of the NO PAD binary collation,
/// which follows the server rather than the flavor.
class mysql_dialect final : public sql::dialect {
 public:
  TASKSTORE_DECL mysql_dialect(mysql_server flavor, mysql_server server);

  std::string_view name() const noexcept override { return "mysql"; }
  std::span<std::string_view const> schema_v0001() const noexcept override { return schema_v0001_; }
  TASKSTORE_DECL std::string sql_type(column_info const& c) const override;
  std::string_view generated_key() const noexcept override { return "BIGINT AUTO_INCREMENT PRIMARY KEY"; }
  TASKSTORE_DECL std::string default_value(column_info const& c) const override;
  bool declares_indexes_inline() const noexcept override { return true; }
  std::string_view table_options() const noexcept override { return table_options_; }
  TASKSTORE_DECL std::string upsert(table_info const& t, std::string insert,
                                    std::vector<std::string_view> const& target) const override;
  // MySQL takes no IF [NOT] EXISTS here, and both name indexes per table.
  TASKSTORE_DECL std::string create_index(std::string_view name, std::string_view table,
                                          std::vector<std::string_view> const& columns) const override;
  TASKSTORE_DECL std::string drop_index(std::string_view name, std::string_view table) const override;
  std::string_view json_array_length() const noexcept override { return "JSON_LENGTH"; }
  bool returns_generated_keys() const noexcept override { return flavor_ == mysql_server::mariadb; }
  bool upsert_returns_key() const noexcept override { return false; }  // LAST_INSERT_ID()
  std::string_view no_limit() const noexcept override { return " LIMIT 18446744073709551615"; }
  std::string_view skip_locked() const noexcept override { return " FOR UPDATE SKIP LOCKED"; }
  std::string_view row_lock() const noexcept override { return " FOR UPDATE"; }
  bool forces_keyset_index() const noexcept override { return true; }
  bool backslash_escapes() const noexcept override { return true; }

  /// `SET NAMES …`: the connection's character set and collation.
  std::string const& set_names() const noexcept { return set_names_; }

 protected:
  char identifier_quote() const noexcept override { return '`'; }
  std::string_view current_time() const noexcept override { return "(UTC_TIMESTAMP(6))"; }

 private:
  mysql_server flavor_;
  std::string table_options_, set_names_;
  std::vector<std::string> schema_text_;  // migration 1 in this flavor, for this server
  std::vector<std::string_view> schema_v0001_;
};

/// How a MySQL or MariaDB error number and message map to taskstore's errors.
TASKSTORE_DECL translated translate_mysql(int number, std::string message);

/// MySQL 8.0.17+ or MariaDB 10.6+. The object the registry holds speaks
/// MariaDB; for_server() answers the one for the server connected to.
class mysql_backend final : public backend {
 public:
  /// The object for `flavor` (the SQL it sends) on `server` (the server it
  /// talks to), alive for the whole program.
  TASKSTORE_DECL static mysql_backend const& of(mysql_server flavor = mysql_server::mariadb,
                                                mysql_server server = mysql_server::mariadb);

  backend_kind kind() const noexcept override { return backend_kind::mysql; }
  sql::dialect const& dialect() const noexcept override { return dialect_; }
  std::string_view description() const noexcept override { return description_; }

  TASKSTORE_DECL soci::backend_factory const& factory() const override;
  TASKSTORE_DECL void set_up(soci::session& s, connection_options const& o) const override;
  TASKSTORE_DECL backend const& for_server(soci::session& s, connection_options const& o) const override;
  TASKSTORE_DECL backend const* flavor(std::string_view name) const override;

  // The session reads READ COMMITTED, under which a CONSISTENT SNAPSHOT takes
  // none: this one transaction reads REPEATABLE READ.
  void begin_snapshot(soci::session& s) const override {
    s << "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
    s << "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";
  }
  bool transactional_ddl() const noexcept override { return false; }
  TASKSTORE_DECL bool try_lock_migrations(soci::session& s, bool session_scope) const override;
  TASKSTORE_DECL void unlock_migrations(soci::session& s) const override;
  bool locks_migrations() const noexcept override { return true; }

  [[noreturn]] TASKSTORE_DECL void rethrow_translated() const override;
  TASKSTORE_DECL void raise_fault(soci::session& s, fault_kind kind) const override;

  TASKSTORE_DECL bool table_exists(soci::session& s, std::string const& table) const override;
  TASKSTORE_DECL std::vector<std::string> table_names(soci::session& s) const override;
  TASKSTORE_DECL std::int64_t size_bytes(soci::session& s) const override;
  TASKSTORE_DECL std::string columns_query() const override;

  TASKSTORE_DECL bool insert_rows(soci::session& s, bulk_rows const& rows, std::vector<long long>& keys) const override;

  TASKSTORE_DECL query_plan explain(soci::session& s, std::string const& select,
                                    std::vector<detail::cell> const& params,
                                    std::vector<detail::cell_slot> const& slots) const override;
  TASKSTORE_DECL std::vector<table_health> health_of_tables(soci::session& s,
                                                            std::vector<std::string> const& tables) const override;
  TASKSTORE_DECL std::optional<std::vector<index_usage>> index_use(soci::session& s,
                                                                   std::string& why_not) const override;
  TASKSTORE_DECL std::optional<std::vector<open_transaction>> long_transactions(soci::session& s,
                                                                                std::chrono::seconds older_than,
                                                                                std::string& why_not) const override;
  TASKSTORE_DECL void optimize(soci::session& s, std::vector<std::string> const& tables) const override;

 private:
  TASKSTORE_DECL mysql_backend(mysql_server flavor, mysql_server server);

  mysql_dialect dialect_;
  std::string_view description_;
};

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/mysql/impl/mysql_backend.ipp>
#endif
