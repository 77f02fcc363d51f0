"""SIGTERM: the listener closes, requests in flight are finished and answered, then the process
exits 0. Past the grace period what is still running is cancelled (503) instead."""
import json
import signal
import socket
import threading
import time

import pytest

import cgprocs
from conftest import ALPHA, server_env, write_config

PLAN = {"title": "Shutdown article about white tea", "estimated_word_count": 300}


def start(tmp_root, name, latency_ms, grace_s, io_threads=1):
    mock, mock_url = cgprocs.start_mock(tmp_root, "--latency-ms", str(latency_ms), name=name + "-mock")
    config = write_config(tmp_root, mock_url, server_extra={"shutdown_grace_s": grace_s, "io_threads": io_threads},
                          llm_extra={"timeout_s": 30})
    serve, url = cgprocs.start_serve(tmp_root, config, name=name, env=server_env())
    return mock, serve, url


def generate_in_background(url, results):
    def run():
        results.append(cgprocs.http_request(url, "POST", "/api/v1/articles/generate", json.dumps(PLAN),
                                            {"Authorization": "Bearer " + ALPHA, "Content-Type": "application/json"}))
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_in_flight(url):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = cgprocs.http_request(url, "GET", "/metrics")[2].decode()
        if "contentgen_generations_in_flight 1" in text:
            return
        time.sleep(0.02)
    raise AssertionError("the generation never started")


def refuses_connections(url):
    host, port = url.split("://")[1].rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
        return False
    except OSError:
        return True


# With several I/O threads the signal handler, the accept loop and the last session run on
# different threads (they share a strand).
@pytest.mark.parametrize("io_threads", [1, 4])
def test_sigterm_finishes_requests_in_flight(tmp_root, io_threads):
    mock, serve, url = start(tmp_root, "graceful-%d" % io_threads, latency_ms=1500, grace_s=20, io_threads=io_threads)
    try:
        results = []
        thread = generate_in_background(url, results)
        wait_in_flight(url)
        serve.proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        assert refuses_connections(url)
        thread.join(30)
        status, headers, body = results[0]
        assert status == 201, body
        assert headers.get("connection", "").lower() == "close"
        assert serve.proc.wait(20) == 0
        assert "shutting down" in serve.stderr()
    finally:
        serve.stop()
        mock.stop()


def test_grace_period_over_cancels_and_answers_503(tmp_root):
    mock, serve, url = start(tmp_root, "impatient", latency_ms=20000, grace_s=0.5)
    try:
        results = []
        thread = generate_in_background(url, results)
        wait_in_flight(url)
        started = time.monotonic()
        serve.proc.send_signal(signal.SIGTERM)
        thread.join(30)
        status, _, body = results[0]
        assert status == 503, body
        assert json.loads(body)["error"]["code"] == "cancelled"
        assert serve.proc.wait(20) == 0
        assert time.monotonic() - started < 10
    finally:
        serve.stop()
        mock.stop()
