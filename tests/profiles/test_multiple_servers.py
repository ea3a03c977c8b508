"""Two app servers sharing one PostgreSQL database and one Redis cache serve a new revision at once.

The test starts two gunicorn servers on free ports of 127.0.0.1, publishes a profile through the
admin of the first (a reviewer's session, a real POST), and reads the page and the JSON from the
second: both must show the new revision on the very next request, although the second had the old
one cached. It needs PostgreSQL (SQLite is one process's file) and a Redis server; it skips
without them.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from profiles.models import Person, PublishedRevision
from tests.factories import cited_profile, publish

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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

    def __init__(self, env, log):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bioproject.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "1",
                "--timeout",
                "60",
            ],
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
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


def footer_revision(html):
    match = re.search(r'<p class="revision-note">Revision (\d+),', html)
    return int(match.group(1)) if match else None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_revision_published_through_one_server_is_served_by_the_other_at_once(reviewer, tmp_path):
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
    servers = []
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
            status, headers, _ = admin.request(
                review,
                {"csrfmiddlewaretoken": token, "_publish": "Publish", "review_comment": "Second"},
                headers={"Referer": first.base + review},
            )
            assert status == 302, status
            assert headers["Location"].endswith(f"/admin/profiles/person/{person.pk}/change/")
            assert PublishedRevision.objects.filter(person=person, number=2).exists()
            assert Person.objects.get(pk=person.pk).live_revision.number == 2

            # The very next requests to the second server show revision 2, page and JSON.
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
            # And the first server agrees.
            assert footer_revision(Browser(first.base).request("/people/cai-qi/")[2]) == 2
    finally:
        for server in servers:
            server.stop()
        for key in redis.scan_iter(f"{prefix}:*", count=1000):
            redis.delete(key)
