// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// Opens an SQLite file (or the URL given as the first argument), stores a note
// and prints what the database holds.

#include <taskstore/db/url.hpp>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <iostream>
#include <string>

int main(int argc, char** argv) try {
  std::string const url = argc > 1 ? argv[1] : "sqlite:///quickstart.db";
  auto const options = taskstore::parse_url(url);
  if (options.backend != taskstore::backend_kind::sqlite) {
    std::cerr << "quickstart: this example runs on SQLite only\n";
    return 2;
  }
  soci::session sql(*soci::factory_sqlite3(), options.connect_string);
  sql << "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)";
  std::string const text = "hello from taskstore";  // SOCI reads bound values when the statement runs
  sql << "INSERT INTO notes (text) VALUES (:text)", soci::use(text);

  long long id = 0;
  std::string stored;
  soci::statement select =
      (sql.prepare << "SELECT id, text FROM notes ORDER BY id", soci::into(id), soci::into(stored));
  select.execute();
  std::cout << "notes in " << options.redacted_url << ":\n";
  while (select.fetch()) std::cout << "  #" << id << "  " << stored << '\n';
} catch (std::exception const& e) {
  std::cerr << "quickstart: " << e.what() << '\n';
  return 1;
}
