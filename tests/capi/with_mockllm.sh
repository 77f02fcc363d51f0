#!/usr/bin/env bash
# Runs a command with a private contentgen-mockllm on a free loopback port; the command finds it
# through CONTENTGEN_TEST_MOCKLLM_URL (the OpenAI-compatible base URL). The mock is stopped after.
#   with_mockllm.sh path/to/contentgen-mockllm command [args...]
set -euo pipefail
mock=$1
shift
state=$(mktemp -d /tmp/contentgen-capi-mockllm.XXXXXX)
"$mock" --port 0 --log-limit 100 >"$state/out" 2>"$state/err" &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$state"
}
trap cleanup EXIT
for _ in $(seq 1 200); do
  grep -q 'https\?://' "$state/out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "contentgen-mockllm exited:" >&2; cat "$state/err" >&2; exit 1; }
  sleep 0.05
done
url=$(grep -o 'https\?://[^ ]*' "$state/out" | head -n1 | tr -d '\r')
[ -n "$url" ] || { echo "contentgen-mockllm printed no URL" >&2; cat "$state/err" >&2; exit 1; }
case "$url" in
  */v1) ;;
  *) url="${url%/}/v1" ;;
esac
export CONTENTGEN_TEST_MOCKLLM_URL="$url"
"$@"
