import json
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import cgprocs  # noqa: E402
from cgfixtures import mock, mock_url, tmp_root  # noqa: E402,F401

ALPHA = "alpha-key-0123456789abcdef"
BETA = "beta-key-0123456789abcdef"
MAX_IMAGE_BYTES = 64 * 1024
MAX_BODY_BYTES = 16 * 1024


def write_config(directory, mock_url, server_extra=None, llm_extra=None):
    config = {
        "llm": dict({"provider": "openai", "base_url": mock_url + "/v1", "auth": "none", "max_retries": 0,
                     "timeout_s": 2, "max_connections": 256}, **(llm_extra or {})),
        "repository": {"url": "sqlite:" + os.path.join(directory, "rest.db"), "pool_size": 4,
                       "sqlite_synchronous": "NORMAL"},
        "images": {"kind": "filesystem", "root": os.path.join(directory, "images"), "fsync": False},
        "events": {"kind": "jsonl", "path": os.path.join(directory, "events.jsonl"), "fsync": False},
        "limits": {"max_image_bytes": MAX_IMAGE_BYTES},
        "server": dict({"api_keys": [{"key": ALPHA, "workspace_id": "alpha"}],
                        "api_keys_env": "CONTENTGEN_TEST_API_KEYS",
                        "max_body_bytes": MAX_BODY_BYTES, "multipart_overhead_bytes": 4096,
                        "header_timeout_s": 1, "worker_threads": 4}, **(server_extra or {})),
    }
    path = os.path.join(directory, "config.json")
    with open(path, "w") as f:
        json.dump(config, f)
    return path


def server_env():
    # The second key comes from the environment, as a deployment would keep it out of the file.
    return dict(os.environ, CONTENTGEN_TEST_API_KEYS=json.dumps([{"key": BETA, "workspace_id": "beta"}]))


@pytest.fixture(scope="module")
def server(tmp_root, mock):
    config = write_config(tmp_root, mock)
    proc, url = cgprocs.start_serve(tmp_root, config, env=server_env())
    yield url
    assert proc.stop() == 0, proc.stderr()


class Client:
    def __init__(self, base_url, key):
        self.base_url = base_url
        self.key = key

    def request(self, method, path, body=None, content_type=None, headers=None):
        h = dict(headers or {})
        if self.key is not None:
            h["Authorization"] = "Bearer " + self.key
        if body is not None and content_type is None and isinstance(body, (dict, list)):
            content_type = "application/json"
        if content_type:
            h["Content-Type"] = content_type
        status, response_headers, data = cgprocs.http_request(self.base_url, method, path, body, h)
        parsed = None
        if data and response_headers.get("content-type", "").startswith("application/json"):
            parsed = json.loads(data)
        return status, response_headers, parsed if parsed is not None else data


@pytest.fixture
def alpha(server):
    return Client(server, ALPHA)


@pytest.fixture
def beta(server):
    return Client(server, BETA)


@pytest.fixture
def anonymous(server):
    return Client(server, None)
