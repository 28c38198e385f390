// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The generic core on every backend: DDL from table_traits, typed round trips,
// constraint errors with the same code everywhere, cascades, transactions.

#include <taskstore/db/detail/statement_cache.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include "support/isolated_db.hpp"
#include "support/sample_types.hpp"

#include <boost/json/parse.hpp>

#include <limits>
#include <string>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using sample_ns::owner;
using sample_ns::sample;

static_assert(repository<soci_repository<sample>, sample>);
static_assert(repository<soci_repository<owner>, owner>);

/// Lacks remove(): must not satisfy the concept.
struct no_remove {
  using value_type = owner;
  using key_type = std::int64_t;
  owner insert(owner const& o) { return o; }
  std::optional<owner> find(std::int64_t const&) { return {}; }
  bool update(owner&) { return false; }
  std::size_t count() { return 0; }
};
static_assert(!repository<no_remove, owner>);
static_assert(!repository<soci_repository<owner>, sample>);

class repository_test : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    owners_.emplace(db());
    samples_.emplace(db());
    owners_->create_table();
    samples_->create_table();
    alice_ = owners_->insert({0, "alice"});
    bob_ = owners_->insert({0, "bob"});
  }

  sample make(std::string text) {
    sample s;
    s.owner_id = alice_.id;
    s.text = std::move(text);
    s.at = timestamp::parse("2024-02-29 23:59:59.123456");
    s.key = uuid::generate_v7();
    s.tags = std::vector<std::string>{"x"};
    s.detail = sample_ns::detail_info{"d", 1, {"t"}};
    s.extra = boost::json::object{};
    return s;
  }

  void expect_code(errc code, auto&& fn) {
    try {
      fn();
      ADD_FAILURE() << "no error; expected " << to_string(code);
    } catch (error const& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_EQ(e.category(), error_category::user_fixable) << e.what();
    }
  }

  std::optional<soci_repository<owner>> owners_;
  std::optional<soci_repository<sample>> samples_;
  owner alice_, bob_;
};

TEST_P(repository_test, insert_assigns_ids_and_find_round_trips_every_type) {
  EXPECT_GT(alice_.id, 0);
  EXPECT_GT(bob_.id, alice_.id);

  sample s = make("Grüße, 世界 🚀 'quoted' \"double\" ; -- %_\\");
  s.backup_owner_id = bob_.id;
  s.flag = true;
  s.small = 100;
  s.big = std::numeric_limits<std::int64_t>::max();
  s.ratio = -1.0 / 3.0;
  s.shade = sample_ns::color::BLUE_GREEN;
  s.extra = boost::json::parse(R"({"nested":{"deep":[1,2.5,"three",null,true,{"k":"ü"}]},"n":-9007199254740993})");
  s.maybe_flag = false;
  s.maybe_small = std::numeric_limits<std::int32_t>::min();
  s.maybe_big = std::numeric_limits<std::int64_t>::min();
  s.maybe_ratio = 1e-300;
  s.note = "short note";
  s.tint = sample_ns::color::RED;
  s.due = timestamp::parse("1970-01-01 00:00:00.000001");
  s.parent = uuid::generate_v4();
  s.maybe_detail = json<sample_ns::detail_info>(sample_ns::detail_info{"m", std::nullopt, {}});

  auto const stored = samples_->insert(s);
  ASSERT_GT(stored.id, 0);
  auto const back = samples_->find(stored.id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, stored.id);
  EXPECT_EQ(back->owner_id, s.owner_id);
  EXPECT_EQ(back->backup_owner_id, s.backup_owner_id);
  EXPECT_EQ(back->flag, true);
  EXPECT_EQ(back->small, 100);
  EXPECT_EQ(back->big, s.big);
  EXPECT_EQ(back->ratio, s.ratio);
  EXPECT_EQ(back->text, s.text);
  EXPECT_EQ(back->shade, s.shade);
  EXPECT_EQ(back->at, s.at);
  EXPECT_EQ(back->key, s.key);
  EXPECT_EQ(*back->tags, *s.tags);
  EXPECT_EQ(back->detail->label, "d");
  EXPECT_EQ(back->extra, s.extra);  // by value: JSONB reorders keys
  EXPECT_EQ(back->maybe_flag, s.maybe_flag);
  EXPECT_EQ(back->maybe_small, s.maybe_small);
  EXPECT_EQ(back->maybe_big, s.maybe_big);
  EXPECT_EQ(back->maybe_ratio, s.maybe_ratio);
  EXPECT_EQ(back->note, s.note);
  EXPECT_EQ(back->tint, s.tint);
  EXPECT_EQ(back->due, s.due);
  EXPECT_EQ(back->parent, s.parent);
  ASSERT_TRUE(back->maybe_detail);
  EXPECT_EQ((*back->maybe_detail)->label, "m");
  EXPECT_FALSE(samples_->find(stored.id + 1000));
}

