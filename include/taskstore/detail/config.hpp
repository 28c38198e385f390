// Copyright (c) 2026 The taskstore authors.
// Distributed under the Boost Software License, Version 1.0 (see LICENSE).
#pragma once

/// @file
/// Header-only (the default) or separate compilation.
///
/// By default taskstore is header-only: every function is defined in the
/// headers, and each translation unit compiles the ones it uses. A program
/// that defines TASKSTORE_SEPARATE_COMPILATION for all of its translation
/// units and includes <taskstore/src.hpp> in exactly one of them compiles the
/// library's non-template code once, in that one (as Boost.Asio's
/// BOOST_ASIO_SEPARATE_COMPILATION does). Templates stay in the headers.
///
/// Non-template functions are declared TASKSTORE_DECL in the headers and
/// defined in the `impl/*.ipp` file beside them, which the header includes
/// at its end when header-only.

#if defined(TASKSTORE_SEPARATE_COMPILATION)
#define TASKSTORE_DECL
#else
#define TASKSTORE_HEADER_ONLY 1
#define TASKSTORE_DECL inline
#endif
