// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The compile cost a user pays: one translation unit that includes the
// umbrella header and instantiates the repository of every domain entity,
// member templates included. scripts/bench compiles it under /usr/bin/time -v
// at -O2 and reports the seconds and the peak memory.
//
// TASKSTORE_COMPILE_COST_PROBE selects a part of that cost, so that the report
// can say where the time goes: 0 the umbrella header alone, 1 with the first
// repository (user: the shared statement, pool and driver code comes with it),
// 2 (the default) every repository.

#include <taskstore/taskstore.hpp>

#ifndef TASKSTORE_COMPILE_COST_PROBE
#define TASKSTORE_COMPILE_COST_PROBE 2
#endif

#if TASKSTORE_COMPILE_COST_PROBE > 0
#include <boost/mp11/algorithm.hpp>

#include <vector>

namespace taskstore {
template class soci_repository<user>;
#if TASKSTORE_COMPILE_COST_PROBE > 1
template class soci_repository<task>;
template class soci_repository<event_log>;
template class soci_repository<agent_run>;
template class soci_repository<task_completion>;
template class soci_repository<session>;
template class soci_repository<session_task>;
template class soci_repository<draft>;
template class soci_repository<email_message>;
template class soci_repository<credit_wallet>;
template class soci_repository<credit_transaction>;
#endif
}  // namespace taskstore

/// Every member template too: the calls a program makes.
void use_every_repository(taskstore::database const& db) {
#if TASKSTORE_COMPILE_COST_PROBE > 1
  using entities = taskstore::domain_entities;
#else
  using entities = boost::mp11::mp_list<taskstore::user>;
#endif
  boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, entities>>([&](auto type) {
    using T = typename decltype(type)::type;
    taskstore::soci_repository<T> repo(db);
    std::vector<T> rows(1);
    rows = repo.insert_many(rows);
    (void)repo.upsert(rows.front());
    (void)repo.find(taskstore::query<T>{}.limit(10));
  });
}
#endif
