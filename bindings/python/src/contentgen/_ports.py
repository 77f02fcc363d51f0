"""Ports implemented in Python: subclass LlmProvider, ImageStore or EventSink and hand an instance
to ``Generator(config, llm=..., images=..., events=...)``. The library calls them through the C
vtables of contentgen.h.

Exceptions raised inside a port are stashed and re-raised, unchanged, out of the Generator call
that triggered them (the library meanwhile sees an error code: the exception's own code for a
ContentgenError, else UPSTREAM for a provider, STORAGE for a store, UNAVAILABLE for a sink). A port
called on a library thread with no Python call waiting (the background event relay) reports its
exception through ``sys.unraisablehook``.
"""

from __future__ import annotations

import abc
import ctypes
import json
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from . import _ffi
from ._errors import CancelledError, ContentgenError, StorageError, UnavailableError, UpstreamError, from_last_error
from ._types import Usage

# The code a port's exception reports to the library when it is not a ContentgenError.
_UPSTREAM, _STORAGE, _UNAVAILABLE, _CANCELLED = UpstreamError.code, StorageError.code, UnavailableError.code, CancelledError.code


class CallbackContext:
    """Per-Generator bookkeeping of Python calls in flight on each thread, and of the exceptions
    their callbacks raised."""

    def __init__(self) -> None:
        self._local = threading.local()

    def begin(self) -> None:
        self._local.depth = getattr(self._local, "depth", 0) + 1
        if self._local.depth == 1:
            self._local.exception = None

    def end(self) -> Tuple[Optional[BaseException], Tuple[int, str]]:
        """Leaves a call; returns the first exception a callback raised during it, if any, and the
        (code, message) it reported to the library instead."""
        self._local.depth -= 1
        if self._local.depth > 0:
            return None, (0, "")
        exception, self._local.exception = self._local.exception, None
        return exception, getattr(self._local, "reported", (0, ""))

    def on_library_thread(self) -> bool:
        """True inside a port callback that no Python call on this thread is waiting for: the
        library's own thread (the background relay's) is running Python code."""
        return getattr(self._local, "callbacks", 0) > 0 and getattr(self._local, "depth", 0) == 0

    def invoke(self, fallback_code: int, function: Callable[..., None], *args: Any) -> int:
        """Runs a port method for the C library: 0, or an error code after recording the error."""
        self._local.callbacks = getattr(self._local, "callbacks", 0) + 1
        try:
            function(*args)
            return _ffi.OK
        except BaseException as exception:  # noqa: B902 -- everything must stop at the C boundary
            if isinstance(exception, ContentgenError) and exception.code:
                code = exception.code
            elif isinstance(exception, KeyboardInterrupt):
                code = _CANCELLED
            else:
                code = fallback_code
            message = "%s: %s" % (type(exception).__name__, exception)
            _ffi.error_set(code, message.encode("utf-8", "replace"))
            self._stash(exception, code, message)
            return code
        finally:
            self._local.callbacks -= 1

    def _stash(self, exception: BaseException, code: int, message: str) -> None:
        if getattr(self._local, "depth", 0) > 0:
            if self._local.exception is None:
                self._local.exception = exception
                self._local.reported = (code, message)
        else:
            sys.unraisablehook(_Unraisable(exception))


class _Unraisable:
    def __init__(self, exception: BaseException) -> None:
        self.exc_type = type(exception)
        self.exc_value = exception
        self.exc_traceback = exception.__traceback__
        self.err_msg = "Exception in a contentgen port called from a library thread"
        self.object = None


# --------------------------------------------------------------------------------------------------
# LLM provider


@dataclass
class ChatResponse:
    text: str
    finish_reason: str = "stop"  # "stop" | "length" | "content_filter" | "other"
    model: Optional[str] = None  # None: the requested model
    request_id: Optional[str] = None
    usage: Usage = field(default_factory=Usage)


