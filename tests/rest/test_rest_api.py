"""The REST server with a real HTTP client (http.client) against contentgen-mockllm: the seed's
endpoints, auth and workspace isolation, errors, limits, metrics and health."""
import http.client
import json
import socket
import threading
import time
import uuid

import cgprocs
from conftest import MAX_BODY_BYTES, MAX_IMAGE_BYTES

PLAN = {"title": "Green tea for beginners", "target_keywords": ["green tea"], "estimated_word_count": 400}


def generate(client, plan=None, **headers):
    status, h, body = client.request("POST", "/api/v1/articles/generate", plan or PLAN, headers=headers)
    assert status in (200, 201), body
    return body


def error_of(body):
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]


# --- auth -------------------------------------------------------------------------------------

def test_no_key_bad_key_and_bad_scheme_are_401(server, anonymous):
    for headers in ({}, {"Authorization": "Bearer wrong-key-0123456789abcdef"}, {"Authorization": "Basic " + "x" * 20},
                    {"Authorization": "Bearer "}):
        for method, path in (("GET", "/api/v1/articles"), ("POST", "/api/v1/articles/generate"),
                             ("GET", "/api/v1/articles/" + str(uuid.uuid4()))):
            status, h, body = anonymous.request(method, path, headers=headers)
            assert status == 401, (method, path, headers, body)
            assert error_of(body)["code"] == "unauthorized"
            assert h["www-authenticate"].startswith("Bearer")
            assert len(h["x-request-id"]) == 36


def test_unknown_route_is_404_with_or_without_a_key(anonymous, alpha):
    for client in (anonymous, alpha):
        status, h, body = client.request("GET", "/api/v1/nothing-here")
        assert status == 404 and error_of(body)["code"] == "not_found", body
        assert len(h["x-request-id"]) == 36


def test_public_routes_need_no_key(anonymous):
    status, _, body = anonymous.request("GET", "/healthz")
    assert status == 200 and body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "image_store": "ok", "event_sink": "ok"}
    status, h, body = anonymous.request("GET", "/metrics")
    assert status == 200 and h["content-type"].startswith("text/plain")
    status, _, body = anonymous.request("GET", "/api/v1/openapi.json")
    assert status == 200 and body["openapi"].startswith("3.")


# --- generate, list, get, update, delete ---------------------------------------------------------

def test_generate_returns_the_stored_article(alpha, mock_url):
    article = generate(alpha)
    assert article["workspace_id"] == "alpha"
    assert article["word_count"] > 50 and article["cost_nanousd"] > 0
    assert article["cost_usd"].count(".") == 1 and len(article["cost_usd"].split(".")[1]) == 9
    status, h, got = alpha.request("POST", "/api/v1/articles/generate", PLAN)
    assert status == 201 and h["location"] == "/api/v1/articles/" + got["id"]
    status, h, got = alpha.request("GET", "/api/v1/articles/" + article["id"])
    assert status == 200 and got["id"] == article["id"] and h["etag"] == '"1"'
    # The LLM was called through the mock, with the configured model.
    _, _, requests = cgprocs.http_request(mock_url, "GET", "/_mock/requests")
    assert json.loads(json.loads(requests)[-1]["body"])["model"] == "gpt-4o-mini"


def test_model_query_parameter_and_idempotent_replay(alpha):
    plan = dict(PLAN, id="rest-idem-" + uuid.uuid4().hex[:8])
    status, _, first = alpha.request("POST", "/api/v1/articles/generate?model=gpt-4o", plan)
    assert status == 201 and first["model"] == "gpt-4o"
    status, _, second = alpha.request("POST", "/api/v1/articles/generate?model=gpt-4o", plan)
    assert status == 200 and second["id"] == first["id"]
    key = "idem-" + uuid.uuid4().hex
    a = generate(alpha, PLAN, **{"Idempotency-Key": key})
    b = generate(alpha, PLAN, **{"Idempotency-Key": key})
    assert a["id"] == b["id"]


