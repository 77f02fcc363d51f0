"""Exact cost from Python: Decimal, never a float."""

from __future__ import annotations

from decimal import Decimal

import pytest

import contentgen


def test_cost_is_exact_decimal():
    # gpt-4o-mini: $0.15 / $0.60 per 1M tokens, cached input $0.075
    assert contentgen.cost("gpt-4o-mini", 1000, 500) == Decimal("0.000450000")
    assert contentgen.cost_nanousd("gpt-4o-mini", 1000, 500) == 450_000
    # 1000 prompt tokens of which 400 cached: 600 * 0.15 + 400 * 0.075 = 120 micro-dollars, + 300
    assert contentgen.cost("gpt-4o-mini", 1000, 500, cached_tokens=400) == Decimal("0.000420000")
    assert isinstance(contentgen.cost("gpt-4o", 1, 1), Decimal)
    assert contentgen.cost("gpt-4o", 1, 0) == Decimal("0.000002500")


def test_usage_that_does_not_add_up():
    with pytest.raises(contentgen.InvalidArgumentError):
        contentgen.cost("gpt-4o-mini", 10, 10, cached_tokens=11)


def test_price_tables(generator, workdir, provider):
    table = contentgen.prices()
    assert "gpt-4o-mini" in {m["model"] for m in table["models"]}
    assert generator.cost("gpt-4o-mini", 1000, 500) == Decimal("0.000450000")
    config = {"repository": {"url": "sqlite:%s" % (workdir / "p.db")},
              "prices": {"models": [{"model": "house", "provider": "me", "input": "1", "output": "2",
                                     "effective_date": "2026-01-01", "source": "test"}]}}
    with contentgen.Generator(config, llm=provider) as custom:
        assert custom.cost("house", 1_000_000, 1_000_000) == Decimal("3.000000000")
        assert "house" in {m["model"] for m in custom.prices()["models"]}
    with pytest.raises(contentgen.UnknownModelError):
        generator.cost("house", 1, 1)


def test_versions():
    assert contentgen.library_version() == contentgen.__version__
    assert contentgen.adapter_available("events", "none")
    assert not contentgen.adapter_available("events", "carrier-pigeon")
