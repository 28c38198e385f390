// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The base of domain tests: a private database with the canonical schema and
// two users, alice and bob.

#include <taskstore/migrate/schema.hpp>
#include <taskstore/service/user_service.hpp>

#include "support/isolated_db.hpp"

namespace taskstore::testing {

class domain_test : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    migrate_to_latest(db());
    user_service users(db());
    alice_ = users.create("alice@example.com", "Alice").id;
    bob_ = users.create("bob@example.com", "Bob").id;
  }

  /// Runs `f` and expects a taskstore::error with `code`.
  template <class F>
  static void expect_error(errc code, F&& f) {
    try {
      f();
      ADD_FAILURE() << "no error; expected " << to_string(code);
    } catch (error const& e) {
      EXPECT_EQ(e.code(), code) << e.what();
    }
  }

  std::int64_t alice_ = 0, bob_ = 0;
};

}  // namespace taskstore::testing