def test_concurrent_generates_with_one_key_make_one_llm_call(alpha, mock_url):
    """30 simultaneous POSTs with one Idempotency-Key against a mock taking 300 ms: exactly one LLM
    request; every 2xx answer carries the same article; the others are 409 with Retry-After."""
    cgprocs.mock_script(mock_url, {"latency_ms": 300})
    key = "idem-race-" + uuid.uuid4().hex
    plan = dict(PLAN, title="One key, thirty callers")
    answers = [None] * 30

    def post(i):
        answers[i] = alpha.request("POST", "/api/v1/articles/generate", plan, headers={"Idempotency-Key": key})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _, _, requests = cgprocs.http_request(mock_url, "GET", "/_mock/requests")
    calls = len(json.loads(requests))
    ok = [body["id"] for status, _, body in answers if status in (200, 201)]
    busy = [(status, h) for status, h, body in answers if status == 409]
    print("idempotency race: %d LLM requests, %d answers 2xx, %d answers 409" % (calls, len(ok), len(busy)))
    assert calls == 1
    assert len(ok) >= 1 and len(set(ok)) == 1
    assert len(ok) + len(busy) == 30, [a[0] for a in answers]
    assert all(h.get("retry-after") for _, h in busy)
    status, _, again = alpha.request("POST", "/api/v1/articles/generate", plan, headers={"Idempotency-Key": key})
    assert status == 200 and again["id"] == ok[0]


def test_idempotency_key_reused_with_another_request_is_422(alpha):
    key = "idem-reuse-" + uuid.uuid4().hex
    first = generate(alpha, dict(PLAN, title="First body"), **{"Idempotency-Key": key})
    status, _, body = alpha.request("POST", "/api/v1/articles/generate",
                                    dict(PLAN, title="DIFFERENT body", estimated_word_count=900),
                                    headers={"Idempotency-Key": key})
    assert status == 422, body
    error = error_of(body)
    assert error["code"] == "conflict" and error["field"] == "idempotency_key" and key in error["message"]
    # A plan id is its own key: another Idempotency-Key with the same plan returns the same article.
    plan = dict(PLAN, id="rest-plan-" + uuid.uuid4().hex[:8])
    a = generate(alpha, plan, **{"Idempotency-Key": "k-" + uuid.uuid4().hex})
    b = generate(alpha, plan, **{"Idempotency-Key": "k-" + uuid.uuid4().hex})
    assert a["id"] == b["id"] and first["id"] != a["id"]


def test_list_filters_and_paginates(alpha):
    ids = {generate(alpha, dict(PLAN, title="Paged article %d" % i))["id"] for i in range(3)}
    seen, cursor = [], ""
    while True:
        status, _, page = alpha.request("GET", "/api/v1/articles?limit=2" + ("&cursor=" + cursor if cursor else ""))
        assert status == 200
        assert len(page["items"]) <= 2
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert ids <= set(seen) and len(seen) == len(set(seen))
    status, _, page = alpha.request("GET", "/api/v1/articles?status=published&limit=100")
    assert status == 200 and all(a["status"] == "published" for a in page["items"])


