"""The REST server against hostile clients, over raw sockets: malformed framing of every kind,
connection floods at a low descriptor limit, stalled uploads, and the small leaks of the edge
(request ids on early answers, HEAD, NUL and invalid UTF-8 echoed in errors, health details)."""
import json
import os
import resource
import socket
import threading
import time
import uuid

import pytest

import cgprocs
from conftest import ALPHA, server_env, write_config  # the `server` fixture comes from conftest too


def raw_exchange(url, data, timeout=5.0, read_all=True):
    """Sends `data` on a fresh connection; returns everything the server answered before closing."""
    host, port = url.split("://", 1)[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading everything
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            chunks.append(chunk)
            if not read_all:
                break
        return b"".join(chunks)


def status_of(answer):
    assert answer.startswith(b"HTTP/1.1 "), answer[:200]
    return int(answer[9:12])


def headers_of(answer):
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    return {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in head)}


def body_of(answer):
    return json.loads(answer.split(b"\r\n\r\n", 1)[1])


def healthz(url, timeout=5.0):
    started = time.monotonic()
    status, _, _ = cgprocs.http_request(url, "GET", "/healthz", timeout=timeout)
    return status, time.monotonic() - started


TRAILER_BOMB = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: " +
                b"t" * 65534 + b"\r\n\r\n")

