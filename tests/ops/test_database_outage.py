"""PostgreSQL down: a profile page that was live keeps being served as it was, from the worker's
memory or Redis, past its live stamp and for as long as the outage lasts (stale-if-error), unless a
hide or an unpublish was announced; every page that needs the database answers a 503 page with
Retry-After, never a 500. (tests/ops/test_postgres_outage.py stops a real PostgreSQL.)"""

import time
import uuid
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from bioproject import middleware
from profiles import publishing, serving
from profiles.models import Person
from tests.factories import cited_profile, publish
from tests.ops.test_cache_faults import redis_url_or_skip

pytestmark = pytest.mark.django_db


def database_down(error=OperationalError):
    return mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=error("server closed the connection"))


@pytest.fixture
def redis_cache(settings, monkeypatch):
    url = redis_url_or_skip()
    settings.CACHES = {
        "default": {
            "BACKEND": "bioproject.cache.FailSoftRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-outage-{uuid.uuid4().hex[:12]}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    monkeypatch.setattr(serving, "LIVE_STAMP_SECONDS", 1)
    serving.bodies.clear()
    serving.subscriber.forget_all()
    yield
    serving.bodies.clear()
    serving.subscriber.forget_all()


@pytest.fixture
def live(reviewer, redis_cache):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    return person


def past_the_live_stamp():
    time.sleep(serving.LIVE_STAMP_SECONDS + 0.2)


def test_a_page_that_was_live_is_served_as_it_was_past_its_live_stamp(client, live):
    page, data = client.get("/people/cai-qi/"), client.get("/people/cai-qi.json")
    assert page.status_code == data.status_code == 200
    assert "stale-if-error=86400" in page["Cache-Control"]
    past_the_live_stamp()
    with database_down():
        for _ in range(3):
            during = client.get("/people/cai-qi/")
            assert during.status_code == 200
            assert during.content == page.content and during["ETag"] == page["ETag"]
        during = client.get("/people/cai-qi.json")
        assert during.status_code == 200 and during.content == data.content
        assert client.get("/people/cai-qi/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304


def test_another_worker_serves_it_from_redis(client, live):
    page = client.get("/people/cai-qi/")
    serving.bodies.clear()  # a worker that never held it
    serving.subscriber.forget_all()
    past_the_live_stamp()
    with database_down(InterfaceError):
        during = client.get("/people/cai-qi/")
    assert during.status_code == 200 and during.content == page.content


def test_an_unpublished_page_is_not_served_stale(client, live, reviewer, django_capture_on_commit_callbacks):
    assert client.get("/people/cai-qi/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        publishing.profile_unpublish(person=Person.objects.get(pk=live.pk), user=reviewer, reason="Withdrawn")
    with database_down():
        response = client.get("/people/cai-qi/")
    assert response.status_code == 503
    assert "Cai Qi" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/people/", "/search/?q=cai", "/people/never-read/", "/people/cai-qi/?as_of=2020-01-01", "/sources/x/"],
)
def test_pages_that_need_the_database_answer_503_with_retry_after(client, live, url):
    client.raise_request_exception = False
    with database_down():
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30" and response["Cache-Control"] == "no-store"
    assert "Back shortly" in response.content.decode()


def test_the_api_answers_503_as_json(client, live):
    client.raise_request_exception = False
    with database_down():
        response = client.get("/api/people/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response.json() == {
        "error": "The database is not answering just now; please try again in a minute."
    }


def test_the_database_failing_in_a_middleware_is_a_503_too(client, live, superuser):
    client.force_login(superuser)
    client.raise_request_exception = False
    with database_down():
        response = client.get("/admin/")
    assert response.status_code == 503 and response["Retry-After"] == "30"


def test_the_database_failing_outside_a_view_is_a_503_too(rf, redis_cache):
    # handler500 (bioproject.urls): what a middleware raised reaches it, not process_exception.
    try:
        raise OperationalError("server closed the connection")
    except OperationalError:
        response = middleware.server_error(rf.get("/people/"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    try:
        raise ValueError("a bug")
    except ValueError:
        assert middleware.server_error(rf.get("/people/")).status_code == 500