def test_update_with_version_and_conflict(alpha):
    article = generate(alpha)
    path = "/api/v1/articles/" + article["id"]
    status, h, updated = alpha.request("PUT", path, {"title": "Renamed", "status": "published", "version": 1})
    assert status == 200, updated
    assert (updated["title"], updated["status"], updated["version"], h["etag"]) == ("Renamed", "published", 2, '"2"')
    status, _, body = alpha.request("PUT", path, {"title": "Stale"}, headers={"If-Match": '"1"'})
    assert status == 409 and error_of(body)["code"] == "conflict"
    status, _, updated = alpha.request("PUT", path, {"metadata": {"campaign": "spring"}}, headers={"If-Match": '"2"'})
    assert status == 200 and updated["metadata"] == {"campaign": "spring"} and updated["version"] == 3
    status, _, body = alpha.request("PUT", path, {"title": "No version"})
    assert status == 422 and error_of(body)["field"] == "update.version"
    # The weak form of If-Match is the same version.
    status, _, updated = alpha.request("PUT", path, {"title": "Weak"}, headers={"If-Match": 'W/"3"'})
    assert status == 200 and updated["version"] == 4, updated
    status, _, body = alpha.request("PUT", path, {"title": "x"}, headers={"If-Match": "three"})
    assert status == 422 and error_of(body)["field"] == "If-Match", body
    for version in (0, "4", 1.5):
        status, _, body = alpha.request("PUT", path, {"title": "x", "version": version})
        assert status == 422 and error_of(body)["field"] == "update.version", (version, body)
    status, _, body = alpha.request("PUT", path, {"title": "x", "version": 4}, headers={"If-Match": '"3"'})
    assert status == 422 and error_of(body)["field"] == "update.version" and "If-Match" in error_of(body)["message"]


def test_delete_then_404(alpha):
    article = generate(alpha)
    path = "/api/v1/articles/" + article["id"]
    status, _, body = alpha.request("DELETE", path)
    assert status == 204 and body == b""
    status, _, body = alpha.request("GET", path)
    assert status == 404 and error_of(body)["code"] == "not_found"
    status, _, _ = alpha.request("DELETE", path)
    assert status == 404


# --- workspace isolation ------------------------------------------------------------------------

def test_other_workspace_is_404_exactly_like_a_missing_id(alpha, beta):
    article = generate(alpha)
    image_status, _, image = alpha.request("POST", "/api/v1/articles/%s/images" % article["id"],
                                           *cgprocs.multipart([("file", "a.png", "image/png", cgprocs.png_bytes())]))
    assert image_status == 201
    missing = str(uuid.uuid4())
    cases = [("GET", "/api/v1/articles/%s", None), ("PUT", "/api/v1/articles/%s", {"title": "x", "version": 1}),
             ("DELETE", "/api/v1/articles/%s", None), ("DELETE", "/api/v1/articles/%s/images/" + image["id"], None)]
    for method, pattern, body in cases:
        theirs = beta.request(method, pattern % article["id"], body)
        nobody = beta.request(method, pattern % missing, body)
        assert theirs[0] == nobody[0] == 404, (method, theirs, nobody)
        assert error_of(theirs[2])["code"] == error_of(nobody[2])["code"] == "not_found"
    status, _, _ = beta.request("POST", "/api/v1/articles/%s/images" % article["id"],
                                *cgprocs.multipart([("file", "a.png", "image/png", cgprocs.png_bytes())]))
    assert status == 404
    status, _, page = beta.request("GET", "/api/v1/articles?limit=100")
    assert article["id"] not in [a["id"] for a in page["items"]]
    # Nothing was touched: alpha still sees its article and image, unchanged.
    status, _, got = alpha.request("GET", "/api/v1/articles/" + article["id"])
    assert status == 200 and got["version"] == 1 and [i["id"] for i in got["images"]] == [image["id"]]


def test_plan_naming_another_workspace_is_refused(alpha):
    status, _, body = alpha.request("POST", "/api/v1/articles/generate", dict(PLAN, workspace_id="beta"))
    assert status == 422 and error_of(body)["field"] == "plan.workspace_id"
    generate(alpha, dict(PLAN, workspace_id="alpha"))


# --- images -------------------------------------------------------------------------------------

