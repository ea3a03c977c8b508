"""Two app servers sharing one PostgreSQL database and one Redis cache: no reader gets a replaced
revision once the invalidation guarantee has passed.

The test starts two gunicorn servers on free ports of 127.0.0.1. Readers hold the live page in
their worker's memory (profiles.serving), so what is measured is the guarantee: a publication
through the first server's admin (a reviewer's session, a real POST) is served by that server on
the very next request and by the second within 1 second; then an unpublish and the hiding of a
live revision, made by this process (a third "server" on the same Redis), reach both within 1
second. Reader threads hammer both servers throughout and every answer they got more than 1 second
after a change must be the new state. It needs PostgreSQL (SQLite is one process's file) and a
Redis server; it skips without them.
"""

import gzip
import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from profiles import publishing
from profiles.models import Person, PublishedRevision
from tests.conftest import redis_url
from tests.factories import as_system, cited_profile, publish

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = redis_url()


def redis_or_skip():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
        client.ping()
        return client
    except Exception as error:  # noqa: BLE001 - any failure means "no Redis here"
        pytest.skip(
            f"Redis is not reachable at {REDIS_URL} ({error.__class__.__name__}): "
            "the servers share their page cache through it"
        )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn process group on 127.0.0.1, killed by stop()."""

    def __init__(self, env, log, shipped=False):
        """One worker, or `shipped`: deploy/gunicorn.conf.py as it is (its workers, its threads)."""
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        if shipped:
            command = ["-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "bioproject.wsgi"]
            env = env | {"GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        else:
            command = ["bioproject.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1", "--timeout", "60"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *command],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn on {self.port} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"gunicorn on {self.port} did not answer /healthz in {seconds}s")

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class Browser:
    """A cookie-keeping HTTP client that never follows redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base, cookies=None):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self.NoRedirect
        )
        for name, value in (cookies or {}).items():
            self.jar.set_cookie(
                http.cookiejar.Cookie(
                    0,
                    name,
                    value,
                    None,
                    False,
                    "127.0.0.1",
                    False,
                    False,
                    "/",
                    True,
                    False,
                    None,
                    True,
                    None,
                    None,
                    {},
                )
            )

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                body = response.read()
                if response.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                return response.status, dict(response.headers), body.decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


def footer_revision(html):
    match = re.search(r'<p class="revision-note">Revision (\d+),', html)
    return int(match.group(1)) if match else None


GUARANTEE = 1.0  # seconds: a change reaches every app server within this


class Readers:
    """Threads that read the page and the JSON from each server as fast as they can, noting
    (time, server, what they saw): a revision number, or the status code."""

    def __init__(self, servers):
        self.servers, self.seen, self.running = servers, [], True
        self.threads = [
            threading.Thread(target=self.read, args=(server, path), daemon=True)
            for server in servers
            for path in ("/people/cai-qi/", "/people/cai-qi.json")
        ]
        for thread in self.threads:
            thread.start()

    def read(self, server, path):
        browser = Browser(server.base)
        while self.running:
            status, _, body = browser.request(path, headers={"Accept-Encoding": "identity"})
            if status == 200:
                seen = footer_revision(body) if path.endswith("/") else json.loads(body)["revision"]["number"]
            else:
                seen = status
            self.seen.append((time.monotonic(), server.port, path, seen))

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=30)

    def stale_after(self, moment, expected):
        """What readers saw more than GUARANTEE after `moment` that was not `expected`."""
        return [row for row in self.seen if row[0] > moment + GUARANTEE and row[3] != expected]


