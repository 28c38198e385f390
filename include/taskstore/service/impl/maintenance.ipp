// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/maintenance.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/maintenance.hpp>

#include <taskstore/db/detail/each_row.hpp>
#include <taskstore/domain/entities.hpp>
#include <taskstore/service/detail/hot_queries.hpp>
#include <taskstore/service/event_service.hpp>
#include <taskstore/service/session_service.hpp>
#include <taskstore/service/task_maintenance.hpp>

#include <boost/mp11/algorithm.hpp>

#include <soci/soci.h>

#include <map>

namespace taskstore {

integrity_report check_integrity(database const& db) {
  integrity_report report;
  auto lease = detail::session_of(db);
  detail::guarded(lease, db.backend(), [&] {
    auto& s = lease.get();
    db.backend().check_integrity(s, report.checks, report.problems);
    for (auto const& inv : detail::invariants) {
      report.checks.emplace_back(inv.check);
      long long n = 0;
      s << std::string("SELECT COUNT(*) FROM ") + inv.table + " WHERE " + inv.violated, soci::into(n);
      if (n == 0) continue;
      integrity_problem p{inv.check, inv.table, n, {}};
      auto const sql = std::string("SELECT ") + inv.key + " FROM " + inv.table + " WHERE " + inv.violated +
                       " ORDER BY " + inv.key + " LIMIT 5";
      detail::each_row(s, sql, [&](soci::row const& row) {
        auto const type = row.get_properties(0).get_data_type();
        p.examples.push_back(type == soci::dt_string    ? row.get<std::string>(0)
                             : type == soci::dt_integer ? std::to_string(row.get<int>(0))
                                                        : std::to_string(row.get<long long>(0)));
      });
      report.problems.push_back(std::move(p));
    }
  });
  return report;
}

cleanup_report cleanup(database const& db, cleanup_options const& o) {
  // A negative age would reach past now: a task created a moment ago would expire.
  auto const not_negative = [](auto age, char const* option) {
    if (age.count() < 0)
      throw error(errc::validation_failed, std::string(option) + " must not be negative", std::string(option));
  };
  not_negative(o.expire_created_after, "expire_created_after");
  not_negative(o.delete_events_after, "delete_events_after");
  not_negative(o.soft_delete_tasks_after, "soft_delete_tasks_after");
  auto const now = timestamp::now();
  auto const stale = now.minus(o.expire_created_after, "expire_created_after");
  auto const old_events = now.minus(o.delete_events_after, "delete_events_after");
  auto const retention = now.minus(o.soft_delete_tasks_after, "soft_delete_tasks_after");
  cleanup_report r;
  r.dry_run = o.dry_run;
  if (o.dry_run) {
    soci_repository<task> tasks(db);
    r.expired_tasks = static_cast<std::int64_t>(tasks.count(detail::stale_created(stale)));
    r.deleted_events =
        static_cast<std::int64_t>(soci_repository<event_log>(db).count(detail::events_before(old_events)));
    r.deleted_sessions =
        static_cast<std::int64_t>(soci_repository<session>(db).count(query<session>{col(&session::expires_at) < now}));
    r.soft_deleted_tasks = static_cast<std::int64_t>(tasks.count(detail::past_retention(retention)));
    return r;
  }
  task_maintenance tasks(db);
  r.expired_tasks = static_cast<std::int64_t>(tasks.expire_before(stale));
  r.deleted_events = static_cast<std::int64_t>(event_service(db).purge_before(old_events));
  r.deleted_sessions = static_cast<std::int64_t>(session_service(db).purge_before(now));
  r.soft_deleted_tasks = static_cast<std::int64_t>(tasks.soft_delete_before(retention));
  return r;
}

void optimize(database const& db) {
  std::vector<std::string> tables{"schema_migrations"};
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, domain_entities>>(
      [&](auto entity) { tables.emplace_back(table_model<typename decltype(entity)::type>::table); });
  auto lease = detail::session_of(db);
  detail::guarded(lease, db.backend(), [&] { db.backend().optimize(lease.get(), tables); });
}

}  // namespace taskstore
