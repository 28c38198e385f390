# Copyright (c) 2026 The taskstore authors.
# Distributed under the Boost Software License, Version 1.0 (see LICENSE).
"""Conan 2 recipe for taskstore, a header-only C++20 library.

Consumers get ``find_package(taskstore)`` and the target ``taskstore::taskstore``
from CMakeDeps. scripts/conan-create builds and tests this recipe against
Debian's Boost, SOCI and OpenSSL through a profile's ``[platform_requires]``.
"""

import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.files import copy, load
from conan.tools.gnu import PkgConfig
from conan.tools.layout import basic_layout

required_conan_version = ">=2.0.5"

# Each SOCI backend: (option, define suffix, SOCI library, pkg-config name of
# the client library that SOCI's backend header and taskstore's native-handle
# code (COPY, the backup API, bulk inserts) call).
_BACKENDS = (
    ("with_sqlite3", "SQLITE3", "sqlite3", "sqlite3"),
    ("with_postgresql", "POSTGRESQL", "postgresql", "libpq"),
    ("with_mysql", "MYSQL", "mysql", "libmariadb"),
)


class TaskstoreConan(ConanFile):
    name = "taskstore"
    description = ("Durable, queryable records of AI-agent work over SQLite, "
                   "PostgreSQL and MySQL")
    license = "BSL-1.0"
    topics = ("database", "orm", "soci", "boost-json", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    options = {name: [True, False] for name, _, _, _ in _BACKENDS}
    default_options = {name: True for name, _, _, _ in _BACKENDS}
    exports_sources = "include/*", "LICENSE"
    no_copy_source = True

    def set_version(self):
        # One version, the one CMakeLists.txt's project() declares. Runs only on
        # export: the cache loads the recipe with its version already known.
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        self.version = re.search(r"project\(\s*taskstore\b[^)]*?\bVERSION\s+([0-9.]+)",
                                 text).group(1)

    def layout(self):
        basic_layout(self, src_folder=".")

    def configure(self):
        # ConanCenter's soci builds no backend by default: ask for the ones linked.
        for option, _, _, _ in _BACKENDS:
            if self.options.get_safe(option):
                setattr(self.options["soci"], option, True)

    def requirements(self):
        # taskstore's headers include Boost's, SOCI's and OpenSSL's and call their
        # libraries, so consumers need all three: transitive headers and libs.
        traits = {"transitive_headers": True, "transitive_libs": True}
        self.requires("boost/[>=1.81]", **traits)  # described-class JSON needs 1.81
        self.requires("soci/[>=4.0.3]", **traits)
        self.requires("openssl/[>=3.0 <4]", **traits)  # SHA-256 from libcrypto

    def validate(self):
        check_min_cppstd(self, 20)

    def package_id(self):
        # The same headers serve every configuration and every backend choice:
        # the backend options only change package_info(), which runs per consumer.
        self.info.clear()

    def package(self):
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))
        copy(self, "*.hpp", os.path.join(self.source_folder, "include"),
             os.path.join(self.package_folder, "include"))
        copy(self, "*.ipp", os.path.join(self.source_folder, "include"),
             os.path.join(self.package_folder, "include"))

    def package_info(self):
        info = self.cpp_info
        info.set_property("cmake_file_name", "taskstore")
        info.set_property("cmake_target_name", "taskstore::taskstore")
        info.bindirs = []
        info.libdirs = []
        backends = [b for b in _BACKENDS if self.options.get_safe(b[0])]
        info.defines = [f"TASKSTORE_HAVE_{define}=1" for _, define, _, _ in backends]

        # All or nothing: once cpp_info names one dependency's components, Conan
        # wants every direct dependency named, and a platform one has none.
        if all(self._from_platform(dep) for dep in ("boost", "soci", "openssl")):
            self._link_system_libraries(backends)
        else:
            # Conan packages (ConanCenter's recipes): link exactly the components
            # taskstore uses; their own cpp_info brings the client libraries.
            info.requires = ["boost::headers", "boost::json", "soci::soci_core",
                             "openssl::crypto"]
            info.requires += [f"soci::soci_{lib}" for _, _, lib, _ in backends]

    def _from_platform(self, name):
        """True when the profile's [platform_requires] provides `name`."""
        # Conan leaves such a requirement out of self.dependencies (conan-io/conan#16659):
        # it has no recipe, package folder or cpp_info to show.
        return name not in self.dependencies

    def _link_system_libraries(self, backends):
        """Link the system's Boost.JSON, SOCI, client libraries and libcrypto.

        [platform_requires] only tells Conan that a package is already installed:
        such a dependency has no recipe and no cpp_info, so CMakeDeps generates
        nothing for it and taskstore::taskstore would lack the libraries and
        header directories Boost and SOCI carry. taskstore's own cpp_info carries
        them instead, as system libraries (on the linker's default path, hence no
        libdirs). Components would not help: there is nothing to point them at.
        "system" wrapper recipes swapped in with [replace_requires], the other way
        conan-io/conan#16659 names, would need three more recipes exported into
        every consumer's cache. Debian ships no pkg-config file for Boost or SOCI,
        so their library names are spelled here; the client libraries and their
        header directories (/usr/include/postgresql, /usr/include/mariadb) come
        from pkg-config, as FindSOCI.cmake finds them through CMake's modules.
        """
        info = self.cpp_info
        info.system_libs = ["boost_json", "soci_core"]
        info.system_libs += [f"soci_{lib}" for _, _, lib, _ in backends]
        for module in [pc for _, _, _, pc in backends] + ["libcrypto"]:
            client = PkgConfig(self, module)
            info.includedirs += [d for d in client.includedirs if d not in info.includedirs]
            info.system_libs += [lib for lib in client.libs if lib not in info.system_libs]
