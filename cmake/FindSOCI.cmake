# FindSOCI
# --------
# Finds SOCI (core and backends). Uses SOCI's own CMake package when one is
# installed; otherwise finds a plain install such as Debian's libsoci-dev, which
# ships neither a CMake config nor a pkg-config file.
#
# Components: core sqlite3 postgresql mysql
# Imported targets: SOCI::core, SOCI::sqlite3, SOCI::postgresql, SOCI::mysql.
# A backend target carries its client library and the include directories its
# native headers need (/usr/include/postgresql, /usr/include/mariadb).

include(FindPackageHandleStandardArgs)

if(NOT SOCI_FIND_COMPONENTS)
  set(SOCI_FIND_COMPONENTS core)
endif()
if(NOT "core" IN_LIST SOCI_FIND_COMPONENTS)
  list(PREPEND SOCI_FIND_COMPONENTS core)
endif()

# Prefer SOCI's own package (SOCI 4.x exports SOCI::soci_<component>).
find_package(SOCI CONFIG QUIET NO_MODULE)
if(SOCI_FOUND)
  foreach(_component IN LISTS SOCI_FIND_COMPONENTS)
    if(NOT TARGET SOCI::${_component})
      foreach(_candidate IN ITEMS SOCI::soci_${_component} SOCI::soci_${_component}_static)
        if(TARGET ${_candidate})
          add_library(SOCI::${_component} INTERFACE IMPORTED)
          set_property(TARGET SOCI::${_component} PROPERTY INTERFACE_LINK_LIBRARIES ${_candidate})
          break()
        endif()
      endforeach()
    endif()
  endforeach()
  unset(SOCI_FOUND)
endif()

find_path(SOCI_INCLUDE_DIR NAMES soci/soci.h)
if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" _soci_version_line
       REGEX "^#define[ \t]+SOCI_VERSION[ \t]+[0-9]+")
  string(REGEX REPLACE ".*SOCI_VERSION[ \t]+([0-9]+).*" "\\1" _soci_version_number "${_soci_version_line}")
  math(EXPR _major "${_soci_version_number} / 100000")
  math(EXPR _minor "${_soci_version_number} / 100 % 1000")
  math(EXPR _patch "${_soci_version_number} % 100")
  set(SOCI_VERSION "${_major}.${_minor}.${_patch}")
endif()

# Each backend's client library and native header directory.
macro(_taskstore_soci_backend_deps backend)
  set(_deps "")
  set(_incs "")
  if("${backend}" STREQUAL "sqlite3")
    find_package(SQLite3 QUIET)
    if(SQLite3_FOUND)
      set(_deps SQLite::SQLite3)
    endif()
  elseif("${backend}" STREQUAL "postgresql")
    find_package(PostgreSQL QUIET)
    if(PostgreSQL_FOUND)
      set(_deps PostgreSQL::PostgreSQL)
      set(_incs ${PostgreSQL_INCLUDE_DIRS})
    endif()
  elseif("${backend}" STREQUAL "mysql")
    find_library(SOCI_MARIADB_LIBRARY NAMES mariadb mysqlclient)
    find_path(SOCI_MARIADB_INCLUDE_DIR NAMES mysql.h PATH_SUFFIXES mariadb mysql)
    if(SOCI_MARIADB_LIBRARY AND SOCI_MARIADB_INCLUDE_DIR)
      set(_deps ${SOCI_MARIADB_LIBRARY})
      set(_incs ${SOCI_MARIADB_INCLUDE_DIR})
    endif()
  endif()
endmacro()

foreach(_component IN LISTS SOCI_FIND_COMPONENTS)
  set(SOCI_${_component}_FOUND FALSE)
  if(TARGET SOCI::${_component})
    set(SOCI_${_component}_FOUND TRUE)
    continue()
  endif()
  find_library(SOCI_${_component}_LIBRARY NAMES soci_${_component})
  if(NOT SOCI_${_component}_LIBRARY OR NOT SOCI_INCLUDE_DIR)
    continue()
  endif()
  add_library(SOCI::${_component} UNKNOWN IMPORTED)
  set_target_properties(SOCI::${_component} PROPERTIES
    IMPORTED_LOCATION "${SOCI_${_component}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
  if("${_component}" STREQUAL "core")
    set(SOCI_${_component}_FOUND TRUE)
    find_package(Threads QUIET)
    set_property(TARGET SOCI::core APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${CMAKE_DL_LIBS} Threads::Threads)
  else()
    _taskstore_soci_backend_deps(${_component})
    if(_deps)
      set(SOCI_${_component}_FOUND TRUE)
      set_property(TARGET SOCI::${_component} APPEND PROPERTY INTERFACE_LINK_LIBRARIES SOCI::core ${_deps})
      if(_incs)
        set_property(TARGET SOCI::${_component} APPEND PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${_incs})
      endif()
    endif()
  endif()
endforeach()

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_INCLUDE_DIR
  VERSION_VAR SOCI_VERSION
  HANDLE_COMPONENTS)
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_MARIADB_LIBRARY SOCI_MARIADB_INCLUDE_DIR)
