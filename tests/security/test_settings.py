import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory, cited_profile, publish

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECRET_KEY": "a-production-secret-of-more-than-fifty-characters-0123456789-abcdefghij",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "bios.example.org",
    "SECURE_PROXY_SSL_HEADER": "1",
    "DATABASE_URL": "",
}


def test_deploy_check_passes_with_a_production_environment():
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_defaults_are_the_production_ones():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES"}
    }
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.X_FRAME_OPTIONS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "bioproject.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "DENY"]


def test_public_pages_get_a_strict_content_security_policy_and_the_admin_a_workable_one(client, reviewer):
    publish(person=cited_profile(slug="cai-qi"), user=reviewer)
    policy = client.get("/people/cai-qi/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    client.force_login(reviewer)
    admin_policy = client.get(reverse("admin:index"))["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in admin_policy
    assert "script-src 'self';" in admin_policy + ";"


def test_security_headers_on_public_pages(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_repeated_failed_logins_lock_out_with_a_cool_off(client, settings):
    UserFactory(username="victim", is_staff=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "victim", "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    locked = client.post(
        url, {"username": "victim", "password": "correct horse battery staple"}, REMOTE_ADDR="10.9.9.9"
    )
    assert locked.status_code == 429
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    # Sixteen minutes later the lock has cooled off: the right password works again.
    from axes.models import AccessAttempt

    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    after = client.post(
        url, {"username": "victim", "password": "correct horse battery staple"}, REMOTE_ADDR="10.9.9.9"
    )
    assert after.status_code == 302


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password", "12345678901234", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple")


def test_every_configuration_variable_of_the_readme_is_in_env_example():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    table = readme[readme.index("## Configuration") :].split("\n\n")[2]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.MULTILINE))
    example = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), re.MULTILINE))
    assert {"DATA_DIR", "PROXY_COUNT", "CACHE_URL"} <= documented
    assert documented <= example, documented - example


def test_proxy_count_must_not_be_negative():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.PROXY_COUNT"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bioproject.settings", "PROXY_COUNT": "-1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "PROXY_COUNT must be 0 or more" in result.stderr