def wait_for(browser, path, expected, seconds=GUARANTEE + 2):
    """Seconds until the server answers `expected` (a revision number or a status)."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        status, _, body = browser.request(path)
        seen = footer_revision(body) if status == 200 else status
        if seen == expected:
            return time.monotonic() - start
        time.sleep(0.01)
    raise AssertionError(f"{browser.base}{path} did not show {expected} within {seconds}s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_reader_gets_a_replaced_revision_after_publish_unpublish_or_hide(reviewer, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: the two servers must share one database server "
            f"(this run uses {connection.vendor}); set DATABASE_URL=postgres://..."
        )
    redis = redis_or_skip()
    prefix = f"test-servers-{uuid.uuid4().hex[:12]}"

    person = cited_profile(slug="cai-qi", name="Cai Qi", positions=2, events=1)
    publish(person=person, user=reviewer, comment="First")
    # The working copy then changes: revision 2 will carry a name that revision 1 does not.
    with as_system():
        person.name = "Cai Qi (revised)"
        person.save()

    # The reviewer's session, stored in the shared database, as the admin login would store it.
    browser_client = Client()
    browser_client.force_login(reviewer)
    session = browser_client.cookies[settings.SESSION_COOKIE_NAME].value

    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "SECRET_KEY": settings.SECRET_KEY,  # both servers and this test sign alike
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "CONN_MAX_AGE": "0",  # let the test database go when the test ends
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    # This process unpublishes and hides through the services: it announces on the same Redis.
    shared_cache = override_settings(
        CACHES={
            "default": {
                "BACKEND": "bioproject.cache.FailSoftRedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
    )
    shared_cache.enable()
    servers, readers = [], None
    try:
        with open(tmp_path / "gunicorn.log", "w") as log:
            servers = [Server(env, log), Server(env, log)]
            for server in servers:
                server.wait_ready()
            first, second = servers
            reader = Browser(second.base)

            # The second server serves (and caches) revision 1.
            status, headers, html = reader.request("/people/cai-qi/")
            assert status == 200 and footer_revision(html) == 1
            old_etag = headers["ETag"]
            status, _, body = reader.request("/people/cai-qi.json")
            assert status == 200 and json.loads(body)["revision"]["number"] == 1
            assert reader.request("/people/cai-qi/")[2] == html  # now from the shared cache

            # A reviewer publishes through the first server's admin: a real form POST.
            admin = Browser(first.base, {settings.SESSION_COOKIE_NAME: session})
            review = f"/admin/profiles/person/{person.pk}/review/"
            status, _, page = admin.request(review)
            assert status == 200, page[:500]
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            review_token = re.search(r'name="review_token" value="([^"]+)"', page).group(1)
            status, headers, _ = admin.request(
                review,
                {
                    "csrfmiddlewaretoken": token,
                    "review_token": review_token,
                    "_publish": "Publish",
                    "review_comment": "Second",
                },
                headers={"Referer": first.base + review},
            )
            assert status == 302, status
            assert headers["Location"].endswith(f"/admin/profiles/person/{person.pk}/change/")
            assert PublishedRevision.objects.filter(person=person, number=2).exists()
            assert Person.objects.get(pk=person.pk).live_revision.number == 2

            # The publishing server shows revision 2 on the very next request, the other within 1 s.
            published = time.monotonic()
            assert footer_revision(Browser(first.base).request("/people/cai-qi/")[2]) == 2
            delay = wait_for(reader, "/people/cai-qi/", 2)
            print(f"publication reached the second server in {delay * 1000:.0f} ms")
            assert delay <= GUARANTEE
            status, headers, html = reader.request("/people/cai-qi/")
            assert status == 200 and footer_revision(html) == 2
            assert "Cai Qi (revised)" in html
            assert headers["ETag"] != old_etag
            status, _, body = reader.request("/people/cai-qi.json")
            assert status == 200
            data = json.loads(body)
            assert (data["revision"]["number"], data["name"]) == (2, "Cai Qi (revised)")
            # A client holding the old validator gets the new page, not 304.
            status, _, html = reader.request("/people/cai-qi/", headers={"If-None-Match": old_etag})
            assert status == 200 and footer_revision(html) == 2

            # From here readers hammer both servers; no answer after the guarantee may be stale.
            readers = Readers(servers)
            time.sleep(0.5)
            reviewer.refresh_from_db()
            publishing.profile_unpublish(
                person=Person.objects.get(pk=person.pk), user=reviewer, reason="Check"
            )
            unpublished = time.monotonic()
            for server in servers:
                assert wait_for(Browser(server.base), "/people/cai-qi/", 404) <= GUARANTEE
            time.sleep(0.5)
            with as_system():
                person.refresh_from_db()
                person.name = "Cai Qi (third)"
                person.save()
            publish(person=Person.objects.get(pk=person.pk), user=reviewer, comment="Third")
            republished = time.monotonic()
            for server in servers:
                assert wait_for(Browser(server.base), "/people/cai-qi/", 3) <= GUARANTEE
            time.sleep(1.5)
            third = PublishedRevision.objects.get(person=person, number=3)
            publishing.revision_hide(revision=third, user=reviewer, reason="Defamatory line")
            hidden = time.monotonic()
            for server in servers:
                assert wait_for(Browser(server.base), "/people/cai-qi/", 404) <= GUARANTEE
                # The profile is off the site with its live revision hidden: no permalink either.
                assert Browser(server.base).request("/people/cai-qi/revisions/3/")[0] in (404, 410)
            time.sleep(1.5)
            readers.stop()

            def during(start, end):
                return [row for row in readers.stale_after(start, None) if row[0] < end]

            assert not [r for r in during(unpublished, republished) if r[3] != 404]
            assert not [r for r in during(republished, hidden) if r[3] != 3]
            assert not [r for r in during(hidden, time.monotonic()) if r[3] != 404]
            assert {row[3] for row in readers.seen} <= {2, 3, 404}
            assert len(readers.seen) > 100
            assert published  # the first check above ran at once after the POST
    finally:
        shared_cache.disable()
        if readers is not None:
            readers.stop()
        for server in servers:
            server.stop()
        for key in redis.scan_iter(f"{prefix}:*", count=1000):
            redis.delete(key)


def servers_env(prefix):
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}",
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "CONN_MAX_AGE": "0",
        "SEARCH_RATE_PER_MINUTE": "0",  # nginx's limit_req is what this test looks at
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def start_nginx(tmp_path, servers, listen, log, extra=""):
    """deploy/nginx/bioproject.conf (its "# bench:" lines pointed here) on `listen`, in front of
    `servers`, with `extra` server blocks; once it answers /healthz."""
    sys.path.insert(0, str(ROOT / "tests" / "perf"))
    from front import bench_config, wrapper_config

    for name in ("cache", "floor", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir(exist_ok=True)
    (tmp_path / "bioproject.conf").write_text(bench_config([s.port for s in servers], listen, tmp_path))
    (tmp_path / "nginx.conf").write_text(wrapper_config(tmp_path, free_port(), extra))
    nginx = subprocess.Popen(
        ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    front = Browser(f"http://127.0.0.1:{listen}")
    deadline = time.monotonic() + 20
    while True:
        assert nginx.poll() is None and time.monotonic() < deadline, "nginx did not start"
        try:
            if front.request("/healthz")[0] == 200:
                return nginx
        except OSError:
            time.sleep(0.1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_shipped_nginx_front_caches_revalidates_throttles_and_passes_a_publication_within_a_second(
    reviewer, tmp_path
):
    """deploy/nginx/bioproject.conf (its "# bench:" lines pointed here) in front of two servers."""
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (this run uses {connection.vendor}); set DATABASE_URL=postgres://...")
    redis = redis_or_skip()
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx)")
    prefix = f"test-front-{uuid.uuid4().hex[:12]}"
    person = cited_profile(slug="cai-qi", name="Cai Qi", positions=2, events=1)
    publish(person=person, user=reviewer, comment="First")
    shared_cache = override_settings(
        CACHES={
            "default": {
                "BACKEND": "bioproject.cache.FailSoftRedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": prefix,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
    )
    shared_cache.enable()
    servers, nginx = [], None
    try:
        log = open(tmp_path / "servers.log", "w")
        servers = [Server(servers_env(prefix), log), Server(servers_env(prefix), log)]
        for server in servers:
            server.wait_ready()
        listen = free_port()
        nginx = start_nginx(tmp_path, servers, listen, log)
        front = Browser(f"http://127.0.0.1:{listen}")

        # Cached in front, gzip for a gzip reader, revalidated (not re-rendered) when it expires.
        statuses = {front.request("/people/cai-qi/")[1].get("X-Cache") for _ in range(20)}
        assert "HIT" in statuses
        _, headers, _ = front.request("/people/cai-qi/", headers={"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip" and "X-Accel-Expires" not in headers
        time.sleep(1.2)
        assert front.request("/people/cai-qi/")[1]["X-Cache"] in {"REVALIDATED", "EXPIRED", "MISS"}
        # A session never goes through the micro-cache.
        _, headers, _ = front.request("/people/cai-qi/", headers={"Cookie": "sessionid=abc"})
        assert headers["X-Cache"] == "BYPASS"

        # A publication passes nginx within a second.
        with as_system():
            person.name = "Cai Qi (revised)"
            person.save()
        publish(person=Person.objects.get(pk=person.pk), user=reviewer, comment="Second")
        delay = wait_for(front, "/people/cai-qi/", 2)
        print(f"publication passed nginx in {delay * 1000:.0f} ms")
        assert delay <= GUARANTEE

        # limit_req on search: a burst past 10 is refused with 429.
        codes = [front.request("/search/?q=cai")[0] for _ in range(30)]
        assert 429 in codes and codes[0] == 200
    finally:
        shared_cache.disable()
        if nginx is not None and nginx.poll() is None:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(timeout=10)
        for server in servers:
            server.stop()
        for key in redis.scan_iter(f"{prefix}:*", count=1000):
            redis.delete(key)


def fetch(scheme, port, path, headers=None):
    """(status, headers, body) of one request to 127.0.0.1, HTTPS without checking the certificate."""
    if scheme == "https":
        connection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=30, context=ssl._create_unverified_context()
        )
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_behind_a_tls_terminator_https_readers_never_get_a_redirect_nor_http_readers_a_page(
    reviewer, tmp_path
):
    """HTTP and HTTPS readers of the same addresses, one after the other and at once, through a TLS
    terminator, the shipped nginx and two app servers in production mode (HTTPS redirect on)."""
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (this run uses {connection.vendor}); set DATABASE_URL=postgres://...")
    redis = redis_or_skip()
    if not shutil.which("nginx") or not shutil.which("openssl"):
        pytest.skip("nginx is not installed (apt-get install nginx openssl)")
    sys.path.insert(0, str(ROOT / "tests" / "perf"))
    from front import terminator_config

    prefix = f"test-tls-{uuid.uuid4().hex[:12]}"
    publish(person=cited_profile(slug="cai-qi", name="Cai Qi", positions=2, events=1), user=reviewer)
    env = servers_env(prefix) | {
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_PROXY_SSL_HEADER": "1",
        "PROXY_COUNT": "1",
    }
    servers, nginx = [], None
    try:
        log = open(tmp_path / "servers.log", "w")
        servers = [Server(env, log), Server(env, log)]
        for server in servers:
            server.wait_ready()
        listen, https, plain = free_port(), free_port(), free_port()
        nginx = start_nginx(tmp_path, servers, listen, log, terminator_config(tmp_path, https, plain, listen))
        paths = ["/people/cai-qi/", "/people/cai-qi.json", "/api/people/", "/"]
        wrong = []

        def check(scheme, port, path, encoding):
            status, headers, _ = fetch(scheme, port, path, {"Accept-Encoding": encoding})
            location = headers.get("location", "")
            if scheme == "https" and status != 200:
                wrong.append((scheme, path, status, location))
            if scheme == "http" and not (status == 301 and location.startswith("https://")):
                wrong.append((scheme, path, status, location))

        def read(scheme, port, seconds, encoding):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                for path in paths:
                    check(scheme, port, path, encoding)

        # One after the other: each reader finds what the other just left in the micro-cache.
        for _ in range(3):
            for path in paths:
                check("http", plain, path, "gzip")
                check("https", https, path, "gzip")
                check("http", plain, path, "gzip")
            time.sleep(1.1)
        assert not wrong, wrong
        # At once, across the cache's expiries (1 s), with each reader's encodings.
        threads = [
            threading.Thread(target=read, args=(scheme, port, 3.5, encoding))
            for scheme, port in (("http", plain), ("https", https))
            for encoding in ("gzip", "identity")
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not wrong, wrong[:10]
        # The micro-cache did serve (HITs), so the readers above met cached answers.
        assert "HIT" in {fetch("https", https, "/people/cai-qi/")[1].get("x-cache") for _ in range(10)}
    finally:
        if nginx is not None and nginx.poll() is None:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(timeout=10)
        for server in servers:
            server.stop()
        for key in redis.scan_iter(f"{prefix}:*", count=1000):
            redis.delete(key)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_load_through_the_shipped_stack_recycling_workers_has_no_error_no_time_out_no_two_boots_at_once(
    reviewer, tmp_path
):
    """tests/perf/stack.py's mixed load, short: the shipped nginx and gunicorn, every worker over its
    memory limit all along (recycled one at a time, 2 s apart here), wrk's 2 s time-out."""
    if connection.vendor != "postgresql":
        pytest.skip(f"needs PostgreSQL (this run uses {connection.vendor}); set DATABASE_URL=postgres://...")
    redis = redis_or_skip()
    if not shutil.which("nginx") or not shutil.which("wrk"):
        pytest.skip("nginx is not installed, or wrk (apt-get install nginx wrk)")
    sys.path.insert(0, str(ROOT / "tests" / "perf"))
    from stack import mixed_load

    prefix = f"test-load-{uuid.uuid4().hex[:12]}"
    publish(person=cited_profile(slug="cai-qi", name="Cai Qi", positions=2, events=1), user=reviewer)
    env = servers_env(prefix) | {"GUNICORN_MAX_WORKER_MB": "1", "GUNICORN_RECYCLE_GAP_SECONDS": "2"}
    server, nginx = None, None
    try:
        log_path = tmp_path / "server.log"
        server = Server(env, open(log_path, "w"), shipped=True)
        server.wait_ready()
        listen = free_port()
        nginx = start_nginx(tmp_path, [server], listen, open(tmp_path / "nginx.log", "w"))
        paths = ["/people/cai-qi/", "/people/cai-qi.json", "/", "/people/", "/api/people/"]
        base = f"http://127.0.0.1:{listen}"
        assert [Browser(base).request(path)[0] for path in paths] == [200] * len(paths)
        result = mixed_load(tmp_path, base, log_path, 10, paths)
        print(result)
        assert result["requests"] > 100  # cold workers all along: slow, but answering
        assert (result["errors"], result["timeouts"]) == (0, 0)
        assert result["recycled"] >= 2  # the workers were recycled during the load...
        assert result["most_boots_in_one_second"] == 1  # ...never two at once
    finally:
        if nginx is not None and nginx.poll() is None:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(timeout=10)
        if server is not None:
            server.stop()
        for key in redis.scan_iter(f"{prefix}:*", count=1000):
            redis.delete(key)