def test_multipart_upload_and_delete(alpha):
    article = generate(alpha)
    body, content_type = cgprocs.multipart([("file", "pixel.png", "image/png", cgprocs.png_bytes(5, 4)),
                                            ("alt_text", None, None, "A red square".encode())])
    status, _, image = alpha.request("POST", "/api/v1/articles/%s/images" % article["id"], body,
                                     content_type=content_type)
    assert status == 201, image
    assert (image["content_type"], image["width"], image["height"], image["alt_text"], image["original_filename"]) == \
        ("image/png", 5, 4, "A red square", "pixel.png")
    status, _, got = alpha.request("GET", "/api/v1/articles/" + article["id"])
    assert [i["id"] for i in got["images"]] == [image["id"]]
    # The filesystem store's file:// URL is a path on the server: never shown to clients.
    assert image["url"] == "" and got["images"][0]["url"] == ""
    path = "/api/v1/articles/%s/images/%s" % (article["id"], image["id"])
    assert alpha.request("DELETE", path)[0] == 204
    assert alpha.request("DELETE", path)[0] == 404


def test_forged_image_is_415(alpha):
    article = generate(alpha)
    url = "/api/v1/articles/%s/images" % article["id"]
    status, _, body = alpha.request("POST", url, *cgprocs.multipart([("file", "evil.png", "image/png", b"<?php echo 1;")]))
    assert status == 415 and error_of(body)["code"] == "unsupported_media_type" and body["error"]["field"] == "file"
    # Real PNG bytes declared as JPEG: refused too.
    status, _, body = alpha.request("POST", url, *cgprocs.multipart([("file", "a.jpg", "image/jpeg", cgprocs.png_bytes())]))
    assert status == 415
    # Not multipart at all.
    status, _, body = alpha.request("POST", url, cgprocs.png_bytes(), content_type="image/png")
    assert status == 415


def test_multipart_mistakes(alpha):
    article = generate(alpha)
    url = "/api/v1/articles/%s/images" % article["id"]
    status, _, body = alpha.request("POST", url, *cgprocs.multipart([("picture", "a.png", "image/png", cgprocs.png_bytes())]))
    assert status == 422 and error_of(body)["field"] == "picture"
    status, _, body = alpha.request("POST", url, *cgprocs.multipart([("alt_text", None, None, b"no file")]))
    assert status == 422 and error_of(body)["field"] == "file"
    status, _, body = alpha.request("POST", url, b"--nope\r\ngarbage", content_type="multipart/form-data; boundary=zzz")
    assert status == 400 and error_of(body)["code"] == "bad_request"


# --- limits -------------------------------------------------------------------------------------

def test_oversized_bodies_are_413(alpha):
    article = generate(alpha)
    url = "/api/v1/articles/%s/images" % article["id"]
    big = cgprocs.png_bytes() + b"\x00" * (MAX_IMAGE_BYTES + 8192)
    status, _, body = alpha.request("POST", url, *cgprocs.multipart([("file", "big.png", "image/png", big)]))
    assert status == 413 and error_of(body)["code"] == "payload_too_large"
    # Within the multipart allowance but over the image limit: still 413, naming the field.
    just_over = cgprocs.png_bytes() + b"\x00" * (MAX_IMAGE_BYTES + 100 - len(cgprocs.png_bytes()))
    status, _, body = alpha.request("POST", url, *cgprocs.multipart([("file", "big.png", "image/png", just_over)]))
    assert status == 413 and error_of(body)["field"] == "file"
    status, _, body = alpha.request("POST", "/api/v1/articles/generate",
                                    dict(PLAN, notes="x" * (MAX_BODY_BYTES + 10)))
    assert status == 413


