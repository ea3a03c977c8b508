import os
import re

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory

# A skip whose reason says that a service we provide is missing: PostgreSQL, Redis, Chromium, nginx,
# or Java for the Nu HTML Checker. "needs PostgreSQL ... (this run uses sqlite)" is a skip by design
# on SQLite, not a missing service, and stays a skip.
SERVICES = re.compile(r"postgres|redis|chromium|nginx|java|nu html checker", re.IGNORECASE)
MISSING = re.compile(
    r"not (installed|reachable|running|available|found)|does not start|cannot (run|start|connect)|"
    r"unavailable|refused|missing",
    re.IGNORECASE,
)


def redis_url():
    """The Redis database the tests of this process may use: each pytest-xdist worker its own (15,
    14, ...), because a test's cache.clear() empties the whole database another worker's test may be
    reading. TEST_REDIS_URL names another."""
    if os.environ.get("TEST_REDIS_URL"):
        return os.environ["TEST_REDIS_URL"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return f"redis://127.0.0.1:6379/{15 - int(worker or 0) % 16}"


def under_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing_service(reason):
    return bool(SERVICES.search(reason) and MISSING.search(reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI (CI=true) a test that skips because a service is missing fails instead, so that a
    green CI run has run every test."""
    report = yield
    if report.skipped and under_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if missing_service(reason):
            report.outcome = "failed"
            reason = reason.removeprefix("Skipped: ")
            report.longrepr = f"Skipped under CI, where every service must be there: {reason}"
    return report


@pytest.fixture(autouse=True)
def plain_test_settings(settings):
    # Tests talk plain HTTP to the test client; production keeps the HTTPS redirect on.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
    }


@pytest.fixture(autouse=True)
def empty_cache(plain_test_settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reviewer(db):
    user = UserFactory(username="reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)
