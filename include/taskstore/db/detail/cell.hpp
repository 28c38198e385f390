// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// How each mapped C++ type crosses SOCI: integers as long long, reals as
// double, everything else as text in the form every backend stores
// (timestamps `YYYY-MM-DD HH:MM:SS.ffffff` UTC, uuids canonical, enums by
// name, JSON serialized). Booleans are written as 0/1 and read as text,
// because PostgreSQL returns `t`/`f`. Typed into/use only: SOCI's row
// interface reads SQLite integers as int and loses 64-bit values.

#include <taskstore/error.hpp>
#include <taskstore/reflect/column_type.hpp>
#include <taskstore/reflect/enum_names.hpp>
#include <taskstore/types/from_json.hpp>
#include <taskstore/types/json.hpp>
#include <taskstore/types/timestamp.hpp>
#include <taskstore/types/uuid.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <soci/soci.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace taskstore::detail {

/// One bound value: the storage SOCI reads from or writes into.
struct cell {
  long long integer = 0;
  double real = 0;
  std::string text;
  soci::indicator ind = soci::i_ok;
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

/// Binds `c` as an input parameter of `st` (before prepare).
inline void bind_use(soci::statement& st, cell& c, cell_slot slot) {
  switch (slot) {
    case cell_slot::integer: st.exchange(soci::use(c.integer, c.ind)); break;
    case cell_slot::real: st.exchange(soci::use(c.real, c.ind)); break;
    case cell_slot::text: st.exchange(soci::use(c.text, c.ind)); break;
  }
}
/// Binds `c` as an output column of `st` (before prepare).
inline void bind_into(soci::statement& st, cell& c, cell_slot slot) {
  switch (slot) {
    case cell_slot::integer: st.exchange(soci::into(c.integer, c.ind)); break;
    case cell_slot::real: st.exchange(soci::into(c.real, c.ind)); break;
    case cell_slot::text: st.exchange(soci::into(c.text, c.ind)); break;
  }
}

/// True for text every backend stores alike: valid UTF-8 without NUL.
/// PostgreSQL cuts a bound string at its first NUL and rejects invalid UTF-8
/// (JSONB rejects \u0000 too), MariaDB rejects invalid UTF-8, and SQLite
/// stores either as given.
inline bool is_storable_text(std::string_view s) noexcept {
  auto const* p = reinterpret_cast<unsigned char const*>(s.data());
  auto const* const end = p + s.size();
  while (p < end) {
    // Eight ASCII bytes without NUL at a time: no high bit, no zero byte.
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    for (std::uint64_t w; end - p >= 8; p += 8) {
      std::memcpy(&w, p, 8);
      if ((w & highs) != 0 || ((w - ones) & ~w & highs) != 0) break;
    }
    if (p == end) break;
    unsigned const lead = *p;
    if (lead == 0) return false;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    std::size_t n = 0;  // continuation bytes
    std::uint32_t cp = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      n = 1;
      cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 2;
      cp = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 3;
      cp = lead & 0x07;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= n) return false;
    for (std::size_t i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;  // overlong, beyond Unicode, or a surrogate
    p += n + 1;
  }
  return true;
}

/// @throws error validation_failed for text no backend stores alike, before any backend sees it.
inline void check_storable(std::string_view s) {
  if (!is_storable_text(s))
    throw error(errc::validation_failed, "a text value is not valid UTF-8 or contains a NUL character");
}
inline void check_storable(boost::json::value const& v) {
  if (auto const* s = v.if_string()) check_storable(std::string_view(s->data(), s->size()));
  if (auto const* a = v.if_array())
    for (auto const& e : *a) check_storable(e);
  if (auto const* o = v.if_object())
    for (auto const& kv : *o) {
      check_storable(std::string_view(kv.key().data(), kv.key().size()));
      check_storable(kv.value());
    }
}

/// Writes `v` into `c`. `checked`: refuse text no backend stores alike and
/// enumerators without a name (what is bound); unchecked only reads a value
/// held in memory (memory_repository's predicates).
template <class U>
void to_cell(U const& v, cell& c, bool checked = true) {
  c.ind = soci::i_ok;
  if constexpr (is_optional<U>::value) {
    if (!v) {
      c.ind = soci::i_null;
      return;
    }
    to_cell(*v, c, checked);
  } else if constexpr (std::is_same_v<U, bool>) {
    c.integer = v ? 1 : 0;
  } else if constexpr (std::is_integral_v<U>) {
    c.integer = v;
  } else if constexpr (std::is_same_v<U, double>) {
    c.real = v;
  } else if constexpr (std::is_same_v<U, std::string>) {
    if (checked) check_storable(v);
    c.text = v;
  } else if constexpr (described_enum<U>) {
    auto const name = enum_to_string(v);
    if (name.empty() && checked) throw error(errc::validation_failed, "an enum value has no name");
    c.text.assign(name);
  } else if constexpr (std::is_same_v<U, timestamp>) {
    c.text = v.to_sql();
    c.integer = v.count();  // what predicates compare in memory
  } else if constexpr (std::is_same_v<U, uuid>) {
    c.text = v.to_string();
  } else if constexpr (std::is_same_v<U, boost::json::value>) {
    if (checked) check_storable(v);
    c.text = boost::json::serialize(v);
  } else {  // json<T>
    auto const j = boost::json::value_from(v.get());
    if (checked) check_storable(j);
    c.text = boost::json::serialize(j);
  }
}

[[noreturn]] inline void corrupt(std::string_view column, std::string const& what) {
  throw error(errc::corrupt_value, "column '" + std::string(column) + "': " + what, std::string(column));
}

template <class U>
void from_cell(cell const& c, U& out, std::string_view column) {
  if constexpr (is_optional<U>::value) {
    if (c.ind == soci::i_null) {
      out.reset();
      return;
    }
    typename U::value_type inner{};
    from_cell(c, inner, column);
    out = std::move(inner);
    return;
  } else {
    if (c.ind == soci::i_null) corrupt(column, "unexpected NULL");
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
      auto v = boost::json::parse(c.text, ec);
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
