"""The search limit holds while the shared cache is down or hung: each worker then counts in its
own memory (bioproject.cache answers a failed incr as a missing key)."""

import socket
import threading

import pytest

from profiles import views
from tests.factories import cited_profile, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(reviewer):
    publish(person=cited_profile(slug="cai-qi", name="Cai Qi"), user=reviewer)


@pytest.fixture(autouse=True)
def fresh_counts(monkeypatch):
    if hasattr(views, "WorkerSearchCounts"):  # each test starts with no search counted
        monkeypatch.setattr(views, "worker_search_counts", views.WorkerSearchCounts())


def redis_at(settings, port):
    settings.CACHES = {
        "default": {
            "BACKEND": "bioproject.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def searches(client, count, **extra):
    return [client.get("/search/", {"q": "cai"}, **extra).status_code for _ in range(count)]


def test_with_redis_down_the_search_limit_still_holds_per_client(client, published, settings):
    redis_at(settings, free_port())  # nothing listens there
    settings.SEARCH_RATE_PER_MINUTE = 3
    assert searches(client, 5) == [200, 200, 200, 429, 429]
    assert searches(client, 1, REMOTE_ADDR="10.0.0.9") == [200]  # another client counts apart


def test_with_redis_hung_the_search_limit_still_holds(client, published, settings):
    # A listener that accepts and never answers: every Redis call times out.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        redis_at(settings, listener.getsockname()[1])
        settings.SEARCH_RATE_PER_MINUTE = 2
        assert searches(client, 4) == [200, 200, 429, 429]
    finally:
        stop.set()
        thread.join(2)
        for connection in accepted:
            connection.close()
        listener.close()


def test_worker_counts_start_again_each_minute_and_stay_bounded(monkeypatch):
    counts = views.WorkerSearchCounts()
    monkeypatch.setattr(counts, "MAX_CLIENTS", 2)
    assert [counts.incr("a", 1), counts.incr("a", 1), counts.incr("a", 2)] == [1, 2, 1]
    assert [counts.incr("b", 2), counts.incr("c", 2), counts.incr("d", 2)] == [1, 1, 2]
    assert len(counts.counts) == 3  # a, b and the shared count of the clients beyond
