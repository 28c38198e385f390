// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// libFuzzer target for what `taskstore serve` makes of a request's bytes:
// Boost.Beast's parser with the server's limits (tools/taskstore/serve/
// http_server.hpp), then, for a request whose head was read, the target as the
// dashboard reads it (tools/taskstore/serve/request_target.hpp): the path and
// parameters, and every typed read of a parameter. Built and run by
// scripts/fuzz. The contract checked:
// - parsing a target and reading a parameter return, or throw
//   taskstore::error validation_failed naming a parameter no longer than 64
//   characters; anything else escaping is a finding;
// - what they return is in range: a limit within its bounds, a whole number
//   not negative, path segments and parameters no longer than the target.

#include "request_target.hpp"

#include <taskstore/error.hpp>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

namespace {

[[noreturn]] void finding(char const* what, std::string_view detail = {}) {
  std::fprintf(stderr, "http_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  __builtin_trap();
}

/// Runs `read`, which may only return or throw validation_failed.
template <class F>
void refused_cleanly(F const& read) {
  try {
    read();
  } catch (taskstore::error const& e) {
    if (e.code() != taskstore::errc::validation_failed) finding("an error other than validation_failed", e.what());
    if (e.field().size() > 64) finding("an over-long field name", e.field());
  } catch (std::exception const& e) {
    finding("an exception that is not taskstore::error", e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.body_limit(16 * 1024);
  parser.header_limit(8 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (!parser.is_header_done()) return 0;
  std::string_view const target = parser.get().target();

  refused_cleanly([&] {
    auto const t = taskstore::cli::parse_request_target(target);
    for (auto const& segment : t.path)
      if (segment.size() > target.size()) finding("a segment longer than the target", segment);
    // Not a structured binding: Clang 14 cannot capture one in the lambdas below.
    for (auto const& param : t.params) {
      auto const& name = param.first;
      auto const& value = param.second;
      if (name.size() > 64 || value.size() > 1024) finding("an over-long parameter", name);
      refused_cleanly([&] { (void)t.task_id(name); });
      refused_cleanly([&] { (void)t.time(name); });
      refused_cleanly([&] {
        if (auto n = t.whole_number(name); n && *n < 0) finding("a negative whole number", value);
      });
    }
    refused_cleanly([&] {
      auto const n = t.limit(50, 200);
      if (n < 1 || n > 200) finding("a limit out of range");
    });
    refused_cleanly([&] { t.allow({"status", "tool", "limit"}); });
    if (!t.path.empty()) refused_cleanly([&] { (void)taskstore::cli::task_id_of(t.path.back(), "task_id"); });
  });
  return 0;
}
