"""Serve the site from a non-editable install, as a production server would.

`.ci/run` installs the project (`pip install .`) into a second fresh virtualenv and runs this file
with that virtualenv's python from a folder outside the checkout, so that `import bioproject` finds
the installed package, not the checkout. With the production defaults (no SECRET_KEY, DEBUG off,
the HTTPS redirect on) and a temporary DATA_DIR, it migrates, imports and publishes the demo
profile (`demo --no-serve`), collects the static files, and reads the public pages, the JSON, a
permalink, the admin login, a stylesheet and the health checks through Django's test client. It
then checks that the secret key and the database went to DATA_DIR and nothing was written into
the package. Not collected by pytest (not named test_*.py); exits non-zero on the first failure.
"""

import os
import re
import sys
import tempfile
from pathlib import Path


def main():
    data_dir = Path(tempfile.mkdtemp(prefix="bioproject-data-"))
    os.environ.update(DJANGO_SETTINGS_MODULE="bioproject.settings", DATA_DIR=str(data_dir))
    for name in ("SECRET_KEY", "DATABASE_URL", "CACHE_URL", "DEBUG", "SECURE_SSL_REDIRECT"):
        os.environ.pop(name, None)

    import django

    import bioproject

    package = Path(bioproject.__file__).resolve().parent
    if "site-packages" not in package.parts:
        sys.exit(f"bioproject is imported from {package}, not from an installed package")
    installed = [package.parent / name for name in ("bioproject", "profiles", "sources")]
    before = {path for root in installed for path in root.rglob("*") if "__pycache__" not in path.parts}

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    print(f"Installed package: {package}\nDATA_DIR: {settings.DATA_DIR}")
    call_command("demo", "--no-serve")
    call_command("collectstatic", "--noinput", verbosity=0)

    client = Client(HTTP_HOST="localhost")
    pages = {
        "/": 200,
        "/people/": 200,
        "/people/cai-qi/": 200,
        "/people/cai-qi.json": 200,
        "/people/cai-qi/revisions/": 200,
        "/people/cai-qi/revisions/1/": 200,
        "/search/?q=Cai": 200,
        "/sitemap.xml": 200,
        "/feeds/revisions.atom": 200,
        "/admin/login/": 200,
        "/people/nobody/": 404,
        "/readyz": 200,
    }
    failures = []
    for url, status in pages.items():
        response = client.get(url, secure=True)
        print(f"{response.status_code} {url}")
        if response.status_code != status:
            failures.append(f"{url}: {response.status_code}, expected {status}")
    profile = client.get("/people/cai-qi/", secure=True).content.decode()
    if "Cai Qi" not in profile:
        failures.append("/people/cai-qi/ does not name Cai Qi")
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', profile)
    if not stylesheet:
        failures.append("/people/cai-qi/ links no stylesheet")
    else:
        response = client.get(stylesheet.group(1), secure=True)
        print(f"{response.status_code} {stylesheet.group(1)}")
        if response.status_code != 200:
            failures.append(f"{stylesheet.group(1)}: {response.status_code}")
    health = client.get("/healthz", HTTP_HOST="192.0.2.10")  # plain HTTP, by IP address
    if (health.status_code, health.content) != (200, b"ok"):
        failures.append(f"/healthz: {health.status_code} {health.content[:60]!r}")

    for name in (".secret_key", "db.sqlite3"):
        if not (data_dir / name).is_file():
            failures.append(f"{name} is not in DATA_DIR")
    after = {path for root in installed for path in root.rglob("*") if "__pycache__" not in path.parts}
    if written := sorted(str(path) for path in after - before):
        failures.append("written into the installed package: " + ", ".join(written))

    if failures:
        sys.exit("The installed package fails:\n  " + "\n  ".join(failures))
    print("The installed package serves every page.")


if __name__ == "__main__":
    main()
