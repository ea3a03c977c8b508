"""Benchmark: the public page of a source whose archived text is 5 MB.

    python tests/perf/source_page.py [--megabytes 5] [--database-url postgres://…/bp_name]

Builds a throwaway SQLite database (or fills the empty one given, for you to drop after), one
approved source of that size quoted by a published profile (quotes near its start, middle and
end), and prints: the old per-request work (marking
the whole text, sources.views.marked_text), the first request (marks it once), and the median of
later requests and of conditional ones (304). Nothing is asserted: numbers only.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def parts_of(response):
    return re.search(r"Part \d+ of (\d+)", response.content.decode()).group(1)


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--megabytes", type=float, default=5)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-source-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bioproject.settings",
            "DATABASE_URL": arguments.database_url or f"sqlite:///{folder}/bench.db",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "testserver",
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "SEARCH_RATE_PER_MINUTE": "0",
        }
    )
    os.environ.pop("CACHE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from sources import views
    from tests.factories import SourceFactory, as_system, cited_profile, publish, reviewer_user

    call_command("migrate", verbosity=0)
    filler = "The county archive lists many other names, posts and dates in this paragraph.\n"
    middle = int(arguments.megabytes * 1_000_000 / len(filler) / 2)
    text = (
        "Cai was born in Youxi County.\n"
        + filler * middle
        + "He joined in 1975.\n"
        + filler * middle
        + "He became mayor in April 2004.\n"
    )
    with as_system():
        source = SourceFactory(id="big", archived_text=text)
    publish(person=cited_profile(slug="cai-qi", source=source), user=reviewer_user())
    citing = list(source.published_citations.select_related("person__live_revision"))
    print(f"archived text: {len(text) / 1e6:.1f} MB, {len(citing)} citations")

    old, _ = timed(lambda: views.marked_text(text, citing), 3)
    print(f"before: every request marked the whole text: {old * 1000:.0f} ms (median of 3)")
    client = Client()
    cold, response = timed(lambda: client.get("/sources/big/"), 1)
    assert response.status_code == 200, response.status_code
    size = len(response.content) / 1e3
    print(f"after: first request (marks it once, a {size:.0f} kB page): {cold * 1000:.0f} ms")
    warm, response = timed(lambda: client.get("/sources/big/?page=50"), 20)
    print(f"after: a later request, part 50 of {parts_of(response)}: {warm * 1000:.1f} ms (median of 20)")
    etag = response["ETag"]
    cond, response = timed(lambda: client.get("/sources/big/?page=50", HTTP_IF_NONE_MATCH=etag), 20)
    print(f"after: a conditional request ({response.status_code}): {cond * 1000:.1f} ms (median of 20)")
    client.get("/people/cai-qi/?as_of=2100-01-01")
    other, _ = timed(lambda: client.get("/people/cai-qi/?as_of=2100-01-01"), 20)
    print(f"for scale, a cached profile page through the whole stack: {other * 1000:.1f} ms (median of 20)")


if __name__ == "__main__":
    main()
