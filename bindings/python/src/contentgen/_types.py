"""Plain data the bindings hand out: articles, images, usage, pages. Built from the library's JSON
forms (docs/configuration.md#json-forms)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Dict, Iterator, List, Optional

NANOS_PER_USD = 1_000_000_000


def usd_from_nanos(nanos: int) -> Decimal:
    """Exact: 4225000 -> Decimal('0.004225000').

    Built from the digits, not by Decimal arithmetic: arithmetic rounds to the caller's decimal
    context (a context with fewer than 19 digits of precision would round or raise)."""
    sign = "-" if nanos < 0 else ""
    whole, fraction = divmod(abs(nanos), NANOS_PER_USD)
    return Decimal("%s%d.%09d" % (sign, whole, fraction))


def _timestamp(text: str) -> Optional[_dt.datetime]:
    if not text:
        return None
    # "2026-11-25T12:59:33.123456Z" (fromisoformat accepts "Z" only from Python 3.11)
    return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Usage:
    """Tokens of one or more LLM calls. prompt_tokens INCLUDES cached and cache-write tokens;
    completion_tokens INCLUDES reasoning tokens."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    cache_write_tokens: int = 0
    reasoning_tokens: int = 0
    estimated: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Usage":
        return cls(prompt_tokens=data["prompt_tokens"], completion_tokens=data["completion_tokens"],
                   cached_tokens=data["cached_tokens"], cache_write_tokens=data["cache_write_tokens"],
                   reasoning_tokens=data["reasoning_tokens"], estimated=data["estimated"])


@dataclass(frozen=True)
class Image:
    id: str
    article_id: str
    workspace_id: str
    storage_key: str
    url: str
    content_type: str
    size_bytes: int
    width: int
    height: int
    sha256: str
    original_filename: str
    alt_text: str
    created_at: Optional[_dt.datetime]

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Image":
        return cls(id=data["id"], article_id=data["article_id"], workspace_id=data["workspace_id"],
                   storage_key=data["storage_key"], url=data["url"], content_type=data["content_type"],
                   size_bytes=data["size_bytes"], width=data["width"], height=data["height"],
                   sha256=data["sha256"], original_filename=data["original_filename"], alt_text=data["alt_text"],
                   created_at=_timestamp(data["created_at"]))


@dataclass(frozen=True)
class Article:
    id: str
    workspace_id: str
    plan_id: str
    title: str
    slug: str
    content: str
    content_html: str
    status: str
    provider: str
    model: str
    finish_reason: str
    llm_calls: int
    word_count: int
    cost_usd: Decimal          # exact, nine fraction digits
    cost_nanousd: int          # the same, as an integer count of 1e-9 USD
    usage: Usage
    metadata: Dict[str, Any]
    html_url: str
    version: int
    created_at: Optional[_dt.datetime]
    updated_at: Optional[_dt.datetime]
    images: List[Image] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Article":
        return cls(id=data["id"], workspace_id=data["workspace_id"], plan_id=data["plan_id"], title=data["title"],
                   slug=data["slug"], content=data["content"], content_html=data["content_html"],
                   status=data["status"], provider=data["provider"], model=data["model"],
                   finish_reason=data["finish_reason"], llm_calls=data["llm_calls"], word_count=data["word_count"],
                   cost_usd=Decimal(data["cost_usd"]), cost_nanousd=data["cost_nanousd"],
                   usage=Usage.from_json(data["usage"]), metadata=data["metadata"], html_url=data["html_url"],
                   version=data["version"], created_at=_timestamp(data["created_at"]),
                   updated_at=_timestamp(data["updated_at"]),
                   images=[Image.from_json(image) for image in data["images"]])


@dataclass(frozen=True)
class ArticlePage:
    """One page of ``Generator.list``: ``items`` newest first, ``next_cursor`` None on the last page.
    Unpacks as ``items, next_cursor = generator.list(...)``."""
    items: List[Article]
    next_cursor: Optional[str]

    def __iter__(self) -> Iterator[Any]:
        return iter((self.items, self.next_cursor))


@dataclass(frozen=True)
class SpendSummary:
    """A workspace's spend ledger. ``estimated_usd`` is the part of ``total_usd`` whose usage the
    provider did not report (a call whose process died is settled at its worst case)."""
    total_usd: Decimal
    estimated_usd: Decimal
    calls: int
    estimated_calls: int

    @property
    def reported_usd(self) -> Decimal:
        return self.total_usd - self.estimated_usd


@dataclass(frozen=True)
class RelayStats:
    delivered: int
    failed: int