TEST_P(repository_test, insert_many_with_given_keys_round_trips_every_type_and_escape) {
  // Rows with their keys set take each backend's bulk path without RETURNING
  // (COPY on PostgreSQL, escaped literals on MariaDB): every type, NULLs, and
  // the characters those formats escape must come back as they went in.
  std::vector<sample> rows;
  for (int i = 0; i < 3; ++i) {
    sample s =
        make(std::string("tab\there, newline\nthere, CR\r, back\\slash \\N, 'q' \"dq\" %_ ü 🚀 #") + std::to_string(i));
    s.id = 5000 + i;
    s.flag = i % 2 == 0;
    s.ratio = -1.0 / 3.0 + i;
    s.big = std::numeric_limits<std::int64_t>::min() + i;
    s.extra = boost::json::parse(R"({"k":"tab\tnl\nbs\\","n":[1,2.5,null]})");
    if (i == 1) {
      s.maybe_ratio = 1e-300;
      s.note = "\\N";
      s.due = timestamp::parse("1970-01-01 00:00:00.000001");
      s.parent = uuid::generate_v4();
    }
    rows.push_back(s);
  }
  auto const stored = samples_->insert_many(rows);
  ASSERT_EQ(stored.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto const back = samples_->find(rows[i].id);
    ASSERT_TRUE(back) << i;
    EXPECT_EQ(stored[i].id, rows[i].id);
    EXPECT_EQ(back->text, rows[i].text);
    EXPECT_EQ(back->flag, rows[i].flag);
    EXPECT_EQ(back->ratio, rows[i].ratio);
    EXPECT_EQ(back->big, rows[i].big);
    EXPECT_EQ(back->extra, rows[i].extra);
    EXPECT_EQ(back->at, rows[i].at);
    EXPECT_EQ(back->key, rows[i].key);
    EXPECT_EQ(back->maybe_ratio, rows[i].maybe_ratio);
    EXPECT_EQ(back->note, rows[i].note);
    EXPECT_EQ(back->due, rows[i].due);
    EXPECT_EQ(back->parent, rows[i].parent);
  }
  // A taken key in the batch: already_exists, and none of the batch is stored.
  auto const before = samples_->count();
  auto again = rows;
  for (auto& r : again) r.id += 100;
  again.back().id = rows.front().id;
  expect_code(errc::already_exists, [&] { samples_->insert_many(again); });
  EXPECT_EQ(samples_->count(), before);
  EXPECT_FALSE(samples_->find(again.front().id));
}

TEST_P(repository_test, insert_many_of_generated_keys_returns_them_ascending_in_input_order) {
  // 1,500 rows: two chunks (1,000 and 500). PostgreSQL takes their keys from
  // the key's sequence and COPYs the rows; the others generate them as they
  // insert.
  std::vector<owner> rows;
  for (int i = 0; i < 1500; ++i) rows.push_back({0, "tab\t nl\n cr\r bs\\ \\N #" + std::to_string(i)});
  auto const stored = owners_->insert_many(rows);
  ASSERT_EQ(stored.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) {
      ASSERT_GT(stored[i].id, stored[i - 1].id) << i;
    }
    auto const back = owners_->find(stored[i].id);
    ASSERT_TRUE(back) << i;
    ASSERT_EQ(back->name, rows[i].name) << i;
  }
  EXPECT_GT(stored.front().id, bob_.id);
  // The next generated key follows the batch's: nothing reused.
  EXPECT_GT(owners_->insert({0, "after"}).id, stored.back().id);

  if (is(test_backend::postgresql)) {
    // A key filled by a default from a sequence the column does not own:
    // no sequence to take keys from, so INSERT … RETURNING gives them.
    db().execute("ALTER TABLE owners ALTER COLUMN id DROP IDENTITY");
    db().execute("CREATE SEQUENCE owners_elsewhere START 700000");
    db().execute("ALTER TABLE owners ALTER COLUMN id SET DEFAULT nextval('owners_elsewhere')");
    std::vector<owner> batch;
    for (int i = 0; i < 300; ++i) batch.push_back({0, "elsewhere " + std::to_string(i)});
    auto const more = owners_->insert_many(batch);
    ASSERT_EQ(more.size(), batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) ASSERT_EQ(more[i].id, 700000 + static_cast<std::int64_t>(i)) << i;
    EXPECT_EQ(owners_->find(700299)->name, "elsewhere 299");
  }
}

// MySQL and MariaDB step keys by auto_increment_increment (Galera and group
// replication set it): the MySQL flavor computes each row's key from the
// first one and that step, MariaDB's reads them back.
class mysql_repository_test : public repository_test {};

