"""In-process measurements against a benchmark database (run by tests/perf/run.py).

`python tests/perf/measure.py --what profile,search,admin,publish,audit [--reps N]` with
DATABASE_URL naming the benchmark database (never the test or production one). It times Django's
whole request handling (middleware included) with the test client, counts queries, and prints one
JSON object of results on its last line.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bioproject.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")
os.environ["SEARCH_RATE_PER_MINUTE"] = "0"  # the benchmark measures search, not its throttle
os.environ.pop("CACHE_URL", None)  # in-process: local memory, cleared for "uncached"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from profiles import audit, editing, pages, publishing, serving  # noqa: E402
from profiles.models import Person, RenderedPage  # noqa: E402
from sources.models import Citation  # noqa: E402

SEARCH_TERMS = [
    "wang",
    "zhang wei",
    "王",
    "hangzhou",
    "mayor",
    "sato",
    "cai qi",
    "xi'an",
    "vice governor zhejiang",
    "nomatchatall",
]


def timed(call, reps, before=None):
    """Median and max milliseconds of `reps` calls (after one untimed warm-up call)."""
    if before:
        before()
    call()
    times = []
    deadline = time.monotonic() + 120
    for _ in range(reps):
        if before:
            before()
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
        if time.monotonic() > deadline:
            break
    return {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2), "n": len(times)}


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def get_ok(client, url, **params):
    def call():
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def sized_people():
    """The people made with --claims-per-person 10, 100, 300, 1000 (the last ones created)."""
    last = list(Person.objects.order_by("-pk").values_list("pk", flat=True)[:8])
    people = (
        Person.objects.filter(pk__in=last)
        .order_by("-pk")
        .annotate(
            positions_count=Count("positions", distinct=True), events_count=Count("events", distinct=True)
        )
    )
    found = {}
    for person in people:
        claims = person.positions_count + person.events_count
        if claims in (10, 100, 300, 1000):
            found.setdefault(claims, person)
    return found


def measure_profile(reps):
    client = Client()
    rows = {}
    for claims, person in sorted(sized_people().items()):
        url = reverse("person_detail", args=[person.slug])
        json_url = reverse("person_json", args=[person.slug])
        page = get_ok(client, url)
        revision = person.live_revision
        if not RenderedPage.objects.filter(revision=revision).exists():
            pages.pages_render(revision_ids=[revision.pk])  # as at publication
        cache.clear()
        rows[str(claims)] = {
            "slug": person.slug,
            "citations": Citation.objects.filter(person=person).count(),
            # "Uncached": the first reader of a worker after publication (stored page, no memory).
            "uncached_queries": (forget(), queries(page))[1],
            "uncached": timed(page, reps, before=forget),
            "cached_queries": queries(page),
            "cached": timed(page, reps),
            "render": timed(lambda revision=revision: pages.live_page_html(revision), max(3, reps // 3)),
            "json_uncached": timed(get_ok(client, json_url), reps, before=forget),
            "bytes": len(page().content),
        }
    return rows


def forget():
    """Empty the shared cache and the worker's memory of bodies."""
    cache.clear()
    serving.bodies.clear()


def measure_search(reps):
    client = Client()
    url = reverse("search")
    per_term, all_times = {}, []
    published = Person.objects.published().count()
    for term in SEARCH_TERMS:
        call = get_ok(client, url, q=term)
        result = timed(call, reps)
        result["queries"] = queries(call)
        result["matches"] = Person.objects.search(term).count()
        per_term[term] = result
        all_times.append(result["median_ms"])
    return {
        "published_people": published,
        "median_ms": round(statistics.median(all_times), 2),
        "worst_term": max(per_term, key=lambda t: per_term[t]["median_ms"]),
        "worst_ms": max(all_times),
        "terms": per_term,
    }


def superuser():
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def measure_admin(reps, claims=300):
    person = sized_people()[claims]
    client = Client()
    client.force_login(superuser())
    url = reverse("admin:profiles_person_change", args=[person.pk])
    call = get_ok(client, url)
    return {"claims": claims, "queries": queries(call), **timed(call, reps)}


def edit_summary(person, text):
    """Change a working copy's summary through the editing service, as an editor would."""
    person = Person.objects.get(pk=person.pk)
    person.summary = text
    editing.record_save(record=person, user=superuser(), reason="Benchmark edit")


def publish_now(person, user, comment="Benchmark"):
    person = Person.objects.get(pk=person.pk)
    return publishing.profile_publish(
        person=person, user=user, comment=comment, seen=publishing.working_digest(person)
    )


def measure_publish(reps, claims=300):
    """profile_publish of a profile with `claims` claims, its page rendered and stored included."""
    person = sized_people()[claims]
    reviewer = superuser()
    base = person.summary.split(" [bench")[0]
    counter = {"n": 0}

    def edit():
        counter["n"] += 1
        edit_summary(person, f"{base} [bench {counter['n']} {time.time_ns()}]")

    def publish():
        publish_now(person, reviewer)

    query_count = (edit(), queries(publish))[1]
    return {"claims": claims, "queries": query_count, **timed(publish, reps, before=edit)}


