"""Exceptions: one class per C error code (CONTENTGEN_E_*), subclassing builtins where natural so
that ``except KeyError`` or ``except TimeoutError`` also catch ours."""

from __future__ import annotations

import builtins
from typing import Optional


class ContentgenError(Exception):
    """Base of every libcontentgen error.

    Attributes: ``code`` (the C code, e.g. 2), ``name`` ("not_found"), ``message``, ``field``
    (invalid_argument: the dotted name of the bad field), ``status`` (HTTP status of the upstream
    reply or None), ``provider``, ``provider_type``, ``provider_code``, ``request_id``,
    ``retry_after`` (seconds or None), ``retryable``.
    """

    code = 0
    name = "error"

    def __init__(self, message: str = "", *, field: str = "", status: Optional[int] = None, provider: str = "",
                 provider_type: str = "", provider_code: str = "", request_id: str = "",
                 retry_after: Optional[float] = None, retryable: Optional[bool] = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.provider = provider
        self.provider_type = provider_type
        self.provider_code = provider_code
        self.request_id = request_id
        self.retry_after = retry_after
        self.retryable = type(self).retryable_by_default if retryable is None else retryable

    retryable_by_default = False

    def __str__(self) -> str:  # KeyError would otherwise print the repr of the message
        return self.message

    def __repr__(self) -> str:
        return "%s(%r)" % (type(self).__name__, self.message)


class InvalidArgumentError(ContentgenError, ValueError):
    code, name = 1, "invalid_argument"


class NotFoundError(ContentgenError, KeyError):
    code, name = 2, "not_found"


class ConflictError(ContentgenError):
    code, name = 3, "conflict"


class UnauthorizedError(ContentgenError, PermissionError):
    code, name = 4, "unauthorized"


class RateLimitedError(ContentgenError):
    code, name = 5, "rate_limited"
    retryable_by_default = True


class UpstreamError(ContentgenError):
    """The provider or server failed: see ``status``, ``provider_code`` and ``request_id``."""
    code, name = 6, "upstream"
    retryable_by_default = True


class TimeoutError(ContentgenError, builtins.TimeoutError):  # noqa: A001 -- deliberately the builtin's name
    code, name = 7, "timeout"
    retryable_by_default = True


class BudgetExceededError(ContentgenError):
    code, name = 8, "budget_exceeded"


class UnknownModelError(ContentgenError, LookupError):
    code, name = 9, "unknown_model"


class StorageError(ContentgenError):
    code, name = 10, "storage"


class UnavailableError(ContentgenError, ConnectionError):
    code, name = 11, "unavailable"
    retryable_by_default = True


class CancelledError(ContentgenError):
    code, name = 12, "cancelled"


class InternalError(ContentgenError):
    code, name = 13, "internal"


ERROR_CLASSES = {cls.code: cls for cls in (
    InvalidArgumentError, NotFoundError, ConflictError, UnauthorizedError, RateLimitedError, UpstreamError,
    TimeoutError, BudgetExceededError, UnknownModelError, StorageError, UnavailableError, CancelledError,
    InternalError)}


def _text(value: Optional[bytes]) -> str:
    return value.decode("utf-8", "replace") if value else ""


def from_last_error(code: int) -> ContentgenError:
    """The exception for a C call that returned ``code``, with the thread's last-error details."""
    from . import _ffi

    last = _ffi.error_last().contents
    cls = ERROR_CLASSES.get(code, InternalError)
    message = _text(last.message) if last.code == code else "libcontentgen error %d" % code
    return cls(message,
               field=_text(last.field),
               status=last.http_status or None,
               provider=_text(last.provider),
               provider_type=_text(last.provider_type),
               provider_code=_text(last.provider_code),
               request_id=_text(last.request_id),
               retry_after=last.retry_after_ms / 1000.0 if last.retry_after_ms >= 0 else None,
               retryable=bool(last.retryable))
