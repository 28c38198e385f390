// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/migrate/migrator.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/migrate/migrator.hpp>

#include <taskstore/migrate/detail/catalog.hpp>
#include <taskstore/repository/soci_repository.hpp>
#include <taskstore/sql/ddl.hpp>

#include <algorithm>
#include <optional>
#include <thread>

namespace taskstore {

std::size_t migration_status::count(migration_state s) const {
  return static_cast<std::size_t>(
      std::count_if(migrations.begin(), migrations.end(), [&](auto const& m) { return m.state == s; }));
}

migrator::migrator(database db, std::vector<migration> migrations, migrate_options options)
    : db_(std::move(db)), migrations_(std::move(migrations)), options_(options) {
  std::sort(migrations_.begin(), migrations_.end(), [](auto const& a, auto const& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < migrations_.size(); ++i) {
    auto const& m = migrations_[i];
    if (m.version <= 0 || m.name.empty() || !m.up)
      throw error(errc::bad_config, "migration " + std::to_string(m.version) +
                                        " needs a positive version, a name "
                                        "and up statements");
    if (i > 0 && migrations_[i - 1].version == m.version)
      throw error(errc::bad_config, "two migrations have version " + std::to_string(m.version));
  }
}

migration_status migrator::status() const {
  return detail::with_pinned_session(db_, [&](detail::session_lease& lease) {
    return describe(detail::table_exists(lease, db_.backend(), ledger_table) ? read_ledger() : ledger{});
  });
}

std::vector<std::int64_t> migrator::migrate_to(std::int64_t version) {
  if (version != 0 && !find(version)) throw error(errc::bad_config, "there is no migration " + std::to_string(version));
  return run(version);
}

std::vector<std::int64_t> migrator::rollback(std::size_t steps) {
  auto const st = status();
  std::vector<std::int64_t> applied;
  for (auto const& m : st.migrations)
    if (m.state != migration_state::pending) applied.push_back(m.version);
  if (steps == 0 || applied.empty()) return {};
  auto const target = steps >= applied.size() ? 0 : applied[applied.size() - steps - 1];
  return run(target);
}

migration const* migrator::find(std::int64_t version) const {
  for (auto const& m : migrations_)
    if (m.version == version) return &m;
  return nullptr;
}

migrator::ledger migrator::read_ledger() const {
  ledger out;
  for (auto& row : soci_repository<schema_migration>(db_).find(query<schema_migration>{}))
    out.emplace(row.version, std::move(row));
  return out;
}

migration_status migrator::describe(ledger const& applied) const {
  migration_status st;
  st.latest_version = latest_version();
  std::map<std::int64_t, migration_status_entry> entries;
  for (auto const& m : migrations_) entries[m.version] = {m.version, m.name, migration_state::pending, {}, {}};
  for (auto const& [version, row] : applied) {
    auto const* m = find(version);
    auto& e = entries[version];
    e.version = version;
    e.name = row.name;
    e.applied_at = row.applied_at;
    e.execution_ms = row.execution_ms;
    e.state = !m                                           ? migration_state::unknown
              : m->checksum(db_.dialect()) != row.checksum ? migration_state::changed
                                                           : migration_state::applied;
    st.current_version = std::max(st.current_version, version);
  }
  for (auto& [version, e] : entries) st.migrations.push_back(std::move(e));
  return st;
}

std::vector<std::int64_t> migrator::run(std::int64_t target) {
  if (options_.join_transaction && (!db_.backend().transactional_ddl() || !db_.in_transaction()))
    throw error(errc::unsupported,
                "migrations join a transaction only inside transact(), on a database whose DDL is transactional "
                "(SQLite, PostgreSQL)");
  std::vector<std::int64_t> done;
  detail::with_pinned_session(db_, [&](detail::session_lease& lease) {
    // Behind a pooler in transaction mode no lock outlives a transaction:
    // each step locks, and creates the ledger, in its own.
    bool const per_step = db_.backend().locks_migrations_per_step() && !options_.join_transaction;
    std::optional<run_lock> whole_run;
    if (!per_step) {
      whole_run.emplace(*this, lease, !options_.join_transaction);  // joined: the caller's transaction's lock
      ensure_ledger(lease);
    }
    // A step whose transaction rolled back after a deadlock or lock timeout
    // runs again from the ledger; where DDL commits as it goes (MySQL), only
    // when none of its DDL ran.
    for (std::size_t attempt = 1;;) {
      begin(lease);
      std::size_t ddl_ran = 0;                                 // statements of the step's migration that ran
      std::optional<detail::fault_injector::attempt> counted;  // joined: the caller's attempt counts
      if (lease.conn().faults && !options_.join_transaction) counted.emplace(*lease.conn().faults, attempt == 1);
      try {
        std::optional<run_lock> step;
        if (per_step) {
          step.emplace(*this, lease, false);
          ensure_ledger(lease);
        }
        auto const st = describe(read_ledger());
        refuse_mismatches(st, target);
        auto const next = next_step(st, target);
        if (!next) {
          commit(lease);
          return;
        }
        apply(lease, *next->m, next->up, ddl_ran);
        commit(lease);
        done.push_back(next->m->version);
        attempt = 1;
      } catch (error const& e) {
        rollback(lease);
        // Joined, the failure aborted the caller's transaction: its transact() runs everything again.
        bool const kept = !db_.backend().transactional_ddl() && ddl_ran > 0;
        if (e.code() != errc::busy_or_deadlock || kept || options_.join_transaction ||
            attempt >= db_.options().retry_attempts)
          throw;
        db_.count_retry();
        detail::backoff(attempt++);
      } catch (...) {
        rollback(lease);
        throw;
      }
    }
  });
  return done;
}

std::optional<migrator::migration_step> migrator::next_step(migration_status const& st, std::int64_t target) const {
  for (auto it = st.migrations.rbegin(); it != st.migrations.rend(); ++it)
    if (it->state != migration_state::pending && it->version > target) {
      auto const* m = find(it->version);
      if (!m)
        throw error(errc::schema_mismatch, "migration " + std::to_string(it->version) + " (" + it->name +
                                               ") is applied but unknown to this build; it cannot be rolled back");
      if (!m->down)
        throw error(errc::unsupported, "migration " + std::to_string(m->version) + " (" + m->name +
                                           ") has no down statements; it cannot be rolled back");
      return migration_step{m, false};
    }
  for (auto const& e : st.migrations)
    if (e.state == migration_state::pending && e.version <= target) return migration_step{find(e.version), true};
  return std::nullopt;
}

void migrator::refuse_mismatches(migration_status const& st, std::int64_t target) const {
  for (auto const& e : st.migrations) {
    if (e.state == migration_state::changed)
      throw error(errc::schema_mismatch, error_category::admin_required,
                  "migration " + std::to_string(e.version) + " (" + e.name +
                      ") changed after it was applied: its checksum differs from the ledger's");
    if (e.state == migration_state::unknown && target >= latest_version() && e.version > target) {
      auto const named = "the database has migration " + std::to_string(e.version) + " (" + e.name + ")";
      // taskstore's own stay below 1000: a version above is one of the user's, not given here.
      if (e.version >= 1000)
        throw error(errc::schema_mismatch, error_category::admin_required,
                    named +
                        ", which is not among the migrations given: give your own migrations too "
                        "(`taskstore --migrations DIR`, or load_migrations() added to the list)");
      throw error(errc::schema_mismatch, error_category::admin_required,
                  named + ", newer than this build knows (latest " + std::to_string(latest_version()) +
                      "): use a newer taskstore");
    }
  }
}

void migrator::apply(detail::session_lease& lease, migration const& m, bool up, std::size_t& ran) {
  auto const& backend = db_.backend();
  auto const& dialect = db_.dialect();
  auto const started = std::chrono::steady_clock::now();
  // Where DDL commits as it goes (MySQL), each statement of a step runs on its own,
  // and undoes only the statement that met a deadlock or lock-wait timeout:
  // that statement runs again by itself. Elsewhere the step's transaction
  // is rolled back and run() runs the whole step again.
  auto const statement = [&](auto const& run_it) {
    for (std::size_t attempt = 1;; ++attempt) {
      try {
        return run_it();
      } catch (error const& e) {
        if (backend.transactional_ddl() || e.code() != errc::busy_or_deadlock ||
            attempt >= db_.options().retry_attempts)
          throw;
        db_.count_retry();
        detail::backoff(attempt);
      }
    }
  };
  if (!up && m.down_code) m.down_code(db_);
  auto const statements = up ? m.up(dialect) : m.down(dialect);
  for (std::size_t k = 0; k < statements.size(); ++k) {
    try {
      statement([&] { detail::guarded(lease, backend, [&] { lease.get() << statements[k]; }); });
      ++ran;
    } catch (error const& e) {
      throw error(e.code(), e.category(), failure_message(m, up, k, statements, e.what()));
    }
  }
  if (up && m.up_code) m.up_code(db_);
  soci_repository<schema_migration> ledger_rows(db_);
  if (up) {
    auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    statement([&] { ledger_rows.insert({m.version, m.name, m.checksum(dialect), timestamp::now(), ms.count()}); });
  } else {
    statement([&] { ledger_rows.remove(m.version); });
  }
}

std::string migrator::failure_message(migration const& m, bool up, std::size_t k,
                                      std::vector<std::string> const& statements, std::string const& what) const {
  auto head = statements[k].substr(0, 80);
  std::replace(head.begin(), head.end(), '\n', ' ');
  auto text = "migration " + std::to_string(m.version) + " (" + m.name + ") " + (up ? "up" : "down") +
              " failed at statement " + std::to_string(k + 1) + " of " + std::to_string(statements.size()) + " (" +
              head + (statements[k].size() > 80 ? "…" : "") + "): " + what + "; ";
  if (db_.backend().transactional_ddl()) return text + "it was rolled back and the ledger is unchanged";
  if (k == 0) return text + "nothing of it was applied and the ledger is unchanged";
  return text + std::string(db_.backend().description()) + " commits DDL as it runs, so statements 1 to " +
         std::to_string(k) + " stayed applied while the ledger " + (up ? "does not list" : "still lists") +
         " the migration: repair the schema by hand before running again";
}

void migrator::ensure_ledger(detail::session_lease& lease) {
  if (detail::table_exists(lease, db_.backend(), ledger_table)) return;
  detail::guarded(lease, db_.backend(), [&] {
    for (auto const& s : sql::create_table_sql<schema_migration>(db_.dialect())) lease.get() << s;
  });
}

void migrator::begin(detail::session_lease& lease) {
  if (options_.join_transaction || !db_.backend().transactional_ddl()) return;
  // SQLite's step transaction is exclusive: it waits for other writers here.
  auto const deadline = std::chrono::steady_clock::now() + options_.lock_timeout;
  for (;;) {
    try {
      detail::guarded(lease, db_.backend(), [&] { db_.backend().begin_migration_step(lease.get()); });
      return;
    } catch (error const& e) {
      if (e.code() != errc::busy_or_deadlock || std::chrono::steady_clock::now() > deadline) throw;
    }
  }
}

void migrator::commit(detail::session_lease& lease) {
  if (options_.join_transaction || !db_.backend().transactional_ddl()) return;
  detail::guarded(lease, db_.backend(), [&] { lease.get() << "COMMIT"; });
}

void migrator::rollback(detail::session_lease& lease) noexcept {
  if (options_.join_transaction || !db_.backend().transactional_ddl()) return;
  try {
    lease.get() << "ROLLBACK";
  } catch (...) {
    lease.mark_broken();
  }
}

migrator::run_lock::run_lock(migrator const& owner, detail::session_lease& lease, bool session_scope)
    : backend_(owner.db_.backend()), lease_(lease), session_lock_(session_scope) {
  if (!backend_.locks_migrations()) return;
  auto const deadline = std::chrono::steady_clock::now() + owner.options_.lock_timeout;
  for (;;) {
    bool const got =
        detail::guarded(lease_, backend_, [&] { return backend_.try_lock_migrations(lease_.get(), session_lock_); });
    if (got) return;
    if (std::chrono::steady_clock::now() > deadline)
      throw error(errc::busy_or_deadlock,
                  "another process has been migrating this database for longer than "
                  "the lock timeout");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

migrator::run_lock::~run_lock() {
  if (!backend_.locks_migrations() || !session_lock_) return;
  try {
    backend_.unlock_migrations(lease_.get());
  } catch (...) {
    lease_.mark_broken();  // closing the session releases the lock
  }
}

}  // namespace taskstore
