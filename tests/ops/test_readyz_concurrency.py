"""/readyz under concurrent probes: each probe reads back its own token, so probes that overlap
never report a healthy cache as down."""

import threading
from unittest import mock

import pytest
from django.core.cache import cache

from bioproject import health
from tests.ops.test_cache_faults import redis_url_or_skip

pytestmark = pytest.mark.django_db

PROBE = {"HTTP_HOST": "10.0.3.7:8001"}


def test_a_probe_that_overlaps_another_still_answers_ok(client):
    real_get = cache.get
    overlapped = []

    def get_after_another_probe(key, *args, **kwargs):
        # Another probe runs between this probe's write and its read, as under concurrent probes.
        if not overlapped:
            overlapped.append(None)
            overlapped[0] = health.cache_status()
        return real_get(key, *args, **kwargs)

    with mock.patch.object(cache, "get", side_effect=get_after_another_probe):
        response = client.get("/readyz", **PROBE)
    assert overlapped == ["ok"]
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_concurrent_probes_against_redis_never_report_it_down(settings):
    url = redis_url_or_skip()
    settings.CACHES = {
        "default": {
            "BACKEND": "bioproject.cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-readyz-{id(settings)}",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    answers = []
    start = threading.Barrier(8)

    def probe():
        start.wait()
        answers.extend(health.cache_status() for _ in range(100))

    threads = [threading.Thread(target=probe) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 800
    assert answers.count("down") == 0
    assert not any(key for key in cache._cache.get_client().scan_iter(f"*test-readyz-{id(settings)}*"))
