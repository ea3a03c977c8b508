"""With the Redis page cache down or hung, public pages are served uncached, never a 500.

"Down" is a port nothing listens on (connection refused at once); "hung" is a socket server in the
test that accepts connections and never answers, so every read waits for the socket timeout.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import threading

import pytest
from django.conf import settings as django_settings

from bioproject.cache import FailSoftRedisCache
from tests.conftest import redis_url
from tests.factories import cited_profile, publish

pytestmark = pytest.mark.django_db

PAGES = ["/people/cai-qi/", "/people/cai-qi.json", "/people/cai-qi/revisions/1/"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hung_server():
    """A local server that accepts connections and never answers; its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(2)
    for connection in accepted:
        connection.close()
    listener.close()


def redis_cache_at(settings, port):
    """Point the default cache at a Redis URL on `port`, with the timeouts settings.py uses."""
    settings.CACHES = {
        "default": {
            "BACKEND": "bioproject.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def published(reviewer):
    publish(person=cited_profile(slug="cai-qi", name="Cai Qi"), user=reviewer)


def test_settings_give_redis_short_timeouts_and_the_fail_soft_backend():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CACHES['default']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bioproject.settings",
            "CACHE_URL": "redis://cache.example.org:6379/0",
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=django_settings.BASE_DIR,
    )
    cache = json.loads(result.stdout)
    assert cache["BACKEND"] == "bioproject.cache.FailSoftRedisCache"
    assert cache["LOCATION"] == "redis://cache.example.org:6379/0"
    assert 0 < cache["OPTIONS"]["socket_connect_timeout"] <= 1
    assert 0 < cache["OPTIONS"]["socket_timeout"] <= 1


def redis_failure_logged(caplog, error):
    """The failure is logged as a warning, by the page cache or by the live-stamp lookup that
    serving does before it (profiles.serving), whichever met Redis first."""
    return any(f"failed ({error}" in record.getMessage() for record in caplog.records)


def test_pages_are_served_uncached_while_redis_is_down(client, settings, published, caplog):
    redis_cache_at(settings, free_port())
    with caplog.at_level(logging.WARNING, logger="bioproject.cache"):
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, url
    assert "Cai Qi" in client.get("/people/cai-qi/").content.decode()
    assert client.get("/people/cai-qi.json").json()["name"] == "Cai Qi"
    assert redis_failure_logged(caplog, "ConnectionError")


def test_pages_are_served_uncached_while_redis_hangs(client, settings, published, hung_server, caplog):
    redis_cache_at(settings, hung_server)
    with caplog.at_level(logging.WARNING, logger="bioproject.cache"):
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, url
    assert client.get("/people/cai-qi.json").json()["name"] == "Cai Qi"
    assert redis_failure_logged(caplog, "TimeoutError")


def test_every_operation_answers_as_a_miss_when_redis_is_down():
    cache = FailSoftRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_timeout": 0.5}})
    cache.retry_after = 0  # ask Redis every time, so that every method meets the error itself
    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("key") is False
    assert cache.add("key", 1) is False
    assert cache.set("key", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.touch("key") is False
    assert cache.delete("key") is False
    assert cache.delete_many(["a"]) is None
    assert cache.clear() is False
    assert cache.get_or_set("key", "computed") == "computed"
    with pytest.raises(ValueError):
        cache.incr("key")


def test_after_a_failure_redis_is_left_alone_for_a_while(monkeypatch):
    cache = FailSoftRedisCache(f"redis://127.0.0.1:{free_port()}/0", {})
    assert cache.get("key") is None  # fails, and opens the window
    calls = []
    monkeypatch.setattr(type(cache).__mro__[1], "get", lambda *args, **kwargs: calls.append(args))
    assert cache.get("key", "default") == "default"
    assert calls == []


def redis_url_or_skip():
    import redis

    url = redis_url()
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {url} ({error.__class__.__name__})")
    return url


def test_with_redis_up_the_fail_soft_cache_caches():
    url = redis_url_or_skip()
    cache = FailSoftRedisCache(url, {"KEY_PREFIX": "test-fail-soft", "OPTIONS": {"socket_timeout": 0.5}})
    cache.set("page", b"body", 30)
    assert cache.get("page") == b"body"
    assert cache.get_many(["page", "other"]) == {"page": b"body"}
    assert cache.delete("page") is True
    assert cache.get("page") is None
