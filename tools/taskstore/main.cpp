// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The `taskstore` command-line tool: schema, migrations, administration and a
// look at the tasks of any taskstore database.
//
// Exit codes: 0 success, 2 usage error, 3 user-fixable, 4 admin-required,
// 5 temporary failure, 1 anything else.

#include <taskstore/migrate/adopt.hpp>
#include <taskstore/migrate/sql_files.hpp>
#include <taskstore/service/admin.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/taskstore.hpp>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

namespace ts = taskstore;

namespace {

enum exit_code : int { ok = 0, failure = 1, usage = 2, user_fixable = 3, admin_required = 4, temporary = 5 };

int exit_code_of(ts::error_category c) {
  switch (c) {
    case ts::error_category::user_fixable: return user_fixable;
    case ts::error_category::admin_required: return admin_required;
    case ts::error_category::temporary: return temporary;
  }
  return failure;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }
bool stdin_is_terminal() { return ::isatty(STDIN_FILENO) == 1; }

/// A progress line on a terminal; nothing otherwise (the command prints a summary).
ts::admin_progress progress_bar() {
  if (!stderr_is_terminal()) return {};
  return [](std::string_view table, std::size_t done, std::size_t total) {
    std::fprintf(stderr, "\r\033[K%-22.*s %zu", static_cast<int>(table.size()), table.data(), done);
    if (total) std::fprintf(stderr, " / %zu", total);
    std::fflush(stderr);
  };
}
void end_progress() {
  if (stderr_is_terminal()) std::fputs("\r\033[K", stderr);
}

std::string default_url() {
  if (char const* url = std::getenv("TASKSTORE_DATABASE_URL"); url && *url) return url;
  return "sqlite:///taskstore.db";
}

std::vector<ts::migration> all_migrations(std::string const& dir) {
  auto list = ts::builtin_migrations();
  if (!dir.empty())
    for (auto& m : ts::load_migrations(dir)) list.push_back(std::move(m));
  return list;
}

void print_json(boost::json::value const& v) { std::cout << boost::json::serialize(v) << '\n'; }

ts::sql::dialect parse_dialect(std::string const& name) {
  if (name == "sqlite") return ts::sql::dialect::sqlite;
  if (name == "postgresql") return ts::sql::dialect::postgresql;
  if (name == "mysql") return ts::sql::dialect::mysql;
  throw ts::error(ts::errc::bad_config, "unknown dialect " + name + " (sqlite, postgresql or mysql)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"taskstore: schema, migrations, administration and tasks of a taskstore database"};
  app.require_subcommand(1);
  std::string url = default_url();
  app.add_option("--db", url, "database URL (default: $TASKSTORE_DATABASE_URL, then sqlite:///taskstore.db)");
  std::string migrations_dir;
  app.add_option("--migrations", migrations_dir, "a directory of your own SQL migrations (NNNN_name.up.sql)");

  // Everything runs after parsing, so a usage error never touches a database.
  std::function<void()> command;
  auto db = [&] { return ts::database::open(url); };

  auto* init = app.add_subcommand("init", "create the schema (apply every migration)");
  init->callback([&] {
    command = [&] {
      auto const applied = ts::migrator(db(), all_migrations(migrations_dir)).up();
      std::cout << "initialized " << db().url() << ": " << applied.size() << " migration(s) applied\n";
    };
  });

  bool yes = false;
  auto* recreate = app.add_subcommand("recreate", "drop every table and create the schema again (asks first)");
  recreate->add_flag("--yes,-y", yes, "do not ask");
  recreate->callback([&] {
    command = [&] {
      if (!yes) {
        if (!stdin_is_terminal())
          throw ts::error(ts::errc::validation_failed, "recreate deletes every row: confirm with --yes");
        std::cerr << "recreate deletes every row of " << db().url() << ". Type yes to go on: ";
        std::string answer;
        std::getline(std::cin, answer);
        if (answer != "yes") throw ts::error(ts::errc::validation_failed, "not confirmed; nothing changed");
      }
      auto const database = db();
      ts::migrator m(database, all_migrations(migrations_dir));
      m.migrate_to(0);
      m.up();
      std::cout << "recreated " << database.url() << '\n';
    };
  });

  auto* migrate = app.add_subcommand("migrate", "versioned migrations");
  migrate->require_subcommand(1);
  bool json = false;
  auto* status = migrate->add_subcommand("status", "applied, pending and changed migrations");
  status->add_flag("--json", json, "print JSON");
  status->callback([&] {
    command = [&] {
      auto const st = ts::migrator(db(), all_migrations(migrations_dir)).status();
      if (json) return print_json(ts::to_json(st));
      for (auto const& m : st.migrations)
        std::cout << m.version << "  " << m.name << "  " << ts::enum_to_string(m.state)
                  << (m.applied_at ? "  " + m.applied_at->to_iso() : std::string()) << '\n';
      std::cout << "current " << st.current_version << ", latest " << st.latest_version << '\n';
    };
  });
  std::optional<std::int64_t> to_version;
  auto* up = migrate->add_subcommand("up", "apply pending migrations");
  up->add_option("--to", to_version, "stop at this version");
  up->callback([&] {
    command = [&] {
      ts::migrator m(db(), all_migrations(migrations_dir));
      auto const done = to_version ? m.migrate_to(*to_version) : m.up();
      std::cout << done.size() << " migration(s) applied; now at " << m.status().current_version << '\n';
    };
  });
  std::size_t steps = 1;
  auto* down = migrate->add_subcommand("down", "roll back the latest migrations");
  down->add_option("--steps", steps, "how many (default 1)")->check(CLI::PositiveNumber);
  down->callback([&] {
    command = [&] {
      ts::migrator m(db(), all_migrations(migrations_dir));
      auto const done = m.rollback(steps);
      std::cout << done.size() << " migration(s) rolled back; now at " << m.status().current_version << '\n';
    };
  });
  std::string new_name;
  std::string create_dir = "migrations";
  auto* create = migrate->add_subcommand("create", "write empty NNNN_name.up.sql / .down.sql files");
  create->add_option("name", new_name, "what the migration does, in snake_case")->required();
  create->add_option("--dir", create_dir, "where (default ./migrations)");
  create->callback([&] {
    command = [&] {
      namespace fs = std::filesystem;
      fs::create_directories(create_dir);
      std::int64_t next = 1000;  // taskstore's own migrations stay below 1000
      for (auto const& m : ts::load_migrations(create_dir)) next = std::max(next, m.version + 1);
      auto const stem = (fs::path(create_dir) / (std::to_string(next) + "_" + new_name)).string();
      std::ofstream(stem + ".up.sql") << "-- " << new_name << ": the change\n";
      std::ofstream(stem + ".down.sql") << "-- " << new_name << ": undo the change\n";
      std::cout << stem << ".up.sql\n" << stem << ".down.sql\n";
    };
  });

  auto* adopt = migrate->add_subcommand("adopt", "bring a database taskstore did not create (seed 003's) under it");
  adopt->callback([&] {
    command = [&] {
      auto const n = ts::adopt(db());
      std::cout << "adopted " << db().url() << ": " << n << " row(s) carried over, now at the latest schema\n";
    };
  });

  std::string dialect_name;
  auto* schema = app.add_subcommand("schema", "print the DDL of the schema the domain types describe");
  schema->add_option("--dialect", dialect_name, "sqlite, postgresql or mysql (default: the --db URL's)");
  schema->callback([&] {
    command = [&] {
      auto const d = dialect_name.empty() ? ts::parse_url(url).backend : parse_dialect(dialect_name);
      for (auto const& s : ts::canonical_schema_sql(d)) std::cout << s << ";\n\n";
    };
  });

  std::string file;
  std::string format = "jsonl";
  auto* backup =
      app.add_subcommand("backup", "write every row to a JSON Lines file (see restore), or copy an SQLite file");
  backup->add_option("file", file, "the file to write")->required();
  backup->add_option("--format", format, "jsonl (every backend, default) or sqlite (SQLite's VACUUM INTO)")
      ->check(CLI::IsMember({"jsonl", "sqlite"}));
  backup->callback([&] {
    command = [&] {
      if (format == "sqlite") {
        ts::sqlite_backup(db(), file);
        std::cout << "backed up " << db().url() << " to " << file << '\n';
        return;
      }
      std::ofstream out(file, std::ios::binary);
      if (!out) throw ts::error(ts::errc::bad_config, "cannot write " + file);
      auto const n = ts::dump(db(), out, progress_bar());
      end_progress();
      std::cout << "backed up " << n << " rows to " << file << '\n';
    };
  });
  auto* restore = app.add_subcommand("restore", "load a backup file into an empty database");
  restore->add_option("file", file, "the file to read")->required()->check(CLI::ExistingFile);
  restore->callback([&] {
    command = [&] {
      std::ifstream in(file, std::ios::binary);
      auto const n = ts::restore(db(), in, progress_bar());
      end_progress();
      std::cout << "restored " << n << " rows from " << file << '\n';
    };
  });

  std::string target_url;
  auto* copy = app.add_subcommand("copy", "copy every row to another (empty) database, any backend to any backend");
  copy->add_option("--to", target_url, "the target database URL")->required();
  copy->callback([&] {
    command = [&] {
      auto const target = ts::database::open(target_url);
      auto const n = ts::copy_database(db(), target, progress_bar());
      end_progress();
      std::cout << "copied " << n << " rows from " << db().url() << " to " << target.url() << '\n';
    };
  });

  auto* stats = app.add_subcommand("stats", "rows per table, tasks by status, database size");
  stats->add_flag("--json", json, "print JSON");
  stats->callback([&] {
    command = [&] {
      auto const s = ts::stats(db());
      if (json) return print_json(ts::to_json(s));
      for (auto const& [table, n] : s.rows) std::cout << table << "  " << n << '\n';
      std::cout << "tasks by status:";
      for (auto const& [status_name, n] : s.tasks_by_status)
        if (n) std::cout << ' ' << status_name << '=' << n;
      std::cout << "\nsize " << s.size_bytes << " bytes, schema version " << s.schema_version << '\n';
    };
  });

  auto* integrity = app.add_subcommand("integrity", "the database's own checks and taskstore's invariants");
  integrity->add_flag("--json", json, "print JSON");
  integrity->callback([&] {
    command = [&] {
      auto const r = ts::check_integrity(db());
      if (json) {
        print_json(ts::to_json(r));
      } else {
        for (auto const& p : r.problems) {
          std::cout << "FAIL  " << p.check << ": " << p.rows << " row(s) in " << p.table;
          for (auto const& e : p.examples) std::cout << ' ' << e;
          std::cout << '\n';
        }
        std::cout << r.checks.size() << " checks, " << r.problems.size() << " failed\n";
      }
      if (!r.ok())
        throw ts::error(ts::errc::constraint_violation, ts::error_category::admin_required,
                        std::to_string(r.problems.size()) + " integrity check(s) failed");
    };
  });

  bool dry_run = false;
  auto* cleanup =
      app.add_subcommand("cleanup", "expire stale tasks, delete old events and expired sessions, retention");
  cleanup->add_flag("--dry-run", dry_run, "count only, change nothing");
  cleanup->add_flag("--json", json, "print JSON");
  cleanup->callback([&] {
    command = [&] {
      auto const r = ts::cleanup(db(), {.dry_run = dry_run});
      if (json) return print_json(ts::to_json(r));
      std::cout << (dry_run ? "would " : "") << "expire " << r.expired_tasks << " task(s), delete " << r.deleted_events
                << " event(s) and " << r.deleted_sessions << " session(s), soft-delete " << r.soft_deleted_tasks
                << " task(s)\n";
    };
  });

  auto* optimize = app.add_subcommand("optimize", "refresh statistics and reclaim space (VACUUM, ANALYZE, OPTIMIZE)");
  optimize->callback([&] {
    command = [&] {
      ts::optimize(db());
      std::cout << "optimized " << db().url() << '\n';
    };
  });

  auto* tasks = app.add_subcommand("tasks", "look at tasks");
  tasks->require_subcommand(1);
  std::optional<std::int64_t> user_id;
  std::string status_name;
  std::size_t limit = 20;
  auto* list = tasks->add_subcommand("list", "tasks, newest first");
  list->add_option("--user", user_id, "only this user's");
  list->add_option("--status", status_name, "only tasks in this status");
  list->add_option("--limit", limit, "at most this many (default 20)")->check(CLI::Range(1, 1000));
  list->add_flag("--json", json, "print seed 003's TaskListResponse");
  list->callback([&] {
    command = [&] {
      auto q = ts::query<ts::task>{};
      if (user_id) q = q.where(ts::col(&ts::task::user_id) == *user_id);
      if (!status_name.empty()) {
        auto const s = ts::enum_from_string<ts::task_status>(status_name);
        if (!s) throw ts::error(ts::errc::validation_failed, "unknown status " + status_name, "status");
        q = q.where(ts::col(&ts::task::status) == *s);
      }
      ts::soci_repository<ts::task> repo(db());
      ts::task_page page;
      page.total = repo.count(q);
      page.limit = limit;
      page.tasks = repo.find(q.order_by(ts::desc(&ts::task::created_at), ts::desc(&ts::task::task_id)).limit(limit));
      page.has_more = page.tasks.size() < page.total;
      if (json) return print_json(ts::to_json(ts::to_task_list_response(page)));
      for (auto const& t : page.tasks)
        std::cout << t.task_id << "  " << ts::enum_to_string(t.status) << "  " << t.progress << "%  user " << t.user_id
                  << "  " << t.tool_id << "  " << t.created_at << '\n';
      std::cout << page.tasks.size() << " of " << page.total << " task(s)\n";
    };
  });
  std::string id_text;
  auto* show = tasks->add_subcommand("show", "one task with its events");
  show->add_option("id", id_text, "the task id")->required();
  show->add_flag("--json", json, "print the task row as JSON");
  show->callback([&] {
    command = [&] {
      auto const database = db();
      auto const t = ts::task_service(database).find(ts::uuid::parse(id_text));
      if (!t) throw ts::error(ts::errc::not_found, "no task " + id_text);
      if (json) return print_json(ts::to_json(*t));
      std::cout << boost::json::serialize(ts::to_json(*t)) << '\n';
      for (auto const& e : ts::soci_repository<ts::event_log>(database).find(
               ts::query<ts::event_log>{ts::col(&ts::event_log::task_id) == t->task_id}.order_by(
                   ts::asc(&ts::event_log::created_at), ts::asc(&ts::event_log::id))))
        std::cout << "  " << e.created_at << "  " << ts::enum_to_string(e.event_type) << "  " << e.content.value_or("")
                  << '\n';
    };
  });

  try {
    app.parse(argc, argv);
  } catch (CLI::CallForHelp const& e) {
    return app.exit(e);
  } catch (CLI::CallForAllHelp const& e) {
    return app.exit(e);
  } catch (CLI::ParseError const& e) {
    app.exit(e);
    return usage;
  }
  try {
    command();
    return ok;
  } catch (ts::error const& e) {
    end_progress();
    std::cerr << "taskstore: " << e.what() << " (" << e.code() << ", " << e.category() << ")\n";
    return exit_code_of(e.category());
  } catch (std::exception const& e) {
    end_progress();
    std::cerr << "taskstore: " << e.what() << '\n';
    return failure;
  }
}
