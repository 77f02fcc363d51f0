"""Generator: the Pythonic face of contentgen_generator."""

from __future__ import annotations

import codecs
import ctypes
import json
import logging
import os
import threading
from decimal import Decimal
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

from . import _ffi
from ._errors import ContentgenError, from_last_error
from ._ports import (CallbackContext, EventSink, ImageStore, LlmProvider, event_sink_vtable, image_store_vtable,
                     llm_vtable)
from ._types import Article, ArticlePage, Image, RelayStats, SpendSummary, usd_from_nanos

ConfigSource = Union[Mapping[str, Any], str, "os.PathLike[str]"]


_LOGGER = logging.getLogger("contentgen")
_LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)


def _forward_to_logging(_user_data: Any, level: int, component: bytes, message: bytes) -> None:
    """The library's log hook (it never writes to stderr itself) -> the "contentgen" logger."""
    try:
        _LOGGER.log(_LEVELS[level] if 0 <= level < len(_LEVELS) else logging.ERROR, "%s: %s",
                    component.decode("utf-8", "replace"), message.decode("utf-8", "replace"))
    except Exception:  # noqa: BLE001 -- a logging failure must not unwind into the library's thread
        pass


def _check(code: int) -> None:
    if code != _ffi.OK:
        raise from_last_error(code)


def _utf8(value: Optional[str]) -> Optional[bytes]:
    return None if value is None else value.encode("utf-8")


def _config_text(config: ConfigSource) -> bytes:
    if isinstance(config, Mapping):
        return json.dumps(config).encode("utf-8")
    if isinstance(config, (str, os.PathLike)):
        with open(config, "rb") as file:
            return file.read()
    raise TypeError("config must be a dict or the path of a JSON file, not %s" % type(config).__name__)


def _usage(prompt_tokens: int, completion_tokens: int, cached_tokens: int, cache_write_tokens: int,
           reasoning_tokens: int) -> _ffi.Usage:
    return _ffi.usage_struct(prompt_tokens, cached_tokens, cache_write_tokens, completion_tokens, reasoning_tokens,
                             False)


def _take_json(function: Callable[..., int], *args: Any) -> Any:
    pointer, length = ctypes.c_void_p(), ctypes.c_size_t()
    _check(function(ctypes.byref(pointer), ctypes.byref(length), *args))
    return json.loads(_ffi.take_string(pointer, length))


class Cancellation:
    """Cancels a running ``Generator.generate`` from another thread: pass it as ``cancellation=``,
    then call ``cancel()``. Thread-safe; cancelling twice is harmless."""

    def __init__(self) -> None:
        handle = ctypes.c_void_p()
        _check(_ffi.cancellation_new(ctypes.byref(handle)))
        self._handle = handle

    def cancel(self) -> None:
        _ffi.cancellation_cancel(self._handle)

    @property
    def cancelled(self) -> bool:
        return bool(_ffi.cancellation_is_cancelled(self._handle))

    def __del__(self) -> None:
        handle, self._handle = getattr(self, "_handle", None), None
        if handle is not None and _ffi is not None:
            _ffi.cancellation_free(handle)


