// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Eight threads share one database (or one memory_repository) with mixed
// reads and writes; nothing is lost or doubled. Runs under ThreadSanitizer
// too (scripts/tsan), with TASKSTORE_STRESS_SCALE lowering the sizes.

#include "support/repositories.hpp"
#include "support/sample_types.hpp"

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using sample_ns::counter;
using sample_ns::owner;

constexpr int thread_count = 8;

int scaled(int n) {
  char const* scale = std::getenv("TASKSTORE_STRESS_SCALE");
  double const s = scale ? std::atof(scale) : 1.0;
  return std::max(1, static_cast<int>(n * s));
}

class threads_test : public repositories_test<owner, counter> {
 protected:
  void SetUp() override {
    repositories_test::SetUp();
    if (IsSkipped() || HasFatalFailure() || !db_) return;
    // Eight threads: give the pool room and the retries patience.
    auto const url = env_->url();
    if (GetParam() != repo_kind::sqlite_memory)
      db_.emplace(
          database::open(url + (url.find('?') == std::string::npos ? "?" : "&") + "pool_size=8&retry_attempts=50"));
  }

  template <class T, class F>
  void shared(F&& f) {
    if (GetParam() == repo_kind::memory) {
      f(std::get<memory_repository<T>>(memory_));
    } else {
      soci_repository<T> repo(*db_);
      f(repo);
    }
  }
};

TEST_P(threads_test, eight_threads_lose_nothing) {
  int const per_thread = scaled(60);
  int const increments = scaled(25);
  std::int64_t counter_id = 0;
  shared<counter>([&](auto& counters) { counter_id = counters.insert({0, "shared", 0, 0}).id; });

  std::atomic<int> conflicts{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      try {
        shared<owner>([&](auto& owners) {
          shared<counter>([&](auto& counters) {
            for (int i = 0; i < per_thread; ++i) {
              auto const name = "t" + std::to_string(t) + "-" + std::to_string(i);
              auto const o = owners.insert({0, name});
              auto const back = owners.find(o.id);
              if (!back || back->name != name) ++failures;
              if (i % 10 == 0) (void)owners.count(query<owner>{col(&owner::name).like("t" + std::to_string(t) + "-%")});
            }
            // Optimistic increments of one shared row: every conflict is retried.
            for (int i = 0; i < increments; ++i) {
              for (;;) {
                auto c = *counters.find(counter_id);
                ++c.value;
                try {
                  if (counters.update(c)) break;
                } catch (error const& e) {
                  if (e.code() != errc::conflict) throw;
                  ++conflicts;
                }
              }
            }
          });
        });
      } catch (std::exception const& e) {
        ++failures;
        ADD_FAILURE() << "thread " << t << ": " << e.what();
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(failures.load(), 0);
  shared<owner>([&](auto& owners) {
    EXPECT_EQ(owners.count(), static_cast<std::size_t>(thread_count * per_thread));
    for (int t = 0; t < thread_count; ++t)
      EXPECT_EQ(owners.count(query<owner>{col(&owner::name).like("t" + std::to_string(t) + "-%")}),
                static_cast<std::size_t>(per_thread));
  });
  shared<counter>([&](auto& counters) {
    auto const c = counters.find(counter_id);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->value, thread_count * increments) << "lost updates (" << conflicts.load() << " conflicts retried)";
    EXPECT_EQ(c->version, thread_count * increments);
  });
}

TEST_P(threads_test, concurrent_transactions_are_all_or_nothing) {
  if (GetParam() == repo_kind::memory) {
    // memory_repository has no transactions; insert_many is its all-or-nothing unit.
    auto& owners = std::get<memory_repository<owner>>(memory_);
    std::vector<std::thread> threads;
    std::atomic<int> rejected{0};
    for (int t = 0; t < thread_count; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < scaled(40); ++i) {
          try {
            owners.insert_many(std::vector<owner>{
                {0, "pair-" + std::to_string(t) + "-" + std::to_string(i)},
                {0, i % 4 == 0 ? std::string("dup") : "pair2-" + std::to_string(t) + "-" + std::to_string(i)}});
          } catch (error const&) {
            ++rejected;
          }
        }
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(owners.count() % 2, 0u) << "a half-inserted pair";
    EXPECT_GT(rejected.load(), 0);
    return;
  }
  soci_repository<owner> owners(*db_);
  std::vector<std::thread> threads;
  std::atomic<int> rejected{0};
  for (int t = 0; t < thread_count; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < scaled(40); ++i) {
        try {
          db_->transact([&] {
            owners.insert({0, "pair-" + std::to_string(t) + "-" + std::to_string(i)});
            // Every fourth pair collides on purpose: the whole pair must vanish.
            owners.insert(
                {0, i % 4 == 0 ? std::string("dup") : "pair2-" + std::to_string(t) + "-" + std::to_string(i)});
          });
        } catch (error const& e) {
          if (e.code() != errc::already_exists) ADD_FAILURE() << e.what();
          ++rejected;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(owners.count() % 2, 0u) << "a half-committed transaction";
  EXPECT_EQ(owners.count(query<owner>{col(&owner::name) == std::string("dup")}), 1u);
  EXPECT_GT(rejected.load(), 0);
}

TASKSTORE_INSTANTIATE_ON_ALL_REPOSITORIES(threads_test);

}  // namespace