TEST_P(mysql_repository_test, insert_many_returns_generated_keys_under_any_auto_increment_step) {
  std::vector<owner> rows;
  for (int i = 0; i < 40; ++i) rows.push_back({0, "stepped " + std::to_string(i)});
  auto const stored = db().transact([&] {  // one session: the setting is the session's
    db().execute("SET SESSION auto_increment_increment = 3");
    auto out = owners_->insert_many(rows);
    db().execute("SET SESSION auto_increment_increment = 1");
    return out;
  });
  ASSERT_EQ(stored.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0) {
      EXPECT_EQ(stored[i].id - stored[i - 1].id, 3) << i;
    }
    auto const back = owners_->find(stored[i].id);
    ASSERT_TRUE(back) << i;
    EXPECT_EQ(back->name, rows[i].name) << i;
  }
}

TEST_P(repository_test, nulls_round_trip_as_empty_optionals) {
  auto const stored = samples_->insert(make("nulls"));
  auto const back = samples_->find(stored.id);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->backup_owner_id || back->maybe_flag || back->maybe_small || back->maybe_big || back->maybe_ratio ||
               back->note || back->tint || back->due || back->parent || back->maybe_detail);
}

TEST_P(repository_test, keeps_a_one_megabyte_string_and_int64_extremes) {
  std::string big(1 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  auto s = make(big.substr(0, 200));
  s.extra = boost::json::value(big);
  s.big = std::numeric_limits<std::int64_t>::min();
  auto const back = samples_->find(samples_->insert(s).id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->extra.as_string(), big);
  EXPECT_EQ(back->big, std::numeric_limits<std::int64_t>::min());
}

TEST_P(repository_test, update_replaces_the_row_and_bumps_the_version) {
  auto stored = samples_->insert(make("before"));
  EXPECT_EQ(stored.revision, 0);
  stored.text = "after";
  stored.note = "now set";
  stored.at = timestamp::parse("2030-01-01T00:00:00.5Z");
  EXPECT_TRUE(samples_->update(stored));
  EXPECT_EQ(stored.revision, 1);
  auto back = samples_->find(stored.id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->text, "after");
  EXPECT_EQ(back->note, "now set");
  EXPECT_EQ(back->at, stored.at);
  EXPECT_EQ(back->revision, 1);

  auto missing = stored;
  missing.id += 1000;
  EXPECT_FALSE(samples_->update(missing));
}

TEST_P(repository_test, a_stale_version_is_a_conflict_and_changes_nothing) {
  auto first = samples_->insert(make("v0"));
  auto second = first;
  first.text = "first writer";
  ASSERT_TRUE(samples_->update(first));
  second.text = "second writer";
  try {
    samples_->update(second);
    ADD_FAILURE() << "stale update accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::conflict);
  }
  EXPECT_EQ(samples_->find(first.id)->text, "first writer");
  EXPECT_EQ(second.revision, 0);
}

TEST_P(repository_test, update_from_a_read_row_writes_only_what_changed_with_the_same_version_check) {
  auto const read = samples_->insert(make("v0"));
  // Another writer changes a column this one leaves alone, through a row it read.
  auto other = read;
  other.note = "other writer";
  ASSERT_TRUE(samples_->update(other, read));
  EXPECT_EQ(other.revision, 1);

  // A writer holding the old version is a conflict, though it touches another column.
  auto stale = read;
  stale.text = "stale";
  try {
    samples_->update(stale, read);
    ADD_FAILURE() << "stale update accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::conflict);
  }
  EXPECT_EQ(stale.revision, 0);

  auto fresh = *samples_->find(read.id);
  auto const fresh_read = fresh;
  fresh.text = "v2";
  fresh.at = timestamp::parse("2030-01-01T00:00:00.5Z");
  fresh.tags = std::vector<std::string>{"y", "z"};
  ASSERT_TRUE(samples_->update(fresh, fresh_read));
  EXPECT_EQ(fresh.revision, 2);
  auto const back = *samples_->find(read.id);
  EXPECT_EQ(back.text, "v2");
  EXPECT_EQ(back.at, fresh.at);
  EXPECT_EQ(back.tags, fresh.tags);
  EXPECT_EQ(back.note, "other writer");  // not rewritten: it did not change here
  EXPECT_EQ(back.revision, 2);

  auto unchanged = back;  // nothing changed: the version still moves
  ASSERT_TRUE(samples_->update(unchanged, back));
  EXPECT_EQ(samples_->find(read.id)->revision, 3);

  auto missing = back;
  missing.id += 1000;
  EXPECT_FALSE(samples_->update(missing, back));
}

TEST_P(repository_test, update_from_a_read_row_without_a_version_leaves_the_other_columns_to_other_writers) {
  soci_repository<sample_ns::event_row> rows(db());
  rows.create_table();
  auto const read = rows.insert({0, 1, "first", timestamp::parse("2024-01-01 00:00:00"), 0.5});
  // Another writer sets the score after this one read the row.
  ASSERT_EQ(rows.update_where(query<sample_ns::event_row>{col(&sample_ns::event_row::id) == read.id},
                              set(&sample_ns::event_row::score, std::optional<double>(9.0))),
            1u);
  auto mine = read;
  mine.body = "second";
  ASSERT_TRUE(rows.update(mine, read));
  auto const back = *rows.find(read.id);
  EXPECT_EQ(back.body, "second");
  EXPECT_EQ(back.score, 9.0);  // not rewritten with the stale 0.5: it did not change here
  EXPECT_EQ(back.at, read.at);

  auto same = back;  // nothing changed: no statement, but the row is there
  EXPECT_TRUE(rows.update(same, back));
  auto missing = back;
  missing.id += 1000;
  EXPECT_FALSE(rows.update(missing, back));
  missing.body = "changed";
  EXPECT_FALSE(rows.update(missing, back));
}

TEST_P(repository_test, updates_of_different_columns_each_write_their_own_and_a_failed_one_changes_nothing) {
  auto row = samples_->insert(make("v0"));
  auto const write = [&](auto&& change) {
    auto const read = row;
    change(row);
    ASSERT_TRUE(samples_->update(row, read));
  };
  write([](sample& s) { s.text = "text only"; });
  write([](sample& s) { s.note = "note only"; });
  write([](sample& s) { s.small = 40; });
  write([](sample& s) { s.text = "text again"; });  // the first set of columns, again
  write([](sample& s) {
    s.text = "text and note";
    s.note = "both";
  });
  auto back = *samples_->find(row.id);
  EXPECT_EQ(back.text, "text and note");
  EXPECT_EQ(back.note, "both");
  EXPECT_EQ(back.small, 40);
  EXPECT_EQ(back.revision, 5);

  // A value the table's CHECK refuses: nothing is written, the version stays.
  auto bad = row;
  bad.big = 13;
  expect_code(errc::constraint_violation, [&] { samples_->update(bad, row); });
  EXPECT_EQ(bad.revision, 5);
  back = *samples_->find(row.id);
  EXPECT_EQ(back.big, row.big);
  EXPECT_EQ(back.revision, 5);
  // The same columns again, with a good value: the failed statement is prepared anew.
  write([](sample& s) { s.big = 14; });
  EXPECT_EQ(samples_->find(row.id)->big, 14);
  // A value beyond a constraint table_traits declares is refused before any statement.
  bad = row;
  bad.small = 101;
  expect_code(errc::validation_failed, [&] { samples_->update(bad, row); });
  EXPECT_EQ(samples_->find(row.id)->revision, row.revision);
  write([](sample& s) { s.small = 60; });
  EXPECT_EQ(samples_->find(row.id)->small, 60);

  // update(row) writes every column after the partial ones.
  row.text = "full";
  row.note.reset();
  row.shade = sample_ns::color::RED;
  ASSERT_TRUE(samples_->update(row));
  back = *samples_->find(row.id);
  EXPECT_EQ(back.text, "full");
  EXPECT_FALSE(back.note);
  EXPECT_EQ(back.shade, sample_ns::color::RED);
  EXPECT_EQ(back.small, 60);
  EXPECT_EQ(back.big, 14);
  EXPECT_EQ(back.revision, 8);
}

TEST_P(repository_test, an_update_of_the_same_columns_reuses_its_prepared_statement) {
  auto row = samples_->insert(make("v0"));
  db().transact([&] {  // one session throughout: the transaction's
    auto const cache = [&] {
      auto lease = detail::session_of(db());
      return std::pair{lease.cache().size(), lease.cache().hits()};
    };
    auto const update_text = [&](std::string text) {
      auto const read = row;
      row.text = std::move(text);
      samples_->update(row, read);
    };
    update_text("first");  // a fresh database: prepared here
    auto const [size, hits] = cache();
    update_text("second");
    update_text("third");
    EXPECT_EQ(cache(), std::pair(size, hits + 2));
    auto const read = row;
    row.note = "other columns";
    samples_->update(row, read);
    EXPECT_EQ(cache(), std::pair(size + 1, hits + 2));  // another statement
    update_text("fourth");
    EXPECT_EQ(cache(), std::pair(size + 1, hits + 3));
  });
  EXPECT_EQ(samples_->find(row.id)->text, "fourth");
}

TEST_P(repository_test, a_statement_evicted_or_cleared_is_no_longer_found_by_its_shape) {
  auto lease = detail::session_of(db());
  auto& cache = lease.cache();
  std::string const text = "SELECT 1", shape = "a shape";
  std::vector<detail::cell_slot> const none, one{detail::cell_slot::integer};
  auto const spec = [&] { return detail::statement_spec{text, none, one}; };
  auto const prepared = cache.get_shape(lease.get(), shape, spec);
  ASSERT_NE(cache.find_shape(shape), nullptr);
  auto const again = cache.get_shape(lease.get(), shape, []() -> detail::statement_spec {
    ADD_FAILURE() << "a statement found by its shape was specified again";
    return {};
  });
  EXPECT_EQ(again.statement, prepared.statement);
  EXPECT_EQ(cache.find_shape(shape)->statement, prepared.statement);
  EXPECT_EQ(*cache.find_shape(shape)->text, text);
  EXPECT_TRUE(prepared.statement->execute());
  EXPECT_EQ(prepared.statement->results()[0].integer, 1);
  prepared.statement->finish();

  cache.evict(text);  // what a failed execution does
  EXPECT_EQ(cache.find_shape(shape), nullptr);
  cache.get_shape(lease.get(), shape, spec);
  cache.clear();
  EXPECT_EQ(cache.find_shape(shape), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST_P(repository_test, update_many_writes_what_changed_in_each_row_and_moves_every_version) {
  std::vector<sample> read;
  for (int i = 0; i < 150; ++i) read.push_back(samples_->insert(make("row " + std::to_string(i))));  // two chunks
  auto rows = read;
  rows[0].text = "text and tags";
  rows[0].tags = std::vector<std::string>{"a", "b"};
  rows[1].at = timestamp::parse("2031-05-06T07:08:09.000001Z");
  rows[1].shade = sample_ns::color::GREEN;
  rows[1].maybe_flag = true;
  rows[1].backup_owner_id = bob_.id;
  // rows[2] is written unchanged: its version still moves.
  for (std::size_t i = 3; i < rows.size(); ++i) rows[i].big = static_cast<std::int64_t>(i) << 40;
  rows[149].extra = boost::json::parse(R"({"last": [1, 2]})");

  samples_->update_many(rows, read);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].revision, 1) << i;
    auto const back = *samples_->find(rows[i].id);
    EXPECT_EQ(back.revision, 1) << i;
    EXPECT_EQ(back.text, rows[i].text) << i;
    EXPECT_EQ(back.big, rows[i].big) << i;
  }
  auto const first = *samples_->find(rows[0].id);
  EXPECT_EQ(first.tags, rows[0].tags);
  EXPECT_EQ(first.at, read[0].at);
  auto const second = *samples_->find(rows[1].id);
  EXPECT_EQ(second.at, rows[1].at);
  EXPECT_EQ(second.shade, sample_ns::color::GREEN);
  EXPECT_EQ(second.maybe_flag, std::optional<bool>(true));
  EXPECT_EQ(second.backup_owner_id, std::optional<std::int64_t>(bob_.id));
  EXPECT_EQ(second.text, read[1].text);
  EXPECT_EQ(samples_->find(rows[149].id)->extra, rows[149].extra);

  // Back to NULL, from the rows as now stored.
  auto const stored = rows;
  rows[1].maybe_flag.reset();
  rows[1].backup_owner_id.reset();
  samples_->update_many(std::span(rows).first(2), std::span(stored).first(2));
  EXPECT_FALSE(samples_->find(rows[1].id)->maybe_flag);
  EXPECT_FALSE(samples_->find(rows[1].id)->backup_owner_id);
  EXPECT_EQ(samples_->find(rows[0].id)->revision, 2);
  EXPECT_EQ(samples_->find(rows[2].id)->revision, 1);
}

