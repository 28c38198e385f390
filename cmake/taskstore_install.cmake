# Install rules (TASKSTORE_INSTALL): the headers, the CMake package
# (find_package(taskstore CONFIG)) and a pkg-config file for other build systems.
# Everything is architecture-independent, so the package files go under share/.
include(CMakePackageConfigHelpers)

set(TASKSTORE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/taskstore"
    CACHE STRING "Where taskstoreConfig.cmake is installed (relative to the prefix)")
set(TASKSTORE_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig"
    CACHE STRING "Where taskstore.pc is installed (relative to the prefix)")
mark_as_advanced(TASKSTORE_INSTALL_CMAKEDIR TASKSTORE_INSTALL_PKGCONFIGDIR)

# One component, so an install needs none of the built programs (the CLI installs
# itself under the default component).
set(_component taskstore_development)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT ${_component})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT ${_component})

install(TARGETS taskstore EXPORT taskstoreTargets COMPONENT ${_component})
install(EXPORT taskstoreTargets
  NAMESPACE taskstore::
  DESTINATION ${TASKSTORE_INSTALL_CMAKEDIR}
  COMPONENT ${_component})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/taskstoreConfig.cmake.in
  ${PROJECT_BINARY_DIR}/taskstoreConfig.cmake
  INSTALL_DESTINATION ${TASKSTORE_INSTALL_CMAKEDIR}
  NO_SET_AND_CHECK_MACRO)
# A 0.x version promises nothing across minor versions (semver's "anything may
# change" before 1.0), so 0.1 accepts 0.1.y only: SameMinorVersion, not SameMajorVersion.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/taskstoreConfigVersion.cmake
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES
  ${PROJECT_BINARY_DIR}/taskstoreConfig.cmake
  ${PROJECT_BINARY_DIR}/taskstoreConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/FindSOCI.cmake  # Debian ships no SOCI package files
  DESTINATION ${TASKSTORE_INSTALL_CMAKEDIR}
  COMPONENT ${_component})

# taskstore.pc. Debian has .pc files for the client libraries and libcrypto
# (Requires), none for Boost or SOCI (plain flags).
set(TASKSTORE_PC_REQUIRES "")
set(TASKSTORE_PC_CFLAGS "-std=c++20")
set(TASKSTORE_PC_LIBS "-lsoci_core")
foreach(_backend IN ITEMS sqlite3 postgresql mysql)
  string(TOUPPER "${_backend}" _upper)
  if(TASKSTORE_WITH_${_upper})
    string(APPEND TASKSTORE_PC_CFLAGS " -DTASKSTORE_HAVE_${_upper}=1")
    string(APPEND TASKSTORE_PC_LIBS " -lsoci_${_backend}")
  endif()
endforeach()
string(APPEND TASKSTORE_PC_LIBS " -lboost_json")
# The headers call these client libraries directly (native handles), so they are
# public; their Cflags bring /usr/include/postgresql and /usr/include/mariadb.
if(TASKSTORE_WITH_SQLITE3)
  list(APPEND TASKSTORE_PC_REQUIRES sqlite3)
endif()
if(TASKSTORE_WITH_POSTGRESQL)
  list(APPEND TASKSTORE_PC_REQUIRES libpq)
endif()
if(TASKSTORE_WITH_MYSQL)
  if(SOCI_MARIADB_LIBRARY MATCHES "mysqlclient")
    list(APPEND TASKSTORE_PC_REQUIRES mysqlclient)
  else()
    list(APPEND TASKSTORE_PC_REQUIRES libmariadb)
  endif()
endif()
list(APPEND TASKSTORE_PC_REQUIRES libcrypto)
list(JOIN TASKSTORE_PC_REQUIRES ", " TASKSTORE_PC_REQUIRES)

# Boost or SOCI outside the compiler's default directories (/opt, say) need -I/-L.
foreach(_target IN ITEMS Boost::headers SOCI::core)
  get_target_property(_dirs ${_target} INTERFACE_INCLUDE_DIRECTORIES)
  foreach(_dir IN LISTS _dirs)
    if(_dir AND NOT _dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES AND NOT _dir MATCHES "^\\$<")
      string(APPEND TASKSTORE_PC_CFLAGS " -I${_dir}")
    endif()
  endforeach()
endforeach()
foreach(_target IN ITEMS Boost::json SOCI::core)
  get_target_property(_configs ${_target} IMPORTED_CONFIGURATIONS)
  set(_location "")
  foreach(_suffix IN ITEMS "" ${_configs})
    if(_suffix)
      set(_suffix "_${_suffix}")
    endif()
    get_target_property(_location ${_target} IMPORTED_LOCATION${_suffix})
    if(_location)
      break()
    endif()
  endforeach()
  if(_location)
    get_filename_component(_dir "${_location}" DIRECTORY)
    if(NOT _dir IN_LIST CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES AND NOT " ${TASKSTORE_PC_LIBS} " MATCHES " -L${_dir} ")
      string(PREPEND TASKSTORE_PC_LIBS "-L${_dir} ")
    endif()
  endif()
endforeach()

# The prefix is the one given at install time (cmake --install --prefix), so the
# file is configured twice: here for the flags, at install time for the prefix.
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(TASKSTORE_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(TASKSTORE_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(TASKSTORE_PC_PREFIX "@CMAKE_INSTALL_PREFIX@")  # left for the second pass
configure_file(${PROJECT_SOURCE_DIR}/cmake/taskstore.pc.in ${PROJECT_BINARY_DIR}/taskstore.pc.install @ONLY)
install(CODE "configure_file(\"${PROJECT_BINARY_DIR}/taskstore.pc.install\"
                             \"${PROJECT_BINARY_DIR}/taskstore.pc\" @ONLY)"
  COMPONENT ${_component})
install(FILES ${PROJECT_BINARY_DIR}/taskstore.pc DESTINATION ${TASKSTORE_INSTALL_PKGCONFIGDIR} COMPONENT ${_component})
