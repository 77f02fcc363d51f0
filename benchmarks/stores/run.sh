#!/usr/bin/env bash
# benchmarks/stores/run.sh [benchmark args...]
# Builds stores_bench in an optimised build dir (build/stores-release, preset release) and runs it
# against a private moto and s3rver on loopback, both under the build lock (benchmarks must not
# share the two cores with a build). Uses the CONTENTGEN_TEST_MOTO_* / _S3RVER_* servers instead
# if they are already set.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-build/stores-release}
LOCK=/tmp/contentgen-build.lock

[ -f "$BUILD/build.ninja" ] || flock "$LOCK" cmake --preset release -B "$BUILD" -DCONTENTGEN_BUILD_APPS=OFF >/dev/null
flock "$LOCK" cmake --build "$BUILD" -j2 --target stores_bench

states=()
cleanup() {
  local s
  for s in "${states[@]}"; do
    scripts/services/"${s%%:*}".sh stop "${s#*:}" || true
    rm -rf "${s#*:}"
  done
}
trap cleanup EXIT
start_service() {  # NAME: starts scripts/services/NAME.sh in a temp dir and exports its variables
  local state
  state=$(mktemp -d "/tmp/contentgen-bench-$1.XXXXXX")
  states+=("$1:$state")
  eval "$(scripts/services/"$1".sh start "$state")"
}
if [ -z "${CONTENTGEN_TEST_MOTO_ENDPOINT:-}" ]; then start_service moto; fi
if [ -z "${CONTENTGEN_TEST_S3RVER_ENDPOINT:-}" ]; then start_service s3rver; fi
export "${!CONTENTGEN_TEST_@}"
echo "== stores_bench ($(nproc) cores; moto ${CONTENTGEN_TEST_MOTO_ENDPOINT}, s3rver ${CONTENTGEN_TEST_S3RVER_ENDPOINT})"
flock "$LOCK" "$ROOT/$BUILD/benchmarks/stores/stores_bench" --benchmark_counters_tabular=true "$@"
