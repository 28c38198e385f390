// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/worker/errors.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/worker/errors.hpp>

#include <utility>

namespace taskstore {

handler_failure::handler_failure(std::string error_code, std::string const& message,
                                 std::optional<boost::json::value> context)
    : std::runtime_error(message), error_code_(std::move(error_code)), context_(std::move(context)) {}

snooze::snooze(std::chrono::seconds delay) noexcept : delay_(delay) {}

char const* snooze::what() const noexcept { return "the handler snoozed its task"; }

}  // namespace taskstore
