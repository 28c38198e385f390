// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

// Definitions of <taskstore/error.hpp>: included at its end when
// header-only, else compiled once by <taskstore/src.hpp>.

#include <taskstore/error.hpp>

#include <utility>

namespace taskstore {

error::error(errc code, std::string message, std::string field)
    : error(code, default_category(code), std::move(message), std::move(field)) {}

error::error(errc code, error_category category, std::string message, std::string field)
    : std::runtime_error(std::move(message)), code_(code), category_(category), field_(std::move(field)) {}

error::error(error_reason reason, std::string message)
    : error(errc::precondition_failed, error_category::user_fixable, std::move(message)) {
  reason_ = reason;
}

}  // namespace taskstore