TEST_P(repository_test, update_many_writes_nothing_when_one_row_is_stale_missing_or_repeated) {
  std::vector<sample> read;
  for (int i = 0; i < 150; ++i) read.push_back(samples_->insert(make("row " + std::to_string(i))));
  auto const unchanged = [&] {
    for (auto const& r : read) {
      auto const back = *samples_->find(r.id);
      if (back.text != r.text || back.revision != r.revision) return false;
    }
    return true;
  };
  auto changed = [&] {
    auto rows = read;
    for (auto& r : rows) r.text += " changed";
    return rows;
  };

  // Another writer moved row 120 on (the second chunk): the first chunk is undone too.
  auto other = read[120];
  auto const other_read = other;
  other.small = 7;
  ASSERT_TRUE(samples_->update(other, other_read));
  read[120] = other;
  auto rows = changed();
  rows[120].revision = 0;
  auto before = read;
  before[120].revision = 0;
  expect_code(errc::conflict, [&] { samples_->update_many(rows, before); });
  EXPECT_EQ(rows[0].revision, 0);  // the rows keep their versions
  EXPECT_TRUE(unchanged());

  rows = changed();
  rows[140].id += 100000;
  before = read;
  before[140].id = rows[140].id;
  expect_code(errc::not_found, [&] { samples_->update_many(rows, before); });
  EXPECT_TRUE(unchanged());

  rows = changed();
  rows[99] = rows[3];
  before = read;
  before[99] = read[3];
  expect_code(errc::validation_failed, [&] { samples_->update_many(rows, before); });
  rows = changed();
  expect_code(errc::validation_failed, [&] { samples_->update_many(rows, std::span(read).first(10)); });
  EXPECT_TRUE(unchanged());

  // Inside a transaction the error rolls the caller's writes back with it.
  rows = changed();
  rows[7].revision = 5;
  expect_code(errc::conflict, [&] {
    db().transact([&] {
      samples_->insert(make("inside"));
      samples_->update_many(rows, read);
    });
  });
  EXPECT_TRUE(unchanged());
  EXPECT_EQ(samples_->count(), read.size());
}

