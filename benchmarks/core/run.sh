#!/usr/bin/env bash
# Builds contentgen_bench_core in an optimised build dir and runs it under the build lock (the
# machine is shared; a benchmark next to a compiler measures the compiler).
#   benchmarks/core/run.sh [extra Google Benchmark flags]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build/core-release}
LOCK=/tmp/contentgen-build.lock
[ -f "$BUILD/build.ninja" ] || flock "$LOCK" cmake --preset release -B "$BUILD" -DCONTENTGEN_BUILD_APPS=OFF >/dev/null
flock "$LOCK" cmake --build "$BUILD" -j2 --target contentgen_bench_core
flock "$LOCK" "$BUILD/benchmarks/core/contentgen_bench_core" --benchmark_min_time=1 "$@"
