"""Exact cost from Python: Decimal, never a float."""

from __future__ import annotations

import decimal
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


def test_cost_does_not_depend_on_the_callers_decimal_context():
    # A host with a low-precision context (or one that traps inexact results) still gets the exact
    # amount: 19 significant digits here.
    with decimal.localcontext() as context:
        context.prec = 6
        context.traps[decimal.Inexact] = True
        context.traps[decimal.Rounded] = True
        assert str(contentgen.cost("claude-3-5-sonnet", 0, 1_000_000_000_000)) == "15000000.000000000"
        assert str(contentgen.cost("gpt-4o-mini", 1000, 500)) == "0.000450000"
        zero = contentgen.cost("gpt-4o", 0, 0)
        assert zero == 0 and zero.as_tuple().exponent == -9


def test_token_counts_beyond_int64_are_refused_not_wrapped():
    # ctypes would keep the low 64 bits: 2**64 + 1000 prompt tokens would cost like 1000.
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        contentgen.cost("gpt-4o-mini", 2**64 + 1000, 0)
    assert caught.value.field == "usage.prompt_tokens"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        contentgen.cost_nanousd("gpt-4o-mini", 0, 0, reasoning_tokens=-2**63 - 1)
    assert caught.value.field == "usage.reasoning_tokens"
    with pytest.raises(TypeError):
        contentgen.cost("gpt-4o-mini", 1.5, 0)
    # The largest count that fits is priced (and overflows Money, an error rather than a wrap).
    with pytest.raises(contentgen.InternalError):
        contentgen.cost("gpt-4o-mini", 2**63 - 1, 0)


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
