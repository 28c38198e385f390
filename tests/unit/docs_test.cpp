// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// docs/ pages that state what the code does, checked against the code.

#include <taskstore/domain/task_lifecycle.hpp>
#include <taskstore/reflect/enum_names.hpp>

#include <gtest/gtest.h>

#include <boost/describe/enumerators.hpp>
#include <boost/mp11/algorithm.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace taskstore;

std::vector<std::string> split_trimmed(std::string const& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, sep);) {
    auto const b = item.find_first_not_of(' ');
    auto const e = item.find_last_not_of(' ');
    out.push_back(b == std::string::npos ? std::string() : item.substr(b, e - b + 1));
  }
  return out;
}

/// The `| from | to |` table of docs/lifecycle.md: each state and the states it may become.
std::map<task_status, std::set<task_status>> documented_transitions() {
  std::ifstream in(TASKSTORE_SOURCE_DIR "/docs/lifecycle.md");
  EXPECT_TRUE(in) << "cannot read docs/lifecycle.md";
  std::map<task_status, std::set<task_status>> out;
  bool in_table = false;
  for (std::string line; std::getline(in, line);) {
    if (line == "| from | to |") {
      in_table = true;
      continue;
    }
    if (!in_table || line.rfind("|---", 0) == 0) continue;
    if (line.empty() || line[0] != '|') break;
    auto const cells = split_trimmed(line.substr(1), '|');  // "FROM", "TO, TO"
    EXPECT_GE(cells.size(), 2u) << line;
    if (cells.size() < 2) continue;
    auto const from = enum_from_string<task_status>(cells[0]);
    EXPECT_TRUE(from) << "not a task status: " << cells[0];
    if (!from) continue;
    EXPECT_FALSE(out.contains(*from)) << cells[0] << " is listed twice";
    auto& targets = out[*from];
    if (cells[1].empty()) continue;
    for (auto const& name : split_trimmed(cells[1], ',')) {
      auto const to = enum_from_string<task_status>(name);
      EXPECT_TRUE(to) << "not a task status: " << name;
      if (to) targets.insert(*to);
    }
  }
  return out;
}

TEST(docs, lifecycle_table_is_can_transition) {
  auto const documented = documented_transitions();
  std::size_t states = 0;
  boost::mp11::mp_for_each<boost::describe::describe_enumerators<task_status>>([&](auto from) {
    ++states;
    auto const row = documented.find(from.value);
    ASSERT_NE(row, documented.end()) << from.name << " has no row in docs/lifecycle.md";
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<task_status>>([&](auto to) {
      EXPECT_EQ(row->second.contains(to.value), can_transition(from.value, to.value))
          << from.name << " -> " << to.name << ": docs/lifecycle.md and can_transition disagree";
    });
  });
  EXPECT_EQ(documented.size(), states);
}

}  // namespace
