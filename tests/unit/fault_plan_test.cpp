// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The fault_plan a URL's inject_fault parameter names.

#include <taskstore/db/url.hpp>

#include <gtest/gtest.h>

namespace {

using namespace taskstore;

TEST(fault_plan, parses_kind_statement_and_attempts) {
  auto const p = parse_fault_plan("serialization_failure:3:2");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, fault_kind::serialization_failure);
  EXPECT_EQ(p->statement, 3u);
  EXPECT_EQ(p->attempts, 2u);
}

TEST(fault_plan, statement_and_attempts_default_to_one) {
  auto const p = parse_fault_plan("commit_lost");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, fault_kind::commit_lost);
  EXPECT_EQ(p->statement, 1u);
  EXPECT_EQ(p->attempts, 1u);
  EXPECT_EQ(parse_fault_plan("busy:4")->statement, 4u);
  EXPECT_EQ(parse_fault_plan("busy:4:0")->attempts, 0u);
}

TEST(fault_plan, refuses_anything_else) {
  for (auto const* text : {"", "deadlocks", "Deadlock", "deadlock:", "deadlock:0", "deadlock:x", "deadlock:1:",
                           "deadlock:1:2:3", "deadlock:-1", "deadlock:1:9999999", " deadlock", "busy:1:1 "})
    EXPECT_FALSE(parse_fault_plan(text)) << text;
}

TEST(fault_plan, the_url_parameter_sets_it_and_a_bad_one_is_bad_config) {
  auto const o = parse_url("sqlite://:memory:?inject_fault=lock_timeout:2:3");
  ASSERT_TRUE(o.inject_fault);
  EXPECT_EQ(o.inject_fault->kind, fault_kind::lock_timeout);
  EXPECT_EQ(o.inject_fault->statement, 2u);
  EXPECT_EQ(o.inject_fault->attempts, 3u);
  EXPECT_FALSE(parse_url("sqlite://:memory:").inject_fault);
  try {
    parse_url("sqlite://:memory:?inject_fault=sometimes");
    ADD_FAILURE() << "accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::bad_config);
    EXPECT_NE(std::string(e.what()).find("inject_fault"), std::string::npos) << e.what();
  }
}

}  // namespace
