"""The ledger never under-counts (issue 13, finding 7): `contentgen generate` against PostgreSQL and
the mock, SIGKILLed at random moments 100 times -- before its request, while the mock holds it,
between the reply and the commit, or not at all. Afterwards every call the mock received (each one
billed by a real provider) must be in the ledger: recorded spend >= billed, and every cent above
what was billed is in records marked estimated (calls whose process died, settled at their worst
case once their pending record lapsed)."""
import functools
import json
import os
import random
import signal
import subprocess
import time
import urllib.request
import uuid

import pytest

import cgprocs
from cgprocs import CONTENTGEN, clean_env, run_cli

RUNS = 100
LATENCY_MS = 150
TTL_S = 2

PLAN = {"title": "What a ledger owes", "target_keywords": ["ledger"], "estimated_word_count": 300}


def pg_url():
    url = os.environ.get("CONTENTGEN_TEST_PG_URL")
    if not url:
        if os.environ.get("CONTENTGEN_REQUIRE_SERVICES") == "1":
            pytest.fail("CONTENTGEN_TEST_PG_URL is not set (scripts/lib/services.sh starts PostgreSQL)")
        pytest.skip("CONTENTGEN_TEST_PG_URL is not set")
    return url


def billed_usages(mock_url):
    """The usage of every reply the mock produced: a provider bills it even when the client died
    before reading it."""
    with urllib.request.urlopen(mock_url + "/_mock/requests", timeout=10) as r:
        log = json.loads(r.read())
    assert all("usage" in entry for entry in log)
    return [entry["usage"] for entry in log]


@functools.lru_cache(maxsize=None)
def _cost_of(workdir, prompt_tokens, completion_tokens):
    r = run_cli(["cost", "--json", "--model", "gpt-4o-mini", "--prompt-tokens", str(prompt_tokens),
                 "--completion-tokens", str(completion_tokens)], workdir, clean_env())
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["cost_nanousd"]


def cost_nanousd(workdir, usage):
    """What the built-in price table charges for one reply (one `contentgen cost` per distinct usage)."""
    return _cost_of(workdir, usage["prompt_tokens"], usage["completion_tokens"])


def spend(workdir, env):
    r = run_cli(["spend", "--json", "--config", "config.json"], workdir, env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_sigkilled_generations_never_under_count(tmp_path, tmp_root):
    url = pg_url()
    mock, mock_url = cgprocs.start_mock(tmp_root, "--latency-ms", str(LATENCY_MS), name="kill-spend-mock")
    try:
        workdir = str(tmp_path)
        config = {
            "llm": {"provider": "openai", "base_url": mock_url + "/v1", "auth": "none", "max_retries": 0},
            "repository": {"url": url},
            "images": {"kind": "filesystem", "root": os.path.join(workdir, "images")},
            "events": {"kind": "jsonl", "path": os.path.join(workdir, "events.jsonl")},
            "generator": {"reservation_ttl_s": TTL_S},
        }
        with open(os.path.join(workdir, "config.json"), "w") as f:
            json.dump(config, f)
        with open(os.path.join(workdir, "plan.json"), "w") as f:
            json.dump(PLAN, f)
        env = clean_env(CONTENTGEN_WORKSPACE="kill-spend-" + uuid.uuid4().hex[:12])
        generate = [CONTENTGEN, "generate", "--plan", "plan.json", "--config", "config.json"]

        # One undisturbed run: the ledger holds exactly what the mock billed.
        started = time.monotonic()
        r = subprocess.run(generate, cwd=workdir, env=env, capture_output=True, text=True, timeout=60)
        undisturbed_s = time.monotonic() - started
        assert r.returncode == 0, r.stderr
        first = billed_usages(mock_url)
        assert len(first) == 1
        assert spend(workdir, env)["total_nanousd"] == cost_nanousd(workdir, first[0])

        rng = random.Random(int(os.environ.get("CONTENTGEN_KILL_SEED", "13")))
        finished = killed = 0
        for _ in range(RUNS):
            proc = subprocess.Popen(generate, cwd=workdir, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            # Start-up, the database, the call (LATENCY_MS) and the commit take about as long as the
            # undisturbed run did (much longer under a sanitizer): kill anywhere in that span, and
            # sometimes not at all.
            time.sleep(rng.uniform(0, 1.3 * undisturbed_s))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                killed += 1
            else:
                finished += 1
            proc.wait(timeout=60)
        usages = billed_usages(mock_url)
        billed_calls = len(usages)
        assert killed >= RUNS // 4 and billed_calls >= RUNS // 4, (killed, billed_calls)

        time.sleep(TTL_S + 1)  # every pending call of a killed run has lapsed
        total = spend(workdir, env)  # settles them first
        billed = sum(cost_nanousd(workdir, usage) for usage in usages)
        reported = total["reported_nanousd"]
        print(f"runs {RUNS + 1}: finished {finished + 1}, killed {killed}; mock billed {billed_calls} calls "
              f"= {billed} nano-USD; ledger total {total['total_nanousd']} in {total['calls']} records, "
              f"estimated {total['estimated_nanousd']} in {total['estimated_calls']} records")
        assert total["total_nanousd"] >= billed, "a billed call is missing from the ledger"
        assert reported <= billed, "spend the provider did not bill is recorded as reported, not estimated"
        assert total["calls"] - total["estimated_calls"] <= billed_calls
        # Settling is done once: asking again changes nothing.
        assert spend(workdir, env) == total
    finally:
        mock.stop()
