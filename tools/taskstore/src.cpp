// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).

// The library's non-template code, compiled once for the tool
// (TASKSTORE_SEPARATE_COMPILATION).
#include <taskstore/src.hpp>
