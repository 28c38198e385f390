#!/usr/bin/env python3
# Copyright (c) 2026 The taskstore authors.
# Distributed under the Boost Software License, Version 1.0 (see LICENSE).
"""Checks that the integration snippets in README.md and docs/integration.md
are the consumer projects tests/cmake builds: each documented CMakeLists equals
its consumer's (without the test-only lines, with main.cpp beside it), and the
README's first program equals tests/cmake/consumer/main.cpp.

Usage: check_snippets.py <source dir>
"""

import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
consumer = root / "tests/cmake/consumer"


def section(text, heading):
    """The text under `heading` up to the next heading of the same level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    end = re.compile(rf"^{level} ", re.M).search(text, start + len(heading))
    return text[start:end.start() if end else len(text)]


def blocks(text, lang):
    return [b.strip() for b in re.findall(rf"^```{lang}\n(.*?)^```", text, re.S | re.M)]


def consumer_cmake(name):
    text = (consumer / name / "CMakeLists.txt").read_text()
    text = text[text.index("cmake_minimum_required"):]
    text = text.split("# Test-only")[0]
    return text.replace("../main.cpp", "main.cpp").strip()


failures = []


def expect(what, documented, tested):
    if documented != tested:
        failures.append(f"{what} differs from what tests/cmake builds:\n--- documented\n{documented}\n"
                        f"--- tested\n{tested}\n")


readme = section((root / "README.md").read_text(), "## Use it in your project")
cmake = blocks(readme, "cmake")
expect("README FetchContent snippet", cmake[0] if cmake else "", consumer_cmake("fetchcontent"))
expect("README find_package snippet", cmake[1] if len(cmake) > 1 else "", consumer_cmake("find_package"))
program = (consumer / "main.cpp").read_text()
program = program[program.index("#include <taskstore/taskstore.hpp>"):].strip()
cpp = blocks(readme, "cpp")
expect("README first program", cpp[0] if cpp else "", program)

integration = (root / "docs/integration.md").read_text()
for heading, name in (("## find_package", "find_package"), ("## add_subdirectory", "add_subdirectory"),
                      ("## FetchContent", "fetchcontent")):
    found = blocks(section(integration, heading), "cmake")
    expect(f"docs/integration.md {heading[3:]} snippet", found[0] if found else "", consumer_cmake(name))

if failures:
    sys.exit("\n".join(failures))
print("README.md and docs/integration.md show the consumer projects tests/cmake builds")
