"""contentgen: content plans to SEO articles written by an LLM, with exact cost.

Pure-Python bindings over libcontentgen's stable C ABI (ctypes). See docs/python.md.

    import contentgen

    with contentgen.Generator("contentgen.json") as gen:
        article = gen.generate({"workspace_id": "w1", "title": "Exact costs"})
        print(article.title, article.cost_usd)
"""

from . import _ffi
from ._errors import (BudgetExceededError, CancelledError, ConflictError, ContentgenError, InternalError,
                      InvalidArgumentError, NotFoundError, RateLimitedError, StorageError, TimeoutError,
                      UnauthorizedError, UnavailableError, UnknownModelError, UpstreamError)
from ._generator import Cancellation, Generator, adapter_available, check_config, cost, cost_nanousd, prices
from ._ports import ChatRequest, ChatResponse, EventSink, ImageStore, LlmProvider
from ._types import Article, ArticlePage, Image, RelayStats, SpendSummary, Usage

__version__ = "0.1.0"


def library_version() -> str:
    """The version of the libcontentgen actually loaded, e.g. "0.1.0"."""
    return _ffi.version_string().decode("ascii")


__all__ = [
    "Article", "ArticlePage", "BudgetExceededError", "Cancellation", "CancelledError", "ChatRequest",
    "ChatResponse", "ConflictError", "ContentgenError", "EventSink", "Generator", "Image", "ImageStore",
    "InternalError", "InvalidArgumentError", "LlmProvider", "NotFoundError", "RateLimitedError", "RelayStats",
    "SpendSummary", "StorageError", "TimeoutError", "UnauthorizedError", "UnavailableError", "UnknownModelError", "UpstreamError",
    "Usage", "adapter_available", "check_config", "cost", "cost_nanousd", "library_version", "prices",
]
