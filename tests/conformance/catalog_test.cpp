// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// What taskstore creates, read back from each database's own catalog, must
// match the table_traits: columns, types, NULLs, constraint and index names.

#include <taskstore/repository/soci_repository.hpp>

#include "support/catalog.hpp"
#include "support/isolated_db.hpp"
#include "support/sample_types.hpp"

#include <map>
#include <string>

namespace {

using namespace taskstore;
using namespace taskstore::testing;

/// The type mapping (docs/design.md) as each catalog names the types, written out here
/// rather than taken from taskstore's own dialect code.
std::map<std::string, std::string> expected_types(backend_kind b) {
  switch (b) {
    case backend_kind::sqlite:
      return {{"id", "INTEGER"},
              {"owner_id", "INTEGER"},
              {"backup_owner_id", "INTEGER"},
              {"flag", "INTEGER"},
              {"small", "INTEGER"},
              {"big", "INTEGER"},
              {"ratio", "REAL"},
              {"text", "VARCHAR(200)"},
              {"shade", "VARCHAR(10)"},
              {"at", "TEXT"},
              {"key", "CHAR(36)"},
              {"tags", "TEXT"},
              {"detail", "TEXT"},
              {"extra", "TEXT"},
              {"revision", "INTEGER"},
              {"maybe_flag", "INTEGER"},
              {"maybe_small", "INTEGER"},
              {"maybe_big", "INTEGER"},
              {"maybe_ratio", "REAL"},
              {"note", "VARCHAR(20)"},
              {"tint", "VARCHAR(10)"},
              {"due", "TEXT"},
              {"parent", "CHAR(36)"},
              {"maybe_detail", "TEXT"}};
    case backend_kind::postgresql:
      return {{"id", "BIGINT"},
              {"owner_id", "BIGINT"},
              {"backup_owner_id", "BIGINT"},
              {"flag", "BOOLEAN"},
              {"small", "INTEGER"},
              {"big", "BIGINT"},
              {"ratio", "DOUBLE PRECISION"},
              {"text", "CHARACTER VARYING"},
              {"shade", "CHARACTER VARYING"},
              {"at", "TIMESTAMP WITH TIME ZONE"},
              {"key", "UUID"},
              {"tags", "JSONB"},
              {"detail", "JSONB"},
              {"extra", "JSONB"},
              {"revision", "INTEGER"},
              {"maybe_flag", "BOOLEAN"},
              {"maybe_small", "INTEGER"},
              {"maybe_big", "BIGINT"},
              {"maybe_ratio", "DOUBLE PRECISION"},
              {"note", "CHARACTER VARYING"},
              {"tint", "CHARACTER VARYING"},
              {"due", "TIMESTAMP WITH TIME ZONE"},
              {"parent", "UUID"},
              {"maybe_detail", "JSONB"}};
    case backend_kind::mysql:
      return {{"id", "BIGINT"},          {"owner_id", "BIGINT"}, {"backup_owner_id", "BIGINT"},
              {"flag", "TINYINT"},       {"small", "INT"},       {"big", "BIGINT"},
              {"ratio", "DOUBLE"},       {"text", "VARCHAR"},    {"shade", "VARCHAR"},
              {"at", "DATETIME"},        {"key", "CHAR"},        {"tags", "LONGTEXT"},
              {"detail", "LONGTEXT"},    {"extra", "LONGTEXT"},  {"revision", "INT"},
              {"maybe_flag", "TINYINT"}, {"maybe_small", "INT"}, {"maybe_big", "BIGINT"},
              {"maybe_ratio", "DOUBLE"}, {"note", "VARCHAR"},    {"tint", "VARCHAR"},
              {"due", "DATETIME"},       {"parent", "CHAR"},     {"maybe_detail", "LONGTEXT"}};
  }
  return {};
}

class catalog_test : public backend_test {};

TEST_P(catalog_test, created_tables_match_their_traits) {
  soci_repository<sample_ns::owner> owners(db());
  soci_repository<sample_ns::sample> samples(db());
  owners.create_table();
  samples.create_table();
  samples.create_table();  // IF NOT EXISTS: idempotent

  auto const t = read_catalog(db(), "samples");
  using model = table_model<sample_ns::sample>;
  ASSERT_EQ(t.columns.size(), model::column_count);
  auto const types = expected_types(db().backend().kind());
  for (std::size_t i = 0; i < model::column_count; ++i) {
    auto const& c = model::columns[i];
    EXPECT_EQ(t.columns[i].name, c.name);
    EXPECT_EQ(t.columns[i].type, types.at(std::string(c.name))) << c.name;
    if (!(c.primary_key && db().backend().kind() == backend_kind::sqlite)) {  // the rowid alias reports NULL allowed
      EXPECT_EQ(t.columns[i].nullable, c.nullable) << c.name;
    }
  }

  for (auto const* ix : {"ix_samples_at", "uq_samples_shade_text", "ix_samples_owner_id", "ix_samples_backup_owner_id"})
    EXPECT_TRUE(t.indexes.count(ix)) << "missing index " << ix;
  EXPECT_EQ(t.indexes.count("ix_samples_key"), 0u);  // unique, not an FK: no extra index

  for (auto const* name : {"uq_samples_key", "fk_samples_owner_id", "fk_samples_backup_owner_id", "ck_samples_text",
                           "ck_samples_small", "ck_samples_shade", "ck_samples_tint", "ck_samples_big"})
    EXPECT_TRUE(t.constraints.count(name)) << "missing constraint " << name;

  EXPECT_EQ(t.fk_delete_rules.at("owner_id"), "CASCADE");
  EXPECT_EQ(t.fk_delete_rules.at("backup_owner_id"), "SET NULL");

  auto const o = read_catalog(db(), "owners");
  EXPECT_TRUE(o.constraints.count("uq_owners_name"));
  EXPECT_EQ(o.columns.at(1).type, db().backend().kind() == backend_kind::sqlite       ? "VARCHAR(100)"
                                  : db().backend().kind() == backend_kind::postgresql ? "CHARACTER VARYING"
                                                                                      : "VARCHAR");
}

TEST_P(catalog_test, defaults_let_other_clients_insert_with_only_some_columns) {
  soci_repository<sample_ns::owner> owners(db());
  soci_repository<sample_ns::sample> samples(db());
  owners.create_table();
  samples.create_table();
  auto const alice = owners.insert({0, "alice"});
  // A client that knows only a few columns: the rest come from DEFAULTs.
  auto const q = [&](char const* name) { return sql::quote(db().dialect(), name); };
  db().execute("INSERT INTO samples (" + q("owner_id") + ", " + q("big") + ", " + q("text") + ", " + q("key") + ", " +
               q("detail") + ", " + q("extra") + ", " + q("revision") + ") VALUES (" + std::to_string(alice.id) +
               ", 1, 'raw', '0192f0a4-7b1c-7def-8123-456789abcdef', '{\"label\":\"x\",\"tags\":[]}', 'null', 0)");
  auto const before = timestamp::now() - std::chrono::seconds{5};
  ASSERT_EQ(samples.count(), 1u);
  auto const rows = query_text(db(), "SELECT " + q("id") + " FROM samples");
  auto const row = samples.find(std::stoll(rows.at(0).at(0)));
  ASSERT_TRUE(row);
  EXPECT_EQ(row->shade, sample_ns::color::GREEN);
  EXPECT_EQ(row->small, 0);
  EXPECT_EQ(row->ratio, 0.5);
  EXPECT_FALSE(row->flag);
  EXPECT_TRUE(row->tags->empty());
  EXPECT_GT(row->at, before);  // DEFAULT now, in UTC
  EXPECT_LT(row->at, timestamp::now() + std::chrono::seconds{5});
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(catalog_test);

}  // namespace
