// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Each file here compiles cleanly without TASKSTORE_COMPILE_FAIL (the control)
// and must fail with a named message when it is defined.

#include <taskstore/reflect/table_model.hpp>
#include <taskstore/sql/query.hpp>
#include <taskstore/types/from_json.hpp>

#include <boost/describe.hpp>

#include <cstdint>
#include <string>
#include <tuple>

namespace cf {
struct note {
  std::int64_t id = 0;
  std::string text;
  std::string hidden;  // not described
};
BOOST_DESCRIBE_STRUCT(note, (), (id, text))

struct plain {  // not described at all
  std::int64_t id = 0;
};
}  // namespace cf

// A table with an enum column, for the ordering tests.
namespace cf {
enum class level { LOW, HIGH };
BOOST_DESCRIBE_ENUM(level, LOW, HIGH)
struct item {
  std::int64_t id = 0;
  level lvl = level::LOW;
  std::int32_t rank = 0;
};
BOOST_DESCRIBE_STRUCT(item, (), (id, lvl, rank))
}  // namespace cf
template <>
struct taskstore::table_traits<cf::item> {
  static constexpr std::string_view table = "items";
  static constexpr auto primary_key = auto_increment<&cf::item::id>;
};
