#!/usr/bin/env bash
# Runs an example (examples/c, examples/cpp, examples/python) the way its header says, with a
# configuration of SQLite + filesystem images + JSONL events in a temporary directory and the mock
# LLM server at $CONTENTGEN_TEST_MOCKLLM_URL (see with_mockllm.sh); checks that it went all the way.
#   run_example.sh command [args...]      (the config path is appended)
set -euo pipefail
: "${CONTENTGEN_TEST_MOCKLLM_URL:?run through with_mockllm.sh}"
dir=$(mktemp -d /tmp/contentgen-capi-example.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/contentgen.json" <<JSON
{
  "llm": {"provider": "openai", "base_url": "$CONTENTGEN_TEST_MOCKLLM_URL", "auth": "none", "model": "gpt-4o-mini"},
  "repository": {"url": "sqlite:$dir/contentgen.db"},
  "images": {"kind": "filesystem", "root": "$dir/images"},
  "events": {"kind": "jsonl", "path": "$dir/events.jsonl"}
}
JSON
"$@" "$dir/contentgen.json" >"$dir/out" 2>&1 || { cat "$dir/out"; echo "example failed" >&2; exit 1; }
cat "$dir/out"
for expected in '^article [0-9a-f-]{36}$' '^cost: +\$[0-9]+\.[0-9]{9} ' '^uploaded ' '^events relayed: [1-9][0-9]* delivered, 0 failed$' '^deleted '; do
  grep -Eq "$expected" "$dir/out" || { echo "example output lacks /$expected/" >&2; exit 1; }
done
grep -q '"type":"article.generated"' "$dir/events.jsonl" || { echo "no article.generated event" >&2; exit 1; }
