"""Ports written in Python through the C vtables, exceptions raised inside them, streaming and
cancellation."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
import weakref

import pytest

import contentgen
from conftest import PNG, ScriptedProvider, plan, storage_config


class ProviderBroke(Exception):
    pass


def test_exception_in_a_python_provider_comes_back_out(generator, provider):
    error = ProviderBroke("the model server is on fire")
    provider.raise_next = error
    with pytest.raises(ProviderBroke) as caught:
        generator.generate(plan())
    assert caught.value is error
    # the generator is fine afterwards, and nothing was stored
    assert generator.list("ws-py").items == []
    assert generator.generate(plan()).title == "Python Title"


def test_contentgen_errors_from_a_provider_keep_their_class(generator, provider):
    provider.raise_next = contentgen.RateLimitedError("too fast", retry_after=3.0)
    with pytest.raises(contentgen.RateLimitedError) as caught:
        generator.generate(plan())
    assert caught.value.retry_after == 3.0


def test_provider_usage_beyond_int64_is_refused_not_wrapped(workdir):
    class Huge(contentgen.LlmProvider):
        def complete(self, request):
            return contentgen.ChatResponse(text="# Huge\n\nbill", usage=contentgen.Usage(prompt_tokens=2**64 + 10))

    with contentgen.Generator(storage_config(workdir), llm=Huge()) as generator:
        with pytest.raises(contentgen.InvalidArgumentError) as caught:
            generator.generate(plan())
        assert caught.value.field == "usage.prompt_tokens"
        assert generator.list("ws-py").items == []


def test_provider_returning_nonsense(workdir):
    class Bad(contentgen.LlmProvider):
        def complete(self, request):
            return 42

    with contentgen.Generator(storage_config(workdir), llm=Bad()) as bad:
        with pytest.raises(TypeError):
            bad.generate(plan())


def test_provider_sees_the_request(workdir):
    seen = []

    class Echo(contentgen.LlmProvider):
        name = "echo"

        def complete(self, request):
            seen.append(request)
            return "# Echo\n\nHello words here."

    config = storage_config(workdir, llm={"model": "gpt-4o", "temperature": 0.25, "max_tokens": 777})
    with contentgen.Generator(config, llm=Echo()) as generator:
        article = generator.generate(plan(title="Seen"), timeout=30)
    request = seen[0]
    assert (request.model, request.temperature, request.max_tokens) == ("gpt-4o", 0.25, 777)
    assert [m["role"] for m in request.messages][:2] == ["system", "user"]
    assert request.stream is False
    assert request.timeout is not None and 0 < request.timeout <= 30
    assert (article.provider, article.title) == ("echo", "Echo")
    with pytest.raises(RuntimeError):
        request.emit("too late")


def test_streaming_and_an_exception_in_on_delta(generator):
    pieces = []
    generator.generate(plan(), on_delta=pieces.append)
    assert "".join(pieces).startswith("# Python Title")

    def explode(text):
        raise ValueError("the UI went away")

    with pytest.raises(ValueError, match="the UI went away"):
        generator.generate(plan(title="Stream then fail"), on_delta=explode)
    assert [a.title for a in generator.list("ws-py").items] == ["Python Title"]


def test_cancellation_from_another_thread(generator, provider):
    provider.block_until_cancelled = True
    cancellation = contentgen.Cancellation()
    outcome = {}

    def run():
        try:
            generator.generate(plan(), cancellation=cancellation)
        except BaseException as e:  # noqa: B902
            outcome["error"] = e

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.1)
    assert not cancellation.cancelled
    cancellation.cancel()
    thread.join(10)
    assert cancellation.cancelled
    assert isinstance(outcome.get("error"), contentgen.CancelledError)


def test_timeout_with_a_python_provider(generator, provider):
    provider.block_until_cancelled = True
    with pytest.raises(contentgen.TimeoutError):
        generator.generate(plan(), timeout=0.1)


class DictStore(contentgen.ImageStore):
    def __init__(self):
        self.objects = {}
        self.fail_puts = None

    def put(self, key, data, content_type):
        if self.fail_puts:
            raise self.fail_puts
        self.objects[key] = (data, content_type)

    def get(self, key):
        if key not in self.objects:
            raise contentgen.NotFoundError(key)
        return self.objects[key][0]

    def remove(self, key):
        self.objects.pop(key, None)

    def url_for(self, key):
        return "mem://" + key


class ListSink(contentgen.EventSink):
    def __init__(self):
        self.events = []
        self.fail_next = None

    def publish(self, event):
        if self.fail_next:
            error, self.fail_next = self.fail_next, None
            raise error
        self.events.append(event)


def test_python_image_store_and_event_sink(workdir, provider):
    store, sink = DictStore(), ListSink()
    config = {"repository": {"url": "sqlite:%s" % (workdir / "db.sqlite")},
              "events": {"source": "contentgen://pytest/ports"}}
    with contentgen.Generator(config, llm=provider, images=store, events=sink) as generator:
        article = generator.generate(plan())
        gc.collect()  # the thunks must be owned by the generator, not by locals
        image = generator.upload_image("ws-py", article.id, PNG, "p.png")
        assert store.objects[image.storage_key] == (PNG, "image/png")
        assert image.url == "mem://" + image.storage_key

        failure = OSError("disk on fire")
        store.fail_puts = failure
        with pytest.raises(OSError) as caught:
            generator.upload_image("ws-py", article.id, PNG, "q.png")
        assert caught.value is failure
        store.fail_puts = None
        assert len(generator.get("ws-py", article.id).images) == 1

        sink.fail_next = ConnectionResetError("broker went away")
        with pytest.raises(ConnectionResetError):
            generator.relay_events()
        stats = generator.relay_events()  # the failed event is retried after its backoff, not now
        assert stats.failed == 0
        assert all(e["specversion"] == "1.0" and e["source"] == "contentgen://pytest/ports" for e in sink.events)
        assert {e["type"] for e in sink.events} <= {"article.generated", "image.uploaded"}

        generator.delete("ws-py", article.id)
        assert store.objects == {}


class StoreThatLosesTheRace(DictStore):
    """put() succeeds but deletes the article meanwhile (so the image row cannot be inserted);
    the cleanup's remove() then fails as well."""

    def __init__(self):
        super().__init__()
        self.on_put = None
        self.remove_failure = OSError("cleanup failed too")

    def put(self, key, data, content_type):
        super().put(key, data, content_type)
        if self.on_put:
            self.on_put()

    def remove(self, key):
        if self.remove_failure:
            raise self.remove_failure
        super().remove(key)


