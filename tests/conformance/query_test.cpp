// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Query semantics, identical on SQLite (memory, file), PostgreSQL, MariaDB and
// memory_repository, checked against oracles written here in plain C++.

#include "support/repositories.hpp"
#include "support/sample_types.hpp"

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using sample_ns::color;
using sample_ns::owner;
using sample_ns::sample;

static_assert(repository<memory_repository<sample>, sample>);

constexpr std::size_t row_count = 3000;

/// Deterministic rows with NULLs, mixed case, non-ASCII and LIKE metacharacters.
std::vector<sample> generate_rows(std::int64_t owner_id) {
  std::mt19937_64 rng(20261124);
  static constexpr char const* words[] = {"alpha",   "Alpha", "beta", "BETA", "gamma", "ábc", "Zulu", "zulu",
                                          "50%_off", "a_b",   "a!b",  "日本", "émile", "",    "x y"};
  std::vector<sample> rows;
  for (std::size_t i = 0; i < row_count; ++i) {
    sample s;
    s.owner_id = owner_id;
    s.text = std::string(words[rng() % std::size(words)]) + "-" + std::to_string(rng() % 500) + "-" + std::to_string(i);
    s.flag = rng() % 2;
    s.small = static_cast<std::int32_t>(rng() % 101);
    s.big = static_cast<std::int64_t>(rng() % 2'000'001) - 1'000'000;
    s.ratio = static_cast<double>(static_cast<long long>(rng() % 20001) - 10000) / 100.0;
    s.shade = static_cast<color>(rng() % 3);
    s.at = timestamp::parse("2024-01-01 00:00:00") +
           std::chrono::microseconds(static_cast<long long>(rng() % 31'536'000'000'000ULL));
    s.key = uuid::generate_v4();
    s.tags = std::vector<std::string>{};
    s.detail = sample_ns::detail_info{"d", std::nullopt, {}};
    s.extra = nullptr;
    if (rng() % 4) s.maybe_small = static_cast<std::int32_t>(rng() % 50);
    if (rng() % 3) s.note = std::string(words[rng() % std::size(words)]).substr(0, 20);
    if (rng() % 3) s.tint = static_cast<color>(rng() % 3);
    if (rng() % 2) s.due = s.at + std::chrono::hours(static_cast<long long>(rng() % 1000));
    if (rng() % 2) s.maybe_ratio = static_cast<double>(rng() % 1000) / 7.0;
    rows.push_back(std::move(s));
  }
  return rows;
}

using oracle = std::function<bool(sample const&)>;
using less = std::function<bool(sample const&, sample const&)>;

/// NULLs first ascending, then the key.
template <class V>
int cmp_opt(std::optional<V> const& a, std::optional<V> const& b) {
  if (!a || !b) return (a ? 1 : 0) - (b ? 1 : 0);
  return *a < *b ? -1 : *b < *a ? 1 : 0;
}
template <class V>
int cmp(V const& a, V const& b) {
  return a < b ? -1 : b < a ? 1 : 0;
}

template <class Row>
std::vector<std::int64_t> ids_of(std::vector<Row> const& rows) {
  std::vector<std::int64_t> out;
  for (auto const& r : rows) out.push_back(r.id);
  return out;
}

std::vector<std::int64_t> ids(std::vector<sample> const& rows) {
  std::vector<std::int64_t> out;
  for (auto const& r : rows) out.push_back(r.id);
  return out;
}

class query_test : public repositories_test<owner, sample, sample_ns::event_row> {
 protected:
  template <class F>
  void with_data(F&& f) {
    std::int64_t owner_id = 0;
    with<owner>([&](auto& owners) { owner_id = owners.insert({0, "owner"}).id; });
    with<sample>([&](auto& repo) {
      auto const stored = repo.insert_many(generate_rows(owner_id));
      ASSERT_EQ(stored.size(), row_count);
      f(repo, stored);
    });
  }

  /// The stored rows `keep` selects, in `order` (then by id).
  static std::vector<std::int64_t> expected(std::vector<sample> const& rows, oracle const& keep, less const& order) {
    std::vector<sample> out;
    std::copy_if(rows.begin(), rows.end(), std::back_inserter(out), keep);
    std::stable_sort(out.begin(), out.end(), [&](sample const& a, sample const& b) {
      if (order(a, b)) return true;
      if (order(b, a)) return false;
      return a.id < b.id;
    });
    return ids(out);
  }
};

