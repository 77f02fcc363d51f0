"""Processes for the contentgen end-to-end suites (tests/cli, tests/rest): the mock LLM server,
the CLI and `contentgen serve`, each on a free loopback port, with output in files (never in a
pipe that could fill up and stall the server)."""
import http.client
import json
import os
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib

CONTENTGEN = os.environ.get("CONTENTGEN_BIN", "")
MOCKLLM = os.environ.get("CONTENTGEN_MOCKLLM_BIN", "")


def require_binaries():
    missing = [name for name, path in (("CONTENTGEN_BIN", CONTENTGEN), ("CONTENTGEN_MOCKLLM_BIN", MOCKLLM))
               if not path or not os.access(path, os.X_OK)]
    if missing:
        raise RuntimeError("set %s to the built executables (CTest does)" % ", ".join(missing))


class Process:
    """A child process whose stdout/stderr go to files in `directory`."""

    def __init__(self, argv, directory, name, cwd=None, env=None, preexec_fn=None):
        self.out_path = os.path.join(directory, name + ".out")
        self.err_path = os.path.join(directory, name + ".err")
        self._out = open(self.out_path, "wb")
        self._err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(argv, stdout=self._out, stderr=self._err, cwd=cwd or directory, env=env,
                                     preexec_fn=preexec_fn)

    def wait_for_line(self, prefix, timeout=20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.out_path, "r", errors="replace") as f:
                for line in f:
                    if line.startswith(prefix) and line.endswith("\n"):
                        return line.strip()
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with %s: %s" % (prefix, self.proc.returncode, self.stderr()))
            time.sleep(0.02)
        raise RuntimeError("no line starting with %r within %s s; stderr: %s" % (prefix, timeout, self.stderr()))

    def stderr(self):
        with open(self.err_path, "r", errors="replace") as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM, timeout=30.0):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._out.close()
        self._err.close()
        return self.proc.returncode


def start_mock(directory, *extra, name="mockllm"):
    """contentgen-mockllm on a free port; returns (Process, base URL without /v1)."""
    p = Process([MOCKLLM, "--port", "0", *extra], directory, name)
    line = p.wait_for_line("contentgen-mockllm listening on ")
    return p, line.split()[-1]


def start_serve(directory, config_path, name="serve", env=None, preexec_fn=None):
    """`contentgen serve` on a free port; returns (Process, base URL)."""
    p = Process([CONTENTGEN, "serve", "--config", config_path, "--listen", "127.0.0.1:0"], directory, name, env=env,
                preexec_fn=preexec_fn)
    line = p.wait_for_line("contentgen serve listening on ")
    return p, line.split()[4]


def run_cli(args, cwd, env=None, timeout=120, stdin=None):
    """Runs the CLI to completion: CompletedProcess with text stdout/stderr."""
    return subprocess.run([CONTENTGEN, *args], cwd=cwd, env=env, timeout=timeout, capture_output=True, text=True,
                          input=stdin)


def clean_env(**extra):
    """The environment without anything that would change the CLI's configuration."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CONTENTGEN_CONFIG", "CONTENTGEN_WORKSPACE")}
    env.update(extra)
    return env


def http_request(base_url, method, path, body=None, headers=None, timeout=60):
    """One request on a fresh connection: (status, headers dict lower-case, body bytes)."""
    host_port = base_url.split("://", 1)[1]
    host, port = host_port.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        conn.close()


def mock_script(mock_url, entries):
    status, _, body = http_request(mock_url, "POST", "/_mock/script", entries)
    assert status == 200, body


def png_bytes(width=3, height=2):
    """A real (tiny, valid) PNG image."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def multipart(fields, boundary="cgtestboundary7MA4YWxkTrZu0gW"):
    """fields: list of (name, filename or None, content type or None, bytes). Returns (body, content type)."""
    out = b""
    for name, filename, content_type, data in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        disposition = 'form-data; name="%s"' % name
        if filename is not None:
            disposition += '; filename="%s"' % filename
        out += b"Content-Disposition: " + disposition.encode() + b"\r\n"
        if content_type:
            out += b"Content-Type: " + content_type.encode() + b"\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return out, "multipart/form-data; boundary=" + boundary


class TempDir:
    def __init__(self, prefix):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)
