"""Login throttling and the search limit key on the client's address behind PROXY_COUNT trusted
proxies; the forwarded headers count only from TRUSTED_PROXIES.

The proxy connects from 10.0.0.1 (REMOTE_ADDR) and appends the address its client connected from to
X-Forwarded-For; whatever the client wrote there itself stands to the left and counts for nothing.
A client that reaches the app port itself, from an address that is not a trusted proxy, gets
neither its X-Forwarded-For nor its X-Forwarded-Proto believed.
"""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from bioproject.proxies import client_ip_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
CLIENT_A = "203.0.113.5"
CLIENT_B = "198.51.100.7"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def victim(db):
    return UserFactory(username="victim", is_staff=True)


def log_in(client, password, *, forwarded_for=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    client.logout()
    response = client.post(reverse("admin:login"), {"username": "victim", "password": password}, **extra)
    return response.status_code  # 302: logged in; 200: wrong password; 429: locked out


def fail_until_locked(client, settings, **where):
    answers = [log_in(client, "wrong", **where) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the last one locks


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = [PROXY]


def test_behind_a_proxy_failures_lock_out_the_client_not_everyone_behind_the_proxy(
    client, settings, victim, one_proxy
):
    fail_until_locked(client, settings, forwarded_for=CLIENT_A)
    assert log_in(client, PASSWORD, forwarded_for=CLIENT_A) == 429
    assert log_in(client, PASSWORD, forwarded_for=CLIENT_B) == 302


def test_a_spoofed_entry_cannot_lock_out_someone_else(client, settings, victim, one_proxy):
    # Client B writes A's address; the proxy appends B's own.
    fail_until_locked(client, settings, forwarded_for=f"{CLIENT_A}, {CLIENT_B}")
    assert log_in(client, PASSWORD, forwarded_for=CLIENT_A) == 302
    assert log_in(client, PASSWORD, forwarded_for=CLIENT_B) == 429


@pytest.mark.parametrize("spoofed", [CLIENT_B, "192.0.2.99, 192.0.2.98", '"', "for=unknown", "garbage", ""])
def test_a_spoofed_entry_cannot_escape_a_lockout(client, settings, victim, one_proxy, spoofed):
    fail_until_locked(client, settings, forwarded_for=CLIENT_A)
    assert log_in(client, PASSWORD, forwarded_for=f"{spoofed}, {CLIENT_A}") == 429
    # Nor did the attempt lock out anyone else behind the proxy.
    assert log_in(client, PASSWORD, forwarded_for=CLIENT_B) == 302


def test_without_proxies_the_header_is_ignored(client, settings, victim):
    settings.PROXY_COUNT = 0
    fail_until_locked(client, settings, remote="198.51.100.20", forwarded_for=CLIENT_A)
    # A different X-Forwarded-For does not escape: the connection's address is what counts.
    assert log_in(client, PASSWORD, remote="198.51.100.20", forwarded_for=CLIENT_B) == 429
    # Another connection claiming to be the locked-out address is not locked out.
    assert log_in(client, PASSWORD, remote="198.51.100.21", forwarded_for="198.51.100.20") == 302


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, "203.0.113.5", PROXY),
        (1, None, PROXY),  # came round the proxy: its own connection
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.7, 203.0.113.5", "203.0.113.5"),
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "198.51.100.7, not-an-address", PROXY),  # a broken proxy: no client address to trust
        (2, "198.51.100.7, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "10.0.0.2", PROXY),  # fewer hops than proxies: not through the outer one
    ],
)
def test_client_address(settings, proxies, forwarded_for, expected):
    settings.PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip_address(RequestFactory().get("/", **extra)) == expected


def test_a_client_rotating_x_forwarded_for_from_an_untrusted_address_meets_the_search_limit(client, settings):
    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SEARCH_RATE_PER_MINUTE = 5
    cache.clear()
    answers = [
        client.get(
            "/search/", {"q": "cai"}, REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(8)
    ]
    assert answers == [200] * 5 + [429] * 3
    # Through the trusted proxy, each client has a limit of its own.
    assert (
        client.get(
            "/search/", {"q": "cai"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=CLIENT_B
        ).status_code
        == 200
    )


def test_login_throttling_sees_the_real_peer_when_the_header_comes_from_an_untrusted_address(
    client, settings, victim
):
    settings.PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    untrusted = "198.51.100.20"
    answers = [
        log_in(client, "wrong", remote=untrusted, forwarded_for=f"192.0.2.{n}")
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert log_in(client, PASSWORD, remote=untrusted, forwarded_for=CLIENT_B) == 429
    # A trusted proxy (in the network) still speaks for its clients.
    assert log_in(client, PASSWORD, remote="10.1.2.3", forwarded_for=CLIENT_B) == 302


@pytest.mark.parametrize("remote, secure", [("127.0.0.1", True), ("203.0.113.5", False)])
def test_https_is_believed_from_a_trusted_proxy_only(client, settings, remote, secure):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    if secure:
        assert response.status_code == 200
    else:
        assert response.status_code == 301
        assert response["Location"] == "https://testserver/"


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.example.org", "10.0.0.0/33"])
def test_a_trusted_proxy_that_is_not_an_address_is_refused_at_start(value):
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bioproject.settings",
            "TRUSTED_PROXIES": f"127.0.0.1,{value}",
        },
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert f"TRUSTED_PROXIES: {value!r} is not an address or a network" in run.stderr


def test_the_shipped_app_server_listens_on_localhost_only_by_default(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"))
    assert config["bind"] == "127.0.0.1:8001"
    assert config["forwarded_allow_ips"] == "127.0.0.1"


def test_axes_asks_the_project_for_the_client_address(settings):
    from axes.helpers import get_client_ip_address

    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT_B}, {CLIENT_A}")
    assert get_client_ip_address(request) == CLIENT_A