MALFORMED = {
    # name: (request bytes, expected status)
    "trailer field over 64 KiB (crashed the server)": (TRAILER_BOMB, 431),
    "trailer field of 40 KiB": (TRAILER_BOMB.replace(b"t" * 65534, b"t" * 40000), 431),
    "oversized start line": (b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 431),
    "oversized header": (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20000 + b"\r\n\r\n", 431),
    "many headers": (b"GET /healthz HTTP/1.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(3000)) + b"\r\n", 431),
    "chunk size overflow": (b"POST /api/v1/articles/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                            ALPHA.encode() + b"\r\nContent-Type: application/json\r\n"
                            b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffffff\r\n{}\r\n0\r\n\r\n", 400),
    "bad chunk size": (b"POST /api/v1/articles/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                       ALPHA.encode() + b"\r\nContent-Type: application/json\r\n"
                       b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400),
    "bad chunk extension": (b"POST /api/v1/articles/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                            ALPHA.encode() + b"\r\nContent-Type: application/json\r\n"
                            b"Transfer-Encoding: chunked\r\n\r\n2;\x01=\x02\r\n{}\r\n0\r\n\r\n", 400),
    "invalid method": (b"G(T /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "invalid target": (b"GET /heal\x7fthz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    "NUL in a header value": (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400),
    "two content lengths": (b"POST /api/v1/articles/generate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                            b"Content-Length: 3\r\n\r\n{}", 400),
    "HTTP/2 preface": (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400),
    "TLS ClientHello on the plain port": (bytes.fromhex("16030100a5010000a10303") + os.urandom(32) +
                                          b"\x00\x00\x02\x13\x01\x01\x00\x00\x76" + b"\x00" * 118, 400),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_request_is_4xx_and_the_server_goes_on(server, name):
    data, expected = MALFORMED[name]
    answer = raw_exchange(server, data)
    assert status_of(answer) == expected, (name, answer[:300])
    h = headers_of(answer)
    assert h["connection"] == "close" and len(h["x-request-id"]) == 36, h
    assert body_of(answer)["error"]["code"] in ("bad_request", "request_header_fields_too_large")
    assert healthz(server)[0] == 200


def test_head_answers_like_get_without_a_body(server):
    answer = raw_exchange(server, b"HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(answer) == 200, answer
    h = headers_of(answer)
    get_status, get_headers, get_body = cgprocs.http_request(server, "GET", "/healthz")
    assert int(h["content-length"]) == len(get_body) > 0
    assert answer.endswith(b"\r\n\r\n"), answer  # no body


def test_early_answers_carry_a_request_id(server):
    for data in (b"GET /api/v1/articles HTTP/1.1\r\nHost: x\r\n\r\n",  # 401
                 b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n",  # 404
                 b"PATCH /healthz HTTP/1.1\r\nHost: x\r\n\r\n",  # 405
                 b"POST /api/v1/articles/generate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ALPHA.encode() +
                 b"\r\nContent-Type: application/json\r\nContent-Length: 99999999\r\n\r\n"):  # 413
        answer = raw_exchange(server, data, read_all=False)
        assert 400 <= status_of(answer) < 500
        assert len(headers_of(answer)["x-request-id"]) == 36, answer


def test_errors_echo_ids_whole_and_as_valid_utf8(server):
    headers = {"Authorization": "Bearer " + ALPHA}
    status, _, body = cgprocs.http_request(server, "GET", "/api/v1/articles/abc%00def", headers=headers)
    assert status == 404
    assert "abc\\x00def" in json.loads(body)["error"]["message"], body
    status, _, body = cgprocs.http_request(server, "GET", "/api/v1/articles?%ff%fe=1", headers=headers)
    assert status == 422
    error = json.loads(body.decode("utf-8"))["error"]  # strict: raises on invalid UTF-8
    assert error["field"] == "\\xff\\xfe", error


def hostile_config(tmp_root, mock, name):
    directory = os.path.join(tmp_root, name)
    os.makedirs(directory, exist_ok=True)
    config = write_config(directory, mock, server_extra={"header_timeout_s": 30, "read_timeout_s": 30,
                                                         "access_log": False})
    with open(config) as f:
        document = json.load(f)
    document["limits"]["max_image_bytes"] = 10 << 20
    with open(config, "w") as f:
        json.dump(document, f)
    return directory, config


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def test_slow_loris_fd_limit_and_stalled_uploads_at_once(tmp_root, mock):
    """200 slow-loris connections, `ulimit -n 128` and 30 stalled 10 MiB uploads at once: a prober's
    /healthz keeps answering within 1 s and the server stays under 200 MB of RSS."""
    directory, config = hostile_config(tmp_root, mock, "hostile")

    def limit_descriptors():
        resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128))

    proc, url = cgprocs.start_serve(directory, config, name="hostile", env=server_env(), preexec_fn=limit_descriptors)
    host, port = url.split("://", 1)[1].rsplit(":", 1)
    port = int(port)
    status, _, body = cgprocs.http_request(url, "POST", "/api/v1/articles/generate",
                                           {"title": "Stalled uploads target", "target_keywords": ["x"]},
                                           {"Authorization": "Bearer " + ALPHA, "Content-Type": "application/json"})
    assert status == 201, body
    article_id = json.loads(body)["id"]
    baseline_rss = rss_mb(proc.proc.pid)

    sockets = []
    lock = threading.Lock()
    stop = threading.Event()

    def slow_loris(count):
        for _ in range(count):
            if stop.is_set():
                return
            try:
                s = socket.create_connection((host, port), timeout=5)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            except OSError:
                continue
            with lock:
                sockets.append(s)

    boundary = b"hostileboundary"
    upload_head = (b"POST /api/v1/articles/%s/images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                   b"Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n" %
                   (article_id.encode(), ALPHA.encode(), boundary, 10 << 20))
    refused = []

    def stalled_upload():
        try:
            s = socket.create_connection((host, port), timeout=10)
            s.sendall(upload_head + b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"file\"; "
                      b"filename=\"a.png\"\r\n\r\n")
            s.settimeout(0.2)
            sent = 0
            while sent < (9 << 20) and not stop.is_set():
                try:
                    s.sendall(b"\x00" * 65536)
                    sent += 65536
                except socket.timeout:
                    break  # the server stopped reading (or refused us): stall here
                except OSError:
                    break
            try:
                answer = s.recv(200)
                if answer.startswith(b"HTTP/1.1 503"):
                    refused.append(answer)
            except OSError:
                pass
        except OSError:
            return
        with lock:
            sockets.append(s)

    workers = [threading.Thread(target=slow_loris, args=(50,)) for _ in range(4)]
    workers += [threading.Thread(target=stalled_upload) for _ in range(30)]
    for w in workers:
        w.start()

    probes = []
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        status, took = healthz(url, timeout=3)
        probes.append((status, took))
        time.sleep(0.1)
    peak_rss = rss_mb(proc.proc.pid)
    stop.set()
    for w in workers:
        w.join(30)
    with lock:
        opened = len(sockets)
        for s in sockets:
            s.close()
    alive = proc.proc.poll() is None
    stderr = proc.stderr()
    proc.stop()

    assert alive, stderr[-2000:]
    assert len(probes) >= 20
    slow = [p for p in probes if p[0] != 200 or p[1] >= 1.0]
    assert not slow, (slow, probes)
    assert peak_rss < 200, (baseline_rss, peak_rss)
    assert refused, "some of the 30 uploads should have met server.max_inflight_body_bytes (503)"
    assert stderr.count("accept failed") < 100, stderr[-2000:]
    print("hostile: %d sockets held, %d probes (max %.3f s), %d uploads refused 503, RSS %.0f -> %.0f MB" %
          (opened, len(probes), max(p[1] for p in probes), len(refused), baseline_rss, peak_rss))


# Not under the sanitizers: at EMFILE their runtime cannot create the pipe it probes memory with
# (IsAccessibleMemoryRange), and UBSan's vptr check then reports a false "invalid vptr" on any
# polymorphic object -- reproduced with a ten-line program that only exhausts its descriptors.
@pytest.mark.skipif(bool(os.environ.get("ASAN_OPTIONS") or os.environ.get("TSAN_OPTIONS")),
                    reason="sanitizer runtimes misreport at EMFILE (UBSan vptr false positive); the dev phase runs it")
def test_accept_errors_back_off_instead_of_spinning(tmp_root, mock):
    """At the descriptor limit with max_connections above it, accept fails with EMFILE: the server
    must pause (logged at most once a second), not spin, and still answer once descriptors free up."""
    directory, config = hostile_config(tmp_root, mock, "emfile")
    with open(config) as f:
        document = json.load(f)
    # Every body goes to a spool file: each upload holds two descriptors, so they run out before
    # the connection limit derived from `ulimit -n` is reached.
    document["server"]["upload_spool_bytes"] = 0
    with open(config, "w") as f:
        json.dump(document, f)

    def limit_descriptors():
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))

    proc, url = cgprocs.start_serve(directory, config, name="emfile", env=server_env(), preexec_fn=limit_descriptors)
    host, port = url.split("://", 1)[1].rsplit(":", 1)
    # Requests in flight cannot be displaced: hold uploads open (busy connections) beyond the limit.
    held = []
    for _ in range(120):
        try:
            s = socket.create_connection((host, int(port)), timeout=2)
            s.sendall(b"POST /api/v1/articles/%s/images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                      b"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000\r\n\r\n--b" %
                      (str(uuid.uuid4()).encode(), ALPHA.encode()))
            held.append(s)
        except OSError:
            break
    cpu_before = _cpu_seconds(proc.proc.pid)
    time.sleep(3)
    cpu_used = _cpu_seconds(proc.proc.pid) - cpu_before
    for s in held:
        s.close()
    time.sleep(0.5)
    status, took = healthz(url, timeout=5)
    stderr = proc.stderr()
    proc.stop()
    print("emfile: %d connections held, %.2f s CPU in 3 s, %d accept-failure lines" %
          (len(held), cpu_used, stderr.count("accept failed")))
    assert "accept failed: Too many open files" in stderr, stderr[-2000:]
    assert cpu_used < 1.0, (cpu_used, stderr[-1000:])  # 3 s of wall time; a spinning loop burns ~3 s
    assert stderr.count("accept failed") <= 10, stderr[-2000:]
    assert status == 200 and took < 2


def _cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
