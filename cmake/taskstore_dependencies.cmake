# Finds what the taskstore interface target links; shared by the build tree and
# (through taskstoreConfig.cmake) by consumers of an installed taskstore.
include_guard(GLOBAL)

find_package(Boost 1.81 REQUIRED COMPONENTS json)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)

set(_taskstore_soci_components core)
foreach(_backend IN ITEMS sqlite3 postgresql mysql)
  string(TOUPPER "${_backend}" _upper)
  if(NOT DEFINED TASKSTORE_WITH_${_upper} OR TASKSTORE_WITH_${_upper})
    list(APPEND _taskstore_soci_components ${_backend})
  endif()
endforeach()
find_package(SOCI 4.0.3 REQUIRED COMPONENTS ${_taskstore_soci_components})