TEST_P(query_test, every_operator_selects_what_sql_would) {
  with_data([&](auto& repo, std::vector<sample> const& rows) {
    auto const by_id = [](sample const&, sample const&) { return false; };
    auto const some_key = rows[row_count / 2].key;
    auto const t0 = timestamp::parse("2024-03-01 00:00:00"), t1 = timestamp::parse("2024-06-30 23:59:59.999999");
    struct named_case {
      std::string name;
      predicate<sample> where;
      oracle keep;
    };
    std::vector<named_case> cases = {
        {"eq", col(&sample::small) == 7, [](auto& s) { return s.small == 7; }},
        {"ne", col(&sample::small) != 7, [](auto& s) { return s.small != 7; }},
        {"lt", col(&sample::big) < 0, [](auto& s) { return s.big < 0; }},
        {"le", col(&sample::big) <= -500'000, [](auto& s) { return s.big <= -500'000; }},
        {"gt", col(&sample::ratio) > 50.25, [](auto& s) { return s.ratio > 50.25; }},
        {"ge", col(&sample::small) >= 95, [](auto& s) { return s.small >= 95; }},
        {"in", col(&sample::small).in({1, 2, 3, 99}),
         [](auto& s) { return s.small == 1 || s.small == 2 || s.small == 3 || s.small == 99; }},
        {"not_in", col(&sample::small).not_in({1, 2, 3}), [](auto& s) { return s.small > 3 || s.small < 1; }},
        {"in_empty", col(&sample::small).in(std::vector<std::int32_t>{}), [](auto&) { return false; }},
        {"not_in_empty", col(&sample::small).not_in(std::vector<std::int32_t>{}), [](auto&) { return true; }},
        {"not_in_empty_on_null", col(&sample::maybe_small).not_in(std::vector<std::int32_t>{}),
         [](auto&) { return true; }},
        {"is_null", col(&sample::maybe_small).is_null(), [](auto& s) { return !s.maybe_small; }},
        {"is_not_null", col(&sample::maybe_small).is_not_null(), [](auto& s) { return s.maybe_small.has_value(); }},
        {"nullable_gt", col(&sample::maybe_small) > 10, [](auto& s) { return s.maybe_small && *s.maybe_small > 10; }},
        {"not_of_unknown_is_unknown", !(col(&sample::maybe_small) > 10),
         [](auto& s) { return s.maybe_small && !(*s.maybe_small > 10); }},
        {"nullable_not_in", col(&sample::maybe_small).not_in({1, 2}),
         [](auto& s) { return s.maybe_small && *s.maybe_small != 1 && *s.maybe_small != 2; }},
        {"or_with_unknown", col(&sample::maybe_small) > 40 || col(&sample::flag) == true,
         [](auto& s) { return (s.maybe_small && *s.maybe_small > 40) || s.flag; }},
        {"and_or_not", (col(&sample::small) < 50 && !(col(&sample::flag) == true)) || col(&sample::big) > 900'000,
         [](auto& s) { return (s.small < 50 && !s.flag) || s.big > 900'000; }},
        {"like_prefix_case_sensitive", col(&sample::text).like("Alpha%"),
         [](auto& s) { return s.text.starts_with("Alpha"); }},
        {"like_escaped_metacharacters", col(&sample::text).like(escape_like("50%_off") + "%"),
         [](auto& s) { return s.text.starts_with("50%_off"); }},
        {"like_escaped_escape", col(&sample::text).like(escape_like("a!b") + "-%"),
         [](auto& s) { return s.text.starts_with("a!b-"); }},
        {"like_underscore_is_one_character", col(&sample::text).like("_bc-%"),
         [](auto& s) { return s.text.starts_with("ábc-"); }},
        {"like_contains", col(&sample::text).like("%" + escape_like("a_b") + "%"),
         [](auto& s) { return s.text.find("a_b") != std::string::npos; }},
        {"like_nullable", col(&sample::note).like("%ta"), [](auto& s) { return s.note && s.note->ends_with("ta"); }},
        {"between_timestamps", col(&sample::at).between(t0, t1), [&](auto& s) { return s.at >= t0 && s.at <= t1; }},
        {"timestamp_gt_nullable", col(&sample::due) > t1, [&](auto& s) { return s.due && *s.due > t1; }},
        {"enum_eq", col(&sample::shade) == color::BLUE_GREEN, [](auto& s) { return s.shade == color::BLUE_GREEN; }},
        {"enum_in", col(&sample::shade).in({color::RED, color::GREEN}),
         [](auto& s) { return s.shade != color::BLUE_GREEN; }},
        {"nullable_enum_ne", col(&sample::tint) != color::RED, [](auto& s) { return s.tint && *s.tint != color::RED; }},
        {"string_bytewise_gt", col(&sample::text) > "Zulu", [](auto& s) { return s.text > "Zulu"; }},
        {"string_bytewise_lt", col(&sample::text) < "alpha", [](auto& s) { return s.text < "alpha"; }},
        {"bool_eq", col(&sample::flag) == false, [](auto& s) { return !s.flag; }},
        {"uuid_eq", col(&sample::key) == some_key, [&](auto& s) { return s.key == some_key; }},
        {"double_nullable_le", col(&sample::maybe_ratio) <= 50.0,
         [](auto& s) { return s.maybe_ratio && *s.maybe_ratio <= 50.0; }},
    };
    for (auto const& c : cases) {
      auto const want = expected(rows, c.keep, by_id);
      EXPECT_EQ(ids(repo.find(query<sample>(c.where))), want) << c.name;
      EXPECT_EQ(repo.count(query<sample>(c.where)), want.size()) << c.name;
      EXPECT_EQ(repo.exists(query<sample>(c.where)), !want.empty()) << c.name;
    }
  });
}

TEST_P(query_test, ordering_is_the_same_everywhere) {
  with_data([&](auto& repo, std::vector<sample> const& rows) {
    auto const all = [](sample const&) { return true; };
    EXPECT_EQ(ids(repo.find(query<sample>{}.order_by(asc(&sample::text)))),
              expected(rows, all, [](auto& a, auto& b) { return a.text < b.text; }));
    EXPECT_EQ(ids(repo.find(query<sample>{}.order_by(asc(&sample::maybe_small)))),
              expected(rows, all, [](auto& a, auto& b) { return cmp_opt(a.maybe_small, b.maybe_small) < 0; }));
    EXPECT_EQ(ids(repo.find(query<sample>{}.order_by(desc(&sample::maybe_small)))),
              expected(rows, all, [](auto& a, auto& b) { return cmp_opt(a.maybe_small, b.maybe_small) > 0; }));
    EXPECT_EQ(ids(repo.find(query<sample>{}.order_by(desc(&sample::due), asc(&sample::text)))),
              expected(rows, all, [](auto& a, auto& b) {
                if (int c = cmp_opt(a.due, b.due)) return c > 0;
                return a.text < b.text;
              }));
    EXPECT_EQ(ids(repo.find(query<sample>{}.order_by(asc(&sample::flag), desc(&sample::ratio)))),
              expected(rows, all, [](auto& a, auto& b) {
                if (int c = cmp(a.flag, b.flag)) return c < 0;
                return a.ratio > b.ratio;
              }));
    EXPECT_EQ(ids(repo.find(query<sample>{}.order_by(desc(&sample::note)))),
              expected(rows, all, [](auto& a, auto& b) { return cmp_opt(a.note, b.note) > 0; }));
    auto const first = repo.find_one(query<sample>{col(&sample::small) > 50}.order_by(desc(&sample::big)));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, expected(
                             rows, [](auto& s) { return s.small > 50; }, [](auto& a, auto& b) { return a.big > b.big; })
                             .front());
    EXPECT_FALSE(repo.find_one(query<sample>{col(&sample::small) > 1000}));
  });
}

