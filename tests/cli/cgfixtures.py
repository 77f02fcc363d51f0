"""pytest fixtures shared by tests/cli and tests/rest (imported by their conftest.py)."""
import pytest

import cgprocs


@pytest.fixture(scope="module")
def tmp_root():
    """A temp directory for a module's processes and files, removed afterwards."""
    cgprocs.require_binaries()
    d = cgprocs.TempDir("contentgen-test-")
    yield d.path
    d.cleanup()


@pytest.fixture(scope="module")
def mock(tmp_root):
    """The mock LLM server, shared by a module's tests."""
    proc, url = cgprocs.start_mock(tmp_root)
    yield url
    proc.stop()


@pytest.fixture
def mock_url(mock):
    """The shared mock, with its script and request log reset for this test."""
    cgprocs.http_request(mock, "POST", "/_mock/reset")
    return mock
