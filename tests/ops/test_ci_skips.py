"""Under CI (CI=true), a test that skips because a service we provide is missing fails instead."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import missing_service

ROOT = Path(__file__).resolve().parents[2]

SKIPS = """
import pytest

def test_redis_missing():
    pytest.skip("Redis is not reachable at redis://127.0.0.1:6379/15 (ConnectionError): shared cache")

def test_chromium_missing():
    pytest.skip("/usr/bin/chromium is not installed")

def test_sqlite_by_design():
    pytest.skip("needs PostgreSQL: the two servers must share one database server (this run uses sqlite)")

def test_other_reason():
    pytest.skip("not relevant on this platform")
"""


@pytest.mark.parametrize(
    "reason",
    [
        "Redis is not reachable at redis://127.0.0.1:6379/15 (ConnectionError): the servers share it",
        "/usr/bin/chromium is not installed",
        "Chromium does not start: BrowserType.launch: Target page, context or browser has been closed",
        "Java is not installed: the Nu HTML Checker cannot run",
        "PostgreSQL is not running on 127.0.0.1:5432",
        "nginx is not installed",
    ],
)
def test_a_missing_service_is_recognised(reason):
    assert missing_service(reason)


@pytest.mark.parametrize(
    "reason",
    [
        "needs PostgreSQL: the two servers must share one database server (this run uses sqlite); "
        "set DATABASE_URL=postgres://...",
        "not relevant on this platform",
    ],
)
def test_other_skips_are_not_a_missing_service(reason):
    assert not missing_service(reason)


@pytest.mark.parametrize("ci, expected", [("true", "2 failed, 2 skipped"), ("", "4 skipped")])
def test_under_ci_a_missing_service_fails_the_run(tmp_path, ci, expected):
    (tmp_path / "test_skips.py").write_text(SKIPS)
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_runtest_makereport  # noqa\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:randomly", "-q", "-n", "0"]
        + ["-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), str(tmp_path / "test_skips.py")],
        env={**os.environ, "CI": ci},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert expected in result.stdout.splitlines()[-1], result.stdout + result.stderr
