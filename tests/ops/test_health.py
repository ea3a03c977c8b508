"""/healthz and /readyz answer a load balancer's probe: any Host (an IP address too), plain HTTP,
with the production settings (HTTPS redirect on, ALLOWED_HOSTS restricted)."""

import socket
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db

PROBE = {"HTTP_HOST": "10.0.3.7:8001"}  # a load balancer probes the server's address


@pytest.fixture(autouse=True)
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["bios.example.org"]


def dead_cache(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "bioproject.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def database_down():
    return mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=OperationalError("server closed"))


def test_other_pages_keep_host_validation_and_the_https_redirect(client):
    assert client.get("/", **PROBE).status_code == 400
    response = client.get("/", HTTP_HOST="bios.example.org")
    assert response.status_code == 301 and response["Location"] == "https://bios.example.org/"


def test_healthz_answers_ok_as_plain_text_on_any_host_over_plain_http(client, django_assert_num_queries):
    for host in ("10.0.3.7", "10.0.3.7:8001", "[::1]:8001", "bios.example.org", "evil.example.com"):
        with django_assert_num_queries(0):
            response = client.get("/healthz", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert response.content == b"ok"
        assert response["Content-Type"] == "text/plain"


def test_healthz_skips_the_middleware_stack(client):
    response = client.get("/healthz", **PROBE)
    assert "Content-Security-Policy" not in response and "X-Frame-Options" not in response
    assert "Strict-Transport-Security" not in response and not response.cookies


def test_healthz_touches_neither_the_database_nor_the_cache(client, settings):
    dead_cache(settings)
    with database_down(), mock.patch("django.core.cache.cache.get") as cache_get:
        response = client.get("/healthz", **PROBE)
    assert response.status_code == 200 and response.content == b"ok"
    cache_get.assert_not_called()


def test_readyz_answers_200_when_the_database_and_the_cache_answer(client):
    response = client.get("/readyz", **PROBE)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_answers_503_when_the_database_is_down(client):
    with database_down():
        response = client.get("/readyz", **PROBE)
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "ok"}


def test_readyz_answers_503_when_the_cache_is_down(client, settings):
    dead_cache(settings)
    response = client.get("/readyz", **PROBE)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "down"}


def test_readyz_answers_503_when_both_are_down(client, settings):
    dead_cache(settings)
    with database_down():
        response = client.get("/readyz", HTTP_HOST="192.0.2.1")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "cache": "down"}


def test_readyz_reports_a_cache_that_loses_what_it_is_given(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/readyz", **PROBE)
    assert response.status_code == 503
    assert response.json()["cache"] == "down"
