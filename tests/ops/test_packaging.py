"""What an installed package needs: every package and template listed, and nothing written into it.

The full check, a non-editable install serving the pages, is tests/ops/check_installed.py, which
.ci/run runs in a second virtualenv.
"""

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'data_dir': str(s.DATA_DIR), 'templates': [str(d) for d in s.TEMPLATES[0]['DIRS']], "
    "'database': str(s.DATABASES['default']['NAME']), 'static_root': str(s.STATIC_ROOT)}))"
)


def settings_in(env, *, cwd, pythonpath=ROOT):
    """The settings a fresh process importing bioproject from `pythonpath` sees with this
    environment (and no SECRET_KEY, no DATABASE_URL)."""
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATA_DIR", "SECRET_KEY", "DATABASE_URL", "XDG_DATA_HOME", "PYTHONPATH"}
    }
    base["PYTHONPATH"] = str(pythonpath)
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS],
        env={**base, "DJANGO_SETTINGS_MODULE": "bioproject.settings", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_python_package_of_the_tree_is_listed_for_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    in_tree = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for app in ("bioproject", "profiles", "sources")
        for path in (ROOT / app).rglob("__init__.py")
    }
    assert in_tree <= set(config["packages"])
    assert config["package-dir"]["bioproject.templates"] == "templates"
    assert "**/*.html" in config["package-data"]["bioproject.templates"]


def test_from_the_checkout_data_goes_beside_manage_py_as_before(tmp_path):
    seen = settings_in({}, cwd=tmp_path)
    assert seen["data_dir"] == str(ROOT)
    assert seen["database"] == str(ROOT / "db.sqlite3")
    assert seen["templates"] == [str(ROOT / "templates")]


def test_data_dir_holds_the_secret_key_the_database_and_static_files(tmp_path):
    data = tmp_path / "data" / "bioproject"
    seen = settings_in({"DATA_DIR": str(data)}, cwd=tmp_path)
    assert seen["data_dir"] == str(data)
    assert seen["database"] == str(data / "db.sqlite3")
    assert seen["static_root"] == str(data / "staticfiles")
    assert (data / ".secret_key").stat().st_mode & 0o777 == 0o600


@pytest.fixture
def installed(tmp_path):
    """The bioproject package laid out as pip installs it: no manage.py beside, templates inside."""
    site = tmp_path / "site-packages"
    shutil.copytree(ROOT / "bioproject", site / "bioproject", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", site / "bioproject" / "templates")
    return site


def test_installed_data_goes_to_a_per_user_folder_never_into_the_package(tmp_path, installed):
    home = tmp_path / "home"
    seen = settings_in({"HOME": str(home)}, cwd=tmp_path, pythonpath=installed)
    data = home / ".local" / "share" / "bioproject"
    assert seen["data_dir"] == str(data)
    assert seen["database"] == str(data / "db.sqlite3")
    assert seen["templates"] == [str(installed / "bioproject" / "templates")]
    assert (data / ".secret_key").is_file()
    written = [path.name for path in installed.rglob("*") if path.name in {".secret_key", "db.sqlite3"}]
    assert written == []


def test_installed_honours_xdg_data_home(tmp_path, installed):
    seen = settings_in({"XDG_DATA_HOME": str(tmp_path / "xdg")}, cwd=tmp_path, pythonpath=installed)
    assert seen["data_dir"] == str(tmp_path / "xdg" / "bioproject")


def test_a_data_dir_inside_the_package_is_refused(tmp_path, installed):
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS],
        env={
            **os.environ,
            "PYTHONPATH": str(installed),
            "DJANGO_SETTINGS_MODULE": "bioproject.settings",
            "DATA_DIR": str(installed / "bioproject" / "data"),
        },
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DATA_DIR must be outside the installed package" in result.stderr