def test_oversized_chunked_body_is_413_without_content_length(server):
    host, port = server.split("://")[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    chunks = (b"x" * 4096 for _ in range(MAX_BODY_BYTES // 4096 + 4))
    try:
        conn.request("POST", "/api/v1/articles/generate", body=chunks, encode_chunked=True,
                     headers={"Authorization": "Bearer " + __import__("conftest").ALPHA,
                              "Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        response = conn.getresponse()
        assert response.status == 413
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may close before the client has written everything; the status is checked above
    finally:
        conn.close()


def test_announced_huge_body_is_refused_before_it_is_sent(server):
    # 413 from the head alone: the client has not sent a byte of the body yet.
    host, port = server.split("://")[1].rsplit(":", 1)
    for path, content_type in (("/api/v1/articles/generate", "application/json"),
                               ("/api/v1/articles/%s/images" % uuid.uuid4(), "multipart/form-data; boundary=b")):
        with socket.create_connection((host, int(port)), timeout=10) as s:
            s.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n"
                       "Content-Length: 50000000\r\n\r\n" % (path, __import__("conftest").ALPHA, content_type)).encode())
            reply = b""
            while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        head, body = reply.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 413 "), reply
        assert b"connection: close" in head.lower()
        assert json.loads(body)["error"]["code"] == "payload_too_large"


def test_header_timeout_closes_a_silent_connection(server):
    host, port = server.split("://")[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as s:
        started = time.monotonic()
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never finish the head
        assert s.recv(1024) == b""  # closed by the server (header_timeout_s = 1)
        assert time.monotonic() - started < 5


# --- errors -------------------------------------------------------------------------------------

def test_validation_422_names_the_field(alpha):
    for plan, field in ((dict(PLAN, estimated_word_count=5), "plan.estimated_word_count"),
                        ({"target_keywords": ["x"]}, "plan.title"),
                        (dict(PLAN, target_keywords=["ok", 7]), "plan.target_keywords[1]"),
                        (dict(PLAN, colour="red"), "plan.colour")):
        status, _, body = alpha.request("POST", "/api/v1/articles/generate", plan)
        assert status == 422, (plan, body)
        assert error_of(body)["code"] == "invalid_argument" and body["error"]["field"] == field, body
    for query, field in (("limit=0", "limit"), ("limit=abc", "limit"), ("status=gone", "status"), ("colour=red", "colour")):
        status, _, body = alpha.request("GET", "/api/v1/articles?" + query)
        assert status == 422 and error_of(body)["field"] == field, (query, body)
    status, _, body = alpha.request("POST", "/api/v1/articles/generate?model=no-such-model", PLAN)
    assert status == 422 and error_of(body)["code"] == "unknown_model"
    status, _, body = alpha.request("POST", "/api/v1/articles/generate", PLAN, headers={"Idempotency-Key": "k" * 256})
    assert status == 422 and error_of(body)["field"] == "Idempotency-Key", body
    status, _, body = alpha.request("GET", "/api/v1/articles?status=%zz")
    assert status == 422 and error_of(body)["field"] == "query", body


def test_malformed_json_400_and_wrong_content_type_415(alpha):
    status, _, body = alpha.request("POST", "/api/v1/articles/generate", b"{not json", content_type="application/json")
    assert status == 400 and error_of(body)["code"] == "bad_request"
    status, _, body = alpha.request("POST", "/api/v1/articles/generate", json.dumps(PLAN), content_type="text/plain")
    assert status == 415
    status, _, body = alpha.request("POST", "/api/v1/articles/generate", b"[1,2]", content_type="application/json")
    assert status == 422 and error_of(body)["field"] == "plan"


def test_unknown_route_404_and_wrong_method_405(alpha):
    status, _, body = alpha.request("GET", "/api/v1/nothing")
    assert status == 404 and error_of(body)["code"] == "not_found"
    status, h, body = alpha.request("PATCH", "/api/v1/articles/" + str(uuid.uuid4()))
    assert status == 405 and h["allow"] == "GET, HEAD, PUT, DELETE"
    assert len(h["x-request-id"]) == 36
    status, h, _ = alpha.request("GET", "/api/v1/articles/generate")
    assert status == 405 and h["allow"] == "POST"


def test_provider_failures_map_to_502_429_504(alpha, mock_url):
    cgprocs.mock_script(mock_url, {"status": 500, "error": {"type": "server_error", "message": "boom"}})
    status, _, body = alpha.request("POST", "/api/v1/articles/generate", PLAN)
    assert status == 502 and error_of(body)["code"] == "upstream"
    cgprocs.mock_script(mock_url, {"status": 429, "headers": {"retry-after": "7"},
                                   "error": {"type": "rate_limit_error", "message": "slow down"}})
    status, h, body = alpha.request("POST", "/api/v1/articles/generate", PLAN)
    assert status == 429 and error_of(body)["code"] == "rate_limited" and h["retry-after"] == "7"
    cgprocs.mock_script(mock_url, {"status": 401, "error": {"type": "invalid_api_key", "message": "bad key"}})
    status, _, body = alpha.request("POST", "/api/v1/articles/generate", PLAN)
    assert status == 502 and error_of(body)["code"] == "unauthorized"  # our key, not the client's
    cgprocs.mock_script(mock_url, {"fault": "hang"})
    status, _, body = alpha.request("POST", "/api/v1/articles/generate", PLAN)
    assert status == 504 and error_of(body)["code"] == "timeout"


# --- observability ------------------------------------------------------------------------------

def metric(text, name, **labels):
    total = 0.0
    found = False
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        series, value = line.rsplit(" ", 1)
        if series.split("{")[0] != name:
            continue
        if all('%s="%s"' % kv in series for kv in labels.items()):
            total += float(value)
            found = True
    assert found, (name, labels)
    return total


def test_spend_reports_the_workspaces_ledger(alpha, beta):
    before = alpha.request("GET", "/api/v1/spend")[2]
    beta_before = beta.request("GET", "/api/v1/spend")[2]
    article = generate(alpha)
    status, _, after = alpha.request("GET", "/api/v1/spend")
    assert status == 200
    assert after["total_nanousd"] - before["total_nanousd"] == article["cost_nanousd"]
    assert after["calls"] == before["calls"] + 1
    assert after["reported_nanousd"] == after["total_nanousd"] - after["estimated_nanousd"]
    assert after["total_usd"] == "%d.%09d" % divmod(after["total_nanousd"], 10**9)
    status, _, future = alpha.request("GET", "/api/v1/spend?since=2999-01-01T00:00:00Z")
    assert status == 200 and future["total_nanousd"] == 0 and future["calls"] == 0
    status, _, other = beta.request("GET", "/api/v1/spend")
    assert status == 200 and other == beta_before  # beta's own ledger: alpha's article is not in it
    status, _, body = alpha.request("GET", "/api/v1/spend?since=yesterday")
    assert status == 422 and error_of(body)["field"] == "since"


def test_metrics_count_generations_tokens_cost_and_latency(alpha, anonymous, mock_url):
    before = anonymous.request("GET", "/metrics")[2].decode()
    article = generate(alpha)
    cgprocs.mock_script(mock_url, {"status": 500, "error": {"type": "server_error", "message": "boom"}})
    assert alpha.request("POST", "/api/v1/articles/generate", PLAN)[0] == 502
    after = anonymous.request("GET", "/metrics")[2].decode()

    def delta(name, **labels):
        return metric(after, name, **labels) - (metric(before, name, **labels) if name + "{" in before or
                                                 ("\n" + name + " ") in before else 0)
    assert delta("contentgen_generations_total", outcome="success") == 1
    assert delta("contentgen_generations_total", outcome="failure") == 1
    assert metric(after, "contentgen_generation_failures_total", code="upstream") >= 1
    assert delta("contentgen_llm_tokens_total", kind="completion") == article["usage"]["completion_tokens"]
    assert delta("contentgen_llm_cost_nanousd_total") == article["cost_nanousd"]
    assert delta("contentgen_generation_duration_seconds_count") == 2
    assert metric(after, "contentgen_llm_call_duration_seconds_count") >= 2
    assert metric(after, "contentgen_http_requests_total", route="/api/v1/articles/generate", status="201") >= 1
    assert metric(after, "contentgen_http_requests_total", route="/api/v1/articles/generate", status="502") >= 1
