// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/db/backend.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/db/backend.hpp>
#include <taskstore/db/errors.hpp>
#include <taskstore/error.hpp>

#include <exception>
#if defined(__GLIBCXX__)
#include <cxxabi.h>
#endif
#include <new>

namespace taskstore {

[[noreturn]] void backend::rethrow_translated() const {
  auto const prefix = "[" + std::string(dialect().name()) + "] ";
  try {
    throw;
  } catch (error const&) {
    throw;
  } catch (soci::soci_error const& e) {
    // SOCI's own errors (a type mismatch, a lost PostgreSQL connection, ...).
    auto message = detail::clean_driver_message(e.get_error_message());
    throw error(detail::is_lost_connection_message(message) ? errc::connection_lost : errc::database_error,
                prefix + message);
  } catch (std::bad_alloc const&) {
    throw;
  } catch (std::exception const& e) {
    throw error(errc::database_error, prefix + e.what());
  }
#if defined(__GLIBCXX__)
  catch (abi::__forced_unwind const&) {  // thread cancellation must go on unwinding
    throw;
  }
#endif
  catch (...) {
    throw error(errc::database_error, prefix + "an exception of unknown type");
  }
}

query_plan backend::explain(soci::session& s, std::string const& select, std::vector<detail::cell> const& params,
                            std::vector<detail::cell_slot> const& slots) const {
  (void)s, (void)select, (void)params, (void)slots;
  throw error(errc::unsupported, std::string(description()) + " cannot explain a query");
}

void backend::backup_file(soci::session& s, std::filesystem::path const& path) const {
  (void)s, (void)path;
  throw error(errc::unsupported, "a file backup needs SQLite; use dump() for every backend");
}

std::unique_ptr<detail::listener> backend::listen(std::unique_ptr<soci::session> s, std::string const& channel) const {
  (void)s, (void)channel;
  throw error(errc::unsupported, std::string(description()) + " cannot push notifications to other processes");
}

}  // namespace taskstore
