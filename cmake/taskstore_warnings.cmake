# Warnings for taskstore's own targets only; never added to the interface target.
include_guard(GLOBAL)

add_library(taskstore_warnings INTERFACE)
target_compile_options(taskstore_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror
  # Designated initializers that leave members to their defaults are idiomatic C++20.
  -Wno-missing-field-initializers
  # g++ 12 reports a false -Wrestrict inside std::string::insert at -O2.
  # g++ 12 also reports false -Wmaybe-uninitialized through std::optional<std::shared_ptr>.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-error=restrict -Wno-maybe-uninitialized>)
