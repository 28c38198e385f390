// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// A typed JSON column, json<T>.

#include <taskstore/fwd.hpp>

#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <concepts>
#include <utility>

namespace taskstore {

/// A typed JSON column: the database stores T as JSON (JSONB on PostgreSQL),
/// C++ sees a T. `json<boost::json::value>` and a plain boost::json::value
/// member store untyped JSON.
template <class T>
class json {
 public:
  using value_type = T;

  json() = default;
  json(T value) : value_(std::move(value)) {}  // NOLINT: implicit, like std::optional

  T& get() noexcept { return value_; }
  T const& get() const noexcept { return value_; }
  T& operator*() noexcept { return value_; }
  T const& operator*() const noexcept { return value_; }
  T* operator->() noexcept { return &value_; }
  T const* operator->() const noexcept { return &value_; }

  friend bool operator==(json const& a, json const& b) requires std::equality_comparable<T> {
    return a.value_ == b.value_;
  }

 private:
  T value_{};
};

template <class T>
void tag_invoke(boost::json::value_from_tag, boost::json::value& v, json<T> const& j) {
  v = boost::json::value_from(j.get(), v.storage());
}

template <class T>
json<T> tag_invoke(boost::json::value_to_tag<json<T>>, boost::json::value const& v) {
  return json<T>(boost::json::value_to<T>(v));
}

}  // namespace taskstore
