// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Agent logs, versioned drafts and the e-mail outbox: an agent
// writes two drafts of an e-mail, a reviewer approves the second, it is
// queued for sending, a sender takes it, fails once and then sends it.

#include <taskstore/taskstore.hpp>

#include <iostream>

namespace ts = taskstore;
using namespace std::chrono_literals;

int main(int argc, char** argv) try {
  auto db = ts::database::open(argc > 1 ? argv[1] : "sqlite:///drafts_and_outbox.db");
  ts::migrate_to_latest(db);
  auto const ada = ts::user_service{db}.find_or_create("ada@example.com", "Ada");
  auto const t = ts::task_service{db}.create({.user_id = ada.id, .tool_id = "write-email", .agents = {"writer"}});

  ts::event_service{db}.append(
      {.task_id = t.task_id, .event_type = ts::event_kind::log, .agent_role = "writer", .content = "drafting"});
  ts::draft_service drafts{db};
  drafts.add(t.task_id, "Hi team, the report is late.", ts::draft_kind::EMAIL, "writer");
  auto const v2 = drafts.add(t.task_id, "Hi team, the Q3 report ships Friday.", ts::draft_kind::EMAIL, "writer");
  drafts.submit_for_review(v2.id);
  drafts.approve(v2.id, "editor@example.com");
  for (auto const& d : drafts.list(t.task_id, ada.id))
    std::cout << "draft v" << d.version << " " << ts::enum_to_string(d.status) << ": " << d.content << '\n';

  ts::outbox_service outbox{db};
  auto const latest = drafts.get_latest(t.task_id, ada.id);
  outbox.enqueue({t.task_id, "Team@Example.com", "Q3 report", latest.content, ts::email_priority::HIGH, latest.id});
  outbox.enqueue({t.task_id, "archive@example.com", "Q3 report (copy)", latest.content, ts::email_priority::LOW});

  // A sender takes a batch (highest priority first), fails once, then sends.
  auto batch = outbox.take_batch("sender-1", 1, 1min);
  outbox.mark_failed(batch.at(0), "smtp 451: try again later");
  batch = outbox.take_batch("sender-1", 10, 1min);
  for (auto const& m : batch) outbox.mark_sent(m);
  for (auto const& m : outbox.list(t.task_id, ada.id))
    std::cout << "email to " << m.recipient << " [" << ts::enum_to_string(m.priority) << "] "
              << ts::enum_to_string(m.status) << " after " << m.attempts << " attempt(s)"
              << (m.last_error ? ", last error: " + *m.last_error : "") << '\n';
} catch (ts::error const& e) {
  std::cerr << "drafts_and_outbox: " << e.what() << " (" << e.code() << ")\n";
  return 1;
}
