// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Multi-row INSERTs on MySQL/MariaDB as one statement of escaped literals on
// the native connection. SOCI's MySQL backend substitutes parameters on the
// client anyway (the text protocol), but looks each one up by name and formats
// it separately; for a 500-row chunk of a wide table that was most of
// insert_many's time (docs/performance.md). Same values, same escaping function
// (mysql_real_escape_string), errors translated as SOCI's are.

#include <taskstore/detail/config.hpp>
#include <taskstore/value/detail/cell.hpp>

#include <soci/soci.h>

#include <soci/mysql/soci-mysql.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace taskstore::detail {

/// Appends `c` as a MySQL literal.
TASKSTORE_DECL void append_mysql_literal(MYSQL* conn, std::string& out, cell const& c, cell_slot slot);

/// What the server reported for an INSERT.
struct literal_insert_result {
  std::uint64_t inserted = 0;  ///< mysql_affected_rows()
  std::uint64_t first_id = 0;  ///< mysql_insert_id(): the first generated key, 0 if none
};

/// Runs `head` followed by `rows` rows of `cells` (`slots.size()` per row)
/// and `tail` (e.g. ` RETURNING id`); with `keys`, reads one integer per
/// returned row into it.
/// @throws soci::mysql_soci_error, for detail::guarded() to translate.
TASKSTORE_DECL literal_insert_result mysql_insert_literal(soci::session& session, std::string const& head,
                                                          std::vector<cell> const& cells,
                                                          std::vector<cell_slot> const& slots, std::size_t rows,
                                                          std::string_view tail, std::vector<long long>* keys);

}  // namespace taskstore::detail

#ifdef TASKSTORE_HEADER_ONLY
#include <taskstore/backend/mysql/impl/literal_insert.ipp>
#endif
