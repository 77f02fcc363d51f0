"""The OpenAPI document served at /api/v1/openapi.json matches what the server does: every
documented (path, method) is routed, and every other method on a documented path is 405.
(tests/rest/routes_test.cpp checks the document against the route table in code as well.)"""
import uuid

from conftest import ALPHA

METHODS = ("get", "put", "post", "delete", "patch")


def concrete(path):
    return path.replace("{id}", str(uuid.uuid4())).replace("{image_id}", str(uuid.uuid4()))


def test_document_is_openapi_3_with_every_route(anonymous):
    status, _, doc = anonymous.request("GET", "/api/v1/openapi.json")
    assert status == 200
    assert doc["openapi"].startswith("3.0")
    documented = {(p, m) for p, item in doc["paths"].items() for m in item if m in METHODS}
    assert documented == {
        ("/healthz", "get"), ("/metrics", "get"), ("/api/v1/openapi.json", "get"),
        ("/api/v1/articles/generate", "post"), ("/api/v1/articles", "get"),
        ("/api/v1/articles/{id}", "get"), ("/api/v1/articles/{id}", "put"), ("/api/v1/articles/{id}", "delete"),
        ("/api/v1/articles/{id}/images", "post"), ("/api/v1/articles/{id}/images/{image_id}", "delete"),
        ("/api/v1/spend", "get")}


def test_every_documented_operation_is_routed_and_nothing_else(alpha):
    status, _, doc = alpha.request("GET", "/api/v1/openapi.json")
    for path, item in doc["paths"].items():
        documented = {m for m in item if m in METHODS}
        for method in METHODS:
            status, headers, body = alpha.request(method.upper(), concrete(path))
            if method in documented:
                # Routed: whatever the endpoint says (404 for a random id, 415 without a body...),
                # but never "no such route" and never 405.
                assert status != 405, (method, path, body)
                if status == 404:
                    assert body["error"]["message"] != "no such route", (method, path)
                for code in (str(status), "default"):
                    if code in item[method]["responses"]:
                        break
                else:
                    raise AssertionError("%s %s answered %d, which the document does not list" % (method, path, status))
            else:
                assert status == 405, (method, path, status, body)
                allowed = set(headers["allow"].lower().split(", "))
                # HEAD comes with every GET (RFC 9110 9.3.2) and is not listed in the document.
                assert ("head" in allowed) == ("get" in documented), (path, headers["allow"])
                assert allowed - {"head"} == documented, (path, headers["allow"])


def test_security_matches_auth(anonymous):
    status, _, doc = anonymous.request("GET", "/api/v1/openapi.json")
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            public = operation.get("security") == []
            status, _, _ = anonymous.request(method.upper(), concrete(path))
            assert (status != 401) == public, (method, path, status)
            if not public:
                assert "401" in operation["responses"], (method, path)
