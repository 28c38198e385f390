// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The Repository concepts, one per operation and the interface they make.

#include <cstddef>
#include <optional>
#include <type_traits>

namespace taskstore {

/// R names the row type and its key type.
template <class R, class T>
concept repository_of = std::is_same_v<typename R::value_type, T> && requires {
  typename R::key_type;
};

/// R stores a row and returns it as stored, generated key included.
template <class R, class T>
concept inserts = requires(R& r, T const& row) {
  { r.insert(row) } -> std::same_as<T>;
};

/// R finds a row by its key.
template <class R, class T>
concept finds_by_key = requires(R& r, typename R::key_type const& key) {
  { r.find(key) } -> std::same_as<std::optional<T>>;
};

/// R replaces a whole row by key; false when no row has that key.
template <class R, class T>
concept updates = requires(R& r, T& row) {
  { r.update(row) } -> std::same_as<bool>;
};

/// R removes a row by key; false when no row has that key.
template <class R, class T>
concept removes_by_key = requires(R& r, typename R::key_type const& key) {
  { r.remove(key) } -> std::same_as<bool>;
};

/// R counts its rows.
template <class R>
concept counts = requires(R& r) {
  { r.count() } -> std::same_as<std::size_t>;
};

/// The Repository interface every storage of T satisfies.
template <class R, class T>
concept repository =
    repository_of<R, T> && inserts<R, T> && finds_by_key<R, T> && updates<R, T> && removes_by_key<R, T> && counts<R>;

}  // namespace taskstore