// One operation applied to a batch: every row changes the same columns
// (PostgreSQL joins them against a VALUES list of typed parameters).
TEST_P(repository_test, update_many_of_rows_changing_the_same_columns_writes_every_type_and_each_row_its_own) {
  std::vector<sample> read;
  for (int i = 0; i < 30; ++i) read.push_back(samples_->insert(make("same " + std::to_string(i))));
  auto rows = read;
  auto const at = timestamp::parse("2030-01-02 03:04:05.000006");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto& r = rows[i];
    auto const n = static_cast<std::int32_t>(i);
    r.backup_owner_id = bob_.id;
    r.flag = true;
    r.small = n + 1;  // every row changes every column: none keeps a stored 0
    r.big = static_cast<std::int64_t>(i + 1) << 35;
    r.ratio = 0.25 + n;
    r.text = "changed " + std::to_string(i);
    r.shade = sample_ns::color::BLUE_GREEN;
    r.at = at + std::chrono::seconds(n);
    r.key = uuid::generate_v4();
    r.tags = std::vector<std::string>{"t", std::to_string(i)};
    r.detail = sample_ns::detail_info{"l" + std::to_string(i), n, {}};
    r.extra = boost::json::object{{"i", n}};
    r.maybe_flag = i % 2 == 0;
    r.maybe_small = -n;
    r.maybe_big = -(static_cast<std::int64_t>(i) << 40);
    r.maybe_ratio = -0.5 * n;
    r.note = "n" + std::to_string(i);
    r.tint = sample_ns::color::RED;
    r.due = at - std::chrono::hours(n);
    r.parent = uuid::generate_v7();
    r.maybe_detail = json<sample_ns::detail_info>(sample_ns::detail_info{"m", n, {"x"}});
  }
  samples_->update_many(rows, read);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    auto const& r = rows[i];
    auto const back = *samples_->find(r.id);
    EXPECT_EQ(back.revision, 1) << i;
    EXPECT_EQ(back.backup_owner_id, r.backup_owner_id) << i;
    EXPECT_EQ(back.flag, r.flag) << i;
    EXPECT_EQ(back.small, r.small) << i;
    EXPECT_EQ(back.big, r.big) << i;
    EXPECT_EQ(back.ratio, r.ratio) << i;
    EXPECT_EQ(back.text, r.text) << i;
    EXPECT_EQ(back.shade, r.shade) << i;
    EXPECT_EQ(back.at, r.at) << i;
    EXPECT_EQ(back.key, r.key) << i;
    EXPECT_EQ(back.tags, r.tags) << i;
    EXPECT_EQ(back.detail->label, r.detail->label) << i;
    EXPECT_EQ(back.detail->score, r.detail->score) << i;
    EXPECT_EQ(back.extra, r.extra) << i;
    EXPECT_EQ(back.maybe_flag, r.maybe_flag) << i;
    EXPECT_EQ(back.maybe_small, r.maybe_small) << i;
    EXPECT_EQ(back.maybe_big, r.maybe_big) << i;
    EXPECT_EQ(back.maybe_ratio, r.maybe_ratio) << i;
    EXPECT_EQ(back.note, r.note) << i;
    EXPECT_EQ(back.tint, r.tint) << i;
    EXPECT_EQ(back.due, r.due) << i;
    EXPECT_EQ(back.parent, r.parent) << i;
    ASSERT_TRUE(back.maybe_detail) << i;
    EXPECT_EQ((*back.maybe_detail)->score, std::optional<std::int32_t>(static_cast<std::int32_t>(i))) << i;
  }

  // Every row back to NULL in the same columns.
  auto stored = rows;
  for (auto& r : rows) {
    r.backup_owner_id.reset();
    r.maybe_flag.reset();
    r.maybe_small.reset();
    r.maybe_big.reset();
    r.maybe_ratio.reset();
    r.note.reset();
    r.tint.reset();
    r.due.reset();
    r.parent.reset();
    r.maybe_detail.reset();
  }
  samples_->update_many(rows, stored);
  for (auto const& r : rows) {
    auto const back = *samples_->find(r.id);
    EXPECT_EQ(back.revision, 2);
    EXPECT_FALSE(back.backup_owner_id || back.maybe_flag || back.maybe_small || back.maybe_big || back.maybe_ratio ||
                 back.note || back.tint || back.due || back.parent || back.maybe_detail);
    EXPECT_EQ(back.text, r.text);
  }

  // Nothing changed: every version still moves, and a stale row among them is a conflict.
  stored = rows;
  samples_->update_many(rows, stored);
  for (auto const& r : rows) EXPECT_EQ(samples_->find(r.id)->revision, 3);
  stored = rows;
  rows[11].revision = 0;
  auto stale = stored;
  stale[11].revision = 0;
  expect_code(errc::conflict, [&] { samples_->update_many(rows, stale); });
  for (auto const& r : stored) EXPECT_EQ(samples_->find(r.id)->revision, 3);
  rows = stored;

  // A text too long for its column in one row: refused before any statement, and no row changes.
  stored = rows;
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].note = i == 17 ? std::string(21, 'x') : "ok";
  expect_code(errc::validation_failed, [&] { samples_->update_many(rows, stored); });
  for (auto const& r : stored) {
    auto const back = *samples_->find(r.id);
    EXPECT_EQ(back.revision, 3);
    EXPECT_FALSE(back.note);
  }

  // Without a version: each row its own value, and a missing row is not_found with nothing written.
  soci_repository<sample_ns::event_row> events(db());
  events.create_table();
  std::vector<sample_ns::event_row> events_read;
  for (int i = 0; i < 5; ++i) events_read.push_back(events.insert({0, i, "body", at, 0.5}));
  auto changed = events_read;
  for (std::size_t i = 0; i < changed.size(); ++i) changed[i].body = "body " + std::to_string(i);
  events.update_many(changed, events_read);
  for (auto const& e : changed) EXPECT_EQ(events.find(e.id)->body, e.body);
  auto missing = changed;
  for (auto& e : missing) e.body += " again";
  missing[3].id += 1000;
  auto missing_before = changed;
  missing_before[3].id = missing[3].id;
  expect_code(errc::not_found, [&] { events.update_many(missing, missing_before); });
  for (auto const& e : changed) EXPECT_EQ(events.find(e.id)->body, e.body);
}