class Generator:
    """Opens everything a configuration describes (docs/configuration.md) and generates articles.

    ``config`` is a dict or the path of a JSON file. ``llm``, ``images`` and ``events`` plug in ports
    written in Python instead of the configuration's (whose ``llm.provider`` / ``images.kind`` /
    ``events.kind`` must then be absent). Use as a context manager, or call ``close()``. Methods may
    be called from several threads at once; ``close()`` must not race with them.
    """

    def __init__(self, config: ConfigSource, *, llm: Optional[LlmProvider] = None,
                 images: Optional[ImageStore] = None, events: Optional[EventSink] = None) -> None:
        self._handle: Optional[ctypes.c_void_p] = None
        self._context = CallbackContext()
        self._keepalive: List[Any] = []  # vtables and thunks the library may call until close()
        self._lock = threading.Lock()
        text = _config_text(config)
        log = _ffi.LOG(_forward_to_logging)
        self._keepalive.append(log)
        options = _ffi.OpenOptions(_ffi.OPEN_OPTIONS_VERSION, None, None, None, log, None)
        if llm is not None:
            vtable, keep = llm_vtable(llm, self._context)
            options.llm = ctypes.pointer(vtable)
            self._keepalive.extend(keep)
        if images is not None:
            vtable, keep = image_store_vtable(images, self._context)
            options.images = ctypes.pointer(vtable)
            self._keepalive.extend(keep)
        if events is not None:
            vtable, keep = event_sink_vtable(events, self._context)
            options.events = ctypes.pointer(vtable)
            self._keepalive.extend(keep)
        handle = ctypes.c_void_p()
        self._call(_ffi.generator_open, ctypes.byref(handle), text, len(text), ctypes.byref(options))
        self._handle = handle

    # -- lifetime -----------------------------------------------------------------------------------

    def close(self) -> None:
        """Stops the background relay (if any) and releases the database, store, sink and ports."""
        with self._lock:
            handle, self._handle = self._handle, None
        if handle is None:
            return
        if self._context.on_library_thread():
            # Called (typically by the garbage collector, through __del__) inside a callback on the
            # background relay's thread: closing here would join that thread from itself. Close
            # from a helper thread once the callback has returned; it keeps the ports alive.
            keepalive = self._keepalive
            threading.Thread(target=lambda: (_ffi.generator_close(handle), keepalive.clear()),
                             name="contentgen-close", daemon=False).start()
        else:
            _ffi.generator_close(handle)
        self._keepalive = []

    def __enter__(self) -> "Generator":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_handle", None) is not None and _ffi is not None:
            self.close()

    @property
    def closed(self) -> bool:
        return self._handle is None

    # -- plumbing -----------------------------------------------------------------------------------

    def _live(self) -> ctypes.c_void_p:
        handle = self._handle
        if handle is None:
            raise ValueError("the Generator is closed")
        return handle

    def _call(self, function: Callable[..., int], *args: Any) -> None:
        """Calls into the library; re-raises an exception a Python port raised meanwhile, else turns
        an error code into its exception."""
        self._context.begin()
        try:
            code = function(*args)
            error = from_last_error(code) if code != _ffi.OK else None
        finally:
            stashed, (reported_code, reported_message) = self._context.end()
        if stashed is not None:
            # The port's exception comes back exactly as raised when it is why the call failed (or
            # the call succeeded around it: a sink failure the relay recorded). When the library
            # failed for another reason -- a CancelledError after the deadline became a
            # TimeoutError; a row insert failed and the store's cleanup then raised too -- the
            # library's error wins, chained to the port's exception.
            if error is not None and (error.code != reported_code or reported_message not in str(error)):
                raise error from stashed
            raise stashed
        if error is not None:
            raise error

    def _article(self, handle: ctypes.c_void_p) -> Article:
        try:
            return Article.from_json(_take_json(_ffi.article_json, handle))
        finally:
            _ffi.article_free(handle)

    # -- operations ---------------------------------------------------------------------------------

    def generate(self, plan: Mapping[str, Any], *, model: Optional[str] = None, temperature: Optional[float] = None,
                 max_tokens: Optional[int] = None, idempotency_key: Optional[str] = None,
                 metadata: Optional[Mapping[str, Any]] = None, on_delta: Optional[Callable[[str], None]] = None,
                 cancellation: Optional[Cancellation] = None, timeout: Optional[float] = None) -> Article:
        """Writes, stores and returns the article for ``plan`` ({"workspace_id", "title", ...}).

        ``on_delta(text)`` receives the text as it is written (possibly on a library thread); an
        exception it raises cancels the generation and is re-raised here. ``timeout`` in seconds.
        """
        text = json.dumps(dict(plan)).encode("utf-8")
        options = _ffi.GenerateOptions(
            version=_ffi.GENERATE_OPTIONS_VERSION, model=_utf8(model),
            temperature=-1.0 if temperature is None else float(temperature),
            max_tokens=0 if max_tokens is None else _ffi.c_integer(int(max_tokens), "options.max_tokens"),
            idempotency_key=_utf8(idempotency_key),
            metadata_json=None if metadata is None else json.dumps(dict(metadata)).encode("utf-8"),
            timeout_ms=0 if timeout is None else _ffi.c_integer(max(1, int(timeout * 1000)), "timeout"))
        delta_errors: List[BaseException] = []
        if on_delta is not None:
            if cancellation is None:
                cancellation = Cancellation()
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            stop = cancellation

            def deliver(_payload: Optional[int], pointer: Optional[int], length: int) -> None:
                if delta_errors:
                    return
                try:
                    piece = decoder.decode(ctypes.string_at(pointer, length) if length else b"")
                    if piece:
                        on_delta(piece)
                except BaseException as exception:  # noqa: B902 -- cannot cross the C boundary
                    delta_errors.append(exception)
                    stop.cancel()

            options.on_delta = _ffi.DELTA(deliver)
        if cancellation is not None:
            options.cancellation = cancellation._handle
        handle = ctypes.c_void_p()
        try:
            self._call(_ffi.generator_generate, ctypes.byref(handle), self._live(), text, len(text),
                       ctypes.byref(options))
        except ContentgenError:
            if delta_errors:
                raise delta_errors[0] from None
            raise
        if delta_errors:
            _ffi.article_free(handle)
            raise delta_errors[0]
        return self._article(handle)

    def get(self, workspace_id: str, article_id: str) -> Article:
        """The article with its images. NotFoundError (a KeyError) when missing -- or in another
        workspace."""
        handle = ctypes.c_void_p()
        self._call(_ffi.generator_get, ctypes.byref(handle), self._live(), *_ffi.text_arg(workspace_id),
                   *_ffi.text_arg(article_id))
        return self._article(handle)

    def list(self, workspace_id: str, *, status: Optional[str] = None, limit: Optional[int] = None,
             cursor: Optional[str] = None) -> ArticlePage:
        """One page, newest first; pass ``page.next_cursor`` back for the next one."""
        options = _ffi.ListOptions(_ffi.LIST_OPTIONS_VERSION, _utf8(status),
                                   0 if limit is None else _ffi.c_integer(int(limit), "limit", 32), _utf8(cursor))
        handle = ctypes.c_void_p()
        self._call(_ffi.generator_list, ctypes.byref(handle), self._live(), *_ffi.text_arg(workspace_id),
                   ctypes.byref(options))
        try:
            page = _take_json(_ffi.article_list_json, handle)
        finally:
            _ffi.article_list_free(handle)
        return ArticlePage([Article.from_json(item) for item in page["items"]], page["next_cursor"] or None)

    def update(self, workspace_id: str, article_id: str, *, expected_version: int, title: Optional[str] = None,
               content: Optional[str] = None, status: Optional[str] = None,
               metadata: Optional[Mapping[str, Any]] = None) -> Article:
        """Changes the given fields if the stored version is ``expected_version`` (else
        ConflictError); returns the new state."""
        changes: Dict[str, Any] = {}
        if title is not None:
            changes["title"] = title
        if content is not None:
            changes["content"] = content
        if status is not None:
            changes["status"] = status
        if metadata is not None:
            changes["metadata"] = dict(metadata)
        text = json.dumps(changes).encode("utf-8")
        handle = ctypes.c_void_p()
        self._call(_ffi.generator_update, ctypes.byref(handle), self._live(), *_ffi.text_arg(workspace_id),
                   *_ffi.text_arg(article_id), text, len(text),
                   _ffi.c_integer(int(expected_version), "expected_version"))
        return self._article(handle)

    def delete(self, workspace_id: str, article_id: str) -> None:
        self._call(_ffi.generator_delete, self._live(), *_ffi.text_arg(workspace_id), *_ffi.text_arg(article_id))

    def upload_image(self, workspace_id: str, article_id: str, data: bytes, filename: str = "", *,
                     content_type: Optional[str] = None, alt_text: Optional[str] = None) -> Image:
        """Stores a PNG, JPEG, GIF or WebP image of the article (type sniffed from the bytes; a
        ``content_type`` that disagrees is an InvalidArgumentError)."""
        payload = bytes(data)
        options = _ffi.ImageOptions(_ffi.IMAGE_OPTIONS_VERSION, _utf8(content_type), _utf8(alt_text))
        handle = ctypes.c_void_p()
        self._call(_ffi.generator_upload_image, ctypes.byref(handle), self._live(), *_ffi.text_arg(workspace_id),
                   *_ffi.text_arg(article_id), payload, len(payload), *_ffi.text_arg(filename),
                   ctypes.byref(options))
        try:
            return Image.from_json(_take_json(_ffi.image_json, handle))
        finally:
            _ffi.image_free(handle)

    def delete_image(self, workspace_id: str, article_id: str, image_id: str) -> None:
        self._call(_ffi.generator_delete_image, self._live(), *_ffi.text_arg(workspace_id),
                   *_ffi.text_arg(article_id), *_ffi.text_arg(image_id))

    def spend(self, workspace_id: str, *, since: Optional[str] = None) -> SpendSummary:
        """What the workspace has spent (at or after the RFC 3339 time ``since``), exactly; calls
        whose process died are first settled at their worst case and counted as estimated."""
        out = _ffi.SpendSummary()
        self._call(_ffi.generator_spend, ctypes.byref(out), self._live(), *_ffi.text_arg(workspace_id), _utf8(since))
        return SpendSummary(usd_from_nanos(out.total_nanousd), usd_from_nanos(out.estimated_nanousd), out.calls,
                            out.estimated_calls)

    def relay_events(self) -> RelayStats:
        """Delivers every due outbox event to the configured sink, once."""
        delivered, failed = ctypes.c_size_t(), ctypes.c_size_t()
        self._call(_ffi.generator_relay_events, ctypes.byref(delivered), ctypes.byref(failed), self._live())
        return RelayStats(delivered.value, failed.value)

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0, *,
             cache_write_tokens: int = 0, reasoning_tokens: int = 0) -> Decimal:
        """Exact cost in USD under this generator's price table."""
        nanos = ctypes.c_int64()
        usage = _usage(prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, reasoning_tokens)
        self._call(_ffi.generator_cost, ctypes.byref(nanos), self._live(), *_ffi.text_arg(model),
                   ctypes.byref(usage))
        return usd_from_nanos(nanos.value)

    def prices(self) -> Dict[str, Any]:
        """This generator's price table: {"models": [...], "aliases": [...]}."""
        return _take_json(_ffi.prices_json, self._live())