class ChatRequest:
    """One LLM call: ``model``, ``messages`` ([{"role", "content"}]), ``temperature``,
    ``max_tokens``, ``stop``, ``response_format`` ("text" | "json_object"), ``stream``, ``timeout``
    (seconds left, or None). Valid only while ``LlmProvider.complete`` runs."""

    def __init__(self, call: int, data: Dict[str, Any]) -> None:
        self._call: Optional[int] = call
        self.model: str = data["model"]
        self.messages: List[Dict[str, str]] = data["messages"]
        self.temperature: Optional[float] = data.get("temperature")
        self.max_tokens: Optional[int] = data.get("max_tokens")
        self.stop: List[str] = data.get("stop", [])
        self.response_format: str = data.get("response_format", "text")
        self.stream: bool = data.get("stream", False)
        timeout_ms = data.get("timeout_ms")
        self.timeout: Optional[float] = None if timeout_ms is None else timeout_ms / 1000.0

    def emit(self, text: str) -> None:
        """Streams a piece of the reply to the caller (a no-op unless ``stream``)."""
        if self._call is None:
            raise RuntimeError("ChatRequest.emit() after complete() returned")
        data = text.encode("utf-8")
        code = _ffi.llm_call_emit_delta(self._call, data, len(data))
        if code != _ffi.OK:
            raise from_last_error(code)

    @property
    def cancelled(self) -> bool:
        """True once the caller cancelled or the deadline passed: stop and raise CancelledError
        (the caller then gets CancelledError or TimeoutError accordingly)."""
        return self._call is not None and bool(_ffi.llm_call_is_cancelled(self._call))


class LlmProvider(abc.ABC):
    """Base class of LLM providers written in Python. Override ``complete``; it may be called from
    several threads at once when the generator is shared."""

    name = "python"

    @abc.abstractmethod
    def complete(self, request: ChatRequest) -> Union[ChatResponse, str]:
        """The reply to ``request``: a ChatResponse, or just its text."""


def _respond(call: int, result: Union[ChatResponse, str]) -> None:
    if isinstance(result, str):
        result = ChatResponse(text=result)
    if not isinstance(result, ChatResponse):
        raise TypeError("LlmProvider.complete() must return a ChatResponse or a str, not %s" % type(result).__name__)
    text = result.text.encode("utf-8")
    usage = result.usage
    response = _ffi.LlmResponse(
        version=_ffi.LLM_RESPONSE_VERSION, text=text, text_len=len(text),
        finish_reason=result.finish_reason.encode("utf-8"),
        model=result.model.encode("utf-8") if result.model else None,
        request_id=result.request_id.encode("utf-8") if result.request_id else None,
        usage=_ffi.usage_struct(usage.prompt_tokens, usage.cached_tokens, usage.cache_write_tokens,
                                usage.completion_tokens, usage.reasoning_tokens, usage.estimated))
    code = _ffi.llm_call_respond(call, ctypes.byref(response))
    if code != _ffi.OK:
        raise from_last_error(code)


def _complete(provider: LlmProvider, call: int) -> None:
    length = ctypes.c_size_t()
    pointer = _ffi.llm_call_request_json(call, ctypes.byref(length))
    request = ChatRequest(call, json.loads(ctypes.string_at(pointer, length.value)))
    try:
        result = provider.complete(request)
    finally:
        request._call = None
    _respond(call, result)


def _release(_payload: Optional[int]) -> None:
    """`free` of every Python port: the Python object is owned (and kept alive) by its Generator."""


def llm_vtable(provider: LlmProvider, context: CallbackContext):
    """The vtable for `provider`, and the thunks that must stay alive as long as the generator."""
    if not isinstance(provider, LlmProvider):
        raise TypeError("llm must be a contentgen.LlmProvider, not %s" % type(provider).__name__)
    complete = _ffi.LLM_COMPLETE(lambda _payload, call: context.invoke(_UPSTREAM, _complete, provider, call))
    release = _ffi.PAYLOAD_FREE(_release)
    name = str(getattr(provider, "name", "python") or "python").encode("utf-8")
    vtable = _ffi.LlmProviderVtable(_ffi.LLM_PROVIDER_VERSION, name, complete, release, None)
    return vtable, [vtable, complete, release, name, provider]


