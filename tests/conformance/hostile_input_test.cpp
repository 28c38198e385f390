// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Inputs an independent hostile-input run found slipping through (issue 31):
// each is refused with validation_failed (or bad_config) and changes nothing.

#include <taskstore/service/admin.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/service/task_claims.hpp>
#include <taskstore/service/task_service.hpp>

#include "support/domain_fixture.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using namespace taskstore;
using namespace taskstore::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

class hostile_input_test : public domain_test {
 protected:
  task_claim claimed() {
    task_service tasks(db());
    task_claims work(db());
    auto const t = tasks.queue(tasks.create({.user_id = alice_, .tool_id = "profile-my-data"}).task_id, alice_);
    return work.start_processing(t.task_id, "worker-1", 1h);
  }
  std::string snapshot() {
    std::ostringstream out;
    dump(db(), out);
    return out.str();
  }
};

TEST_P(hostile_input_test, a_heartbeat_with_a_lease_under_a_second_is_refused) {
  auto claim = claimed();
  auto const before = snapshot();
  for (auto const lease : {std::chrono::seconds(-3600), std::chrono::seconds(0)}) {
    claim.lease = lease;
    expect_error(errc::validation_failed, [&] { task_claims(db()).heartbeat(claim); });
  }
  EXPECT_EQ(snapshot(), before) << "a lease in the past would let rescue_expired() requeue a held task";
}

TEST_P(hostile_input_test, a_negative_execution_time_is_refused_before_the_statement) {
  auto const claim = claimed();
  auto const before = snapshot();
  try {
    task_claims(db()).complete(claim, {.result_summary = "s", .tokens_used = 0, .execution_time = -1.0s});
    ADD_FAILURE() << "accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed) << e.what();
    EXPECT_EQ(e.field(), "execution_time");
  }
  std::vector<task_claim> const claims{claim};
  std::vector<task_result> const results{{"s", 0, -0.5s}};
  expect_error(errc::validation_failed, [&] { task_claims(db()).complete_batch(claims, results); });
  EXPECT_EQ(snapshot(), before);
}

TEST_P(hostile_input_test, cleanup_refuses_a_negative_age) {
  task_service(db()).create({.user_id = alice_, .tool_id = "profile-my-data"});
  auto const before = snapshot();
  expect_error(errc::validation_failed, [&] { cleanup(db(), {.expire_created_after = -5min}); });
  expect_error(errc::validation_failed, [&] { cleanup(db(), {.delete_events_after = std::chrono::days(-1)}); });
  expect_error(errc::validation_failed, [&] { cleanup(db(), {.soft_delete_tasks_after = std::chrono::days(-1)}); });
  EXPECT_EQ(snapshot(), before) << "a task created a moment ago expired";
}

TEST_P(hostile_input_test, a_dump_without_line_breaks_is_refused_without_reading_it_all) {
  std::string const endless(detail::max_dump_line_bytes + 10, '\0');
  std::istringstream in(endless);
  try {
    read_dump(in);
    ADD_FAILURE() << "accepted";
  } catch (error const& e) {
    EXPECT_EQ(e.code(), errc::validation_failed) << e.what();
    EXPECT_NE(std::string(e.what()).find("line 1"), std::string::npos) << e.what();
  }
  EXPECT_LT(static_cast<std::size_t>(in.tellg()), endless.size()) << "read past the longest line a dump holds";
}

TEST_P(hostile_input_test, a_backup_replaces_only_a_regular_file_and_writes_through_a_link) {
  auto const dir = fs::temp_directory_path() / ("taskstore-hostile-" + unique_suffix());
  fs::create_directories(dir);
  auto const fifo = dir / "fifo.jsonl";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  expect_error(errc::bad_config, [&] { dump_to_file(db(), fifo); });
  EXPECT_TRUE(fs::is_fifo(fifo)) << "the pipe was replaced";

  auto const file = dir / "real.jsonl";
  std::ofstream(file) << "the previous backup\n";
  auto const link = dir / "link.jsonl";
  fs::create_symlink(file, link);
  dump_to_file(db(), link);
  EXPECT_TRUE(fs::is_symlink(link)) << "the link was replaced by a file";
  std::ifstream written(file);
  std::string first;
  std::getline(written, first);
  EXPECT_NE(first.find("taskstore-dump"), std::string::npos) << first;
  fs::remove_all(dir);
}

TASKSTORE_INSTANTIATE_ON_ALL_BACKENDS(hostile_input_test);

}  // namespace
