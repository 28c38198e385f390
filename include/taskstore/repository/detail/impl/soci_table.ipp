// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/repository/detail/soci_table.hpp>: included at its
// end when header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/repository/detail/soci_table.hpp>

#include <taskstore/db/errors.hpp>
#include <taskstore/sql/ddl.hpp>
#include <taskstore/sql/statements.hpp>

#include <algorithm>
#include <cstring>
#include <iterator>

namespace taskstore::detail {

table_plan::table_plan(table_info const& t) : table(t) {
  for (auto const& c : t.columns) {
    read_slots.push_back(read_slot(c.type));
    insert_slots_row_key.push_back(write_slot(c.type));
    if (!c.generated) insert_slots_generated_key.push_back(write_slot(c.type));
  }
  key_slots.push_back(write_slot(t.key().type));
}

table_plan::texts const& table_plan::texts_for(sql::dialect const& d) const {
  auto& row = texts_[d.id()];
  std::call_once(built_[d.id()], [&] {
    row[insert] =
        sql::insert_sql(d, table, key_source::generated) + (returns_key(d) ? sql::returning_key_sql(d, table) : "");
    row[insert_row_key] = sql::insert_sql(d, table, key_source::row);
    row[select_by_key] = sql::select_sql(d, table, sql::key_condition(d, table));
    row[remove] = sql::delete_sql(d, table);
  });
  return row;
}

bool table_plan::returns_key(sql::dialect const& d) const noexcept {
  return table.key().generated && d.single_insert_returns_key();
}

void soci_table::create_table() const {
  for (auto const& statement : sql::create_table_sql(dialect(), table())) db_.execute(statement);
}

void soci_table::drop_table() const { db_.execute(sql::drop_table_sql(dialect(), table())); }

long long soci_table::insert(void const* row, key_source key) const {
  long long id = 0;
  run([&](session_lease& lease) {
    bool const returning = key == key_source::generated && plan_->returns_key(dialect());
    auto const& text = (*texts_)[key == key_source::row ? table_plan::insert_row_key : table_plan::insert];
    auto& st = prepare(lease, text, plan_->insert_slots(key), returning ? integer_slot() : no_slots());
    rows_->write_insert(row, 1, key, st.params(), 0);
    execute(lease, text, st);
    if (key == key_source::generated) {
      if (returning)
        id = st.results()[0].integer;
      else
        lease.get().get_last_insert_id(std::string(table().name), id);
    }
    st.finish();
  });
  return id;
}

bool soci_table::insert_if_absent(void const* row, key_source key, long long& id) const {
  if (!db_.in_transaction()) {
    try {
      id = insert(row, key);
      return true;
    } catch (error const& e) {
      if (e.code() == errc::already_exists) return false;
      throw;
    }
  }
  auto lease = detail::session_of(db_);  // the transaction's own session
  // Savepoints are transaction control, as BEGIN and COMMIT are: no injected
  // fault before them (one could not be raised in PostgreSQL's aborted
  // transaction, where ROLLBACK TO is the only statement that runs).
  auto const sql = [&](char const* text) { guarded_control(lease, db_.backend(), [&] { lease.get() << text; }); };
  sql("SAVEPOINT taskstore_insert_if_absent");
  try {
    id = insert(row, key);
    sql("RELEASE SAVEPOINT taskstore_insert_if_absent");
    return true;
  } catch (error const& e) {
    sql("ROLLBACK TO SAVEPOINT taskstore_insert_if_absent");
    sql("RELEASE SAVEPOINT taskstore_insert_if_absent");
    if (e.code() == errc::already_exists) return false;
    throw;
  }
}

std::vector<long long> soci_table::insert_chunk(void const* rows, std::size_t n, key_source key) const {
  bool const generated = table().key().generated;
  std::vector<long long> keys;
  auto const& slots = plan_->insert_slots(key);
  bool taken = false;
  run([&](session_lease& lease) {
    taken = db_.backend().insert_rows(
        lease.get(), {table(), *rows_, rows, n, key, slots, plan_->insert_slots(key_source::row)}, keys);
  });
  if (taken) return keys;
  // Found by its shape (the row count), so a repeated batch size neither
  // builds nor hashes the multi-row text.
  auto const shape = shape_of(shape_kind::insert_chunk) + (key == key_source::row ? '+' : '-') + std::to_string(n);
  run([&](session_lease& lease) {
    keys.clear();
    auto const prepared = lease.cache().get_shape(lease.get(), shape, [&] {
      statement_spec spec{
          sql::insert_many_sql(dialect(), table(), n, key), {}, generated ? integer_slot() : no_slots()};
      spec.params.reserve(n * slots.size());
      for (std::size_t i = 0; i < n; ++i) spec.params.insert(spec.params.end(), slots.begin(), slots.end());
      return spec;
    });
    auto& st = *prepared.statement;
    rows_->write_insert(rows, n, key, st.params(), 0);
    bool more = execute(lease, *prepared.text, st);
    if (!generated) return;
    for (std::size_t i = 0; i < n; ++i, more = st.fetch()) {
      if (!more) throw error(errc::database_error, "INSERT … RETURNING returned fewer keys than rows");
      keys.push_back(st.results()[0].integer);
    }
  });
  return keys;
}

long long soci_table::upsert(std::string const& text, void const* row, key_source key) const {
  long long id = 0;
  run([&](session_lease& lease) {
    bool const returning = dialect().upsert_returns_key();
    auto& st = prepare(lease, text, plan_->insert_slots(key), returning ? integer_slot() : no_slots());
    rows_->write_insert(row, 1, key, st.params(), 0);
    execute(lease, text, st);
    if (returning)
      id = st.results()[0].integer;
    else if (table().key().generated)
      lease.get().get_last_insert_id(std::string(table().name), id);
    st.finish();
  });
  return id;
}

bool soci_table::find(cell const& key, row_sink sink) const {
  bool found = false;
  run(
      [&](session_lease& lease) {
        auto const& text = (*texts_)[table_plan::select_by_key];
        auto& st = prepare(lease, text, plan_->key_slots, plan_->read_slots);
        st.params()[0] = key;
        found = execute(lease, text, st);
        if (found) {
          sink.add(sink.target, st.results());
          st.finish();
        }
      },
      effect::reads);
  return found;
}

void soci_table::find(sql_builder const& b, row_sink sink) const {
  run(
      [&](session_lease& lease) {
        sink.clear(sink.target);
        auto& st = prepare(lease, b.text, b.slots, plan_->read_slots);
        std::copy(b.cells.begin(), b.cells.end(), st.params().begin());
        for (bool more = execute(lease, b.text, st); more; more = st.fetch()) sink.add(sink.target, st.results());
      },
      effect::reads);
}

std::size_t soci_table::update(void const* row, std::span<std::size_t const> columns) const {
  auto const shape = shape_of(shape_kind::update, columns);
  std::size_t affected = 0;
  run([&](session_lease& lease) {
    auto const st = lease.cache().get_shape(lease.get(), shape, [&] { return update_spec(columns); });
    rows_->write_update(row, columns, st.statement->params());
    execute(lease, *st.text, *st.statement);
    affected = st.statement->affected_rows();
  });
  return affected;
}

void soci_table::update_many(void const* rows, void const* before, std::size_t n) const {
  auto const& t = table();
  if (db_.backend().embedded()) {
    std::vector<cell> keys(n);
    for (std::size_t i = 0; i < n; ++i) rows_->write(t.key_index, row_at(rows, i), keys[i]);
    check_distinct_keys(keys);
    db_.transact([&] { update_each(rows, before, keys); });
    return;
  }
  auto const u = changes_of(rows, before, n);
  bool const versioned = t.version_index.has_value();
  check_distinct_keys(u.keys);
  db_.transact([&] {
    std::size_t next = 0;  // the first change of the chunk
    for (std::size_t first = 0; first < n;) {
      // A chunk bounds the CASE scans (rows x rows), the parameters and the packet.
      std::size_t end = first, params = 0, bytes = 0, last = next;
      while (end < n && end - first < max_batch_rows) {
        std::size_t p = versioned ? 2 : 1, b = u.keys[end].text.size() + 16;
        std::size_t j = last;
        for (; j < u.changes.size() && u.changes[j].row == end; ++j) {
          p += 2;
          b += u.changes[j].value.text.size() + 16;
        }
        if (end > first && (params + p > max_batch_params || bytes + b > max_batch_bytes)) break;
        params += p;
        bytes += b;
        last = j;
        ++end;
      }
      update_chunk(u, first, end, next, last);
      first = end;
      next = last;
    }
  });
}

std::size_t soci_table::remove(cell const& key) const {
  std::size_t affected = 0;
  run([&](session_lease& lease) {
    auto const& text = (*texts_)[table_plan::remove];
    auto& st = prepare(lease, text, plan_->key_slots, no_slots());
    st.params()[0] = key;
    execute(lease, text, st);
    affected = st.affected_rows();
  });
  return affected;
}

std::size_t soci_table::execute_count(sql_builder const& b) const {
  std::size_t affected = 0;
  run([&](session_lease& lease) {
    auto& st = prepare(lease, b.text, b.slots, no_slots());
    std::copy(b.cells.begin(), b.cells.end(), st.params().begin());
    execute(lease, b.text, st);
    affected = st.affected_rows();
  });
  return affected;
}

std::size_t soci_table::count(sql_builder const& b) const {
  long long n = 0;
  run(
      [&](session_lease& lease) {
        auto& st = prepare(lease, b.text, b.slots, integer_slot());
        std::copy(b.cells.begin(), b.cells.end(), st.params().begin());
        execute(lease, b.text, st);
        n = st.results()[0].integer;
        st.finish();
      },
      effect::reads);
  return static_cast<std::size_t>(n);
}

bool soci_table::exists(sql_builder const& b) const {
  bool found = false;
  run(
      [&](session_lease& lease) {
        auto& st = prepare(lease, b.text, b.slots, integer_slot());
        std::copy(b.cells.begin(), b.cells.end(), st.params().begin());
        found = execute(lease, b.text, st);
        if (found) st.finish();
      },
      effect::reads);
  return found;
}

sql_builder soci_table::builder(char const* head) const {
  return sql_builder{dialect(), head + dialect().quote(table().name)};
}

bool soci_table::execute(session_lease& lease, std::string const& text, prepared_statement& st) {
  try {
    return st.execute();
  } catch (...) {
    lease.cache().evict(text);
    throw;
  }
}

std::string soci_table::shape_of(shape_kind kind) const {
  std::string shape(sizeof(plan_) + 1, static_cast<char>(kind));
  std::memcpy(shape.data(), static_cast<void const*>(&plan_), sizeof(plan_));
  return shape;
}

std::string soci_table::shape_of(shape_kind kind, std::span<std::size_t const> columns) const {
  auto shape = shape_of(kind);
  shape.resize(shape.size() + (table().columns.size() + 7) / 8, '\0');
  for (auto const c : columns) shape[sizeof(plan_) + 1 + c / 8] |= static_cast<char>(1u << (c % 8));
  return shape;
}

statement_spec soci_table::update_spec(std::span<std::size_t const> columns) const {
  auto const& t = table();
  statement_spec spec{sql::update_sql(dialect(), t, columns), {}, {}};
  for (auto const c : columns) spec.params.push_back(write_slot(t.columns[c].type));
  spec.params.push_back(write_slot(t.key().type));
  if (t.version_index) spec.params.push_back(cell_slot::integer);
  return spec;
}

void soci_table::update_each(void const* rows, void const* before, std::vector<cell> const& keys) const {
  bool const versioned = table().version_index.has_value();
  std::vector<std::size_t> changed(table().columns.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto const* row = row_at(rows, i);
    auto const m = rows_->changes(row, row_at(before, i), changed);
    if ((m > 0 || versioned) && update(row, std::span<std::size_t const>(changed.data(), m)) == 1) continue;
    require_rows(std::span(keys).subspan(i, 1));  // nothing to write, or nothing matched: the row must exist
    if (versioned)
      throw error(errc::conflict,
                  "stale version of a " + std::string(table().name) + " row in the batch: it changed since read");
  }
}

batch_update soci_table::changes_of(void const* rows, void const* before, std::size_t n) const {
  auto const& t = table();
  batch_update u;
  u.keys.resize(n);
  if (t.version_index) u.versions.resize(n);
  std::vector<std::size_t> changed(t.columns.size());
  for (std::size_t i = 0; i < n; ++i) {
    auto const* row = row_at(rows, i);
    rows_->write(t.key_index, row, u.keys[i]);
    if (t.version_index) rows_->write(*t.version_index, row, u.versions[i]);
    auto const m = rows_->changes(row, row_at(before, i), changed);
    std::size_t bytes = 0;  // as write_update() bounds a row
    for (std::size_t j = 0; j < m; ++j) {
      auto& change = u.changes.emplace_back();
      change.row = i;
      change.column = changed[j];
      rows_->write(changed[j], row, change.value);
      if (!change.value.null && write_slot(t.columns[changed[j]].type) == cell_slot::text &&
          (bytes += change.value.text.size()) > limits::max_row_bytes)
        refuse(
            t, t.columns[changed[j]],
            "the row's text and JSON values total more than " + std::to_string(limits::max_row_bytes >> 20) + " MiB");
    }
  }
  return u;
}

void soci_table::check_distinct_keys(std::vector<cell> const& keys) {
  std::vector<cell const*> sorted;
  sorted.reserve(keys.size());
  for (auto const& k : keys) sorted.push_back(&k);
  auto const less = [](cell const* a, cell const* b) {
    return a->integer != b->integer ? a->integer < b->integer : a->text < b->text;
  };
  std::sort(sorted.begin(), sorted.end(), less);
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (!less(sorted[i - 1], sorted[i]))
      throw error(errc::validation_failed, "update_many was given the same row twice", "rows");
}

void soci_table::update_chunk(batch_update const& u, std::size_t first, std::size_t end, std::size_t next,
                              std::size_t last) const {
  auto const& t = table();
  bool const versioned = t.version_index.has_value();
  std::vector<std::size_t> columns;  // changed in some row of the chunk, in table order
  for (std::size_t j = next; j < last; ++j) columns.push_back(u.changes[j].column);
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  auto const keys = std::span(u.keys).subspan(first, end - first);
  if (!versioned && columns.empty()) return require_rows(keys);  // nothing to write: the rows must exist

  bool const joined = db_.backend().updates_by_join() && (last - next) == (end - first) * columns.size();
  auto const matched = joined ? update_joined(u, first, end, next, columns)
                              : execute_count(update_by_cases(u, first, end, next, last, columns));
  if (matched != end - first) {
    require_rows(keys);
    if (versioned)
      throw error(errc::conflict,
                  "stale version of a " + std::string(t.name) + " row in the batch: it changed since read");
    // MariaDB counts changed rows, not matched ones: an unchanged row that exists is fine.
  }
}

std::size_t soci_table::update_joined(batch_update const& u, std::size_t first, std::size_t end, std::size_t next,
                                      std::vector<std::size_t> const& columns) const {
  auto const shape = shape_of(shape_kind::joined_update, columns) + std::to_string(end - first);
  std::size_t affected = 0;
  run([&](session_lease& lease) {
    auto const st = lease.cache().get_shape(lease.get(), shape, [&] {
      auto b = joined_sql(end - first, columns);
      return statement_spec{std::move(b.text), std::move(b.slots), {}};
    });
    auto& params = st.statement->params();
    auto at = params.begin();
    auto const version = table().version_index.has_value();
    for (std::size_t i = first, j = next; i < end; ++i, j += columns.size()) {  // one change per column and row
      *at++ = u.keys[i];
      if (version) *at++ = u.versions[i];
      for (auto const c : columns) {  // in the order of `v`'s columns, whatever the changes' order
        auto const* change = &u.changes[j];
        while (change->column != c) ++change;
        *at++ = change->value;
      }
    }
    std::copy(u.keys.begin() + first, u.keys.begin() + end, at);  // the IN list
    execute(lease, *st.text, *st.statement);
    affected = st.statement->affected_rows();
  });
  return affected;
}

sql_builder soci_table::joined_sql(std::size_t rows, std::vector<std::size_t> const& columns) const {
  auto const& t = table();
  auto const& key = t.key();
  auto const version = t.version_index;
  auto b = builder("UPDATE ");
  b.text += " AS t SET ";
  char const* separator = "";
  for (auto const c : columns) {
    b.text += separator;
    separator = ", ";
    b.column(t.columns[c].name);
    b.text += " = v.";
    b.column(t.columns[c].name);
  }
  if (version) {
    auto const v = sql::quote(dialect(), t.columns[*version].name);
    b.text += separator + v + " = t." + v + " + 1";
  }
  b.text += " FROM (VALUES ";
  auto const cast = [&](column_type type) {
    b.placeholder(type);
    b.text += dialect().value_cast(type);
  };
  for (std::size_t i = 0; i < rows; ++i) {
    b.text += i == 0 ? "(" : ", (";
    cast(key.type);
    if (version) {
      b.text += ", ";
      cast(t.columns[*version].type);
    }
    for (auto const c : columns) {
      b.text += ", ";
      cast(t.columns[c].type);
    }
    b.text += ")";
  }
  b.text += ") AS v (";
  b.column(key.name);
  if (version) {
    b.text += ", ";
    b.column(t.columns[*version].name);
  }
  for (auto const c : columns) {
    b.text += ", ";
    b.column(t.columns[c].name);
  }
  b.text += ") WHERE t.";
  b.column(key.name);
  b.text += " = v.";
  b.column(key.name);
  if (version) {
    b.text += " AND t.";
    b.column(t.columns[*version].name);
    b.text += " = v.";
    b.column(t.columns[*version].name);
  }
  // The keys again, as a list the primary key's index serves: joined with
  // VALUES alone, the planner scans the whole table of a small one.
  b.text += " AND t.";
  b.column(key.name);
  b.text += " IN (";
  for (std::size_t i = 0; i < rows; ++i) {
    if (i > 0) b.text += ", ";
    b.placeholder(key.type);
  }
  b.text += ")";
  return b;
}

sql_builder soci_table::update_by_cases(batch_update const& u, std::size_t first, std::size_t end, std::size_t next,
                                        std::size_t last, std::vector<std::size_t> const& columns) const {
  auto const& t = table();
  auto const& key = t.key();
  bool const versioned = t.version_index.has_value();
  auto b = builder("UPDATE ");
  b.text += " SET ";
  char const* separator = "";
  for (auto const c : columns) {
    auto const& column = t.columns[c];
    b.text += separator;
    separator = ", ";
    b.column(column.name);
    b.text += " = CASE ";
    b.column(key.name);
    for (std::size_t j = next; j < last; ++j) {
      if (u.changes[j].column != c) continue;
      b.text += " WHEN ";
      b.bind(u.keys[u.changes[j].row], key.type);
      b.text += " THEN ";
      b.bind(u.changes[j].value, column.type);
    }
    b.text += " ELSE ";
    b.column(column.name);
    b.text += " END";
  }
  if (versioned) {
    auto const v = sql::quote(dialect(), t.columns[*t.version_index].name);
    b.text += separator + v + " = " + v + " + 1";
  }
  b.text += " WHERE ";
  for (std::size_t i = first; i < end; ++i) {
    b.text += i == first ? "(" : " OR (";
    b.column(key.name);
    b.text += " = ";
    b.bind(u.keys[i], key.type);
    if (versioned) {
      b.text += " AND ";
      b.column(t.columns[*t.version_index].name);
      b.text += " = ";
      b.bind(u.versions[i], t.columns[*t.version_index].type);
    }
    b.text += ")";
  }
  return b;
}

void soci_table::require_rows(std::span<cell const> keys) const {
  auto b = builder("SELECT COUNT(*) FROM ");
  b.text += " WHERE ";
  b.column(table().key().name);
  b.text += " IN (";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) b.text += ", ";
    b.bind(keys[i], table().key().type);
  }
  b.text += ")";
  if (count(b) != keys.size())
    throw error(errc::not_found, "a row of the batch is not in " + std::string(table().name));
}

query_plan soci_table::explain(sql_builder const& b) const {
  query_plan plan;
  run([&](session_lease& lease) { plan = db_.backend().explain(lease.get(), b.text, b.cells, b.slots); },
      effect::reads);
  return plan;
}

std::vector<cell_slot> const& soci_table::integer_slot() {
  static std::vector<cell_slot> const s{cell_slot::integer};
  return s;
}

std::vector<cell_slot> const& soci_table::no_slots() {
  static std::vector<cell_slot> const s;
  return s;
}

}  // namespace taskstore::detail