TEST_P(query_test, offset_and_keyset_pages_cover_the_order_exactly) {
  with_data([&](auto& repo, std::vector<sample> const& rows) {
    auto const keep = [](sample const& s) { return s.small < 80; };
    auto const base = query<sample>{col(&sample::small) < 80};
    for (auto const& [name, q, order] : std::vector<std::tuple<std::string, query<sample>, less>>{
             {"maybe_small asc", base.order_by(asc(&sample::maybe_small)),
              [](auto&a, auto&b) { return cmp_opt(a.maybe_small, b.maybe_small) < 0; }},
             {"maybe_small desc, text", base.order_by(desc(&sample::maybe_small), asc(&sample::text)),
              [](auto&a, auto&b) {
                if (int c = cmp_opt(a.maybe_small, b.maybe_small)) return c > 0;
                return a.text < b.text;
              }},
             {"due desc", base.order_by(desc(&sample::due)), [](auto&a, auto&b) { return cmp_opt(a.due, b.due) > 0; }},
             {"key order only", base, [](auto&, auto&) { return false; }}}) {
      auto const want = expected(rows, keep, order);
      std::vector<std::int64_t> by_offset, by_keyset;
      for (std::size_t off = 0;; off += 137) {
        auto page = repo.find(q.limit(137).offset(off));
        if (page.empty()) break;
        auto const got = ids(page);
        by_offset.insert(by_offset.end(), got.begin(), got.end());
      }
      EXPECT_EQ(by_offset, want) << name;
      auto page = repo.find(q.limit(211));
      while (!page.empty()) {
        auto const got = ids(page);
        by_keyset.insert(by_keyset.end(), got.begin(), got.end());
        page = repo.find(q.after(page.back()).limit(211));
      }
      EXPECT_EQ(by_keyset, want) << name;
    }
    EXPECT_EQ(repo.find(base.offset(row_count)).size(), 0u);
    EXPECT_EQ(ids(repo.find(query<sample>{}.order_by(asc(&sample::text)).offset(row_count - 5))).size(), 5u);
  });
}