TEST_P(repository_test, update_many_without_a_version_leaves_the_other_columns_to_other_writers) {
  soci_repository<sample_ns::event_row> events(db());
  events.create_table();
  std::vector<sample_ns::event_row> read;
  for (int i = 0; i < 3; ++i)
    read.push_back(events.insert({0, i, "body", timestamp::parse("2024-01-01 00:00:00"), 0.5}));
  ASSERT_EQ(events.update_where(query<sample_ns::event_row>{col(&sample_ns::event_row::id) == read[0].id},
                                set(&sample_ns::event_row::score, std::optional<double>(9.0))),
            1u);
  auto rows = read;
  rows[0].body = "mine";
  rows[1].score.reset();
  // rows[2] unchanged: it must exist, and it is left as it is.
  events.update_many(rows, read);
  auto const first = *events.find(read[0].id);
  EXPECT_EQ(first.body, "mine");
  EXPECT_EQ(first.score, 9.0);  // not rewritten with the stale 0.5
  EXPECT_FALSE(events.find(read[1].id)->score);
  EXPECT_EQ(events.find(read[1].id)->body, "body");
  auto const third = *events.find(read[2].id);
  EXPECT_EQ(third.body, read[2].body);
  EXPECT_EQ(third.score, read[2].score);

  auto missing = read;
  missing[2].id += 1000;
  expect_code(errc::not_found, [&] { events.update_many(missing, missing); });  // nothing changed, still checked
  missing[1].body = "not written";
  expect_code(errc::not_found, [&] { events.update_many(missing, read); });
  EXPECT_EQ(events.find(read[1].id)->body, "body");
}

