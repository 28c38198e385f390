// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/database.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/database.hpp>

#include <taskstore/db/detail/replica_reads.hpp>

#include <algorithm>
#include <cstdlib>

namespace taskstore {

database database::open() {
  char const* url = std::getenv("TASKSTORE_DATABASE_URL");
  if (!url || !*url) throw error(errc::bad_config, "TASKSTORE_DATABASE_URL is not set");
  return open(url);
}

database::database(connection_options options) : state_(std::make_shared<detail::pool>(std::move(options))) {}

replica_status database::replica() const {
  if (auto* replica = state_->replica()) return replica->status(true);
  return {};
}

void database::execute(std::string const& sql) const {
  auto lease = session();
  if (lease.pinned()) return detail::guarded(lease, backend(), [&] { lease.get() << sql; });
  detail::fault_injector::attempt counted(state_->faults(), true);  // a statement of its own
  detail::guarded(lease, backend(), [&] { lease.get() << sql; });
}

void database::notify(std::string const& payload) const {
  if (payload.size() > max_payload)
    throw error(errc::validation_failed,
                "a notification's payload has at most " + std::to_string(max_payload) + " bytes", "payload");
  auto lease = session();
  auto const send = [&] {
    detail::guarded(lease, backend(), [&] { backend().notify(lease.get(), detail::pool::channel, payload); });
  };
  if (lease.pinned() && lease.conn().in_transaction) {
    auto& sent = lease.conn().announced;
    // Sent with the COMMIT (backend::commit()), once: PostgreSQL folds repeats too.
    if (std::find(sent.begin(), sent.end(), payload) == sent.end()) sent.push_back(payload);
    return;
  }
  if (backend().pushes()) {
    if (lease.pinned()) {
      send();
    } else {
      detail::fault_injector::attempt counted(state_->faults(), true);  // a statement of its own
      send();
    }
  }
  state_->signals().publish(payload);
}

database::subscription database::subscribe(std::function<void(std::string_view)> handler, bool other_processes) const {
  if (!handler) throw error(errc::validation_failed, "a subscriber's handler must be callable", "handler");
  auto const id = state_->signals().subscribe(std::move(handler), other_processes);
  return subscription(state_, id);
}

void database::publish(std::vector<std::string> const& payloads) const noexcept {
  for (auto const& p : payloads) state_->signals().publish(p);
}

void database::begin(detail::session_lease& lease) const {
  detail::guarded_control(lease, backend(), [&] { backend().begin(lease.get()); });
}

void database::commit(detail::session_lease& lease) const {
  try {
    detail::guarded_control(lease, backend(), [&] {
      backend().commit(lease.get(), detail::pool::channel, lease.conn().announced);  // sends them where it pushes
      if (state_->faults().armed() && state_->faults().lose_commit())
        throw error(errc::connection_lost, "the connection dropped after COMMIT was sent (injected commit_lost)");
    });
  } catch (error const& e) {
    if (e.code() != errc::connection_lost) throw;
    throw error(errc::outcome_unknown,
                std::string("the connection dropped during COMMIT; the transaction may or may not have committed: ") +
                    e.what());
  }
}

void database::rollback(detail::session_lease& lease) const noexcept {
  try {
    lease.get().rollback();
  } catch (...) {
    lease.mark_broken();  // a session whose rollback failed is not reused
  }
}

}  // namespace taskstore
