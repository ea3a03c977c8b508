"""Load and fault test: readers, editors and a reviewer at once, and PostgreSQL restarted midway.

    python tests/perf/load_faults.py [--seconds 60] [--people 300]

Runs the app under gunicorn (2 workers) on its own PostgreSQL database `bioproject_faults`
(created, then dropped) with the Redis page cache when Redis answers, and for a bounded time:
- readers (threads) fetch published profile pages and their JSON;
- editors save profiles through the real admin change form (GET the form, change the summary to
  carry a unique marker, POST it with an edit summary; a 302 is an acknowledged edit);
- a reviewer publishes edited profiles through the admin review screen;
- at mid-time, PostgreSQL is restarted (`pg_ctlcluster --skip-systemctl-redirect VERSION main
  restart`).
Then it reports requests served, errors by status and kind, the time to recover after the
restart, whether any page or JSON mixed two revisions (the footer's revision number against the
summary that revision froze), and whether every acknowledged edit is in the database and its
history. It restarts PostgreSQL once per run (run it at most twice: other people's test runs on
this machine see the restart), and always leaves PostgreSQL running. Traffic goes to 127.0.0.1
only; every loop is bounded in time and count. Prints a report and writes
/tmp/bioproject_faults.json.
"""

import argparse
import html
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.forms import FormReader  # noqa: E402
from tests.perf.run import PG_SERVER, REDIS_URL, base_env, free_port, manage, psql, redis_ok  # noqa: E402

PY = sys.executable
DB = "bioproject_faults"
FOOTER = re.compile(r'<p class="revision-note">Revision (\d+),')
SUMMARY = re.compile(r'<p class="claim lead" id="fact-summary">(.*?)<', re.S)
MARKER = re.compile(r"\[edit (\d+)\]")


def pg_version():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ready():
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0


def ensure_pg_running():
    if pg_ready():
        return
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "start"], timeout=120)
    for _ in range(60):
        if pg_ready():
            return
        time.sleep(1)


