import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cgprocs  # noqa: E402
from cgfixtures import mock, mock_url, tmp_root  # noqa: E402,F401


@pytest.fixture
def workdir(tmp_path):
    """A fresh working directory: the embedded defaults put their files here."""
    return str(tmp_path)


@pytest.fixture
def env(mock_url):
    """Embedded defaults pointed at the mock server."""
    return cgprocs.clean_env(OPENAI_BASE_URL=mock_url + "/v1")
