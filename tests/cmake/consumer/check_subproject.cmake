# Test-only: as a subproject (add_subdirectory, FetchContent) taskstore builds
# none of its own programs and installs nothing.
foreach(_option IN ITEMS BUILD_TESTS BUILD_EXAMPLES BUILD_TOOLS BUILD_BENCHMARKS INSTALL)
  if(TASKSTORE_${_option})
    message(FATAL_ERROR "TASKSTORE_${_option} is on in a subproject")
  endif()
endforeach()
