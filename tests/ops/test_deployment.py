"""The shipped deployment files as an operator installs them: deploy/nginx/bioproject.conf passes
`nginx -t` inside Debian's own nginx.conf (in place of its conf.d/ and sites-enabled/), and
deploy/gunicorn.conf.py starts servers that leave each other alone and recycle a worker only for
its memory, one at a time."""

import gzip
import http.server
import os
import re
import runpy
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import brotli
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_NGINX = ROOT / "deploy" / "nginx" / "bioproject.conf"
SHIPPED_GUNICORN = ROOT / "deploy" / "gunicorn.conf.py"
STOCK_NGINX = Path("/etc/nginx/nginx.conf")


def stock_nginx_with_the_shipped_file(tmp_path):
    """Debian's nginx.conf, its includes of conf.d/ and sites-enabled/ replaced by the shipped file."""
    stock = STOCK_NGINX.read_text()
    conf, found = re.subn(r"include\s+/etc/nginx/conf\.d/\*\.conf;", f"include {SHIPPED_NGINX};", stock)
    assert found == 1, "the stock nginx.conf includes conf.d/*.conf in its http block"
    conf = re.sub(r"include\s+/etc/nginx/sites-enabled/\*;", "", conf)
    path = tmp_path / "nginx.conf"
    path.write_text(conf)
    return path


