#!/usr/bin/env bash
# Packs this checkout into the tarball the FetchContent consumer unpacks (a
# file:// URL: no network), the way a release archive is made: `git archive` of
# the working tree's tracked files with their uncommitted changes, plus files not
# yet added under cmake/ and include/, so that it builds what the add_subdirectory
# consumer builds. The snapshot goes through a temporary index: the real index,
# the refs and the stash stay untouched. Outside a git checkout, tars the files a
# consumer build reads.
# Usage: make_archive.sh <source dir> <archive.tar.gz>
set -euo pipefail

src=$1
out=$2
mkdir -p "$(dirname "$out")"
rm -f "$out"

top=$(git -C "$src" rev-parse --show-toplevel 2>/dev/null || true)
if [[ -n $top && $top -ef $src ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  export GIT_INDEX_FILE=$tmp/index
  git -C "$src" read-tree HEAD
  git -C "$src" add --update -- .
  git -C "$src" add -- cmake include
  tree=$(git -C "$src" write-tree)
  git -C "$src" archive --format=tar.gz --prefix=taskstore/ --output="$out" "$tree"
else
  tar -C "$src" -czf "$out" --transform 's,^,taskstore/,' CMakeLists.txt cmake include LICENSE
fi
echo "make_archive.sh: $out ($(tar -tzf "$out" | wc -l) entries)"
