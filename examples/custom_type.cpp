// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Your own type stored the way the domain is: a described struct, its table,
// JSON and a repository, on the embedded SQLite default (or the URL given as
// the first argument). Quoted by docs/usage.md.

#include <taskstore/taskstore.hpp>

#include <boost/describe.hpp>
#include <boost/json/serialize.hpp>

#include <iostream>

namespace ts = taskstore;

struct note {  // {} on each member: a {.text = …} that leaves some out does not warn under -Wextra
  std::int64_t id = 0;
  std::string text{};
  ts::timestamp created_at{};
  std::optional<ts::timestamp> due{};
};
BOOST_DESCRIBE_STRUCT(note, (), (id, text, created_at, due))

template <>
struct ts::table_traits<note> {
  static constexpr std::string_view table = "notes";
  static constexpr auto primary_key = auto_increment<&note::id>;
  static constexpr auto columns = std::tuple{column<&note::text>.max_length(200).non_empty()};
};

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///custom_type.db");
  ts::soci_repository<note> notes{db};
  notes.create_table();

  auto stored = notes.insert({.text = "hello from taskstore", .created_at = ts::timestamp::now()});
  std::cout << boost::json::serialize(ts::to_json(*notes.find(stored.id))) << '\n';
  std::cout << notes.count() << " note(s) in " << db.url() << '\n';
} catch (ts::error const& e) {
  std::cerr << "custom_type: " << e.what() << " (" << ts::to_string(e.code()) << ", " << ts::to_string(e.category())
            << ")\n";
  return 1;
}
