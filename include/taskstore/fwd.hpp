// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// taskstore's customization points, declared without their machinery.

namespace taskstore {

/// The table a described struct is stored in: specialize beside the struct.
/// Members: `table` (name), `primary_key`, and optionally `columns`,
/// `indexes`, `version` (see reflect/table_traits.hpp).
template <class T>
struct table_traits;

/// A JSON column holding a T (see types/json.hpp).
template <class T>
class json;

class timestamp;
class uuid;
class error;

}  // namespace taskstore
