// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The lease mechanics that task claims and the e-mail outbox share: a take
/// that moves waiting rows to a held status under one lease token (and takes
/// rows no holder can read out of circulation), the fence on every write a
/// holder makes, renewal, and the end of a lease.

#include <taskstore/domain/email_message.hpp>
#include <taskstore/domain/task.hpp>
#include <taskstore/error.hpp>
#include <taskstore/repository/soci_repository.hpp>

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace taskstore::detail {

/// The columns of a row type that holders take under a lease.
template <class Row>
struct lease_columns;

template <>
struct lease_columns<task> {
  static constexpr auto key = &task::task_id;
  static constexpr auto status = &task::status;
  static constexpr auto waiting = task_status::QUEUED;
  static constexpr auto held = task_status::PROCESSING;
  static constexpr auto attempts = &task::attempt;
  static constexpr auto holder = &task::locked_by;
  static constexpr auto token = &task::lease_token;
  static constexpr auto expires_at = &task::lease_expires_at;
};

template <>
struct lease_columns<email_message> {
  static constexpr auto key = &email_message::id;
  static constexpr auto status = &email_message::status;
  static constexpr auto waiting = email_status::PENDING;
  static constexpr auto held = email_status::SENDING;
  static constexpr auto attempts = &email_message::attempts;
  static constexpr auto holder = &email_message::locked_by;
  static constexpr auto token = &email_message::lease_token;
  static constexpr auto expires_at = &email_message::lease_expires_at;
};

/// Who takes rows and until when: one token for everything one take takes.
struct lease_grant {
  std::string holder;
  uuid token;
  timestamp until;
};

/// The operations on rows of type `Row` held under leases.
template <class Row>
struct leases {
  using columns = lease_columns<Row>;
  using key_type = std::remove_cvref_t<decltype(std::declval<Row const&>().*columns::key)>;
  using repository = soci_repository<Row>;

  /// Row `key` while the lease `token` holds it: the fence of every write its
  /// holder makes. A rescue, a requeue or another take changes the status or
  /// the token, so a late write by the old holder changes nothing.
  static query<Row> held(key_type const& key, uuid const& token) {
    return query<Row>{col(columns::key) == key && col(columns::status) == columns::held &&
                      col(columns::token) == token};
  }

  /// Rows whose holder's lease ran out before `cutoff`.
  static predicate<Row> expired(timestamp cutoff) {
    return col(columns::status) == columns::held && col(columns::expires_at) < cutoff;
  }

  /// Row `key` while it is still waiting: where a take's caller changes a row
  /// it could not read, so that it stays out of the next take.
  static query<Row> still_waiting(key_type const& key) {
    return query<Row>{col(columns::key) == key && col(columns::status) == columns::waiting};
  }

  /// Takes up to `n` waiting rows for `grant` in one transaction (the
  /// caller's, if any). Each round takes what `select(wanted)` selects (its
  /// order and limit) and `admit` keeps: held, one more attempt, the lease,
  /// and `extra`. Rows no holder can read go to `quarantine(unreadable)`,
  /// which must move them out of waiting (by key, through still_waiting());
  /// then the take goes on. A round that took fewer than wanted ends the take,
  /// unless `again()` says another may find more (it excluded a saturated key).
  /// `select`, `admit`, `quarantine` and `again` run again when the
  /// transaction is retried.
  template <class Select, class Admit, class Quarantine, class Again, class... Extra>
  static std::vector<Row> take(repository const& rows, std::size_t n, lease_grant const& grant, Select const& select,
                               Admit const& admit, Quarantine const& quarantine, Again const& again,
                               Extra const&... extra) {
    if (n == 0) return {};
    return rows.db().transact([&] {
      std::vector<Row> out;
      for (;;) {
        auto taken = rows.take_admitted(select(n - out.size()), admit, set(columns::status, columns::held),
                                        increment(columns::attempts, 1), set(columns::holder, grant.holder),
                                        set(columns::token, std::optional<uuid>(grant.token)),
                                        set(columns::expires_at, std::optional<timestamp>(grant.until)), extra...);
        std::move(taken.rows.begin(), taken.rows.end(), std::back_inserter(out));
        if (out.size() == n) break;
        if (!taken.unreadable.empty()) {
          // Each round takes at least one unreadable row out, so the loop ends.
          quarantine(taken.unreadable);
          continue;
        }
        if (!again()) break;
      }
      return out;
    });
  }

  /// take() of whatever `select` selects, with nothing turned away and no
  /// round after a short one.
  template <class Select, class Quarantine, class... Extra>
  static std::vector<Row> take(repository const& rows, std::size_t n, lease_grant const& grant, Select const& select,
                               Quarantine const& quarantine, Extra const&... extra) {
    return take(
        rows, n, grant, select, [](std::vector<Row>&& r) { return std::move(r); }, quarantine, [] { return false; },
        extra...);
  }

  /// Moves the lease of row `key` to `until`, with `extra`, while `token`
  /// holds it. @returns false when it does not (the holder lost the lease).
  template <class... Extra>
  [[nodiscard]] static bool renew(repository const& rows, key_type const& key, uuid const& token, timestamp until,
                                  Extra const&... extra) {
    return rows.update_where(held(key, token), set(columns::expires_at, std::optional<timestamp>(until)), extra...) ==
           1;
  }

  /// Ends the leases of the rows `which` selects, setting `extra` (their new
  /// status, at least). @returns how many.
  template <class... Extra>
  static std::size_t end(repository const& rows, query<Row> const& which, Extra const&... extra) {
    return rows.update_where(which, extra..., set(columns::holder, std::optional<std::string>{}),
                             set(columns::token, std::optional<uuid>{}),
                             set(columns::expires_at, std::optional<timestamp>{}));
  }
};

}  // namespace taskstore::detail
