#!/usr/bin/env bash
# Runs a built consumer program against PostgreSQL, as the README's first
# program does: on the server scripts/with-databases started, in a schema of
# its own that is dropped afterwards. Exits 77 (skipped) without a server,
# unless TASKSTORE_REQUIRE_ALL_BACKENDS=1.
# Usage: run_on_postgresql.sh <consumer program>
set -euo pipefail
program=$1
url=${TASKSTORE_TEST_POSTGRES_URL:-}
if [[ -z $url ]]; then
  if [[ ${TASKSTORE_REQUIRE_ALL_BACKENDS:-} == 1 ]]; then
    echo "consumer test failed: TASKSTORE_TEST_POSTGRES_URL is not set" >&2
    exit 1
  fi
  echo "skipped: TASKSTORE_TEST_POSTGRES_URL is not set (run under scripts/with-databases)"
  exit 77
fi
[[ -x $program ]] || { echo "consumer test failed: $program was not built" >&2; exit 1; }
schema=consumer_$$
psql -qX "$url" -c "CREATE SCHEMA $schema"
trap 'psql -qX "$url" -c "DROP SCHEMA $schema CASCADE"' EXIT
separator='?'
[[ $url == *\?* ]] && separator='&'
"$program" "$url${separator}options=-c%20search_path%3D$schema"