def test_the_shipped_nginx_configuration_passes_nginx_t_on_a_stock_debian_nginx(tmp_path):
    if not shutil.which("nginx") or not STOCK_NGINX.is_file():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    if os.geteuid() != 0:
        pytest.skip(
            "needs root: the stock configuration opens its logs and makes its cache directory as root"
        )
    conf = stock_nginx_with_the_shipped_file(tmp_path)
    run = subprocess.run(["nginx", "-t", "-c", str(conf)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "test is successful" in run.stderr
    # The cache directory nginx made itself, in a parent Debian's package provides.
    cache = re.search(r"^proxy_cache_path (\S+)", SHIPPED_NGINX.read_text(), re.M).group(1)
    assert Path(cache).is_dir()


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_shipped_gunicorn(tmp_path, name, **env):
    """deploy/gunicorn.conf.py serving /healthz on a free port, with HOME in tmp_path."""
    port = free_port()
    log = open(tmp_path / f"{name}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(SHIPPED_GUNICORN), "bioproject.wsgi"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "XDG_"))},
            "HOME": str(tmp_path / "home"),
            "DATA_DIR": str(tmp_path / "data"),
            "SECRET_KEY": "test-only-not-a-production-key",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            **env,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, (tmp_path / f"{name}.log").read_text()
        assert time.monotonic() < deadline, f"gunicorn {name} did not answer /healthz"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.1)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_two_shipped_app_servers_on_one_machine_keep_their_own_control_sockets_or_none(tmp_path):
    (tmp_path / "home").mkdir()
    own = tmp_path / "second.ctl"
    first = start_shipped_gunicorn(tmp_path, "first")
    try:
        second = start_shipped_gunicorn(tmp_path, "second", GUNICORN_CONTROL_SOCKET=str(own))
        try:
            # No socket at the one path every gunicorn of this user shares by default...
            assert not (tmp_path / "home" / ".gunicorn").exists()
            # ...and the one asked for is there, at its own path, after the other server started.
            assert own.is_socket()
        finally:
            stop(second)
    finally:
        stop(first)


def worker(pid):
    return SimpleNamespace(pid=pid, alive=True, log=SimpleNamespace(info=lambda *args: None))


def test_a_worker_is_recycled_for_its_memory_and_never_together_with_another(tmp_path, monkeypatch):
    config = runpy.run_path(str(SHIPPED_GUNICORN))
    assert config["max_requests"] == 0  # no restarts by count: they come all at once
    hook = config["post_request"]
    hook.__globals__["recycle_lock"] = str(tmp_path / "lock")
    (tmp_path / "lock").write_text("")
    workers = [worker(1), worker(2)]
    hook.__globals__["MAX_WORKER_BYTES"] = 10**15  # far above: nothing happens
    for each in workers:
        hook(each, None, {}, None)
    assert [each.alive for each in workers] == [True, True]

    hook.__globals__["MAX_WORKER_BYTES"] = 1  # both above at once
    for each in workers:
        each.next_memory_check = 0
        hook(each, None, {}, None)
    assert [each.alive for each in workers] == [False, True]
    # The second one waits for the gap, however often it is asked...
    for _ in range(3):
        workers[1].next_memory_check = 0
        hook(workers[1], None, {}, None)
    assert workers[1].alive
    # ...counted from the moment the first one's successor is ready...
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + config["RECYCLE_GAP"] - 1)
    config["post_worker_init"](worker(3))
    monkeypatch.setattr(time, "time", lambda: real_time() + config["RECYCLE_GAP"] + 1)
    workers[1].next_memory_check = 0
    hook(workers[1], None, {}, None)
    assert workers[1].alive
    # ...and goes once it has passed.
    monkeypatch.setattr(time, "time", lambda: real_time() + 2 * config["RECYCLE_GAP"])
    workers[1].next_memory_check = 0
    hook(workers[1], None, {}, None)
    assert not workers[1].alive


class EncodingUpstream(http.server.BaseHTTPRequestHandler):
    """An app server that answers as the app does: Brotli, gzip or identity by Accept-Encoding,
    with Vary; it notes the Accept-Encoding it was sent."""

    protocol_version = "HTTP/1.1"
    body = ("<!doctype html><title>Cai Qi</title>" + "<p>蔡奇 held the post. " * 800).encode()
    seen = []

    def do_GET(self):
        accepted = self.headers.get("Accept-Encoding")
        self.seen.append(accepted)
        coding = (
            "br" if accepted and "br" in accepted else "gzip" if accepted and "gzip" in accepted else None
        )
        payload = {"br": brotli.compress, "gzip": gzip.compress}.get(coding, bytes)(self.body)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Vary", "Accept-Encoding")
        if coding:
            self.send_header("Content-Encoding", coding)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def test_the_shipped_nginx_passes_brotli_through_keeps_each_encoding_apart_and_compresses_nothing_twice(
    tmp_path,
):
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx)")
    sys.path.insert(0, str(ROOT / "tests" / "perf"))
    from front import bench_config, stop, wait_up, wrapper_config

    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EncodingUpstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    for name in ("cache", "floor", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir()
    listen = free_port()
    (tmp_path / "bioproject.conf").write_text(bench_config([upstream.server_port], listen, tmp_path))
    (tmp_path / "nginx.conf").write_text(wrapper_config(tmp_path, free_port()))
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{listen}/people/cai-qi/"
        wait_up(url, nginx)
        readers = {  # what a reader sends: the coding it must get
            "gzip, deflate, br, zstd": "br",
            "gzip, deflate": "gzip",
            "identity": None,
            "br;q=0, gzip": "gzip",
            "br": "br",
            "gzip;q=0": None,
        }
        statuses = set()
        for _ in range(3):  # one after the other, each finding the others' answers in the cache
            for accepted, coding in readers.items():
                request = urllib.request.Request(url, headers={"Accept-Encoding": accepted})
                with urllib.request.urlopen(request, timeout=10) as response:
                    raw, headers = response.read(), response.headers
                assert headers.get("Content-Encoding") == coding, accepted
                assert headers["Vary"] == "Accept-Encoding"
                decoded = {"br": brotli.decompress, "gzip": gzip.decompress}.get(coding, bytes)(raw)
                assert decoded == EncodingUpstream.body, accepted  # decoded once: compressed once
                statuses.add(headers["X-Cache"])
        assert "HIT" in statuses
        # The app was asked in four classes only, whatever the readers wrote.
        assert set(EncodingUpstream.seen) <= {"br, gzip", "br", "gzip", None}
    finally:
        stop(nginx)
        upstream.shutdown()
