"""Every error path from Python: exceptions per code, subclassing builtins, carrying the details."""

from __future__ import annotations

import pytest

import contentgen
from conftest import PNG, ScriptedProvider, plan, storage_config


def test_bad_json_configuration(workdir):
    path = workdir / "broken.json"
    path.write_text('{"llm": {"model": }')
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        contentgen.Generator(path)
    assert caught.value.field == "config"
    assert "line 1" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_unknown_and_mistyped_keys_are_named():
    with pytest.raises(ValueError) as caught:
        contentgen.Generator({"llm": {"timout_s": 5}})
    assert caught.value.field == "llm.timout_s"
    assert "timeout_s" in caught.value.message
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        contentgen.check_config({"llm": {"max_retries": "2"}})
    assert caught.value.field == "llm.max_retries"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        contentgen.check_config({"events": {"kind": "jsonl"}})
    assert caught.value.field == "events.path"
    contentgen.check_config({"events": {"kind": "none"}})
    with pytest.raises(TypeError):
        contentgen.Generator(42)


def test_missing_provider_and_provider_twice(workdir, provider):
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        contentgen.Generator(storage_config(workdir))
    assert caught.value.field == "llm.provider"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        contentgen.Generator(storage_config(workdir, llm={"provider": "openai", "base_url": "http://127.0.0.1:9/v1"}),
                             llm=provider)
    assert caught.value.field == "llm.provider"
    with pytest.raises(TypeError):
        contentgen.Generator(storage_config(workdir), llm=object())


def test_invalid_plans(generator, provider):
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.generate({"workspace_id": "w"})
    assert caught.value.field == "plan.title"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.generate({"workspace_id": "w", "title": "t", "keywords": []})
    assert caught.value.field == "plan.keywords"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.generate(plan(estimated_word_count=5))
    assert caught.value.field == "plan.estimated_word_count"
    assert provider.requests == []


def test_unknown_model(generator, provider):
    with pytest.raises(contentgen.UnknownModelError) as caught:
        generator.generate(plan(), model="no-such-model")
    assert isinstance(caught.value, LookupError)
    with pytest.raises(contentgen.UnknownModelError):
        contentgen.cost("no-such-model", 10, 10)


def test_not_found_and_other_workspace(generator):
    article = generator.generate(plan())
    with pytest.raises(contentgen.NotFoundError) as caught:
        generator.get("ws-py", "00000000-0000-7000-8000-000000000000")
    assert isinstance(caught.value, KeyError)
    assert str(caught.value).endswith("not found")  # not KeyError's quoted repr
    for call in (lambda: generator.get("ws-else", article.id),
                 lambda: generator.update("ws-else", article.id, expected_version=1, title="x"),
                 lambda: generator.delete("ws-else", article.id),
                 lambda: generator.upload_image("ws-else", article.id, PNG, "a.png")):
        with pytest.raises(contentgen.NotFoundError):
            call()
    assert generator.get("ws-py", article.id).id == article.id


def test_version_conflict_and_bad_update(generator):
    article = generator.generate(plan())
    with pytest.raises(contentgen.ConflictError):
        generator.update("ws-py", article.id, expected_version=7, title="x")
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.update("ws-py", article.id, expected_version=1, status="gone")
    assert caught.value.field == "update.status"


def test_bad_images(generator):
    article = generator.generate(plan())
    with pytest.raises(contentgen.InvalidArgumentError):
        generator.upload_image("ws-py", article.id, b"plain text, not an image", "x.png")
    with pytest.raises(contentgen.InvalidArgumentError):
        generator.upload_image("ws-py", article.id, PNG, "x.jpg", content_type="image/jpeg")


def test_list_arguments(generator):
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.list("ws-py", status="deleted")
    assert caught.value.field == "status"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.list("ws-py", cursor="not-a-cursor")
    assert caught.value.field == "cursor"
    # 2**32 + 5 must not become a page of 5 (ctypes keeps only the low bits)
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.list("ws-py", limit=2**32 + 5)
    assert caught.value.field == "limit"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.generate(plan(), max_tokens=2**64 + 100)
    assert caught.value.field == "options.max_tokens"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:  # NaN is not "the default"
        generator.generate(plan(), temperature=float("nan"))
    assert caught.value.field == "options.temperature"
    with pytest.raises(contentgen.InvalidArgumentError) as caught:
        generator.update("ws-py", "some-id", expected_version=2**64 + 1, title="x")
    assert caught.value.field == "expected_version"


def test_closed_generator(workdir, provider):
    generator = contentgen.Generator(storage_config(workdir), llm=provider)
    generator.close()
    generator.close()
    with pytest.raises(ValueError):
        generator.generate(plan())


def test_rate_limited_from_the_mock_server(mock_generator, mock):
    mock.script({"status": 429, "headers": {"retry-after": "2"},
                 "error": {"type": "rate_limit_exceeded", "code": "rate_limit_exceeded", "message": "slow down"}})
    with pytest.raises(contentgen.RateLimitedError) as caught:
        mock_generator.generate(plan())
    error = caught.value
    assert error.status == 429
    assert error.retry_after == 2.0
    assert error.retryable is True
    assert error.request_id.startswith("req_mock_")
    assert error.provider == "openai"


def test_upstream_error_from_the_mock_server(mock_generator, mock):
    mock.script({"status": 500, "error": {"type": "server_error", "code": "boom", "message": "it broke"}})
    with pytest.raises(contentgen.UpstreamError) as caught:
        mock_generator.generate(plan())
    error = caught.value
    assert (error.status, error.provider_code) == (500, "boom")
    assert error.request_id.startswith("req_mock_")


def test_timeout_is_the_builtin_timeout(mock_generator, mock):
    mock.script({"fault": "hang"})
    with pytest.raises(TimeoutError) as caught:
        mock_generator.generate(plan(), timeout=0.3)
    assert isinstance(caught.value, contentgen.TimeoutError)


def test_error_classes_map_every_code():
    classes = [contentgen.InvalidArgumentError, contentgen.NotFoundError, contentgen.ConflictError,
               contentgen.UnauthorizedError, contentgen.RateLimitedError, contentgen.UpstreamError,
               contentgen.TimeoutError, contentgen.BudgetExceededError, contentgen.UnknownModelError,
               contentgen.StorageError, contentgen.UnavailableError, contentgen.CancelledError,
               contentgen.InternalError]
    assert [c.code for c in classes] == list(range(1, 14))
    assert all(issubclass(c, contentgen.ContentgenError) for c in classes)
    assert issubclass(contentgen.UnauthorizedError, PermissionError)
    assert issubclass(contentgen.UnavailableError, ConnectionError)