def setup(env, people):
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "generate_profiles", "--people", str(people), "--publish", "--seed", "3", "--workers", "1")
    code = "\n".join(
        [
            "import json, os, django",
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'bioproject.settings')",
            "django.setup()",
            "from django.conf import settings",
            "from django.test import Client",
            "from django.contrib.auth.models import Group, User",
            "from profiles.models import Person",
            "out = {}",
            "for name, group in (('fault-editor', 'Editors'), ('fault-reviewer', 'Reviewers')):",
            "    user, _ = User.objects.get_or_create(username=name, defaults={'is_staff': True})",
            "    user.groups.add(Group.objects.get(name=group))",
            "    client = Client()",
            "    client.force_login(user)",
            "    out[name] = client.cookies[settings.SESSION_COOKIE_NAME].value",
            "out['people'] = list(Person.objects.published().order_by('pk').values_list('slug', 'pk'))",
            "print(json.dumps(out))",
        ]
    )
    result = subprocess.run([PY, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


class Session:
    """Cookie-carrying HTTP to the app, no redirects followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base, session=None):
        import http.cookiejar

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self.NoRedirect
        )
        if session:
            self.jar.set_cookie(
                http.cookiejar.Cookie(
                    0,
                    "sessionid",
                    session,
                    None,
                    False,
                    "127.0.0.1",
                    False,
                    False,
                    "/",
                    True,
                    False,
                    None,
                    True,
                    None,
                    None,
                    {},
                )
            )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (kind, start, end, status or error name)
        self.seen = defaultdict(set)  # (slug, "page"/"json", number) -> {summary}
        self.acked = []  # (slug, pk, edit id, edit summary, time)
        self.published = Counter()

    def record(self, kind, start, status):
        with self.lock:
            self.events.append((kind, start, time.monotonic(), status))


def reader(base, slugs, recorder, stop, limit):
    rng = random.Random()
    count = 0
    while not stop.is_set() and count < limit:
        count += 1
        slug = rng.choice(slugs)
        json_kind = rng.random() < 0.3
        path = f"/people/{slug}.json" if json_kind else f"/people/{slug}/"
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=20) as response:
                status, body = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, body = error.code, ""
        except OSError as error:
            recorder.record("read", started, type(error).__name__)
            time.sleep(0.05)
            continue
        recorder.record("read", started, status)
        if status != 200:
            time.sleep(0.05)
            continue
        if json_kind:
            data = json.loads(body)
            number, summary = data["revision"]["number"], data.get("summary") or ""
        else:
            footer = FOOTER.search(body)
            lead = SUMMARY.search(body)
            number = int(footer.group(1)) if footer else None
            summary = html.unescape(lead.group(1)).strip() if lead else ""
        with recorder.lock:
            recorder.seen[(slug, "json" if json_kind else "page", number)].add(summary)


def editor(base, session, profiles, recorder, stop, limit, counter):
    browser = Session(base, session)
    rng = random.Random()
    count = 0
    while not stop.is_set() and count < limit:
        count += 1
        slug, pk = rng.choice(profiles)
        url = f"/admin/profiles/person/{pk}/change/"
        started = time.monotonic()
        try:
            status, _, page = browser.request(url)
        except OSError as error:
            recorder.record("edit-form", started, type(error).__name__)
            time.sleep(0.2)
            continue
        recorder.record("edit-form", started, status)
        if status != 200:
            time.sleep(0.2)
            continue
        reader_form = FormReader("person_form")
        reader_form.feed(page)
        data = reader_form.data
        with counter["lock"]:
            counter["n"] += 1
            number = counter["n"]
        base_summary = MARKER.sub("", data.get("summary", "")).strip()
        data["summary"] = f"{base_summary} [edit {number}]"
        data["edit_summary"] = f"Load test edit {number}"
        started = time.monotonic()
        try:
            status, headers, body = browser.request(url, data)
        except OSError as error:
            recorder.record("edit-save", started, type(error).__name__)
            time.sleep(0.2)
            continue
        recorder.record("edit-save", started, status)
        if status == 302:
            with recorder.lock:
                recorder.acked.append((slug, pk, number, data["edit_summary"], time.monotonic()))
        elif status == 200:
            recorder.record("edit-refused", started, 200)
        time.sleep(0.1)


def reviewer(base, session, profiles, recorder, stop, limit):
    browser = Session(base, session)
    rng = random.Random()
    count = 0
    while not stop.is_set() and count < limit:
        count += 1
        slug, pk = rng.choice(profiles)
        url = f"/admin/profiles/person/{pk}/review/"
        started = time.monotonic()
        try:
            status, _, page = browser.request(url)
            recorder.record("review-form", started, status)
            if status != 200:
                time.sleep(0.3)
                continue
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            started = time.monotonic()
            status, headers, _ = browser.request(
                url, {"csrfmiddlewaretoken": token, "_publish": "Publish", "review_comment": "Load test"}
            )
        except OSError as error:
            recorder.record("publish", started, type(error).__name__)
            time.sleep(0.3)
            continue
        recorder.record("publish", started, status)
        if status == 302:
            location = headers.get("Location", "")
            recorder.published["published" if location.endswith("/change/") else "refused"] += 1
        time.sleep(0.2)


def restart_postgres(recorder, at, stop, timing):
    if stop.wait(at):
        return
    timing["restart_start"] = time.monotonic()
    result = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "restart"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    timing["restart_end"] = time.monotonic()
    timing["restart_rc"] = result.returncode
    timing["restart_output"] = (result.stdout + result.stderr).strip()[-500:]


def verify(database_url, recorder):
    import psycopg

    mixed, checked = [], 0
    with psycopg.connect(database_url) as connection:
        documents = {}
        for (slug, kind, number), summaries in recorder.seen.items():
            if number is None:
                mixed.append({"slug": slug, "kind": kind, "problem": "no revision in the footer"})
                continue
            key = (slug, number)
            if key not in documents:
                row = connection.execute(
                    "SELECT r.document->>'summary' FROM profiles_publishedrevision r "
                    "JOIN profiles_person p ON p.id = r.person_id WHERE p.slug = %s AND r.number = %s",
                    key,
                ).fetchone()
                documents[key] = row[0] if row else None
            for summary in summaries:
                checked += 1
                if (documents[key] or "").strip() != summary:
                    mixed.append(
                        {
                            "slug": slug,
                            "kind": kind,
                            "revision": number,
                            "served": summary[-60:],
                            "revision_has": (documents[key] or "")[-60:],
                        }
                    )
        lost, last_acked = [], {}
        for slug, pk, number, reason, _ in recorder.acked:
            history = connection.execute(
                "SELECT count(*) FROM profiles_historicalperson WHERE id = %s AND "
                "history_change_reason = %s AND summary LIKE %s AND history_user_id IS NOT NULL",
                (pk, reason, f"%[edit {number}]"),
            ).fetchone()[0]
            if history != 1:
                lost.append({"slug": slug, "edit": number, "problem": f"{history} history rows"})
            last_acked[pk] = max(last_acked.get(pk, 0), number)
        for pk, number in last_acked.items():
            summary = connection.execute(
                "SELECT summary FROM profiles_person WHERE id = %s", (pk,)
            ).fetchone()[0]
            found = MARKER.search(summary or "")
            if not found or int(found.group(1)) < number:
                lost.append(
                    {"person": pk, "edit": number, "problem": f"working copy holds {summary[-30:]!r}"}
                )
        revisions = connection.execute("SELECT count(*) FROM profiles_publishedrevision").fetchone()[0]
    return {"mixed": mixed, "observations_checked": checked, "lost": lost, "revisions_in_db": revisions}


def summarize(recorder, timing, began):
    restart_start = timing.get("restart_start")
    restart_end = timing.get("restart_end")
    statuses, by_kind = Counter(), defaultdict(Counter)
    failures = []
    for kind, start, end, status in recorder.events:
        ok = status in (200, 302) or (kind == "edit-refused")
        statuses[str(status)] += 1
        by_kind[kind][str(status)] += 1
        if not ok:
            failures.append((start, end, kind, status))
    report = {
        "requests": len(recorder.events),
        "statuses": dict(statuses),
        "by_kind": {k: dict(v) for k, v in by_kind.items()},
    }
    if restart_start is not None:
        report["restart_seconds"] = round(restart_end - restart_start, 2)
        report["restart_at"] = round(restart_start - began, 1)
        window_end = restart_end + 30
        during = [f for f in failures if restart_start - 0.5 <= f[0] <= window_end]
        outside = [f for f in failures if not (restart_start - 0.5 <= f[0] <= window_end)]
        last_failure = max((f[1] for f in during), default=restart_end)
        successes_after = [e for e in recorder.events if e[1] >= restart_end and e[3] in (200, 302)]
        first_success = min((e[2] for e in successes_after), default=None)
        report["errors_during_restart"] = len(during)
        report["errors_during_restart_by_status"] = dict(Counter(str(f[3]) for f in during))
        report["errors_outside_restart"] = len(outside)
        report["errors_outside_restart_detail"] = [
            {"at": round(f[0] - began, 2), "kind": f[2], "status": str(f[3])} for f in outside[:20]
        ]
        report["recovery_seconds_last_error_after_restart"] = round(max(0.0, last_failure - restart_end), 2)
        report["recovery_seconds_first_success_after_restart"] = (
            round(first_success - restart_end, 2) if first_success else None
        )
        report["outage_seconds_from_restart_start"] = round(max(last_failure, restart_end) - restart_start, 2)
    else:
        report["errors_outside_restart"] = len(failures)
    report["acknowledged_edits"] = len(recorder.acked)
    report["publishes"] = dict(recorder.published)
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--editors", type=int, default=2)
    parser.add_argument("--no-restart", action="store_true", help="load only, no fault")
    args = parser.parse_args()
    seconds = min(args.seconds, 600)
    database_url = f"{PG_SERVER}/{DB}"
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB}")
    env = base_env(database_url)
    process, log_file, prefix = None, None, f"faults-{uuid.uuid4().hex[:10]}"
    try:
        print(f"setting up {args.people} published people in {DB}", file=sys.stderr)
        info = setup(env, args.people)
        people = [tuple(p) for p in info["people"]]
        hot = people[: max(4, args.editors * 4)]  # edited and published during the run
        server_env = dict(env, CACHE_KEY_PREFIX=prefix)
        if redis_ok():
            server_env["CACHE_URL"] = REDIS_URL
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log_file = open("/tmp/bioproject_faults_gunicorn.log", "w")
        process = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "bioproject.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=server_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        recorder, stop, timing = Recorder(), threading.Event(), {}
        counter = {"lock": threading.Lock(), "n": 0}
        slugs = [slug for slug, _ in hot] * 4 + [slug for slug, _ in people[:60]]
        threads = [
            threading.Thread(target=reader, args=(base, slugs, recorder, stop, 100_000))
            for _ in range(args.readers)
        ]
        for index in range(args.editors):
            mine = hot[index :: args.editors]
            threads.append(
                threading.Thread(
                    target=editor, args=(base, info["fault-editor"], mine, recorder, stop, 2000, counter)
                )
            )
        threads.append(
            threading.Thread(target=reviewer, args=(base, info["fault-reviewer"], hot, recorder, stop, 2000))
        )
        if not args.no_restart:
            threads.append(
                threading.Thread(target=restart_postgres, args=(recorder, seconds / 2, stop, timing))
            )
        began = time.monotonic()
        print(
            f"running {seconds:.0f} s of load on {base}"
            + ("" if args.no_restart else f", restarting PostgreSQL at {seconds / 2:.0f} s"),
            file=sys.stderr,
        )
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        for thread in threads:
            thread.join(150)
        ensure_pg_running()
        report = summarize(recorder, timing, began)
        report.update(verify(database_url, recorder))
        report["restart"] = {k: v for k, v in timing.items() if k in ("restart_rc", "restart_output")}
        report["seconds"] = seconds
        report["cache"] = "redis" if "CACHE_URL" in server_env else "local memory per worker"
    finally:
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
        if log_file:
            log_file.close()
        ensure_pg_running()
        psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        if redis_ok():
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{prefix}:*", count=1000):
                client.delete(key)
    Path("/tmp/bioproject_faults.json").write_text(json.dumps(report, indent=1))
    targets = {
        "errors outside the restart window": (report["errors_outside_restart"], "0"),
        "recovery after the restart (s)": (report.get("recovery_seconds_last_error_after_restart"), "<5"),
        "pages mixing two revisions": (len(report["mixed"]), "0"),
        "acknowledged edits lost": (len(report["lost"]), "0"),
    }
    print(
        f"\nload and fault test, {seconds:.0f} s, {report['requests']} requests, statuses "
        f"{report['statuses']}"
    )
    print(f"by kind: {report['by_kind']}")
    if "restart_seconds" in report:
        print(
            f"PostgreSQL restart at {report['restart_at']} s took {report['restart_seconds']} s; "
            f"errors during it: {report['errors_during_restart']} "
            f"{report['errors_during_restart_by_status']}; first success "
            f"{report['recovery_seconds_first_success_after_restart']} s after it"
        )
    print(
        f"acknowledged edits {report['acknowledged_edits']}, publishes {report['publishes']}, "
        f"observations checked {report['observations_checked']}"
    )
    for label, (value, target) in targets.items():
        print(f"  {label:38} {value!s:8} target {target}")
    if report["mixed"]:
        print("mixed:", report["mixed"][:5])
    if report["lost"]:
        print("lost:", report["lost"][:5])
    if report.get("errors_outside_restart_detail"):
        print("errors outside the restart:", report["errors_outside_restart_detail"][:10])


if __name__ == "__main__":
    main()