TEST_P(query_test, update_where_and_remove_where_change_exactly_the_selected_rows) {
  with_data([&](auto& repo, std::vector<sample> const& rows) {
    auto const red = [](sample const& s) { return s.shade == color::RED; };
    auto const n_red = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), red));
    EXPECT_EQ(repo.update_where(query<sample>{col(&sample::shade) == color::RED}, set(&sample::small, 100),
                                set(&sample::note, std::optional<std::string>{})),
              n_red);
    EXPECT_EQ(repo.count(query<sample>{col(&sample::small) == 100 && col(&sample::note).is_null()}),
              static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(),
                                                     [&](auto& s) { return red(s) || (s.small == 100 && !s.note); })));
    auto const changed = repo.find(query<sample>{col(&sample::shade) == color::RED}.limit(1));
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].revision, 1);  // the version moves, so optimistic lockers see the change
    EXPECT_EQ(repo.update_where(query<sample>{col(&sample::small) > 1000}, set(&sample::small, 1)), 0u);
    EXPECT_THROW(repo.update_where(query<sample>{}.limit(3), set(&sample::small, 1)), error);

    auto const before = repo.count();
    auto const removed = repo.remove_where(query<sample>{col(&sample::big) < 0 && col(&sample::flag) == true});
    EXPECT_EQ(removed, static_cast<std::size_t>(
                           std::count_if(rows.begin(), rows.end(), [](auto& s) { return s.big < 0 && s.flag; })));
    EXPECT_EQ(repo.count(), before - removed);
    EXPECT_FALSE(repo.exists(query<sample>{col(&sample::big) < 0 && col(&sample::flag) == true}));
  });
}

TEST_P(query_test, a_value_no_backend_stores_alike_is_refused_when_the_predicate_is_built) {
  auto const refused = [](auto&& build) {
    try {
      build();
    } catch (error const& e) {
      return e.code() == errc::validation_failed;
    }
    return false;
  };
  std::string const nul("a\0b", 3), invalid_utf8 = "\xff\xfe";
  EXPECT_TRUE(refused([&] { return col(&owner::name) == nul; }));
  EXPECT_TRUE(refused([&] { return col(&owner::name).in({std::string("ok"), invalid_utf8}); }));
  EXPECT_TRUE(refused([&] { return col(&owner::name).like(invalid_utf8); }));
  EXPECT_TRUE(refused([&] { return set(&owner::name, nul); }));
  EXPECT_TRUE(refused([&] { return col(&sample::shade) == static_cast<color>(42); }));  // no name to store
  with<owner>([&](auto& owners) {
    auto const stored = owners.insert({0, "kept"});
    EXPECT_TRUE(refused(
        [&] { return owners.update_where(query<owner>{col(&owner::name) == "kept"}, set(&owner::name, nul)); }));
    EXPECT_EQ(owners.find(stored.id)->name, "kept");
  });
}

