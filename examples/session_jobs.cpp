// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// A session's background job: one record per session, overwritten
// as the session moves processing → export → adf_validation; an export fails
// with its context and is retried; the lifecycle messages reach a logger the
// application installs.

#include <taskstore/taskstore.hpp>

#include <iostream>

namespace ts = taskstore;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///session_jobs.db");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");

  ts::session_service sessions{db, [](ts::lifecycle_level level, std::string const& message) {
                                 std::cout << "  [" << ts::enum_to_string(level) << "] " << message << '\n';
                               }};
  auto const s = sessions.create(ada.id);
  std::cout << "session " << s.id << " expires " << s.expires_at << '\n';
  auto const show = [&](ts::session_task const& st) {
    std::cout << "  -> record: " << ts::enum_to_string(st.task_type) << " " << ts::enum_to_string(st.status)
              << ", retry_count " << st.retry_count << ", session stage " << sessions.find(s.id)->stage << '\n';
  };

  show(sessions.start(s.id, ts::session_task_type::processing, ts::uuid::generate_v7()));
  show(sessions.complete(s.id));
  show(sessions.start(s.id, ts::session_task_type::export_, ts::uuid::generate_v7()));
  show(sessions.fail(s.id, {{"error", "S3 upload timed out"}, {"bytes_sent", 1048576}}));

  if (auto const retryable = sessions.find_failed_retryable(s.id)) {
    std::cout << "find_failed_retryable: the " << ts::enum_to_string(retryable->task_type) << " task can be retried\n";
    show(sessions.retry(s.id, ts::uuid::generate_v7()));
    std::cout << "find_active_for_session: " << ts::enum_to_string(sessions.find_active_for_session(s.id)->task_type)
              << " is running\n";
    show(sessions.complete(s.id));
  }
  show(sessions.start(s.id, ts::session_task_type::adf_validation, ts::uuid::generate_v7()));
  show(sessions.complete(s.id));

  try {
    sessions.complete(s.id);  // a completed record cannot be modified
  } catch (ts::error const& e) {
    std::cout << "completing it again: \"" << e.what() << "\" (" << e.category() << ")\n";
  }
  sessions.remove(s.id);
  auto const left = ts::soci_repository<ts::session_task>{db}.count({ts::col(&ts::session_task::session_id) == s.id});
  std::cout << "session deleted; task records left for it: " << left << " (ON DELETE CASCADE)\n";
} catch (ts::error const& e) {
  std::cerr << "session_jobs: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
