"""The full flow from Python: generate, get, list with a cursor, update, images, events, delete --
over the mock LLM server (HTTP) and over a provider written in Python."""

from __future__ import annotations

import datetime
import json
import logging
from decimal import Decimal

import pytest

import contentgen
from conftest import PNG, plan


def run_flow(generator: contentgen.Generator, workdir, streamed_expected: bool = True) -> contentgen.Article:
    deltas = []
    first = generator.generate(plan(id="plan-1", title="Writing Python bindings"), on_delta=deltas.append,
                               metadata={"source": "pytest"})
    assert isinstance(first, contentgen.Article)
    assert len(first.id) == 36
    assert first.workspace_id == "ws-py"
    assert first.plan_id == "plan-1"
    assert first.status == "draft"
    assert first.version == 1
    assert first.word_count > 10
    assert first.title and first.slug
    assert "<h1>" in first.content_html
    assert first.metadata == {"source": "pytest"}
    assert isinstance(first.cost_usd, Decimal)
    assert first.cost_usd == Decimal(first.cost_nanousd) / Decimal(1_000_000_000)
    assert first.cost_nanousd > 0
    assert first.usage.prompt_tokens > 0 and first.usage.completion_tokens > 0
    assert first.usage.total_tokens == first.usage.prompt_tokens + first.usage.completion_tokens
    assert isinstance(first.created_at, datetime.datetime) and first.created_at.tzinfo is not None
    assert first.images == []
    if streamed_expected:
        assert len(deltas) > 1 and "".join(deltas).startswith("#")

    # idempotency: the same plan id returns the same article
    assert generator.generate(plan(id="plan-1", title="Writing Python bindings")).id == first.id

    second = generator.generate(plan(id="plan-2", title="Second"))
    third = generator.generate(plan(title="Third"))
    generator.generate(plan(workspace="ws-other", title="Elsewhere"))

    page = generator.list("ws-py", limit=2)
    assert [a.id for a in page.items] == [third.id, second.id]
    assert page.next_cursor
    items, cursor = generator.list("ws-py", limit=2, cursor=page.next_cursor)
    assert [a.id for a in items] == [first.id]
    assert cursor is None

    updated = generator.update("ws-py", first.id, expected_version=1, title="Renamed", status="published",
                               metadata={"k": [1, 2]})
    assert (updated.title, updated.status, updated.version) == ("Renamed", "published", 2)
    assert updated.metadata == {"k": [1, 2]}
    with pytest.raises(contentgen.ConflictError):
        generator.update("ws-py", first.id, expected_version=1, title="Stale")
    assert [a.id for a in generator.list("ws-py", status="published").items] == [first.id]

    image = generator.upload_image("ws-py", first.id, PNG, filename="pixel.png", alt_text="a pixel")
    assert isinstance(image, contentgen.Image)
    assert (image.content_type, image.width, image.height, image.size_bytes) == ("image/png", 1, 1, len(PNG))
    assert image.original_filename == "pixel.png" and image.alt_text == "a pixel"
    assert len(image.sha256) == 64
    assert image.url.startswith("file://")
    assert (workdir / "images" / image.storage_key).read_bytes() == PNG
    assert [i.id for i in generator.get("ws-py", first.id).images] == [image.id]
    generator.delete_image("ws-py", first.id, image.id)
    assert generator.get("ws-py", first.id).images == []
    with pytest.raises(contentgen.NotFoundError):
        generator.delete_image("ws-py", first.id, image.id)

    spend = generator.spend("ws-py")
    assert isinstance(spend, contentgen.SpendSummary)
    assert spend.calls >= 3 and spend.total_usd > 0 and spend.estimated_usd == spend.total_usd - spend.reported_usd
    assert generator.spend("ws-py", since="2999-01-01T00:00:00Z") == contentgen.SpendSummary(0, 0, 0, 0)
    assert generator.spend("ws-never-used") == contentgen.SpendSummary(0, 0, 0, 0)
    with pytest.raises(contentgen.InvalidArgumentError) as bad_since:
        generator.spend("ws-py", since="yesterday")
    assert bad_since.value.field == "since"

    stats = generator.relay_events()
    assert stats.failed == 0 and stats.delivered >= 4 + 1 + 2
    lines = [json.loads(line) for line in (workdir / "events.jsonl").read_text().splitlines()]
    generated = [e for e in lines if e["type"] == "article.generated"]
    assert len(generated) == 4
    assert {e["specversion"] for e in lines} == {"1.0"}
    assert generator.relay_events() == contentgen.RelayStats(0, 0)

    generator.delete("ws-py", first.id)
    with pytest.raises(contentgen.NotFoundError):
        generator.get("ws-py", first.id)
    return first


def test_flow_over_the_mock_llm_server(mock_generator, workdir, mock):
    first = run_flow(mock_generator, workdir)
    assert first.provider == "openai"
    logged = mock.requests()
    assert logged and '"stream":true' in logged[0]["body"].replace(" ", "")


def test_flow_with_a_python_provider(generator, workdir, provider):
    first = run_flow(generator, workdir)
    assert first.provider == "scripted-py"
    assert first.model == "gpt-4o-mini"
    assert first.title == "Python Title"
    # 1000 prompt tokens at $0.15/M + 500 completion tokens at $0.60/M
    assert first.cost_usd == Decimal("0.000450000")
    assert first.cost_nanousd == 450_000
    assert provider.requests[0].stream is True
    assert "Writing Python bindings" in provider.requests[0].messages[-1]["content"]


def test_config_from_a_file(workdir, provider):
    path = workdir / "contentgen.json"
    path.write_text(json.dumps({"repository": {"url": "sqlite:%s" % (workdir / "f.db")}}))
    with contentgen.Generator(path, llm=provider) as generator:
        assert generator.generate(plan()).title == "Python Title"
    with contentgen.Generator(str(path), llm=provider) as generator:
        assert len(generator.list("ws-py").items) == 1
    assert generator.closed


def test_library_messages_go_to_python_logging(workdir, caplog):
    config = {"llm": {"provider": "openai", "base_url": "https://127.0.0.1:9/v1", "auth": "none",
                      "insecure_skip_verify": True},
              "repository": {"url": "sqlite:%s" % (workdir / "log.db")}}
    with caplog.at_level(logging.WARNING, logger="contentgen"):
        with contentgen.Generator(config):
            pass
    records = [r for r in caplog.records if r.name == "contentgen"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert records[0].getMessage().startswith("http: TLS certificate and hostname verification is DISABLED")