TEST_P(query_test, hostile_strings_are_stored_and_matched_literally) {
  std::vector<std::string> const hostile = {"'; DROP TABLE samples; --",
                                            "\" OR 1=1 --",
                                            "50% of _all_",
                                            "back\\slash\\",
                                            "semi;colon;",
                                            "quote''doubled",
                                            "!escape!",
                                            "%",
                                            "_",
                                            "\\%\\_",
                                            "{\"json\": true}",
                                            "tab\there",
                                            "new\nline",
                                            "ünïcødé ☃",
                                            "`backtick`",
                                            "$1 :p0 ?",
                                            "/* comment */"};
  with<owner>([&](auto& owners) {
    for (auto const& h : hostile) {
      auto const stored = owners.insert({0, h});
      EXPECT_EQ(owners.find(stored.id)->name, h);
      EXPECT_EQ(ids_of(owners.find(query<owner>{col(&owner::name) == h})), std::vector<std::int64_t>{stored.id}) << h;
      EXPECT_EQ(owners.count(query<owner>{col(&owner::name).like(escape_like(h))}), 1u) << h;
      EXPECT_EQ(owners.count(query<owner>{col(&owner::name).in({h, std::string("nobody")})}), 1u) << h;
    }
    EXPECT_EQ(owners.count(), hostile.size());
    EXPECT_EQ(owners.count(query<owner>{col(&owner::name).like("%")}), hostile.size());
  });
}

TEST_P(query_test, upsert_inserts_then_updates_by_key_or_unique_columns) {
  with<owner>([&](auto& owners) {
    auto const a = owners.upsert(owner{0, "ada"});
    EXPECT_GT(a.id, 0);
    auto const renamed = owners.upsert(owner{a.id, "ada lovelace"});
    EXPECT_EQ(renamed.id, a.id);
    EXPECT_EQ(owners.find(a.id)->name, "ada lovelace");
    EXPECT_EQ(owners.count(), 1u);
    // By the unique name: an existing row keeps its id.
    auto const same = owners.upsert(owner{0, "ada lovelace"}, &owner::name);
    EXPECT_EQ(same.id, a.id);
    EXPECT_EQ(owners.count(), 1u);
    auto const other = owners.upsert(owner{0, "grace"}, &owner::name);
    EXPECT_NE(other.id, a.id);
    EXPECT_EQ(owners.count(), 2u);
  });
  std::int64_t owner_id = 0;
  with<owner>([&](auto& owners) { owner_id = owners.find_one(query<owner>{})->id; });
  with<sample>([&](auto& samples) {
    sample s;
    s.owner_id = owner_id;
    s.text = "versioned";
    s.key = uuid::generate_v7();
    s.tags = std::vector<std::string>{};
    s.detail = sample_ns::detail_info{"d", 1, {}};
    auto const first = samples.upsert(s);
    EXPECT_EQ(first.revision, 0);
    auto again = first;
    again.small = 42;
    auto const second = samples.upsert(again);
    EXPECT_EQ(second.revision, 1);  // the update path moves the version
    EXPECT_EQ(second.small, 42);
    EXPECT_EQ(samples.count(), 1u);
  });
}

TEST_P(query_test, insert_many_round_trips_a_hundred_thousand_rows) {
  with<sample_ns::event_row>([&](auto& events) {
    std::vector<sample_ns::event_row> rows;
    auto const t0 = timestamp::parse("2025-01-01 00:00:00");
    for (std::int64_t i = 0; i < 100'000; ++i)
      rows.push_back({0, i * 7, "event " + std::to_string(i) + (i % 3 ? " ünï" : " 'q'"),
                      t0 + std::chrono::microseconds(i * 1001),
                      i % 5 ? std::optional<double>(static_cast<double>(i) / 8.0) : std::nullopt});
    auto const stored = events.insert_many(rows);
    ASSERT_EQ(stored.size(), rows.size());
    for (std::size_t i = 1; i < stored.size(); ++i) ASSERT_LT(stored[i - 1].id, stored[i].id) << "ids in input order";
    EXPECT_EQ(events.count(), rows.size());
    for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{499}, std::size_t{500}, std::size_t{4242},
                          std::size_t{77'777}, std::size_t{99'999}}) {
      auto const back = events.find(stored[i].id);
      ASSERT_TRUE(back) << i;
      EXPECT_EQ(back->seq, rows[i].seq);
      EXPECT_EQ(back->body, rows[i].body);
      EXPECT_EQ(back->at, rows[i].at);
      EXPECT_EQ(back->score, rows[i].score);
    }
    auto const tail = events.find(query<sample_ns::event_row>{col(&sample_ns::event_row::seq) >= 7 * 99'990});
    ASSERT_EQ(tail.size(), 10u);
    EXPECT_EQ(tail.back().body, rows.back().body);
  });
}

TASKSTORE_INSTANTIATE_ON_ALL_REPOSITORIES(query_test);

}  // namespace