def demo_person(reviewer):
    """The demo profile (Cai Qi), imported and published through the services if missing."""
    from profiles.importing import load_file
    from profiles.management.commands.demo import DEMO_FILE
    from profiles.transfer import profiles_import

    person = Person.objects.filter(slug="cai-qi").first()
    if person is None or person.live_revision_id is None:
        profiles_import(data=load_file(DEMO_FILE), user=reviewer, reason="Benchmark demo", publish=True)
        person = Person.objects.get(slug="cai-qi")
    return person


def measure_demo(reps):
    """The demo page as served (identity, gzip and Brotli bytes) and the edit → anonymous reader delay:
    an edit through the services, its publication (rendered then) and the first reader's GET."""
    reviewer = superuser()
    person = demo_person(reviewer)
    client = Client()
    url = reverse("person_detail", args=[person.slug])
    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    brotli = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    base = person.summary.split(" [edit")[0]
    delays = []
    for number in range(max(3, reps // 3)):
        marker = f"[edit {number} {time.time_ns()}]"
        started = time.perf_counter()
        edit_summary(person, f"{base} {marker}")
        publish_now(person, reviewer, comment="Benchmark edit")
        body = client.get(url).content
        delays.append((time.perf_counter() - started) * 1000)
        assert marker.encode() in body, "the reader did not get the edit"
    return {
        "bytes": len(plain.content),
        "gzip_bytes": len(zipped.content),
        "content_encoding": zipped.get("Content-Encoding"),
        "br_bytes": len(brotli.content) if brotli.get("Content-Encoding") == "br" else None,
        "edit_to_reader_median_ms": round(statistics.median(delays), 1),
        "edit_to_reader_max_ms": round(max(delays), 1),
    }


HISTORY_KINDS = list(audit.KINDS)


def history_total():
    return sum(audit.history_model(kind).objects.count() for kind in HISTORY_KINDS)


def add_history(target):
    """Synthetic edits (direct bulk_create on HistoricalCitation) until `target` history rows."""
    total = history_total()
    missing = target - total
    if missing <= 0:
        return {"history_rows": total, "added": 0}
    model = audit.history_model("citation")
    editors = list(get_user_model().objects.filter(username__startswith="gen-editor-"))
    fields = [f.attname for f in Citation._meta.concrete_fields if f.attname != "verification"]
    sample = (
        list(Citation.objects.order_by("?").values(*fields)[:5000])
        if connection.vendor == "postgresql"
        else list(Citation.objects.values(*fields)[:5000])
    )
    rng = random.Random(1)
    now = timezone.now()
    added, started = 0, time.monotonic()
    while added < missing and time.monotonic() - started < 900:
        chunk = []
        for _ in range(min(5000, missing - added)):
            row = dict(rng.choice(sample))
            chunk.append(
                model(
                    **row,
                    history_type="~",
                    history_user=rng.choice(editors),
                    history_change_reason="Synthetic edit for the benchmark",
                    history_date=now - datetime.timedelta(seconds=rng.uniform(60, 2 * 365 * 86400)),
                )
            )
        with transaction.atomic():
            model.objects.bulk_create(chunk, batch_size=1000)
        added += len(chunk)
    return {"history_rows": history_total(), "added": added, "seconds": round(time.monotonic() - started, 1)}


def measure_audit(reps, history_target):
    filled = add_history(history_target)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    person = sized_people()[max(sized_people())]
    client = Client()
    client.force_login(superuser())
    rows = {"history": filled}
    for name, url in [
        ("person", reverse("admin:profiles_person_audit", args=[person.pk])),
        ("recent", reverse("admin:profiles_person_recent_changes")),
    ]:
        call = get_ok(client, url)
        rows[name] = {"queries": queries(call), **timed(call, reps)}
    rows["person_history_rows"] = audit.person_history(person).count()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--what", default="profile,search,admin,publish,audit,demo")
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--history", type=int, default=1_000_000)
    args = parser.parse_args()
    results = {"vendor": connection.vendor}
    for what in args.what.split(","):
        started = time.monotonic()
        if what == "profile":
            results["profile"] = measure_profile(args.reps)
        elif what == "search":
            results["search"] = measure_search(args.reps)
        elif what == "admin":
            results["admin"] = measure_admin(max(3, args.reps // 3))
        elif what == "publish":
            results["publish"] = measure_publish(max(3, args.reps // 3))
        elif what == "demo":
            results["demo"] = measure_demo(args.reps)
        elif what == "audit":
            results["audit"] = measure_audit(args.reps, args.history)
        print(f"measured {what} in {time.monotonic() - started:.1f}s", file=sys.stderr)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
