// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Described data members by member pointer: whether described, and their column names.

#include <taskstore/fwd.hpp>
#include <taskstore/reflect/described.hpp>

#include <string_view>
#include <type_traits>

namespace taskstore {

namespace detail {
template <class P>
struct member_pointer_traits;
template <class C, class M>
struct member_pointer_traits<M C::*> {
  using class_type = C;
  using member_type = M;
};
/// The class of a pointer to data member.
template <class P>
using member_class_t = typename member_pointer_traits<std::remove_cv_t<P>>::class_type;
/// The member's type of a pointer to data member.
template <class P>
using member_type_t = typename member_pointer_traits<std::remove_cv_t<P>>::member_type;

/// Whether two member pointers name the same member (never across types).
template <class A, class B>
constexpr bool same_pointer(A, B) noexcept {
  return false;
}
template <class A>
constexpr bool same_pointer(A a, A b) noexcept {
  return a == b;
}

/// The described name of `Member`, or empty. A fold over the descriptors:
/// every table_traits spec asks, so mp_for_each's lambda per member would
/// multiply members by specs.
template <auto Member>
constexpr std::string_view find_member_name() {
  using C = member_class_t<decltype(Member)>;
  if constexpr (described_struct<C>) {
    return []<template <class...> class L, class... D>(L<D...>*) {
      std::string_view name;
      ((name = same_pointer(D::pointer, Member) ? std::string_view(D::name) : name), ...);
      return name;
    }(static_cast<public_members<C>*>(nullptr));
  } else {
    return {};
  }
}
}  // namespace detail

/// True when `Member` is a data member listed in its class's BOOST_DESCRIBE_STRUCT.
template <auto Member>
inline constexpr bool is_described_member = !detail::find_member_name<Member>().empty();

/// The column name of `Member`: the member's name as described.
template <auto Member>
inline constexpr std::string_view member_name = [] {
  static_assert(described_struct<detail::member_class_t<decltype(Member)>>,
                "taskstore: the member's class is not described: add BOOST_DESCRIBE_STRUCT(T, (), (...))");
  static_assert(is_described_member<Member>,
                "taskstore: this member is not listed in its class's BOOST_DESCRIBE_STRUCT");
  return detail::find_member_name<Member>();
}();

}  // namespace taskstore