TEST_P(repository_test, remove_and_count) {
  auto const a = samples_->insert(make("a"));
  samples_->insert(make("b"));
  EXPECT_EQ(samples_->count(), 2u);
  EXPECT_TRUE(samples_->remove(a.id));
  EXPECT_FALSE(samples_->remove(a.id));
  EXPECT_EQ(samples_->count(), 1u);
}

TEST_P(repository_test, unique_violations_are_already_exists) {
  auto s = make("one");
  samples_->insert(s);
  auto dup = make("two");
  dup.key = s.key;
  expect_code(errc::already_exists, [&] { samples_->insert(dup); });
  expect_code(errc::already_exists, [&] { owners_->insert({0, "alice"}); });
  expect_code(errc::already_exists, [&] { owners_->insert({alice_.id, "another"}); });  // primary key
  EXPECT_EQ(samples_->count(), 1u);
  EXPECT_EQ(owners_->count(), 2u);
}

TEST_P(repository_test, foreign_key_violations_are_foreign_key_violation) {
  auto s = make("orphan");
  s.owner_id = alice_.id + bob_.id + 100;
  expect_code(errc::foreign_key_violation, [&] { samples_->insert(s); });
  EXPECT_EQ(samples_->count(), 0u);
}

TEST_P(repository_test, declared_constraints_are_refused_before_the_statement_and_checks_stay_as_backstop) {
  // What table_traits declares (range, non_empty, max_length in characters) is refused by the
  // repository, naming the column, with the same text on every backend.
  auto const refused = [&](std::string const& field, std::string const& text, sample const& row) {
    try {
      samples_->insert(row);
      ADD_FAILURE() << "no error; expected validation_failed naming " << field;
    } catch (error const& e) {
      EXPECT_EQ(e.code(), errc::validation_failed) << e.what();
      EXPECT_EQ(e.category(), error_category::user_fixable) << e.what();
      EXPECT_EQ(e.field(), field) << e.what();
      EXPECT_STREQ(e.what(), text.c_str());
    }
  };
  auto range = make("range");
  range.small = 101;
  refused("samples.small", "samples.small: is greater than 100", range);
  range.small = -1;
  refused("samples.small", "samples.small: is less than 0", range);
  refused("samples.text", "samples.text: must not be empty", make(""));
  refused("samples.text", "samples.text: is longer than 200 characters", make(std::string(201, 'y')));
  auto long_note = make("note");
  long_note.note = std::string(21, 'n');
  refused("samples.note", "samples.note: is longer than 20 characters", long_note);
  auto multibyte = make("multibyte");
  multibyte.note = "ü€😀ü€😀ü€😀ü€😀ü€😀ü€😀ü€";       // 20 characters, 54 bytes
  EXPECT_NO_THROW(samples_->insert(multibyte));  // limits count characters, not bytes
  EXPECT_EQ(samples_->count(), 1u);
  // A free-form CHECK, and the database's own checks behind the declared ones.
  auto custom = make("custom");
  custom.big = 13;
  expect_code(errc::constraint_violation, [&] { samples_->insert(custom); });
  expect_code(errc::constraint_violation, [&] { db().execute("UPDATE samples SET small = 101"); });
  expect_code(errc::constraint_violation, [&] { db().execute("UPDATE samples SET text = ''"); });
  expect_code(errc::constraint_violation,
              [&] { db().execute("UPDATE samples SET note = '" + std::string(21, 'n') + "'"); });
  expect_code(errc::constraint_violation, [&] { db().execute("INSERT INTO owners (id) VALUES (999)"); });  // NOT NULL
  expect_code(errc::constraint_violation, [&] { db().execute("UPDATE samples SET shade = 'PURPLE'"); });   // enum CHECK
}

