"""contentgen end to end against contentgen-mockllm: the embedded defaults in a temp working
directory (SQLite, filesystem images, JSONL events), real processes, real exit statuses."""
import json
import os
import signal
import sqlite3
import subprocess
import time

from cgprocs import CONTENTGEN, clean_env, mock_script, png_bytes, run_cli

PLAN = {"id": "plan-coffee", "title": "How to brew great coffee at home", "target_keywords": ["coffee", "brewing"],
        "estimated_word_count": 600, "tone": "friendly"}


def write_plan(workdir, plan=PLAN, name="plan.json"):
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        json.dump(plan, f)
    return path


def generate_json(workdir, env, plan=PLAN):
    r = run_cli(["generate", "--plan", write_plan(workdir, plan), "--json"], workdir, env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_missing_key_is_one_line_telling_what_to_set(workdir):
    write_plan(workdir)
    r = run_cli(["generate", "--plan", "plan.json"], workdir, clean_env())
    assert r.returncode == 11, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for needle in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "Ollama", "vLLM", "llama.cpp", "contentgen-mockllm"):
        assert needle in lines[0]
    assert r.stdout == ""
    # Nothing was invented: no article exists afterwards.
    listed = run_cli(["articles", "list", "--json"], workdir, clean_env())
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["items"] == []


def test_generate_prints_summary_with_exact_cost(workdir, env):
    write_plan(workdir)
    r = run_cli(["generate", "--plan", "plan.json"], workdir, env)
    assert r.returncode == 0, r.stderr
    fields = dict(line.split(":", 1) for line in r.stdout.splitlines() if ":" in line)
    for key in ("id", "title", "words", "cost", "model", "finish"):
        assert key in fields, r.stdout
    assert fields["cost"].strip().startswith("$0.")
    assert "nano-USD" in fields["cost"]
    assert fields["finish"].strip() == "stop"
    # The defaults wrote where they say they do.
    assert os.path.exists(os.path.join(workdir, "contentgen.db"))