def cost_nanousd(model: str, prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0, *,
                 cache_write_tokens: int = 0, reasoning_tokens: int = 0) -> int:
    """Exact cost in nano-USD (1e-9 USD) of one call under the built-in price table."""
    nanos = ctypes.c_int64()
    usage = _usage(prompt_tokens, completion_tokens, cached_tokens, cache_write_tokens, reasoning_tokens)
    model_text = model.encode("utf-8")
    _check(_ffi.cost(ctypes.byref(nanos), model_text, len(model_text), ctypes.byref(usage)))
    return nanos.value


def cost(model: str, prompt_tokens: int, completion_tokens: int, cached_tokens: int = 0, *,
         cache_write_tokens: int = 0, reasoning_tokens: int = 0) -> Decimal:
    """Exact cost in USD of one call under the built-in price table, e.g. Decimal('0.000450000').
    UnknownModelError for a model without a price -- never $0."""
    return usd_from_nanos(cost_nanousd(model, prompt_tokens, completion_tokens, cached_tokens,
                                       cache_write_tokens=cache_write_tokens, reasoning_tokens=reasoning_tokens))


def prices() -> Dict[str, Any]:
    """The built-in price table: {"models": [...], "aliases": [...]}."""
    return _take_json(_ffi.prices_json, None)


def check_config(config: ConfigSource) -> None:
    """Validates a configuration without opening anything; InvalidArgumentError names the key."""
    text = _config_text(config)
    _check(_ffi.config_check(text, len(text)))


def adapter_available(section: str, kind: str) -> bool:
    """Whether this build of the library has the adapter, e.g. ("repository", "postgresql")."""
    return bool(_ffi.adapter_available(section.encode("utf-8"), kind.encode("utf-8")))
