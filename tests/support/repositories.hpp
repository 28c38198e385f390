// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The five repositories of the generic contract: soci_repository on four
// backends, and memory_repository. Test bodies are generic lambdas run on the
// one the test is instantiated for.

#include <taskstore/repository/memory_repository.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include "support/isolated_db.hpp"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace taskstore::testing {

enum class repo_kind { sqlite_memory, sqlite_file, postgresql, mysql, memory };

inline std::string_view name(repo_kind k) {
  switch (k) {
    case repo_kind::sqlite_memory: return "sqlite_memory";
    case repo_kind::sqlite_file: return "sqlite_file";
    case repo_kind::postgresql: return "postgresql";
    case repo_kind::mysql: return "mysql";
    case repo_kind::memory: return "memory_repository";
  }
  return "unknown";
}
inline void PrintTo(repo_kind k, std::ostream* os) { *os << name(k); }
inline std::vector<repo_kind> all_repositories() {
  return {repo_kind::sqlite_memory, repo_kind::sqlite_file, repo_kind::postgresql, repo_kind::mysql, repo_kind::memory};
}
struct repo_name {
  std::string operator()(::testing::TestParamInfo<repo_kind> const& info) const {
    return std::string(name(info.param));
  }
};

/// A fixture giving each test a fresh repository of every listed T on its backend.
template <class... Ts>
class repositories_test : public ::testing::TestWithParam<repo_kind> {
 protected:
  void SetUp() override {
    if (GetParam() == repo_kind::memory) return;
    auto const backend = static_cast<test_backend>(static_cast<int>(GetParam()));
    TASKSTORE_REQUIRE_BACKEND(backend);
    env_ = std::make_unique<isolated_db>(backend);
    db_.emplace(env_->open());
    (soci_repository<Ts>(*db_).create_table(), ...);
  }

  /// Runs `f(repo_of_T)` on this test's repository of T.
  template <class T, class F>
  void with(F&& f) {
    if (GetParam() == repo_kind::memory) {
      f(std::get<memory_repository<T>>(memory_));
    } else {
      soci_repository<T> repo(*db_);
      f(repo);
    }
  }

  std::unique_ptr<isolated_db> env_;
  std::optional<database> db_;
  std::tuple<memory_repository<Ts>...> memory_;
};

#define TASKSTORE_INSTANTIATE_ON_ALL_REPOSITORIES(suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(conformance, suite, ::testing::ValuesIn(::taskstore::testing::all_repositories()), \
                           ::taskstore::testing::repo_name{})

}  // namespace taskstore::testing
