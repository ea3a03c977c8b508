"""The production shape on one machine: nginx (Debian package, deploy/nginx/bioproject.conf) in
front of two gunicorn app servers sharing PostgreSQL and Redis.

`front_phase` starts them on loopback ports (nginx as a non-daemon process with a temporary
prefix; only the lines of the shipped file marked "# bench:" are rewritten), then measures:
- the profile page through nginx against the static floor: a file of the same bytes served by
  the same nginx, each between two runs of the other (ratio, target ≥ 0.5);
- the publication-to-reader delay through nginx: a publication made through the services in
  another process (as a reviewer's server would), and a reader polling nginx every 5 ms
  (target ≤ 1 s; nginx's micro-cache holds a page 1 s).
Everything is stopped at the end.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "deploy" / "nginx" / "bioproject.conf"
PY = sys.executable


def bench_config(app_ports, listen_port, prefix):
    """The shipped configuration with its "# bench:" lines pointed at this machine."""
    lines, servers_done = [], False
    for line in SHIPPED.read_text().splitlines():
        if "# bench: app server" in line:
            if not servers_done:
                lines += [f"    server 127.0.0.1:{port} max_fails=2 fail_timeout=5s;" for port in app_ports]
                servers_done = True
            continue
        if "# bench: cache path" in line:
            line = re.sub(r"proxy_cache_path \S+", f"proxy_cache_path {prefix}/cache", line)
        elif "# bench: listen" in line:
            line = f"    listen 127.0.0.1:{listen_port};"
        elif "# bench: trusted proxies" in line:
            line = "    set_real_ip_from 127.0.0.1;"
        lines.append(line)
    return "\n".join(lines) + "\n"


def terminator_config(prefix, https_port, http_port, front_port):
    """A TLS terminator in front of nginx, as the load balancer of docs/deployment.md: HTTPS on one
    port (a self-signed certificate made here), plain HTTP on another, both to the front with
    X-Forwarded-Proto and X-Forwarded-For."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + [
            "-keyout",
            f"{prefix}/tls.key",
            "-out",
            f"{prefix}/tls.crt",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return f"""
    server {{
        listen 127.0.0.1:{https_port} ssl;
        listen 127.0.0.1:{http_port};
        ssl_certificate {prefix}/tls.crt;
        ssl_certificate_key {prefix}/tls.key;
        location / {{
            proxy_pass http://127.0.0.1:{front_port};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}
"""


def wrapper_config(prefix, floor_port, extra=""):
    return f"""worker_processes 1;
user root;
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    sendfile on;  # as Debian's nginx.conf
    tcp_nopush on;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/bioproject.conf;
    server {{
        listen 127.0.0.1:{floor_port};
        root {prefix}/floor;
        etag on;
    }}{extra}
}}
"""


def wait_up(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {seconds}s")


def stop(process):
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


PUBLISH = """
import time
from django.contrib.auth import get_user_model
from profiles import editing, publishing
from profiles.models import Person
person = Person.objects.get(slug={slug!r})
user, _ = get_user_model().objects.get_or_create(
    username="bench-admin", defaults={{"is_staff": True, "is_superuser": True}}
)
person.summary = person.summary.split(" [front")[0] + " [front {marker}]"
editing.record_save(record=person, user=user, reason="Benchmark edit")
person = Person.objects.get(pk=person.pk)
seen = publishing.working_digest(person)
revision = publishing.profile_publish(person=person, user=user, comment="Front", seen=seen)
print("COMMITTED", repr(time.time()), revision.number)
"""


def publication_delay(env, base, slug):
    """Seconds from the commit of a publication (another process) to the first reader of nginx
    who gets the new revision."""
    marker = uuid.uuid4().hex[:8]
    publisher = subprocess.Popen(
        [PY, "manage.py", "shell", "-c", PUBLISH.format(slug=slug, marker=marker)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen_at = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        _, _, body = get(f"{base}/people/{slug}/")
        if marker.encode() in body:
            seen_at = time.time()
            break
        time.sleep(0.005)
    out, err = publisher.communicate(timeout=120)
    found = re.search(r"COMMITTED (\S+) (\d+)", out)
    if not found or seen_at is None:
        raise SystemExit(f"publication through the front failed: {out[-2000:]} {err[-2000:]}")
    return round(seen_at - float(found.group(1)), 3)


def front_phase(env, slug, seconds, load):
    """Two app servers behind nginx: page ÷ static floor and the publication delay."""
    if not shutil.which("nginx"):
        return {"skipped": "nginx is not installed"}
    from run import free_port  # noqa: PLC0415 - the runner's helpers

    prefix = Path(tempfile.mkdtemp(prefix="bioproject_front_"))
    for name in ("cache", "floor", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / name).mkdir()
    app_ports = [free_port(), free_port()]
    listen, floor = free_port(), free_port()
    processes = []
    results = {}
    try:
        log = open(prefix / "apps.log", "w")
        for port in app_ports:
            processes.append(
                subprocess.Popen(
                    [PY, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"), "bioproject.wsgi"],
                    cwd=ROOT,
                    env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1"),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        (prefix / "bioproject.conf").write_text(bench_config(app_ports, listen, prefix))
        (prefix / "nginx.conf").write_text(wrapper_config(prefix, floor))
        nginx = subprocess.Popen(
            ["nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(nginx)
        for port in app_ports:
            wait_up(f"http://127.0.0.1:{port}/healthz", processes[0])
        base = f"http://127.0.0.1:{listen}"
        wait_up(base + "/healthz", nginx)
        page = f"{base}/people/{slug}/"
        for _ in range(6):
            _, headers, body = get(page)
        (prefix / "floor" / "page.html").write_bytes(body)
        floor_url = f"http://127.0.0.1:{floor}/page.html"
        results["bytes"] = len(body)
        results["x_cache"] = headers.get("X-Cache")
        previous = load(floor_url, seconds)
        result = load(page, seconds)
        following = load(floor_url, seconds)
        floor_rps = (previous["rps"] + following["rps"]) / 2
        results["page"] = {
            "rps": result["rps"],
            "floor_rps": round(floor_rps, 1),
            "ratio": round(result["rps"] / floor_rps, 3),
            "non_2xx": result["non_2xx"],
        }
        delays = [publication_delay(env, base, slug) for _ in range(3)]
        results["publication_delay_s"] = delays
        results["publication_delay_max_s"] = max(delays)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(prefix, ignore_errors=True)
    return results
