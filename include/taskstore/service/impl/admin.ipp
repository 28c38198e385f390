// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/service/admin.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/service/admin.hpp>

#include <taskstore/migrate/builtin/migrations.hpp>

#include <soci/soci.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <random>
#include <system_error>

namespace taskstore {

namespace detail {

boost::json::value canonical_json(boost::json::value const& v) {
  if (v.is_array()) {
    boost::json::array out;
    for (auto const& e : v.as_array()) out.push_back(canonical_json(e));
    return out;
  }
  if (!v.is_object()) return v;
  std::vector<std::pair<std::string, boost::json::value>> members;
  for (auto const& [k, e] : v.as_object()) members.emplace_back(std::string(k), canonical_json(e));
  std::sort(members.begin(), members.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
  boost::json::object out;
  for (auto& [k, e] : members) out[k] = std::move(e);
  return out;
}

std::int64_t schema_version(database const& db) { return migrator(db, builtin_migrations()).status().current_version; }

std::vector<std::string> list_tables(database const& db) {
  auto lease = detail::session_of(db);
  auto out = guarded(lease, db.backend(), [&] { return db.backend().table_names(lease.get()); });
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<migration> with_builtin(std::vector<migration> const& yours) {
  auto all = builtin_migrations();
  all.insert(all.end(), yours.begin(), yours.end());
  return all;
}

migration_status checked_status(database const& db, std::vector<migration> const& all, std::string_view side,
                                std::function<void(std::string_view)> const* tolerate) {
  migrator const m(db, all);
  auto const st = m.status();
  std::string const who(side);
  for (auto const& e : st.migrations) {
    auto const named = "migration " + std::to_string(e.version) + " (" + e.name + ")";
    if (e.state == migration_state::changed) {
      auto const what = who + " has " + named + " applied with a checksum that differs from the migration given";
      if (!tolerate) throw error(errc::schema_mismatch, error_category::admin_required, what);
      if (*tolerate) (*tolerate)(what);
      continue;
    }
    if (e.state != migration_state::unknown) continue;
    // taskstore's own stay below 1000 (migration.hpp): a version above is a user's.
    auto const advice = e.version >= 1000
                            ? who + " has " + named +
                                  " applied, which is not among the migrations given: give your migrations "
                                  "(`taskstore --migrations DIR`, admin_options::migrations)"
                            : who + " has " + named + " applied, newer than this build of taskstore knows (latest " +
                                  std::to_string(m.latest_version()) + "): use a newer taskstore";
    if (!tolerate) throw error(errc::schema_mismatch, error_category::admin_required, advice);
    if (*tolerate) (*tolerate)(advice);
  }
  return st;
}

dump_header parse_dump_header(std::string const& line) {
  boost::system::error_code ec;
  auto const header = boost::json::parse(line, ec);
  if (ec) throw error(errc::validation_failed, "line 1 of the dump is not JSON");
  auto const* h = header.if_object();
  auto const* format = h ? h->if_contains("format") : nullptr;
  if (!format || !format->is_string() || format->get_string() != dump_format)
    throw error(errc::validation_failed, "line 1 is not a taskstore dump header");
  // A count or version is an integer written by dump(): no text, fraction or exponent.
  auto integer = [&](boost::json::value const* v, std::string const& what) -> std::int64_t {
    if (v && v->is_int64() && v->get_int64() >= 0) return v->get_int64();
    if (v && v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return static_cast<std::int64_t>(v->get_uint64());
    throw error(errc::validation_failed, "the dump header's " + what + " is not a non-negative integer", what);
  };
  if (integer(h->if_contains("version"), "version") != 1)
    throw error(errc::validation_failed, "the dump has format version " +
                                             std::to_string(integer(h->if_contains("version"), "version")) +
                                             "; this taskstore reads version 1");
  dump_header out;
  out.schema_version = integer(h->if_contains("schema_version"), "schema_version");
  auto const* tables = h->if_contains("tables");
  if (!tables || !tables->is_object())
    throw error(errc::validation_failed, "the dump header has no table counts", "tables");
  for (auto const& [name, n] : tables->get_object())
    out.tables[std::string(name)] = static_cast<std::size_t>(integer(&n, "tables." + std::string(name)));
  return out;
}

bool read_dump_line(std::istream& in, std::string& line, std::size_t line_no) {
  line.clear();
  auto* buf = in.rdbuf();
  if (!buf) return false;
  for (;;) {
    auto const c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return !line.empty();
    }
    if (c == '\n') return true;
    if (line.size() >= max_dump_line_bytes)
      throw error(errc::validation_failed, "line " + std::to_string(line_no) + " of the dump is longer than " +
                                               std::to_string(max_dump_line_bytes >> 20) +
                                               " MiB: not a taskstore dump");
    line.push_back(static_cast<char>(c));
  }
}

void in_read_snapshot(database const& db, std::function<void()> const& fn) {
  if (db.in_transaction()) return fn();  // the caller's transaction is the snapshot
  detail::with_pinned_session(db, [&](session_lease& lease) {
    auto const& backend = db.backend();
    guarded(lease, backend, [&] { backend.begin_snapshot(lease.get()); });
    try {
      fn();
    } catch (...) {
      try {
        lease.get() << "ROLLBACK";
      } catch (...) {
        lease.mark_broken();
      }
      throw;
    }
    guarded(lease, backend, [&] { lease.get() << "COMMIT"; });
  });
}

namespace fs = std::filesystem;

/// `p` absolute and with `.`/`..` and symbolic links resolved as far as it exists.
inline fs::path resolved(fs::path const& p) {
  std::error_code ec;
  auto out = fs::weakly_canonical(fs::absolute(p, ec), ec);
  return ec ? fs::absolute(p) : out;
}

/// Whether writing `target` would write over the SQLite database of `db`.
inline bool is_database_file(database const& db, fs::path const& target) {
  if (db.options().in_memory || db.options().path.empty()) return false;  // not a file
  fs::path const own(db.options().path);
  auto const t = resolved(target);
  for (auto const* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::path const file = own.string() + suffix;
    std::error_code ec;
    if (fs::equivalent(file, target, ec) && !ec) return true;
    if (resolved(file) == t) return true;
  }
  return false;
}

file_beside::file_beside(database const& db, std::filesystem::path target, bool may_replace)
    : target_(std::move(target)), may_replace_(may_replace) {
  if (target_.empty() || target_.string().find('\0') != std::string::npos)
    throw error(errc::validation_failed, "a backup needs a file name");
  if (is_database_file(db, target_))
    throw error(errc::validation_failed, "the backup file " + target_.string() + " is the database itself");
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(target_, ec))) {  // replace the file the link names; the link stays
    auto resolved_target = fs::canonical(target_, ec);
    if (!ec) target_ = std::move(resolved_target);
  }
  auto const status = fs::status(target_, ec);
  if (fs::exists(status) && !may_replace_)
    throw error(errc::already_exists, "the backup file exists: " + target_.string());
  if (fs::is_directory(status)) throw error(errc::bad_config, target_.string() + " is a directory");
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw error(errc::bad_config, target_.string() +
                                      " is not a regular file (a device, a pipe or a socket): "
                                      "a backup replaces a file only");
  std::random_device random;
  auto const dir = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
  temp_ =
      dir / ("." + target_.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  if (!fs::is_directory(dir, ec))
    throw error(errc::bad_config, "cannot write " + target_.string() + ": no directory " + dir.string());
}

file_beside::~file_beside() {
  if (committed_) return;
  if (out_.is_open()) out_.close();
  std::error_code ec;
  fs::remove(temp_, ec);
}

std::ofstream& file_beside::stream() {
  if (!out_.is_open()) {
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!out_) throw error(errc::bad_config, "cannot write " + temp_.string());
  }
  return out_;
}

/// Flushes a file (or directory) to disk, so that a crash after the rename
/// cannot leave an empty file where the previous backup was.
inline bool sync_to_disk(fs::path const& p) {
  int const fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool const ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

void file_beside::commit() {
  if (out_.is_open()) {
    out_.close();
    if (!out_) throw error(errc::bad_config, "writing " + temp_.string() + " failed");
  }
  if (!sync_to_disk(temp_)) throw error(errc::bad_config, "writing " + temp_.string() + " to disk failed");
  std::error_code ec;
  if (!may_replace_ && fs::exists(target_, ec))
    throw error(errc::already_exists, "the backup file exists: " + target_.string());
  fs::rename(temp_, target_, ec);
  if (ec)
    throw error(errc::bad_config, "cannot rename " + temp_.string() + " to " + target_.string() + ": " + ec.message());
  committed_ = true;
  sync_to_disk(target_.has_parent_path() ? target_.parent_path() : fs::path("."));  // the rename itself; best effort
}

}  // namespace detail

void sqlite_backup(database const& db, std::filesystem::path const& path) {
  if (!db.backend().backs_up_files())
    throw error(errc::unsupported, "a file backup needs SQLite; use dump() for every backend");
  detail::file_beside file(db, path, false);
  auto lease = detail::session_of(db);
  detail::guarded(lease, db.backend(), [&] { db.backend().backup_file(lease.get(), file.temp_path()); });
  file.commit();
}

}  // namespace taskstore
