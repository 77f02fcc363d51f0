"""Fixtures of the Python binding tests. The package and the library under test come from the
environment CTest sets up (tests/python/CMakeLists.txt): PYTHONPATH -> the package installed with
pip, CONTENTGEN_LIBRARY -> the installed libcontentgen.so.0.1, CONTENTGEN_TEST_MOCKLLM_URL -> a private
contentgen-mockllm."""

from __future__ import annotations

import json
import os
import threading
import urllib.request
from typing import Any, Dict, List, Optional

import pytest

import contentgen

# 1x1 RGBA PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082")


def plan(workspace: str = "ws-py", title: str = "Python bindings", **extra: Any) -> Dict[str, Any]:
    result = {"workspace_id": workspace, "title": title, "target_keywords": ["python", "ctypes"],
              "estimated_word_count": 300}
    result.update(extra)
    return result


@pytest.fixture
def workdir(tmp_path):
    return tmp_path


def storage_config(directory, **sections: Any) -> Dict[str, Any]:
    config: Dict[str, Any] = {
        "repository": {"url": "sqlite:%s" % (directory / "contentgen.db"), "sqlite_synchronous": "NORMAL"},
        "images": {"kind": "filesystem", "root": str(directory / "images"), "fsync": False},
        "events": {"kind": "jsonl", "path": str(directory / "events.jsonl"), "fsync": False},
    }
    config.update(sections)
    return config


@pytest.fixture
def mock_url() -> str:
    url = os.environ.get("CONTENTGEN_TEST_MOCKLLM_URL", "")
    if not url:
        if os.environ.get("CONTENTGEN_REQUIRE_SERVICES") == "1":
            pytest.fail("CONTENTGEN_TEST_MOCKLLM_URL is not set but CONTENTGEN_REQUIRE_SERVICES=1")
        pytest.skip("CONTENTGEN_TEST_MOCKLLM_URL not set (run through ctest: tests/capi/with_mockllm.sh)")
    return url


class MockControl:
    """The mock server's control endpoints (docs/mockllm.md)."""

    def __init__(self, base_url: str) -> None:
        self.root = base_url[:-3] if base_url.endswith("/v1") else base_url

    def _request(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.root + path, data=data, method=method,
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
        return json.loads(text) if text else None

    def script(self, *entries: Dict[str, Any]) -> None:
        self._request("POST", "/_mock/script", list(entries))

    def reset(self) -> None:
        self._request("POST", "/_mock/reset")

    def requests(self) -> List[Dict[str, Any]]:
        return self._request("GET", "/_mock/requests")


@pytest.fixture
def mock(mock_url):
    control = MockControl(mock_url)
    control.reset()
    yield control
    control.reset()


@pytest.fixture
def mock_generator(workdir, mock_url):
    config = storage_config(workdir, llm={"provider": "openai", "base_url": mock_url, "auth": "none",
                                          "max_retries": 0})
    with contentgen.Generator(config) as generator:
        yield generator


class ScriptedProvider(contentgen.LlmProvider):
    """An LLM written in Python: answers "# <title>" plus `words` words, streaming when asked."""

    name = "scripted-py"

    def __init__(self, words: int = 120) -> None:
        self.words = words
        self.requests: List[contentgen.ChatRequest] = []
        self.raise_next: Optional[BaseException] = None
        self.block_until_cancelled = False
        self.lock = threading.Lock()

    def complete(self, request: contentgen.ChatRequest):
        with self.lock:
            self.requests.append(request)
            error, self.raise_next = self.raise_next, None
        if error is not None:
            raise error
        if self.block_until_cancelled:
            for _ in range(10000):
                if request.cancelled:
                    raise contentgen.CancelledError("noticed the cancellation")
                threading.Event().wait(0.001)
        text = "# Python Title\n\n"
        request.emit(text)
        for i in range(self.words):
            piece = "word.\n\n" if i % 12 == 11 else "word "
            request.emit(piece)
            text += piece
        return contentgen.ChatResponse(text=text, request_id="py-1",
                                       usage=contentgen.Usage(prompt_tokens=1000, completion_tokens=500))


@pytest.fixture
def provider():
    return ScriptedProvider()


@pytest.fixture
def generator(workdir, provider):
    with contentgen.Generator(storage_config(workdir), llm=provider) as generator:
        yield generator
