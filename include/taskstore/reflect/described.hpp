// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// The concepts of types described with Boost.Describe.

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>

#include <type_traits>

namespace taskstore {

/// A class or struct listed with BOOST_DESCRIBE_STRUCT (public members).
template <class T>
concept described_struct = std::is_class_v<T> && boost::describe::has_describe_members<T>::value && !std::is_union_v<T>;

/// An enum listed with BOOST_DESCRIBE_ENUM.
template <class E>
concept described_enum = std::is_enum_v<E> && boost::describe::has_describe_enumerators<E>::value;

namespace detail {
/// The described public data members of T.
template <class T>
using public_members = boost::describe::describe_members<T, boost::describe::mod_public>;

/// For static_assert messages where a template is dependent on T.
template <class T>
inline constexpr bool always_false = false;
}  // namespace detail

}  // namespace taskstore
