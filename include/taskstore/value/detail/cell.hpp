// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// The value layer: how each mapped C++ type travels to and from a database,
// with no driver in sight (db/ binds cells to SOCI). Integers as long long,
// reals as double, everything else as text in the form every backend stores
// (timestamps `YYYY-MM-DD HH:MM:SS.ffffff` UTC, uuids canonical, enums by
// name, JSON serialized). Booleans are written as 0/1 and read as text,
// because PostgreSQL returns `t`/`f`. Typed into/use only: SOCI's row
// interface reads SQLite integers as int and loses 64-bit values.

#include <taskstore/detail/config.hpp>
#include <taskstore/error.hpp>
#include <taskstore/limits.hpp>
#include <taskstore/reflect/column_type.hpp>
#include <taskstore/reflect/enum_names.hpp>
#include <taskstore/types/from_json.hpp>
#include <taskstore/types/json.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace taskstore::detail {

/// One bound value: the storage a statement reads a parameter from or writes a result into.
struct cell {
  long long integer = 0;
  double real = 0;
  std::string text;
  bool null = false;
};

/// Which member of `cell` a column type travels in.
enum class cell_slot { integer, real, text };

constexpr cell_slot write_slot(column_type t) noexcept {
  switch (t) {
    case column_type::boolean:
    case column_type::int32:
    case column_type::int64: return cell_slot::integer;
    case column_type::real: return cell_slot::real;
    default: return cell_slot::text;
  }
}
constexpr cell_slot read_slot(column_type t) noexcept {
  return t == column_type::boolean ? cell_slot::text : write_slot(t);
}

/// True for text every backend stores alike: valid UTF-8 without NUL.
/// PostgreSQL cuts a bound string at its first NUL and rejects invalid UTF-8
/// (JSONB rejects \u0000 too), MariaDB rejects invalid UTF-8, and SQLite
/// stores either as given.
TASKSTORE_DECL bool is_storable_text(std::string_view s) noexcept;

/// @throws error validation_failed for text no backend stores alike, before any backend sees it.
TASKSTORE_DECL void check_storable(std::string_view s);
/// check_storable() of every string and key, every number finite, nested at
/// most limits::max_json_depth deep. The depth is measured first without
/// recursion, so that no input exhausts the stack.
/// @throws error validation_failed (no field: the caller names the column).
TASKSTORE_DECL void check_storable(boost::json::value const& v);

/// @throws error validation_failed unless `v` is finite.
TASKSTORE_DECL void check_finite(double v);
/// @throws error validation_failed unless `t` is within 0001-01-01 … 9999-12-31.
TASKSTORE_DECL void check_time(timestamp t);

/// Writes `v` into `c`. `checked`: refuse text no backend stores alike and
/// enumerators without a name (what is bound); unchecked only reads a value
/// held in memory (memory_repository's predicates).
template <class U>
void to_cell(U const& v, cell& c, bool checked = true) {
  c.null = false;
  if constexpr (is_optional<U>::value) {
    if (!v) {
      c.null = true;
      return;
    }
    to_cell(*v, c, checked);
  } else if constexpr (std::is_same_v<U, bool>) {
    c.integer = v ? 1 : 0;
  } else if constexpr (std::is_integral_v<U>) {
    c.integer = v;
  } else if constexpr (std::is_same_v<U, double>) {
    if (checked) check_finite(v);
    c.real = v;
  } else if constexpr (std::is_same_v<U, std::chrono::duration<double>>) {  // stored as seconds
    if (checked) check_finite(v.count());
    c.real = v.count();
  } else if constexpr (std::is_same_v<U, std::string>) {
    if (checked) check_storable(v);
    c.text = v;
  } else if constexpr (described_enum<U>) {
    auto const name = enum_to_string(v);
    if (name.empty() && checked) throw error(errc::validation_failed, "an enum value has no name");
    c.text.assign(name);
  } else if constexpr (std::is_same_v<U, timestamp>) {
    if (checked) check_time(v);
    c.text = v.to_sql();
    c.integer = v.count();  // what predicates compare in memory
  } else if constexpr (std::is_same_v<U, uuid>) {
    c.text = v.to_string();
  } else if constexpr (std::is_same_v<U, boost::json::value>) {
    if (checked) check_storable(v);
    c.text = boost::json::serialize(v);
  } else if constexpr (std::is_same_v<typename U::value_type, boost::json::value>) {
    if (checked) check_storable(v.get());  // before any copy: a deep value would recurse
    c.text = boost::json::serialize(v.get());
  } else {  // json<T>
    auto const j = to_json(v.get());
    if (checked) check_storable(j);
    c.text = boost::json::serialize(j);
  }
}

[[noreturn]] TASKSTORE_DECL void corrupt(std::string_view column, std::string const& what);

template <class U>
void from_cell(cell const& c, U& out, std::string_view column) {
  if constexpr (is_optional<U>::value) {
    if (c.null) {
      out.reset();
      return;
    }
    typename U::value_type inner{};
    from_cell(c, inner, column);
    out = std::move(inner);
    return;
  } else {
    if (c.null) corrupt(column, "unexpected NULL");
    if constexpr (std::is_same_v<U, bool>) {
      if (c.text == "1" || c.text == "t" || c.text == "true")
        out = true;
      else if (c.text == "0" || c.text == "f" || c.text == "false")
        out = false;
      else
        corrupt(column, "not a boolean");
    } else if constexpr (std::is_integral_v<U>) {
      if (c.integer < static_cast<long long>(std::numeric_limits<U>::min()) ||
          c.integer > static_cast<long long>(std::numeric_limits<U>::max()))
        corrupt(column, "integer out of range");
      out = static_cast<U>(c.integer);
    } else if constexpr (std::is_same_v<U, double>) {
      out = c.real;
    } else if constexpr (std::is_same_v<U, std::chrono::duration<double>>) {
      out = U(c.real);
    } else if constexpr (std::is_same_v<U, std::string>) {
      out = c.text;
    } else if constexpr (described_enum<U>) {
      auto e = enum_from_string<U>(c.text);
      if (!e) corrupt(column, "unknown name '" + c.text.substr(0, 64) + "'");
      out = *e;
    } else if constexpr (std::is_same_v<U, timestamp>) {
      auto t = timestamp::try_parse(c.text);
      if (!t) corrupt(column, "not a timestamp");
      out = *t;
    } else if constexpr (std::is_same_v<U, uuid>) {
      auto u = uuid::try_parse(c.text);
      if (!u) corrupt(column, "not a uuid");
      out = *u;
    } else {
      boost::system::error_code ec;
      auto v = boost::json::parse(c.text, ec, {}, read_json_options());
      if (ec) corrupt(column, "invalid JSON");
      if constexpr (std::is_same_v<U, boost::json::value>) {
        out = std::move(v);
      } else {
        try {
          out = U(from_json<typename U::value_type>(v, {unknown_keys::ignore, errc::corrupt_value}));
        } catch (error const& e) {
          corrupt(column, e.what());
        }
      }
    }
  }
}

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/value/detail/impl/cell.ipp>
#endif
