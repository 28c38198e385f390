#!/usr/bin/env bash
# Builds and runs the consumer program as a build without CMake does:
#   c++ main.cpp $(pkg-config --cflags --libs taskstore)
# PKG_CONFIG_PATH names the installed taskstore.pc; PKG_CONFIG may name pkg-config.
# Usage: pkg_config.sh <c++ compiler> <main.cpp> <build dir>
set -euo pipefail
trap 'echo "pkg_config.sh: consumer test failed (line $LINENO)" >&2' ERR

cxx=$1
main=$2
out=$3
rm -rf "$out"
mkdir -p "$out"

flags=$("${PKG_CONFIG:-pkg-config}" --cflags --libs taskstore)
echo "pkg-config --cflags --libs taskstore: $flags"
# shellcheck disable=SC2086  # the flags are separate words
"$cxx" "$main" -o "$out/consumer" $flags
"$out/consumer"
