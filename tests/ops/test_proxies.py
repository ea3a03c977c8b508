"""Login throttling keys on the client's address behind PROXY_COUNT trusted proxies.

The proxy connects from 10.0.0.1 (REMOTE_ADDR) and appends the address its client connected from to
X-Forwarded-For; whatever the client wrote there itself stands to the left and counts for nothing.
"""

import pytest
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


def test_axes_asks_the_project_for_the_client_address(settings):
    from axes.helpers import get_client_ip_address

    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{CLIENT_B}, {CLIENT_A}")
    assert get_client_ip_address(request) == CLIENT_A
