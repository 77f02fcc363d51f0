"""200 concurrent generate requests against a mock LLM that takes 200 ms per call. Served one by
one they would take 200 x 200 ms = 40 s; through the generator's asynchronous path they overlap.
The bound below is generous (it proves concurrency, it is not a performance target); the measured
wall time is printed."""
import concurrent.futures
import json
import threading
import time

import cgprocs
import pytest
from conftest import ALPHA, server_env, write_config

REQUESTS = 200
LATENCY_MS = 200


@pytest.fixture(scope="module")
def slow_server(tmp_root):
    mock, mock_url = cgprocs.start_mock(tmp_root, "--latency-ms", str(LATENCY_MS), name="slow-mock")
    config = write_config(tmp_root, mock_url, server_extra={"access_log": False}, llm_extra={"timeout_s": 30})
    serve, url = cgprocs.start_serve(tmp_root, config, name="burst-serve", env=server_env())
    yield url, mock_url
    assert serve.stop() == 0, serve.stderr()
    mock.stop()


def post_plan(url, i):
    plan = {"id": "burst-%d" % i, "title": "Burst article number %d about oolong tea" % i, "estimated_word_count": 300}
    status, _, body = cgprocs.http_request(url, "POST", "/api/v1/articles/generate", json.dumps(plan),
                                           {"Authorization": "Bearer " + ALPHA, "Content-Type": "application/json"},
                                           timeout=120)
    return status, json.loads(body)


def test_200_concurrent_generations_overlap(slow_server):
    url, mock_url = slow_server
    health_latencies = []
    stop = threading.Event()

    def probe_health():
        # The server keeps answering other requests while 200 LLM calls are pending.
        while not stop.is_set():
            started = time.monotonic()
            status, _, _ = cgprocs.http_request(url, "GET", "/healthz")
            health_latencies.append((status, time.monotonic() - started))
            time.sleep(0.05)

    prober = threading.Thread(target=probe_health)
    started = time.monotonic()
    prober.start()
    with concurrent.futures.ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        results = list(pool.map(lambda i: post_plan(url, i), range(REQUESTS)))
    wall = time.monotonic() - started
    stop.set()
    prober.join()

    statuses = [status for status, _ in results]
    assert statuses.count(201) == REQUESTS, {s: statuses.count(s) for s in set(statuses)}
    assert len({body["id"] for _, body in results}) == REQUESTS
    print("\n%d concurrent generate requests, mock latency %d ms: wall time %.2f s (serial would be %.0f s); "
          "healthz during the burst: max %.3f s" % (REQUESTS, LATENCY_MS, wall, REQUESTS * LATENCY_MS / 1000.0,
                                                   max(lat for _, lat in health_latencies)))
    assert wall < 10.0, wall
    assert all(status == 200 for status, _ in health_latencies)
    assert max(lat for _, lat in health_latencies) < 2.0
    stats = json.loads(cgprocs.http_request(mock_url, "GET", "/_mock/stats")[2])
    print("mock stats:", stats)
