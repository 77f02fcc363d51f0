"""A leak check of the bindings, not a timing test: 5,000 generations through a Python provider (the
vtable thunks, the exception stash, the JSON conversions) leave the open fd count flat and RSS within
5 MB of where it was after a warm-up."""

from __future__ import annotations

import gc
import os
import resource

import contentgen
from conftest import PNG, ScriptedProvider, plan, storage_config


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def rss_kb() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() // 1024


def one_round(generator: contentgen.Generator, provider: ScriptedProvider, i: int) -> None:
    article = generator.generate(plan(title="Leak check %d" % i), on_delta=lambda text: None)
    if i % 10 == 0:
        generator.list("ws-py", limit=5)
        generator.update("ws-py", article.id, expected_version=1, status="published")
    if i % 50 == 0:
        generator.upload_image("ws-py", article.id, PNG, "leak.png")
        generator.delete("ws-py", article.id)
    if i % 25 == 0:
        provider.raise_next = RuntimeError("expected failure %d" % i)
        try:
            generator.generate(plan(title="Fails"))
        except RuntimeError:
            pass
    try:
        generator.get("ws-elsewhere", article.id)
    except contentgen.NotFoundError:
        pass
    if i % 100 == 0:
        generator.relay_events()
    provider.requests.clear()


def test_five_thousand_generations_leave_fds_and_rss_flat(workdir):
    provider = ScriptedProvider(words=200)
    with contentgen.Generator(storage_config(workdir), llm=provider) as generator:
        for i in range(300):
            one_round(generator, provider, i)
        gc.collect()
        fds_before, rss_before = open_fds(), rss_kb()
        for i in range(300, 5300):
            one_round(generator, provider, i)
        gc.collect()
        fds_after, rss_after = open_fds(), rss_kb()
    print("python leak check: open fds %d -> %d, RSS %d kB -> %d kB (%+d kB)"
          % (fds_before, fds_after, rss_before, rss_after, rss_after - rss_before))
    assert fds_after == fds_before
    assert rss_after - rss_before < 5 * 1024