TEST_P(repository_test, on_delete_cascade_and_set_null) {
  auto kept = make("kept");
  kept.owner_id = bob_.id;
  kept.backup_owner_id = alice_.id;
  kept = samples_->insert(kept);
  samples_->insert(make("cascaded"));
  EXPECT_TRUE(owners_->remove(alice_.id));
  EXPECT_EQ(samples_->count(), 1u);
  auto const back = samples_->find(kept.id);
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->backup_owner_id);
}

TEST_P(repository_test, a_throwing_transaction_leaves_nothing_behind) {
  EXPECT_THROW(db().transact([&] {
    samples_->insert(make("in transaction"));
    owners_->insert({0, "carol"});
    EXPECT_EQ(samples_->count(), 1u);  // the same session sees its own writes
    throw std::runtime_error("abort");
  }),
               std::runtime_error);
  EXPECT_EQ(samples_->count(), 0u);
  EXPECT_EQ(owners_->count(), 2u);

  // A constraint error inside rolls back the earlier writes too.
  EXPECT_THROW(db().transact([&] {
    samples_->insert(make("first"));
    owners_->insert({0, "alice"});
  }),
               error);
  EXPECT_EQ(samples_->count(), 0u);

  auto const n = db().transact([&] {
    samples_->insert(make("committed"));
    db().transact([&] { samples_->insert(make("nested joins")); });
    return samples_->count();
  });
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(samples_->count(), 2u);
}

TEST_P(repository_test, insert_if_absent_lets_the_transaction_go_on_after_a_taken_key) {
  auto const first = make("first");
  db().transact([&] {
    auto const stored = samples_->insert_if_absent(first);
    ASSERT_TRUE(stored);
    auto twin = make("twin");
    twin.key = first.key;  // a unique column taken
    EXPECT_FALSE(samples_->insert_if_absent(twin));
    samples_->insert(make("after"));  // on PostgreSQL, only a savepoint makes this possible
  });
  EXPECT_EQ(samples_->count(query<sample>{}), 2u);
  auto twin = make("outside");
  twin.key = first.key;
  EXPECT_FALSE(samples_->insert_if_absent(twin));
  auto bad = make("bad");
  bad.owner_id = alice_.id + 1000;  // other errors still raise
  expect_code(errc::foreign_key_violation, [&] { db().transact([&] { samples_->insert_if_absent(bad); }); });
  EXPECT_EQ(samples_->count(query<sample>{}), 2u);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(repository_test);
INSTANTIATE_TEST_SUITE_P(conformance, mysql_repository_test,
                         ::testing::Values(test_backend::mysql, test_backend::mysql_flavor), backend_name{});

}  // namespace