def test_a_failing_cleanup_does_not_hide_why_the_upload_failed(workdir, provider):
    store = StoreThatLosesTheRace()
    config = {"repository": {"url": "sqlite:%s" % (workdir / "db.sqlite")}}
    with contentgen.Generator(config, llm=provider, images=store) as generator:
        article = generator.generate(plan())
        store.on_put = lambda: generator.delete("ws-py", article.id)  # a nested call from the callback
        with pytest.raises(contentgen.ContentgenError) as caught:
            generator.upload_image("ws-py", article.id, PNG, "p.png")
        assert not isinstance(caught.value, OSError)
        assert caught.value.__cause__ is store.remove_failure  # still visible, chained
        assert "cleanup failed too" not in str(caught.value)


def test_store_exception_after_a_network_reply_comes_back_out(workdir, mock_url, mock):
    # With an HTTP provider the reply arrives on the library's I/O thread; the HTML export that
    # follows it still runs on the calling thread, so the store's exception is the one raised here.
    store = DictStore()
    failure = OSError("bucket gone")
    store.fail_puts = failure
    config = {"repository": {"url": "sqlite:%s" % (workdir / "db.sqlite")},
              "llm": {"provider": "openai", "base_url": mock_url, "auth": "none", "max_retries": 0},
              "generator": {"export_html": True}}
    with contentgen.Generator(config, images=store) as generator:
        with pytest.raises(OSError) as caught:
            generator.generate(plan())
        assert caught.value is failure
        assert generator.list("ws-py").items == []
        store.fail_puts = None
        article = generator.generate(plan())
        assert store.objects[article.html_url[len("mem://"):]][1].startswith("text/html")


def test_many_generators_release_their_ports(workdir):
    ports = []
    for i in range(20):
        llm, store, sink = ScriptedProvider(), DictStore(), ListSink()
        ports += [weakref.ref(llm), weakref.ref(store), weakref.ref(sink)]
        with contentgen.Generator({"repository": {"url": "sqlite:%s" % (workdir / ("%d.db" % i))}},
                                  llm=llm, images=store, events=sink) as generator:
            generator.generate(plan())
        del llm, store, sink, generator
    gc.collect()
    # close() let go of every port (their thunks and vtables with them): nothing keeps them alive.
    assert [ref for ref in ports if ref() is not None] == []


def test_port_base_classes_are_abstract():
    class HalfStore(contentgen.ImageStore):
        def put(self, key, data, content_type):
            pass

    with pytest.raises(TypeError):
        HalfStore()  # get/remove/url_for missing: refused at construction, not at the first call
    with pytest.raises(TypeError):
        contentgen.LlmProvider()
    with pytest.raises(TypeError):
        contentgen.EventSink()


_DROPPED_ON_THE_RELAY_THREAD = r'''
import gc, sys, threading, time
sys.path.insert(0, sys.argv[1])
import contentgen
from conftest import ScriptedProvider, plan

published = threading.Event()
holder = []

class DroppingSink(contentgen.EventSink):
    def publish(self, event):
        holder.clear()   # the last reference to the generator goes away on the relay thread
        gc.collect()
        published.set()

config = {"repository": {"url": "sqlite:" + sys.argv[2]},
          "events": {"relay": "background", "relay_poll_interval_ms": 10}}
generator = contentgen.Generator(config, llm=ScriptedProvider(), events=DroppingSink())
generator.generate(plan())
holder.append(generator)
del generator
assert published.wait(10), "the relay never published"
for thread in threading.enumerate():
    if thread.name == "contentgen-close":
        thread.join(10)
print("closed cleanly")
'''


def test_a_generator_collected_on_its_own_relay_thread_closes_without_deadlock(workdir):
    # In a child process: closing on the relay thread used to join that thread from itself, which
    # terminates the process -- a crash must fail this test, not the whole session.
    script = workdir / "drop.py"
    script.write_text(_DROPPED_ON_THE_RELAY_THREAD)
    result = subprocess.run([sys.executable, str(script), os.path.dirname(__file__), str(workdir / "db.sqlite")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "closed cleanly" in result.stdout
