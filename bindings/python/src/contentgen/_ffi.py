"""The C ABI of libcontentgen (include/contentgen.h), declared once for ctypes.

Only this module knows about ctypes structures and function signatures; the rest of the package
speaks Python. The library is looked up in this order:

1. the path in the ``CONTENTGEN_LIBRARY`` environment variable,
2. ``libcontentgen.so*`` next to this package (a wheel that bundles it),
3. the system loader (``libcontentgen.so.0.1`` on the default library path / ``ldconfig``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_int, c_int32, c_int64, c_size_t,
                    c_uint, c_void_p)

# Must match CONTENTGEN_*_VERSION in include/contentgen.h.
USAGE_VERSION = 1
LLM_RESPONSE_VERSION = 1
LLM_PROVIDER_VERSION = 1
IMAGE_STORE_VERSION = 1
EVENT_SINK_VERSION = 1
OPEN_OPTIONS_VERSION = 2
GENERATE_OPTIONS_VERSION = 1
LIST_OPTIONS_VERSION = 1
IMAGE_OPTIONS_VERSION = 1
ABI_VERSION = "0.1"  # the SONAME's ABI version this module was written against (libcontentgen.so.0.1)

OK = 0


def _load() -> ctypes.CDLL:
    candidates = []
    explicit = os.environ.get("CONTENTGEN_LIBRARY")
    if explicit:
        candidates.append(explicit)
    here = os.path.dirname(os.path.abspath(__file__))
    candidates.extend(sorted(glob.glob(os.path.join(here, "libcontentgen.so*")), key=len))
    candidates.append("libcontentgen.so." + ABI_VERSION)
    found = ctypes.util.find_library("contentgen")
    if found:
        candidates.append(found)
    errors = []
    for candidate in candidates:
        try:
            return ctypes.CDLL(candidate)
        except OSError as e:  # try the next place
            errors.append("%s: %s" % (candidate, e))
            if candidate == explicit:
                break  # an explicit choice that fails is an error, not a hint to look elsewhere
    raise ImportError("contentgen: cannot load libcontentgen (set CONTENTGEN_LIBRARY to its path). Tried:\n  " +
                      "\n  ".join(errors))


lib = _load()


class Error(Structure):
    _fields_ = [
        ("code", c_int),
        ("code_name", c_char_p),
        ("message", c_char_p),
        ("field", c_char_p),
        ("http_status", c_int),
        ("provider", c_char_p),
        ("provider_type", c_char_p),
        ("provider_code", c_char_p),
        ("request_id", c_char_p),
        ("retry_after_ms", c_int64),
        ("retryable", c_int),
    ]


class Usage(Structure):
    _fields_ = [
        ("version", c_uint),
        ("prompt_tokens", c_int64),
        ("cached_tokens", c_int64),
        ("cache_write_tokens", c_int64),
        ("completion_tokens", c_int64),
        ("reasoning_tokens", c_int64),
        ("estimated", c_int),
    ]


class LlmResponse(Structure):
    _fields_ = [
        ("version", c_uint),
        ("text", c_char_p),
        ("text_len", c_size_t),
        ("finish_reason", c_char_p),
        ("model", c_char_p),
        ("request_id", c_char_p),
        ("usage", Usage),
    ]


# Opaque handles travel as c_void_p.
LLM_COMPLETE = CFUNCTYPE(c_int, c_void_p, c_void_p)
PAYLOAD_FREE = CFUNCTYPE(None, c_void_p)
STORE_PUT = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, c_void_p, c_size_t, c_char_p)
STORE_GET = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, c_void_p)
STORE_REMOVE = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t)
STORE_URL_FOR = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t, c_void_p)
SINK_PUBLISH = CFUNCTYPE(c_int, c_void_p, c_void_p, c_size_t)
DELTA = CFUNCTYPE(None, c_void_p, c_void_p, c_size_t)
LOG = CFUNCTYPE(None, c_void_p, c_int, c_char_p, c_char_p)


class LlmProviderVtable(Structure):
    _fields_ = [
        ("version", c_uint),
        ("name", c_char_p),
        ("complete", LLM_COMPLETE),
        ("free", PAYLOAD_FREE),
        ("payload", c_void_p),
    ]


class ImageStoreVtable(Structure):
    _fields_ = [
        ("version", c_uint),
        ("put", STORE_PUT),
        ("get", STORE_GET),
        ("remove", STORE_REMOVE),
        ("url_for", STORE_URL_FOR),
        ("free", PAYLOAD_FREE),
        ("payload", c_void_p),
    ]


class EventSinkVtable(Structure):
    _fields_ = [
        ("version", c_uint),
        ("publish", SINK_PUBLISH),
        ("free", PAYLOAD_FREE),
        ("payload", c_void_p),
    ]


class OpenOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("llm", POINTER(LlmProviderVtable)),
        ("images", POINTER(ImageStoreVtable)),
        ("events", POINTER(EventSinkVtable)),
        ("log", LOG),
        ("log_user_data", c_void_p),
    ]


class GenerateOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("model", c_char_p),
        ("temperature", c_double),
        ("max_tokens", c_int64),
        ("idempotency_key", c_char_p),
        ("metadata_json", c_char_p),
        ("on_delta", DELTA),
        ("on_delta_payload", c_void_p),
        ("cancellation", c_void_p),
        ("timeout_ms", c_int64),
    ]


class ListOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("status", c_char_p),
        ("limit", c_int32),
        ("cursor", c_char_p),
    ]


class SpendSummary(Structure):
    _fields_ = [
        ("total_nanousd", c_int64),
        ("estimated_nanousd", c_int64),
        ("calls", c_int64),
        ("estimated_calls", c_int64),
    ]


class ImageOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("declared_content_type", c_char_p),
        ("alt_text", c_char_p),
    ]


def _declare(name, restype, *argtypes):
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


_size_p = POINTER(c_size_t)
_text = (c_char_p, c_size_t)  # UTF-8 pointer + length (bytes; embedded NULs are fine)

version_number = _declare("contentgen_version_number", c_uint)
version_string = _declare("contentgen_version_string", c_char_p)
error_last = _declare("contentgen_error_last", POINTER(Error))
error_clear = _declare("contentgen_error_clear", None)
error_set = _declare("contentgen_error_set", c_int, c_int, c_char_p)
error_code_name = _declare("contentgen_error_code_name", c_char_p, c_int)
free = _declare("contentgen_free", None, c_void_p)

cancellation_new = _declare("contentgen_cancellation_new", c_int, POINTER(c_void_p))
cancellation_cancel = _declare("contentgen_cancellation_cancel", None, c_void_p)
cancellation_is_cancelled = _declare("contentgen_cancellation_is_cancelled", c_int, c_void_p)
cancellation_free = _declare("contentgen_cancellation_free", None, c_void_p)

buffer_append = _declare("contentgen_buffer_append", c_int, c_void_p, c_char_p, c_size_t)
llm_call_request_json = _declare("contentgen_llm_call_request_json", c_void_p, c_void_p, _size_p)
llm_call_is_cancelled = _declare("contentgen_llm_call_is_cancelled", c_int, c_void_p)
llm_call_emit_delta = _declare("contentgen_llm_call_emit_delta", c_int, c_void_p, c_char_p, c_size_t)
llm_call_respond = _declare("contentgen_llm_call_respond", c_int, c_void_p, POINTER(LlmResponse))

generator_open = _declare("contentgen_generator_open", c_int, POINTER(c_void_p), *_text, POINTER(OpenOptions))
generator_close = _declare("contentgen_generator_close", None, c_void_p)
config_check = _declare("contentgen_config_check", c_int, *_text)
adapter_available = _declare("contentgen_adapter_available", c_int, c_char_p, c_char_p)

generator_generate = _declare("contentgen_generator_generate", c_int, POINTER(c_void_p), c_void_p, *_text,
                              POINTER(GenerateOptions))
generator_get = _declare("contentgen_generator_get", c_int, POINTER(c_void_p), c_void_p, *_text, *_text)
generator_list = _declare("contentgen_generator_list", c_int, POINTER(c_void_p), c_void_p, *_text,
                          POINTER(ListOptions))
generator_spend = _declare("contentgen_generator_spend", c_int, POINTER(SpendSummary), c_void_p, *_text, c_char_p)
generator_update = _declare("contentgen_generator_update", c_int, POINTER(c_void_p), c_void_p, *_text, *_text,
                            *_text, c_int64)
generator_delete = _declare("contentgen_generator_delete", c_int, c_void_p, *_text, *_text)
generator_upload_image = _declare("contentgen_generator_upload_image", c_int, POINTER(c_void_p), c_void_p, *_text,
                                  *_text, c_char_p, c_size_t, *_text, POINTER(ImageOptions))
generator_delete_image = _declare("contentgen_generator_delete_image", c_int, c_void_p, *_text, *_text, *_text)
generator_relay_events = _declare("contentgen_generator_relay_events", c_int, _size_p, _size_p, c_void_p)
generator_cost = _declare("contentgen_generator_cost", c_int, POINTER(c_int64), c_void_p, *_text, POINTER(Usage))
cost = _declare("contentgen_cost", c_int, POINTER(c_int64), *_text, POINTER(Usage))
prices_json = _declare("contentgen_prices_json", c_int, POINTER(c_void_p), _size_p, c_void_p)

article_json = _declare("contentgen_article_json", c_int, POINTER(c_void_p), _size_p, c_void_p)
article_free = _declare("contentgen_article_free", None, c_void_p)
article_list_json = _declare("contentgen_article_list_json", c_int, POINTER(c_void_p), _size_p, c_void_p)
article_list_free = _declare("contentgen_article_list_free", None, c_void_p)
image_json = _declare("contentgen_image_json", c_int, POINTER(c_void_p), _size_p, c_void_p)
image_free = _declare("contentgen_image_free", None, c_void_p)


def c_integer(value: int, field: str, bits: int = 64) -> int:
    """``value`` checked against a signed C integer of ``bits`` bits. ctypes would silently keep
    only the low bits (2**64 + 5 tokens would become 5): out of range is an InvalidArgumentError
    naming ``field``, like the library's own checks."""
    from ._errors import InvalidArgumentError  # _errors imports this module

    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (field, type(value).__name__))
    limit = 1 << (bits - 1)
    if not -limit <= value < limit:
        raise InvalidArgumentError("%s: %d does not fit in a %d-bit integer" % (field, value, bits), field=field)
    return value


def usage_struct(prompt_tokens: int, cached_tokens: int, cache_write_tokens: int, completion_tokens: int,
                 reasoning_tokens: int, estimated: bool) -> Usage:
    """A contentgen_usage with every count range-checked."""
    return Usage(USAGE_VERSION, c_integer(prompt_tokens, "usage.prompt_tokens"),
                 c_integer(cached_tokens, "usage.cached_tokens"),
                 c_integer(cache_write_tokens, "usage.cache_write_tokens"),
                 c_integer(completion_tokens, "usage.completion_tokens"),
                 c_integer(reasoning_tokens, "usage.reasoning_tokens"), 1 if estimated else 0)


def text_arg(value: str | bytes):
    """(pointer, length) arguments for UTF-8 text; the bytes object must outlive the call."""
    data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
    return data, len(data)


def take_string(pointer: c_void_p, length: c_size_t) -> str:
    """Copies a library-allocated string out and frees it with contentgen_free."""
    try:
        return ctypes.string_at(pointer.value, length.value).decode("utf-8")
    finally:
        free(pointer)