# --------------------------------------------------------------------------------------------------
# Image store


class ImageStore(abc.ABC):
    """Base class of object stores written in Python. Keys are '/'-separated UTF-8 paths chosen by
    the library. Methods may be called from several threads at once."""

    @abc.abstractmethod
    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Stores ``data`` under ``key``, replacing any object there; durable when it returns."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes:
        """The object's bytes; raise contentgen.NotFoundError when there is none."""

    @abc.abstractmethod
    def remove(self, key: str) -> None:
        """Removing a missing key is not an error."""

    @abc.abstractmethod
    def url_for(self, key: str) -> str:
        """The URL under which ``key`` is readable."""


def _key(pointer: int, length: int) -> str:
    return ctypes.string_at(pointer, length).decode("utf-8")


def _append(buffer: int, data: bytes) -> None:
    code = _ffi.buffer_append(buffer, data, len(data))
    if code != _ffi.OK:
        raise from_last_error(code)


def image_store_vtable(store: ImageStore, context: CallbackContext):
    if not isinstance(store, ImageStore):
        raise TypeError("images must be a contentgen.ImageStore, not %s" % type(store).__name__)

    # Every conversion happens inside context.invoke: an exception escaping a ctypes callback
    # would be printed and turned into 0, i.e. "success".
    def put(key: int, key_len: int, data: int, size: int, content_type: bytes) -> None:
        store.put(_key(key, key_len), ctypes.string_at(data, size) if size else b"", content_type.decode("utf-8"))

    def get(key: int, key_len: int, buffer: int) -> None:
        _append(buffer, bytes(store.get(_key(key, key_len))))

    def remove(key: int, key_len: int) -> None:
        store.remove(_key(key, key_len))

    def url_for(key: int, key_len: int, buffer: int) -> None:
        _append(buffer, store.url_for(_key(key, key_len)).encode("utf-8"))

    thunks = [
        _ffi.STORE_PUT(lambda _p, *args: context.invoke(_STORAGE, put, *args)),
        _ffi.STORE_GET(lambda _p, *args: context.invoke(_STORAGE, get, *args)),
        _ffi.STORE_REMOVE(lambda _p, *args: context.invoke(_STORAGE, remove, *args)),
        _ffi.STORE_URL_FOR(lambda _p, *args: context.invoke(_STORAGE, url_for, *args)),
        _ffi.PAYLOAD_FREE(_release),
    ]
    vtable = _ffi.ImageStoreVtable(_ffi.IMAGE_STORE_VERSION, *thunks, None)
    return vtable, [vtable, store, *thunks]


# --------------------------------------------------------------------------------------------------
# Event sink


class EventSink(abc.ABC):
    """Base class of event sinks written in Python. ``publish`` receives one CloudEvents 1.0 event
    as a dict and returns once it is durably accepted; delivery is at-least-once (de-duplicate on
    ``event["id"]``)."""

    @abc.abstractmethod
    def publish(self, event: Dict[str, Any]) -> None:
        """Returns once the event is durably accepted; raise to refuse it."""


def event_sink_vtable(sink: EventSink, context: CallbackContext):
    if not isinstance(sink, EventSink):
        raise TypeError("events must be a contentgen.EventSink, not %s" % type(sink).__name__)
    def publish(data: int, length: int) -> None:
        sink.publish(json.loads(ctypes.string_at(data, length)))

    publish_thunk = _ffi.SINK_PUBLISH(lambda _p, *args: context.invoke(_UNAVAILABLE, publish, *args))
    release = _ffi.PAYLOAD_FREE(_release)
    vtable = _ffi.EventSinkVtable(_ffi.EVENT_SINK_VERSION, publish_thunk, release, None)
    return vtable, [vtable, sink, publish_thunk, release]
