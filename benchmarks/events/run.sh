#!/usr/bin/env bash
# benchmarks/events/run.sh [benchmark args...]
# Builds events_bench in an optimised build dir (build/events-release, preset release) and runs it
# against a private RabbitMQ on loopback, both under the build lock (benchmarks must not share the
# two cores with a build). Uses $CONTENTGEN_TEST_AMQP_URL instead if it is already set.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-build/events-release}
LOCK=/tmp/contentgen-build.lock

[ -f "$BUILD/build.ninja" ] || flock "$LOCK" cmake --preset release -B "$BUILD" >/dev/null
flock "$LOCK" cmake --build "$BUILD" -j2 --target events_bench

state=""
cleanup() { [ -z "$state" ] || { scripts/services/rabbitmq.sh stop "$state" || true; rm -rf "$state"; }; }
trap cleanup EXIT
if [ -z "${CONTENTGEN_TEST_AMQP_URL:-}" ]; then
  state=$(mktemp -d /tmp/contentgen-bench-rabbitmq.XXXXXX)
  eval "$(scripts/services/rabbitmq.sh start "$state")"
  export CONTENTGEN_TEST_AMQP_URL
fi
echo "== events_bench ($(nproc) cores, RabbitMQ at ${CONTENTGEN_TEST_AMQP_URL#*@})"
flock "$LOCK" "$ROOT/$BUILD/benchmarks/events/events_bench" --benchmark_counters_tabular=true "$@"