def test_generate_json_cost_matches_the_cost_command(workdir, env):
    article = generate_json(workdir, env)
    assert article["workspace_id"] == "default"
    assert article["plan_id"] == "plan-coffee"
    assert article["word_count"] > 100
    usage = article["usage"]
    r = run_cli(["cost", "--model", article["model"], "--prompt-tokens", str(usage["prompt_tokens"]),
                 "--completion-tokens", str(usage["completion_tokens"]), "--cached-tokens", str(usage["cached_tokens"]),
                 "--json"], workdir, env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["cost_nanousd"] == article["cost_nanousd"]
    # Idempotent: the same plan id returns the same article without another LLM call.
    again = generate_json(workdir, env)
    assert again["id"] == article["id"]


def test_fallback_provider_serves_when_the_first_is_down(workdir, env, mock_url):
    # The first provider's port refuses connections (unavailable, retryable): the configured
    # fallback serves with its own model, and the article is priced at that model's rate.
    config = {"repository": {"url": "sqlite:fallback.db"},
              "llm": {"provider": "openai", "base_url": "http://127.0.0.1:1/v1", "auth": "none", "max_retries": 0,
                      "fallback": [{"provider": "openai", "base_url": mock_url + "/v1", "auth": "none",
                                    "model": "gpt-4o"}]}}
    with open(os.path.join(workdir, "fallback.json"), "w") as f:
        json.dump(config, f)
    r = run_cli(["generate", "--plan", write_plan(workdir), "--json", "--config", "fallback.json"], workdir, env)
    assert r.returncode == 0, r.stderr
    article = json.loads(r.stdout)
    assert article["model"] == "gpt-4o"
    usage = article["usage"]
    cost = run_cli(["cost", "--model", "gpt-4o", "--prompt-tokens", str(usage["prompt_tokens"]),
                    "--completion-tokens", str(usage["completion_tokens"]), "--json"], workdir, env)
    assert json.loads(cost.stdout)["cost_nanousd"] == article["cost_nanousd"]


def test_generate_stream_prints_text_then_summary(workdir, env):
    write_plan(workdir, dict(PLAN, id="plan-stream"))
    r = run_cli(["generate", "--plan", "plan.json", "--stream"], workdir, env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.lstrip().startswith("#"), r.stdout[:200]  # Markdown, as it arrived
    assert "cost:" in r.stderr and "id:" in r.stderr


def test_model_override_and_unknown_model(workdir, env):
    write_plan(workdir, dict(PLAN, id="plan-model"))
    r = run_cli(["generate", "--plan", "plan.json", "--model", "gpt-4o", "--json"], workdir, env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["model"] == "gpt-4o"
    write_plan(workdir, dict(PLAN, id="plan-unknown"))
    r = run_cli(["generate", "--plan", "plan.json", "--model", "no-such-model-9"], workdir, env)
    assert r.returncode == 19, r.stderr  # unknown_model: never priced at $0
    assert "unknown_model" in r.stderr and "hint:" in r.stderr


def test_plan_validation_error_names_the_field(workdir, env):
    write_plan(workdir, {"title": "Too short", "estimated_word_count": 5})
    r = run_cli(["generate", "--plan", "plan.json"], workdir, env)
    assert r.returncode == 11
    assert "plan.estimated_word_count" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_batch_with_one_scripted_failure(workdir, env, mock_url):
    plans = [dict(PLAN, id="batch-%d" % i, title="Batch article %d about tea" % i) for i in range(12)]
    with open(os.path.join(workdir, "plans.jsonl"), "w") as f:
        for p in plans:
            f.write(json.dumps(p) + "\n")
    # One non-retryable provider failure for whichever plan comes first.
    mock_script(mock_url, {"status": 400, "error": {"type": "invalid_request_error", "message": "scripted failure"}})
    r = run_cli(["generate", "--plans", "plans.jsonl", "--concurrency", "4", "--progress-interval", "0.2"], workdir, env)
    assert r.returncode == 1, r.stderr
    assert "11 saved, 1 failed of 12" in r.stderr
    assert "progress: " in r.stderr  # not a terminal: plain lines
    assert "scripted failure" in r.stderr
    with open(os.path.join(workdir, "plans.failed.jsonl")) as f:
        failed = [json.loads(line) for line in f]
    assert len(failed) == 1 and failed[0] in plans
    # The failed plans file feeds back as it is.
    r = run_cli(["generate", "--plans", "plans.failed.jsonl"], workdir, env)
    assert r.returncode == 0, r.stderr
    listed = json.loads(run_cli(["articles", "list", "--json", "--limit", "100"], workdir, env).stdout)
    assert sorted(a["plan_id"] for a in listed["items"]) == sorted(p["id"] for p in plans)


def test_batch_ctrl_c_cancels_and_reports_what_was_saved(tmp_path, tmp_root):
    import cgprocs
    slow, slow_url = cgprocs.start_mock(tmp_root, "--latency-ms", "400", name="slow-mock")
    try:
        workdir = str(tmp_path)
        with open(os.path.join(workdir, "plans.jsonl"), "w") as f:
            for i in range(40):
                f.write(json.dumps({"id": "int-%d" % i, "title": "Interrupted batch %d" % i}) + "\n")
        env = clean_env(OPENAI_BASE_URL=slow_url + "/v1")
        proc = subprocess.Popen([CONTENTGEN, "generate", "--plans", "plans.jsonl", "--concurrency", "3"], cwd=workdir,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert "interrupted" in err
        saved = int(err.split("summary: ")[1].split(" saved")[0])
        assert 0 < saved < 40
        with open(os.path.join(workdir, "plans.failed.jsonl")) as f:
            retry = [json.loads(line)["id"] for line in f]
        listed = json.loads(run_cli(["articles", "list", "--json", "--limit", "100"], workdir, env).stdout)
        stored = [a["plan_id"] for a in listed["items"]]
        assert len(stored) == saved
        # Every plan is either stored or in the file to feed back -- none lost, none in both.
        assert sorted(stored + retry) == sorted("int-%d" % i for i in range(40))
    finally:
        slow.stop()


def test_articles_list_get_update_delete(workdir, env):
    a = generate_json(workdir, env, dict(PLAN, id="crud-1", title="First article about tea"))
    b = generate_json(workdir, env, dict(PLAN, id="crud-2", title="Second article about tea"))
    r = run_cli(["articles", "list"], workdir, env)
    assert r.returncode == 0 and a["id"] in r.stdout and b["id"] in r.stdout
    page = json.loads(run_cli(["articles", "list", "--json", "--limit", "1"], workdir, env).stdout)
    assert len(page["items"]) == 1 and page["next_cursor"]
    page2 = json.loads(run_cli(["articles", "list", "--json", "--limit", "1", "--cursor", page["next_cursor"]],
                               workdir, env).stdout)
    assert {page["items"][0]["id"], page2["items"][0]["id"]} == {a["id"], b["id"]}

    r = run_cli(["articles", "get", a["id"]], workdir, env)
    assert r.returncode == 0 and a["content"].strip()[:40] in r.stdout
    r = run_cli(["articles", "update", a["id"], "--title", "Renamed", "--status", "published", "--version", "1",
                 "--json"], workdir, env)
    assert r.returncode == 0, r.stderr
    updated = json.loads(r.stdout)
    assert (updated["title"], updated["status"], updated["version"]) == ("Renamed", "published", 2)
    r = run_cli(["articles", "update", a["id"], "--title", "Stale", "--version", "1"], workdir, env)
    assert r.returncode == 13, r.stderr  # conflict
    assert len(r.stderr.strip().splitlines()) == 1 and "hint:" in r.stderr
    r = run_cli(["articles", "list", "--status", "published", "--json"], workdir, env)
    assert [x["id"] for x in json.loads(r.stdout)["items"]] == [a["id"]]
    # Another workspace does not see it.
    r = run_cli(["articles", "get", a["id"], "--workspace", "other"], workdir, env)
    assert r.returncode == 12, r.stderr
    r = run_cli(["articles", "delete", a["id"]], workdir, env)
    assert r.returncode == 0, r.stderr
    r = run_cli(["articles", "get", a["id"]], workdir, env)
    assert r.returncode == 12 and "not_found" in r.stderr


def test_images_upload_and_delete(workdir, env):
    a = generate_json(workdir, env, dict(PLAN, id="img-1"))
    with open(os.path.join(workdir, "pixel.png"), "wb") as f:
        f.write(png_bytes(3, 2))
    r = run_cli(["images", "upload", a["id"], "pixel.png", "--alt", "a red pixel", "--json"], workdir, env)
    assert r.returncode == 0, r.stderr
    image = json.loads(r.stdout)
    assert (image["content_type"], image["width"], image["height"]) == ("image/png", 3, 2)
    assert image["url"].startswith("file://") and os.path.exists(image["url"][len("file://"):])
    got = json.loads(run_cli(["articles", "get", a["id"], "--json"], workdir, env).stdout)
    assert [i["id"] for i in got["images"]] == [image["id"]]
    # Forged: text in a file called .png is refused from its bytes.
    with open(os.path.join(workdir, "forged.png"), "w") as f:
        f.write("not an image at all")
    r = run_cli(["images", "upload", a["id"], "forged.png"], workdir, env)
    assert r.returncode == 11 and "image" in r.stderr
    r = run_cli(["images", "delete", a["id"], image["id"]], workdir, env)
    assert r.returncode == 0, r.stderr
    assert not os.path.exists(image["url"][len("file://"):])
    r = run_cli(["images", "delete", a["id"], image["id"]], workdir, env)
    assert r.returncode == 12


def test_events_relay_once_writes_the_cloudevent(workdir, env):
    a = generate_json(workdir, env, dict(PLAN, id="evt-1"))
    r = run_cli(["events", "relay", "--once"], workdir, env)
    assert r.returncode == 0, r.stderr
    assert "relayed 1 event" in r.stdout
    with open(os.path.join(workdir, "contentgen-data", "events.jsonl")) as f:
        events = [json.loads(line) for line in f]
    generated = [e for e in events if e["type"] == "article.generated"]
    assert [e["subject"] for e in generated] == [a["id"]]
    assert generated[0]["data"]["cost_usd"] == a["cost_usd"]
    r = run_cli(["events", "relay", "--once"], workdir, env)
    assert "relayed 0 events" in r.stdout


def test_events_relay_once_ctrl_c_stops_between_batches(workdir, env):
    # A backlog big enough to take seconds (one durable mark per row), put straight into the outbox.
    r = run_cli(["migrate"], workdir, env)
    assert r.returncode == 0, r.stderr
    total = 20000
    db = sqlite3.connect(os.path.join(workdir, "contentgen.db"))
    db.executemany("INSERT INTO outbox (id, workspace_id, type, subject, payload, created_at) VALUES (?,?,?,?,?,?)",
                   [("evt-%06d" % i, "default", "article.generated", "art-%d" % i, json.dumps({"article_id": "art-%d" % i}),
                     1_700_000_000_000_000 + i) for i in range(total)])
    db.commit()
    db.close()
    events_path = os.path.join(workdir, "contentgen-data", "events.jsonl")

    def relayed_ids():
        with open(events_path) as f:
            return [json.loads(line)["id"] for line in f]

    proc = subprocess.Popen([CONTENTGEN, "events", "relay", "--once"], cwd=workdir, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (os.path.exists(events_path) and os.path.getsize(events_path) > 0) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    done = relayed_ids()
    assert 0 < len(done) < total, "Ctrl-C was not honoured before the backlog was drained"
    assert "relayed %d events" % len(done) in out
    # The rest is still in the outbox: relaying again delivers each remaining event once.
    r = run_cli(["events", "relay", "--once"], workdir, env, timeout=300)
    assert r.returncode == 0, r.stderr
    everything = relayed_ids()
    assert len(everything) == total and len(set(everything)) == total


def test_cost_is_exact(workdir):
    r = run_cli(["cost", "--model", "gpt-4o-mini", "--prompt-tokens", "1000", "--completion-tokens", "500"], workdir,
                clean_env())
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("$0.000450000  (450000 nano-USD)")
    # 800 uncached at 0.15 + 200 cached at 0.075 + 500 output at 0.60, per million: 0.000435
    r = run_cli(["cost", "--model", "gpt-4o-mini-2024-07-18", "--prompt-tokens", "1000", "--completion-tokens", "500",
                 "--cached-tokens", "200", "--json"], workdir, clean_env())
    assert json.loads(r.stdout)["cost_usd"] == "0.000435000"
    r = run_cli(["cost", "--model", "no-such-model", "--prompt-tokens", "1", "--completion-tokens", "1"], workdir,
                clean_env())
    assert r.returncode == 19
    # A model the configuration adds may hold any character: --json still prints valid JSON.
    odd = 'house "blend" \\ v1'
    with open(os.path.join(workdir, "prices.json"), "w") as f:
        json.dump({"prices": {"models": [{"model": odd, "provider": "openai", "input": "1", "output": "2",
                                          "effective_date": "2026-01-01", "source": "test"}]}}, f)
    r = run_cli(["cost", "--config", "prices.json", "--model", odd, "--prompt-tokens", "1000000",
                 "--completion-tokens", "1000000", "--json"], workdir, clean_env())
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["model"] == odd and json.loads(r.stdout)["cost_usd"] == "3.000000000"
    r = run_cli(["cost", "--model", "gpt-4o-mini", "--prompt-tokens", "-1", "--completion-tokens", "1"], workdir,
                clean_env())
    assert r.returncode == 2


def test_prices_and_migrate(workdir):
    r = run_cli(["prices", "--json"], workdir, clean_env())
    assert r.returncode == 0
    assert "gpt-4o-mini" in [m["model"] for m in json.loads(r.stdout)["models"]]
    r = run_cli(["migrate"], workdir, clean_env())
    assert r.returncode == 0, r.stderr
    assert "schema version" in r.stdout


def test_bad_config_names_the_key(workdir, env):
    with open(os.path.join(workdir, "bad.json"), "w") as f:
        json.dump({"repository": {"url": "sqlite:x.db", "pool_sise": 3}}, f)
    r = run_cli(["articles", "list", "--config", "bad.json"], workdir, env)
    assert r.returncode == 11
    assert "repository.pool_sise" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run_cli(["articles", "list", "--config", "missing.json"], workdir, env)
    assert r.returncode == 11 and "missing.json" in r.stderr
    with open(os.path.join(workdir, "broken.json"), "w") as f:
        f.write("{not json")
    r = run_cli(["articles", "list", "--config", "broken.json"], workdir, env)
    assert r.returncode == 11


def test_config_precedence_flag_then_env_then_defaults(workdir, env):
    def config(name, db):
        with open(os.path.join(workdir, name), "w") as f:
            json.dump({"repository": {"url": "sqlite:" + db}}, f)
    config("a.json", "a.db")
    config("b.json", "b.db")
    assert run_cli(["migrate"], workdir, dict(env, CONTENTGEN_CONFIG="b.json")).stdout.startswith("sqlite:b.db")
    assert run_cli(["migrate", "--config", "a.json"], workdir,
                   dict(env, CONTENTGEN_CONFIG="b.json")).stdout.startswith("sqlite:a.db")
    assert run_cli(["migrate"], workdir, env).stdout.startswith("sqlite:contentgen.db")
    # A config file without an llm section is not silently completed from the environment.
    write_plan(workdir)
    r = run_cli(["generate", "--plan", "plan.json", "--config", "a.json"], workdir, env)
    assert r.returncode == 11 and "llm" in r.stderr


def test_usage_errors_and_help_on_every_command(workdir):
    r = run_cli(["generate", "--plann", "x"], workdir, clean_env())
    assert r.returncode == 2 and "--plann" in r.stderr
    assert run_cli(["articles"], workdir, clean_env()).returncode == 2
    assert run_cli(["frobnicate"], workdir, clean_env()).returncode == 2
    assert run_cli([], workdir, clean_env()).returncode == 2
    overview = run_cli(["--help"], workdir, clean_env())
    assert overview.returncode == 0
    commands = [line.split("  ")[1].strip() for line in overview.stdout.split("commands:\n")[1].split("\n\n")[0].splitlines()]
    assert len(commands) == 13, commands
    for command in commands:
        r = run_cli(command.split() + ["--help"], workdir, clean_env())
        assert r.returncode == 0, command
        assert r.stdout.startswith("usage: contentgen " + command), command


def test_batch_draws_a_progress_bar_on_a_terminal(workdir, env):
    import pty
    with open(os.path.join(workdir, "plans.jsonl"), "w") as f:
        for i in range(6):
            f.write(json.dumps({"id": "tty-%d" % i, "title": "Terminal batch %d" % i}) + "\n")
    # stderr on a pseudo-terminal: the bar is redrawn in place with \r and an erase-line sequence.
    master, slave = pty.openpty()
    proc = subprocess.Popen([CONTENTGEN, "generate", "--plans", "plans.jsonl"], cwd=workdir, env=env,
                            stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    assert proc.wait(30) == 0
    text = output.decode()
    assert "\r\x1b[K[" in text
    assert "] 6/6 ok 6 failed 0 $0." in text
    assert "progress: " not in text  # the plain form is for logs only
    assert "summary: 6 saved, 0 failed of 6" in text


def test_single_generate_ctrl_c_saves_nothing(tmp_path, tmp_root):
    import cgprocs
    slow, slow_url = cgprocs.start_mock(tmp_root, "--latency-ms", "5000", name="very-slow-mock")
    try:
        workdir = str(tmp_path)
        write_plan(workdir)
        env = clean_env(OPENAI_BASE_URL=slow_url + "/v1")
        proc = subprocess.Popen([CONTENTGEN, "generate", "--plan", "plan.json"], cwd=workdir, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.7)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert time.monotonic() - started < 3  # the call was aborted, not waited for
        assert "nothing was saved" in err
        listed = json.loads(run_cli(["articles", "list", "--json"], workdir, env).stdout)
        assert listed["items"] == []
    finally:
        slow.stop()


def test_serve_refuses_to_start_without_llm_or_keys(workdir, env):
    r = run_cli(["serve", "--listen", "127.0.0.1:0"], workdir, clean_env())
    assert r.returncode == 11 and "OPENAI_API_KEY" in r.stderr
    r = run_cli(["serve", "--listen", "127.0.0.1:0"], workdir, env)
    assert r.returncode == 11 and "server.api_keys" in r.stderr
    r = run_cli(["serve", "--listen", "nonsense"], workdir, env)
    assert r.returncode == 11 and "--listen" in r.stderr


def test_events_relay_runs_until_sigterm(workdir, env):
    generate_json(workdir, env, dict(PLAN, id="relay-loop-1"))
    relay = subprocess.Popen([CONTENTGEN, "events", "relay", "--interval", "0.1"], cwd=workdir, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        events_path = os.path.join(workdir, "contentgen-data", "events.jsonl")
        second = generate_json(workdir, env, dict(PLAN, id="relay-loop-2"))  # relayed while it runs
        deadline = time.monotonic() + 15
        subjects = []
        while time.monotonic() < deadline:
            if os.path.exists(events_path):
                with open(events_path) as f:
                    subjects = [json.loads(line)["subject"] for line in f if line.endswith("\n")]
                if second["id"] in subjects:
                    break
            time.sleep(0.05)
        assert second["id"] in subjects and len(subjects) == 2
    finally:
        relay.send_signal(signal.SIGTERM)
        out, err = relay.communicate(timeout=15)
    assert relay.returncode == 0, err
    assert "stopped: 2 relayed, 0 failed" in err


def test_spend_reports_total_and_estimated_part(workdir, env):
    article = generate_json(workdir, env, dict(PLAN, id="spend-1"))
    r = run_cli(["spend", "--json"], workdir, env)
    assert r.returncode == 0, r.stderr
    spend = json.loads(r.stdout)
    assert spend["workspace_id"] == "default"
    assert spend["total_nanousd"] == article["cost_nanousd"] and spend["calls"] == 1
    assert spend["estimated_nanousd"] == 0 and spend["reported_nanousd"] == article["cost_nanousd"]
    text = run_cli(["spend"], workdir, env).stdout
    assert "total:     $" + article["cost_usd"] + "  (1 calls)" in text
    assert "estimated: $0.000000000" in text
    assert json.loads(run_cli(["spend", "--json", "--workspace", "other"], workdir, env).stdout)["calls"] == 0
    r = run_cli(["spend", "--since", "last week"], workdir, env)
    assert r.returncode == 2 and "--since" in r.stderr


def test_library_warnings_go_to_stderr_under_log_level(workdir, env):
    with open(os.path.join(workdir, "insecure.json"), "w") as f:
        json.dump({"llm": {"provider": "openai", "base_url": "https://127.0.0.1:9/v1", "auth": "none",
                           "insecure_skip_verify": True},
                   "repository": {"url": "sqlite:" + os.path.join(workdir, "log.db")}}, f)
    r = run_cli(["articles", "list", "--config", "insecure.json"], workdir, env)
    assert r.returncode == 0, r.stderr
    assert "contentgen: warning: http: TLS certificate and hostname verification is DISABLED" in r.stderr
    r = run_cli(["--log-level", "error", "articles", "list", "--config", "insecure.json"], workdir, env)
    assert r.returncode == 0 and "DISABLED" not in r.stderr
    r = run_cli(["articles", "list", "--config", "insecure.json", "--log-level", "loud"], workdir, env)
    assert r.returncode == 2 and "--log-level" in r.stderr
