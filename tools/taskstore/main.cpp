// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The `taskstore` command-line tool: schema, migrations, administration and a
// look at the tasks of any taskstore database.
//
// Exit codes: 0 success, 2 usage error, 3 user-fixable, 4 admin-required,
// 5 temporary failure, 6 `work --until-idle` ran a program that failed,
// 1 anything else.

#include <taskstore/migrate/adopt.hpp>
#include <taskstore/migrate/sql_files.hpp>
#include <taskstore/service/admin.hpp>
#include <taskstore/service/maintenance.hpp>
#include <taskstore/taskstore.hpp>

#include "json_views.hpp"
#include "serve/serve.hpp"
#include "work.hpp"

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

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

/// The --migrations directory's migrations (none without it).
std::vector<ts::migration> user_migrations(std::string const& dir) {
  if (dir.empty()) return {};
  return ts::load_migrations(dir);
}

std::vector<ts::migration> all_migrations(std::string const& dir) {
  auto list = ts::builtin_migrations();
  for (auto& m : user_migrations(dir)) list.push_back(std::move(m));
  return list;
}

/// `text` with every control character (C0, DEL, C1: ESC and CSI among them)
/// and every byte that is not UTF-8 escaped, so that stored text can neither
/// drive the terminal nor forge a line.
std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  auto byte = [&](unsigned char c) { out += std::string("\\x") + hex[c >> 4] + hex[c & 15]; };
  for (std::size_t i = 0; i < text.size();) {
    auto const c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default: byte(c);
      }
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    bool valid = n > 0 && i + n <= text.size();
    for (std::size_t k = 1; valid && k < n; ++k) valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    if (!valid) {
      byte(c);
      ++i;
      continue;
    }
    auto const second = static_cast<unsigned char>(text[i + 1]);
    if (c == 0xc2 && second < 0xa0) {  // U+0080 to U+009F: C1 controls
      out += std::string("\\u00") + hex[second >> 4] + hex[second & 15];
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

/// One line of human output, escaped.
void say(std::string_view line) { std::cout << printable(line) << '\n'; }

/// JSON text that a terminal shows as it is: Boost.JSON escapes C0 controls;
/// DEL and the C1 controls (U+0080 to U+009F) become \u escapes too. Those
/// bytes occur only inside strings, so the text stays the same JSON.
void print_json(boost::json::value const& v) {
  auto const text = boost::json::serialize(v);
  std::string out;
  out.reserve(text.size());
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto const c = static_cast<unsigned char>(text[i]);
    if (c == 0x7f) {
      out += "\\u007f";
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) < 0xa0 &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80) {
      auto const second = static_cast<unsigned char>(text[++i]);
      out += std::string("\\u00") + hex[second >> 4] + hex[second & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  std::cout << out << '\n';
}

void warn(std::string_view message) { std::cerr << "taskstore: warning: " << printable(message) << '\n'; }

/// Asks on the terminal before a change that drops data; without a terminal,
/// refuses unless `yes`.
void confirm(bool yes, std::string const& what) {
  if (yes) return;
  if (!stdin_is_terminal()) throw ts::error(ts::errc::validation_failed, what + ": confirm with --yes");
  std::cerr << printable(what) << ". Type yes to go on: ";
  std::string answer;
  std::getline(std::cin, answer);
  if (answer != "yes") throw ts::error(ts::errc::validation_failed, "not confirmed; nothing changed");
}

/// Asks before migrating `m` to `target` when that rolls back an applied
/// migration. Mismatches are left to the migrator, which refuses them before
/// changing anything.
void confirm_rollback(ts::migrator const& m, std::int64_t target, bool yes, std::string const& url) {
  auto const st = m.status();
  std::string names;
  for (auto const& e : st.migrations) {
    if (e.state == ts::migration_state::changed || e.state == ts::migration_state::unknown) return;
    if (e.state == ts::migration_state::applied && e.version > target)
      names = std::to_string(e.version) + " (" + e.name + ")" + (names.empty() ? "" : ", ") + names;
  }
  if (names.empty()) return;
  confirm(yes, "rolling back migration(s) " + names + " of " + url + " drops what they created, rows included");
}

ts::backend const& parse_backend(std::string const& name) {
  if (auto const* b = ts::find_backend(name)) return *b;
  throw ts::error(ts::errc::bad_config, "unknown dialect " + name + " (sqlite, postgresql or mysql)");
}

/// Set by SIGINT while `events --follow` polls (all the handler does).
volatile std::sig_atomic_t interrupted = 0;

/// One event as `tasks show` prints it, or as one JSON line.
void print_event(ts::event_log const& e, bool json) {
  if (json) return print_json(ts::to_json(e));
  say(e.created_at.to_iso() + "  " + std::string(ts::enum_to_string(e.event_type)) + "  " + e.content.value_or(""));
}

/// The task an operator acts on, whoever owns it.
/// @throws error not_found when there is none, or it was soft-deleted.
ts::task operator_task(ts::task_service const& tasks, std::string const& id_text) {
  auto const id = ts::uuid::parse(id_text);
  auto t = tasks.find(id);
  if (!t || t->deleted_at) throw ts::error(ts::errc::not_found, "no task " + id.to_string());
  return *t;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"taskstore: schema, migrations, administration and tasks of a taskstore database"};
  app.require_subcommand(1);
  app.fallthrough();  // `taskstore work --db URL ...` as well as `taskstore --db URL work ...`
  std::string url = default_url();
  app.add_option("--db", url, "database URL (default: $TASKSTORE_DATABASE_URL, then sqlite:///taskstore.db)");
  std::string migrations_dir;
  app.add_option("--migrations", migrations_dir,
                 "a directory of your own SQL migrations (NNNN_name.up.sql), for every command that migrates, "
                 "copies, backs up or restores");

  // Everything runs after parsing, so a usage error never touches a database.
  std::function<void()> command;
  int result = ok;  // what `command` ends with, when it does not throw
  // Commands that create the schema may create the database (an SQLite file).
  auto db = [&] { return ts::database::open(url); };
  // The others never do: SQLite would create the missing file on open.
  auto existing_db = [&] {
    auto const o = ts::parse_url(url);
    if (!o.in_memory && !o.path.empty()) {  // a file: only SQLite URLs name one
      std::error_code ec;
      if (!std::filesystem::exists(o.path, ec))
        throw ts::error(ts::errc::connection_failed, "cannot open " + o.redacted_url + ": there is no file " + o.path +
                                                         " (`taskstore --db URL init` creates the database)");
    }
    return ts::database::open(url);
  };
  auto admin_options = [&] {
    return ts::admin_options{
        .migrations = user_migrations(migrations_dir), .progress = progress_bar(), .warning = warn};
  };

  auto* init = app.add_subcommand("init", "create the schema (apply every migration)");
  init->callback([&] {
    command = [&] {
      auto const database = db();
      auto const applied = ts::migrator(database, all_migrations(migrations_dir)).up();
      say("initialized " + database.url() + ": " + std::to_string(applied.size()) + " migration(s) applied");
    };
  });

  bool yes = false;
  auto* recreate = app.add_subcommand("recreate", "drop every table and create the schema again (asks first)");
  recreate->add_flag("--yes,-y", yes, "do not ask");
  recreate->callback([&] {
    command = [&] {
      auto const database = db();
      ts::migrator m(database, all_migrations(migrations_dir));
      confirm(yes, "recreate deletes every row of " + database.url());
      m.migrate_to(0);
      m.up();
      say("recreated " + database.url());
    };
  });

  auto* migrate = app.add_subcommand("migrate", "versioned migrations");
  migrate->require_subcommand(1);
  bool json = false;
  auto* status = migrate->add_subcommand("status", "applied, pending and changed migrations");
  status->add_flag("--json", json, "print JSON");
  status->callback([&] {
    command = [&] {
      auto const st = ts::migrator(existing_db(), all_migrations(migrations_dir)).status();
      if (json) return print_json(ts::to_json(st));
      for (auto const& m : st.migrations)
        say(std::to_string(m.version) + "  " + m.name + "  " + std::string(ts::enum_to_string(m.state)) +
            (m.applied_at ? "  " + m.applied_at->to_iso() : std::string()));
      say("current " + std::to_string(st.current_version) + ", latest " + std::to_string(st.latest_version));
    };
  });
  std::optional<std::int64_t> to_version;
  auto* up = migrate->add_subcommand("up", "apply pending migrations (to a lower version: roll back, asks first)");
  up->add_option("--to", to_version, "stop at this version");
  up->add_flag("--yes,-y", yes, "do not ask before rolling back");
  up->callback([&] {
    command = [&] {
      auto const database = db();
      ts::migrator m(database, all_migrations(migrations_dir));
      bool const known =
          to_version && (*to_version == 0 || std::any_of(m.migrations().begin(), m.migrations().end(),
                                                         [&](auto const& x) { return x.version == *to_version; }));
      if (known) confirm_rollback(m, *to_version, yes, database.url());
      auto const done = to_version ? m.migrate_to(*to_version) : m.up();
      say(std::to_string(done.size()) + " migration(s) applied or rolled back; now at " +
          std::to_string(m.status().current_version));
    };
  });
  std::size_t steps = 1;
  auto* down = migrate->add_subcommand("down", "roll back the latest migrations (asks first)");
  down->add_option("--steps", steps, "how many (default 1)")->check(CLI::Range(std::size_t{1}, std::size_t{1000000}));
  down->add_flag("--yes,-y", yes, "do not ask");
  down->callback([&] {
    command = [&] {
      auto const database = existing_db();
      ts::migrator m(database, all_migrations(migrations_dir));
      std::vector<std::int64_t> applied;
      for (auto const& e : m.status().migrations)
        if (e.state != ts::migration_state::pending) applied.push_back(e.version);
      auto const target = steps >= applied.size() ? 0 : applied[applied.size() - steps - 1];
      confirm_rollback(m, target, yes, database.url());
      auto const done = m.rollback(steps);
      say(std::to_string(done.size()) + " migration(s) rolled back; now at " +
          std::to_string(m.status().current_version));
    };
  });
  std::string new_name;
  std::string create_dir = "migrations";
  auto* create = migrate->add_subcommand("create", "write empty NNNN_name.up.sql / .down.sql files");
  create
      ->add_option("name", new_name, "what the migration does, in snake_case (a-z, 0-9 and _)")
      // The name becomes part of a file name: no separators, no dots.
      ->check(CLI::Validator(
          [](std::string& name) -> std::string {
            bool const plain = !name.empty() && name.size() <= 100 && std::all_of(name.begin(), name.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            });
            return plain ? std::string() : "a migration name is a plain word of a-z, 0-9 and _ (at most 100)";
          },
          "NAME"))
      ->required();
  create->add_option("--dir", create_dir, "where (default ./migrations)");
  create->callback([&] {
    command = [&] {
      namespace fs = std::filesystem;
      std::error_code ec;
      fs::create_directories(create_dir, ec);
      if (ec) throw ts::error(ts::errc::bad_config, "cannot create the directory " + create_dir + ": " + ec.message());
      std::int64_t next = 1000;  // taskstore's own migrations stay below 1000
      for (auto const& m : ts::load_migrations(create_dir)) next = std::max(next, m.version + 1);
      auto const stem = (fs::path(create_dir) / (std::to_string(next) + "_" + new_name)).string();
      for (auto const* suffix : {".up.sql", ".down.sql"})
        if (fs::exists(stem + suffix, ec)) throw ts::error(ts::errc::already_exists, stem + suffix + " exists");
      auto write = [](std::string const& path, std::string const& text) {
        std::ofstream out(path, std::ios::binary);
        out << text;
        out.close();
        if (!out) throw ts::error(ts::errc::bad_config, "cannot write " + path);
      };
      write(stem + ".up.sql", "-- " + new_name + ": the change\n");
      write(stem + ".down.sql", "-- " + new_name + ": undo the change\n");
      say(stem + ".up.sql");
      say(stem + ".down.sql");
    };
  });

  auto* adopt =
      migrate->add_subcommand("adopt", "bring an existing tasks database that taskstore did not create under it");
  adopt->callback([&] {
    command = [&] {
      auto const database = existing_db();
      auto const yours = user_migrations(migrations_dir);  // read before the database changes
      auto const n = ts::adopt(database);
      if (!yours.empty()) ts::migrate_to_latest(database, yours);
      say("adopted " + database.url() + ": " + std::to_string(n) + " row(s) carried over, now at the latest schema");
    };
  });

  std::string dialect_name, flavor_name;
  auto* schema = app.add_subcommand("schema", "print the DDL of the schema the domain types describe");
  schema->add_option("--dialect", dialect_name, "sqlite, postgresql or mysql (default: the --db URL's)");
  schema->add_option("--flavor", flavor_name, "mysql: mariadb (the default) or mysql, for MySQL 8.0 servers");
  schema->callback([&] {
    command = [&] {
      auto const* b =
          dialect_name.empty() ? &ts::backend_for(ts::parse_url(url).backend) : &parse_backend(dialect_name);
      if (!flavor_name.empty() && !(b = b->flavor(flavor_name)))
        throw ts::error(ts::errc::bad_config, "the dialect has no flavor " + flavor_name);
      for (auto const& s : ts::canonical_schema_sql(b->dialect())) std::cout << s << ";\n\n";
    };
  });

  std::string file;
  std::string format = "jsonl";
  auto* backup =
      app.add_subcommand("backup", "write every row to a JSON Lines file (see restore), or copy an SQLite file");
  backup->add_option("file", file, "the file to write (replaced only when the backup is complete)")->required();
  backup->add_option("--format", format, "jsonl (every backend, default) or sqlite (SQLite's VACUUM INTO)")
      ->check(CLI::IsMember({"jsonl", "sqlite"}));
  backup->callback([&] {
    command = [&] {
      auto const database = existing_db();
      if (format == "sqlite") {
        ts::sqlite_backup(database, file);
        say("backed up " + database.url() + " to " + file);
        return;
      }
      auto const n = ts::dump_to_file(database, file, admin_options());
      end_progress();
      say("backed up " + std::to_string(n) + " rows to " + file);
    };
  });
  auto* restore = app.add_subcommand("restore", "load a backup file into an empty database");
  restore->add_option("file", file, "the file to read")->required()->check(CLI::ExistingFile);
  restore->callback([&] {
    command = [&] {
      // The whole file is read and checked before the database is opened.
      std::ifstream in(file, std::ios::binary);
      if (!in) throw ts::error(ts::errc::bad_config, "cannot read " + file);
      auto const dump = ts::read_dump(in);
      auto const options = admin_options();
      auto const n = ts::restore(db(), dump, options);
      end_progress();
      say("restored " + std::to_string(n) + " rows from " + file);
    };
  });

  std::string target_url;
  auto* copy = app.add_subcommand("copy", "copy every row to another (empty) database, any backend to any backend");
  copy->add_option("--to", target_url, "the target database URL")->required();
  copy->callback([&] {
    command = [&] {
      auto const source = existing_db();
      auto const target = ts::database::open(target_url);
      auto const n = ts::copy_database(source, target, admin_options());
      end_progress();
      say("copied " + std::to_string(n) + " rows from " + source.url() + " to " + target.url());
    };
  });

  auto* stats = app.add_subcommand("stats", "rows per table, tasks by status, database size");
  stats->add_flag("--json", json, "print JSON");
  stats->callback([&] {
    command = [&] {
      auto const opened = existing_db();
      auto const s = ts::stats(opened.reads());  // from the standby where the URL names one
      auto const replica = opened.replica();
      if (json) {
        auto out = ts::to_json(s);
        if (replica.configured) out.as_object()["replica"] = ts::cli::replica_json(replica);
        return print_json(out);
      }
      for (auto const& [table, n] : s.rows) say(table + "  " + std::to_string(n));
      std::string by_status = "tasks by status:";
      for (auto const& [status_name, n] : s.tasks_by_status)
        if (n) by_status += " " + status_name + "=" + std::to_string(n);
      say(by_status);
      say("size " + std::to_string(s.size_bytes) + " bytes, schema version " + std::to_string(s.schema_version));
      if (replica.configured)
        say("standby: " +
            (replica.lag ? "lag " + std::to_string(replica.lag->count()) + " ms" : std::string("lag unknown")) +
            (replica.serving ? ", serving reads" : ", passed over: " + replica.problem));
    };
  });

  auto* integrity = app.add_subcommand("integrity", "the database's own checks and taskstore's invariants");
  integrity->add_flag("--json", json, "print JSON");
  integrity->callback([&] {
    command = [&] {
      auto const r = ts::check_integrity(existing_db());
      if (json) {
        print_json(ts::to_json(r));
      } else {
        for (auto const& p : r.problems) {
          std::string line = "FAIL  " + p.check + ": " + std::to_string(p.rows) + " row(s) in " + p.table;
          for (auto const& e : p.examples) line += " " + e;
          say(line);
        }
        say(std::to_string(r.checks.size()) + " checks, " + std::to_string(r.problems.size()) + " failed");
      }
      if (!r.ok())
        throw ts::error(ts::errc::constraint_violation, ts::error_category::admin_required,
                        std::to_string(r.problems.size()) + " integrity check(s) failed");
    };
  });

  bool show_plans = false;
  auto* doctor = app.add_subcommand(
      "doctor", "query plans, unused indexes, statistics, long transactions, standby lag and queue health");
  doctor->add_flag("--json", json, "print JSON");
  doctor->add_flag("--plans", show_plans, "print how the database plans each hot query");
  doctor->callback([&] {
    command = [&] {
      auto const r = ts::doctor(existing_db());
      if (json) {
        print_json(ts::to_json(r));
      } else {
        say(r.backend + ":");
        for (auto const& c : r.checks) say("  " + c.name + ": " + c.result);
        for (auto const& f : r.findings) {
          say(std::string(f.level == ts::finding_level::attention ? "ATTENTION  " : "advice     ") + f.check + ", " +
              f.subject + ": " + f.detail);
          say("           do: " + f.action);
        }
        if (show_plans)
          for (auto const& p : r.plans) {
            say(p.query + " (" + p.table + ", " + std::to_string(p.table_rows) + " rows):");
            for (std::size_t at = 0; at < p.plan.size();) {
              auto const end = std::min(p.plan.find('\n', at), p.plan.size());
              say("    " + p.plan.substr(at, end - at));
              at = end + 1;
            }
          }
      }
      if (r.needs_attention()) {
        std::size_t n = 0;
        for (auto const& f : r.findings) n += f.level == ts::finding_level::attention;
        throw ts::error(ts::errc::database_error, ts::error_category::admin_required,
                        std::to_string(n) + " finding(s) need attention");
      }
    };
  });

  bool dry_run = false;
  auto* cleanup =
      app.add_subcommand("cleanup", "expire stale tasks, delete old events and expired sessions, retention");
  cleanup->add_flag("--dry-run", dry_run, "count only, change nothing");
  cleanup->add_flag("--json", json, "print JSON");
  cleanup->callback([&] {
    command = [&] {
      auto const r = ts::cleanup(existing_db(), {.dry_run = dry_run});
      if (json) return print_json(ts::to_json(r));
      say(std::string(dry_run ? "would " : "") + "expire " + std::to_string(r.expired_tasks) + " task(s), delete " +
          std::to_string(r.deleted_events) + " event(s) and " + std::to_string(r.deleted_sessions) +
          " session(s), soft-delete " + std::to_string(r.soft_deleted_tasks) + " task(s)");
    };
  });

  auto* optimize = app.add_subcommand("optimize", "refresh statistics and reclaim space (VACUUM, ANALYZE, OPTIMIZE)");
  optimize->callback([&] {
    command = [&] {
      auto const database = existing_db();
      ts::optimize(database);
      say("optimized " + database.url());
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
  list->add_flag("--json", json, "print the task API's list response (TaskListResponse JSON)");
  list->callback([&] {
    command = [&] {
      auto q = ts::query<ts::task>{};
      if (user_id) q = q.where(ts::col(&ts::task::user_id) == *user_id);
      if (!status_name.empty()) {
        auto const s = ts::enum_from_string<ts::task_status>(status_name);
        if (!s) throw ts::error(ts::errc::validation_failed, "unknown status " + status_name, "status");
        q = q.where(ts::col(&ts::task::status) == *s);
      }
      ts::soci_repository<ts::task> repo(existing_db());
      ts::task_page page;
      page.total = repo.count(q);
      page.limit = limit;
      page.tasks = repo.find(q.order_by(ts::desc(&ts::task::created_at), ts::desc(&ts::task::task_id)).limit(limit));
      page.has_more = page.tasks.size() < page.total;
      if (json) return print_json(ts::to_json(ts::to_task_list_response(page)));
      for (auto const& t : page.tasks)
        say(t.task_id.to_string() + "  " + std::string(ts::enum_to_string(t.status)) + "  " +
            std::to_string(t.progress) + "%  user " + std::to_string(t.user_id) + "  " + t.tool_id + "  " +
            t.created_at.to_iso());
      say(std::to_string(page.tasks.size()) + " of " + std::to_string(page.total) + " task(s)");
    };
  });
  std::string id_text;
  auto* show = tasks->add_subcommand("show", "one task with its events");
  show->add_option("id", id_text, "the task id")->required();
  show->add_flag("--json", json, "print the task row as JSON");
  show->callback([&] {
    command = [&] {
      auto const id = ts::uuid::parse(id_text);
      auto const database = existing_db();
      auto const t = ts::task_service(database).find(id);
      if (!t) throw ts::error(ts::errc::not_found, "no task " + id.to_string());
      print_json(ts::to_json(*t));
      if (json) return;
      for (auto const& e : ts::soci_repository<ts::event_log>(database).find(
               ts::query<ts::event_log>{ts::col(&ts::event_log::task_id) == t->task_id}.order_by(
                   ts::asc(&ts::event_log::created_at), ts::asc(&ts::event_log::id))))
        say("  " + e.created_at.to_iso() + "  " + std::string(ts::enum_to_string(e.event_type)) + "  " +
            e.content.value_or(""));
    };
  });

  std::string email, tool_name;
  std::vector<std::string> agents;
  std::int32_t priority = 0, max_attempts = 3;
  std::optional<std::string> title, input_prompt;
  bool queue_now = false;
  auto* create_task = tasks->add_subcommand("create", "create a task for a user (as the task API does)");
  create_task->add_option("--user", email, "the owner's email (an existing user)")->required();
  create_task->add_option("--tool", tool_name, "the tool that runs it")->required();
  create_task->add_option("--agents", agents, "its agents, comma-separated")->delimiter(',');
  create_task->add_option("--priority", priority, "claim order: smaller first, -100 to 100 (default 0)");
  create_task->add_option("--max-attempts", max_attempts, "attempts before it stays FAILED (default 3)");
  create_task->add_option("--title", title, "its title");
  create_task->add_option("--input", input_prompt, "its input prompt");
  create_task->add_flag("--queue", queue_now, "queue it at once (else it stays CREATED)");
  create_task->add_flag("--json", json, "print the task as JSON");
  create_task->callback([&] {
    command = [&] {
      auto const database = existing_db();
      auto const owner = ts::user_service(database).find_by_email(email);
      if (!owner) throw ts::error(ts::errc::not_found, "no user " + email, "user");
      ts::task_service svc(database);
      auto t = svc.create({.user_id = owner->id,
                           .tool_id = tool_name,
                           .agents = agents,
                           .title = title,
                           .input_prompt = input_prompt,
                           .max_attempts = max_attempts,
                           .priority = priority});
      if (queue_now) t = svc.queue(t.task_id, owner->id);
      if (json) return print_json(ts::to_json(t));
      say(t.task_id.to_string() + "  " + std::string(ts::enum_to_string(t.status)));
    };
  });
  // Operator actions: they act for the task's owner, whoever that is.
  auto operator_action = [&](char const* name, char const* what, auto action) {
    auto* sub = tasks->add_subcommand(name, what);
    sub->add_option("id", id_text, "the task id")->required();
    sub->add_flag("--json", json, "print the task as JSON");
    sub->callback([&, action] {
      command = [&, action] {
        auto const database = existing_db();
        auto const t = action(database, operator_task(ts::task_service(database), id_text));
        if (json) return print_json(ts::to_json(t));
        say(t.task_id.to_string() + "  " + std::string(ts::enum_to_string(t.status)));
      };
    });
  };
  operator_action(
      "cancel", "cancel a QUEUED or PROCESSING task (its worker's program is stopped)",
      [](ts::database const& on, ts::task const& t) { return ts::task_service(on).cancel(t.task_id, t.user_id); });
  operator_action(
      "retry", "put a FAILED task with attempts left back in the queue, after the backoff",
      [](ts::database const& on, ts::task const& t) { return ts::task_service(on).retry(t.task_id, t.user_id); });
  operator_action(
      "requeue",
      "put a PROCESSING task (its lease revoked) or a QUEUED one waiting for its retry back in the "
      "queue, claimable now, its attempt not spent",
      [](ts::database const& on, ts::task const& t) { return ts::task_maintenance(on).requeue(t.task_id); });

  bool follow = false;
  auto* events = app.add_subcommand("events", "a task's event log, oldest first");
  events->add_option("id", id_text, "the task id")->required();
  events->add_flag("--follow,-f", follow,
                   "print new events as they are appended, until the task ends (COMPLETED, FAILED, CANCELLED, "
                   "EXPIRED) or SIGINT");
  events->add_flag("--json", json, "print each event as one line of JSON");
  events->callback([&] {
    command = [&] {
      auto const database = existing_db();
      ts::task_service const svc(database);
      auto const id = operator_task(svc, id_text).task_id;
      ts::soci_repository<ts::event_log> const log(database);
      if (follow) {
        struct sigaction sa {};
        sa.sa_handler = [](int) { interrupted = 1; };
        sigemptyset(&sa.sa_mask);
        ::sigaction(SIGINT, &sa, nullptr);
      }
      // Keyset paging on the event id, which the database assigns at insert: a
      // page holds what was appended after the last event printed.
      std::int64_t last = 0;
      for (;;) {
        // The status is read before the events: a final status's event is then among them.
        auto const t = svc.find(id);
        for (;;) {
          auto const page = log.find(
              ts::query<ts::event_log>{ts::col(&ts::event_log::task_id) == id && ts::col(&ts::event_log::id) > last}
                  .order_by(ts::asc(&ts::event_log::id))
                  .limit(500));
          for (auto const& e : page) print_event(e, json);
          if (!page.empty()) last = page.back().id;
          if (page.size() < 500) break;
        }
        std::cout.flush();
        if (!follow || !t || ts::is_terminal(t->status) || interrupted) return;
        for (int i = 0; i < 4 && !interrupted; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    };
  });

  ts::cli::work_options work_options;
  std::int64_t lease_seconds = 60, grace_seconds = 10;
  auto* work = app.add_subcommand("work", "run a program once per claimed task of a tool, until SIGTERM or SIGINT");
  work->add_option("--tool", work_options.tool, "the tool whose tasks it claims")->required();
  work->add_option("--concurrency", work_options.concurrency, "programs at once (default 1)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}));
  work->add_flag("--until-idle", work_options.until_idle,
                 "exit once nothing is claimable and no program runs; exit status 6 when a program failed");
  work->add_option("--lease", lease_seconds, "each claim's lease in seconds, renewed while the program runs (60)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400}));
  work->add_option("--grace", grace_seconds,
                   "seconds from SIGTERM to SIGKILL of a stopped program; on shutdown, also the time running "
                   "programs get to finish first (10)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{3600}));
  work->add_flag("!--no-maintenance", work_options.maintenance,
                 "do not compete for the maintenance lease (another process runs rescue and cleanup)");
  work->add_option("command", work_options.command, "the program and its arguments, after --")->required();
  work->footer(
      "The program runs once per task, in a process group of its own, with TASKSTORE_TASK_ID and\n"
      "TASKSTORE_ATTEMPT set (TASKSTORE_DATABASE_URL removed). Its stdin is the task as JSON (the\n"
      "library's to_json(task)), one line, then end of file. Its stdout lines:\n"
      "  progress N [AGENT]   progress 0-100, rising, and the current agent\n"
      "  event TEXT           an info event in the task's log\n"
      "  result TEXT          the result summary (the last one wins)\n"
      "  any other line       an info event; a malformed progress line becomes a warning event\n"
      "Its stderr passes through to this stderr. Exit 0 completes the task; another status, or a\n"
      "signal, fails the attempt (error code exit_status or signal; retried while attempts remain).\n"
      "A cancelled or lost task's program gets SIGTERM, then SIGKILL after --grace. SIGTERM or\n"
      "SIGINT here: running programs get --grace to finish, then are stopped the same way, and\n"
      "their tasks go back to the queue, their attempts not spent. Unless --no-maintenance, it\n"
      "competes for the fleet's maintenance lease; the leader rescues expired leases (tasks and\n"
      "e-mails) and runs cleanup every 30 s.");
  work->callback([&] {
    command = [&] {
      work_options.lease = std::chrono::seconds(lease_seconds);
      work_options.grace = std::chrono::seconds(grace_seconds);
      result = ts::cli::run_work(existing_db(), work_options);
    };
  });

  ts::cli::serve_options serve_options;
  auto* serve = app.add_subcommand("serve", "the dashboard, its JSON API and Prometheus metrics over HTTP");
  serve->add_option("--listen", serve_options.listen,
                    "ADDRESS:PORT to listen on (default 127.0.0.1:8080; port 0: any)");
  serve->add_option("--token-file", serve_options.token_file,
                    "a file whose first line is the token that actions (cancel, retry, requeue, pause, resume) "
                    "need; without it the dashboard is read-only");
  serve
      ->add_option("--rate", serve_options.limits.requests_per_second,
                   "requests per second per client address, sustained (default 50; 0: no limit)")
      ->check(CLI::Range(0.0, 1e6));
  serve->add_option("--burst", serve_options.limits.burst, "requests per client address at once (default 200)")
      ->check(CLI::Range(1.0, 1e6));
  serve->footer(
      "Pages at /, the JSON API under /api/, /metrics (Prometheus), /healthz and /readyz; see\n"
      "docs/dashboard.md. Runs until SIGTERM or SIGINT.");
  serve->callback([&] { command = [&] { result = ts::cli::run_serve(existing_db(), serve_options); }; });

  auto* queue = app.add_subcommand("queue", "pause, resume and limit a tool's queue; its counts");
  queue->require_subcommand(1);
  std::string tool;
  std::string max_text;
  std::vector<std::string> tools;
  auto* pause = queue->add_subcommand("pause", "claims skip the tool's tasks until resumed");
  pause->add_option("tool", tool, "the tool id")->required();
  pause->callback([&] {
    command = [&] {
      ts::queue_control(existing_db()).pause(tool);
      say("paused " + tool);
    };
  });
  auto* resume = queue->add_subcommand("resume", "claims take the tool's tasks again");
  resume->add_option("tool", tool, "the tool id")->required();
  resume->callback([&] {
    command = [&] {
      ts::queue_control(existing_db()).resume(tool);
      say("resumed " + tool);
    };
  });
  auto* limit_cmd = queue->add_subcommand("limit", "at most MAX of the tool's tasks PROCESSING at once");
  limit_cmd->add_option("tool", tool, "the tool id")->required();
  limit_cmd->add_option("max", max_text, "a number, or none to remove the limit")->required();
  limit_cmd->callback([&] {
    command = [&] {
      std::optional<std::int32_t> max;
      if (max_text != "none") {
        std::size_t used = 0;
        int v = 0;
        try {
          v = std::stoi(max_text, &used);
        } catch (std::exception const&) {
          used = 0;
        }
        if (used != max_text.size() || max_text.empty())
          throw ts::error(ts::errc::validation_failed, "the limit is a number or none, not " + max_text,
                          "max_processing");
        max = v;
      }
      ts::queue_control(existing_db()).set_limit(tool, max);
      say("limit of " + tool + ": " + (max ? std::to_string(*max) : std::string("none")));
    };
  });
  auto* queue_stats = queue->add_subcommand("stats", "queued, processing and the oldest queued age per tool");
  queue_stats->add_option("tools", tools, "these tools (default: every tool with settings or with work)");
  queue_stats->add_flag("--json", json, "print JSON");
  queue_stats->callback([&] {
    command = [&] {
      auto const all = ts::queue_control(existing_db()).stats(tools);
      if (json) {
        boost::json::array out;
        for (auto const& q : all) out.push_back(ts::cli::queue_json(q));
        return print_json(out);
      }
      for (auto const& q : all)
        say(q.tool_id + (q.paused ? "  paused" : "") + "  limit " +
            (q.max_processing ? std::to_string(*q.max_processing) : std::string("none")) + "  queued " +
            std::to_string(q.queued) + "  processing " + std::to_string(q.processing) +
            (q.oldest_queued_age ? "  oldest " + std::to_string(q.oldest_queued_age->count()) + " s" : ""));
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
    return result;
  } catch (ts::error const& e) {
    end_progress();
    std::cerr << "taskstore: " << printable(e.what()) << " (" << e.code();
    if (!e.reason().name.empty()) std::cerr << ": " << e.reason().name;
    std::cerr << ", " << e.category() << ")\n";
    return exit_code_of(e.category());
  } catch (std::exception const& e) {
    // Not reached by design: the library raises taskstore::error only.
    end_progress();
    std::cerr << "taskstore: internal error: " << printable(e.what()) << '\n';
    return failure;
  }
}
