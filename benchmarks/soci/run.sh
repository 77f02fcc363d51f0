#!/usr/bin/env bash
# benchmarks/soci/run.sh [benchmark args...]
# Builds soci_bench in an optimised build dir (build/soci-release, preset release) and runs it
# against SQLite files and a private PostgreSQL 15 on loopback started WITH fsync (commits are
# durable, as in production), both under the build lock (benchmarks must not share the two cores
# with a build). Set CONTENTGEN_BENCH_PG_URL to use another PostgreSQL instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-build/soci-release}
LOCK=/tmp/contentgen-build.lock

[ -f "$BUILD/build.ninja" ] || flock "$LOCK" cmake --preset release -B "$BUILD" -DCONTENTGEN_BUILD_APPS=OFF >/dev/null
flock "$LOCK" cmake --build "$BUILD" -j2 --target soci_bench

state=""
cleanup() { [ -z "$state" ] || { scripts/services/postgres.sh stop "$state" || true; rm -rf "$state"; }; }
trap cleanup EXIT
if [ -z "${CONTENTGEN_BENCH_PG_URL:-}" ]; then
  state=$(mktemp -d /tmp/contentgen-bench-postgres.XXXXXX)
  eval "$(PG_FSYNC=on scripts/services/postgres.sh start "$state")"
  export CONTENTGEN_BENCH_PG_URL=$CONTENTGEN_TEST_PG_URL
fi
echo "== soci_bench ($(nproc) cores, SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1), PostgreSQL at ${CONTENTGEN_BENCH_PG_URL#*@})"
flock "$LOCK" "$ROOT/$BUILD/benchmarks/soci/soci_bench" --benchmark_counters_tabular=true "$@"
