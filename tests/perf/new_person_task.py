"""Measure issue 13's editor task in Chromium at 1366×900: a new person with 4 positions, 2 events
and 12 citations entered through the person's add form, saved and submitted for review.

Run as a script (pytest does not collect tests/perf):

    python tests/perf/new_person_task.py [--tree DIR]

It builds a throwaway SQLite database in a temp dir (migrate, an editor, a catalogue of existing
organizations and one source), serves DIR (default: this checkout) with `manage.py runserver`
on a free loopback port with DEBUG=1, does the task as an editor would, stops the server and
prints the figures: clicks (a native <select> is two: open, pick), typed fields, keystrokes,
the form's scrollWidth (wider than 1366 means horizontal scrolling) and height, both taken with
the whole task typed in, just before submitting. An autocomplete pick is a click to open, the
search typed, and a click on the option; a source the form already shows is not picked again.

To measure an older commit: `git worktree add /tmp/before <commit>`, then
`PYTHONPATH=/tmp/before python tests/perf/new_person_task.py --tree /tmp/before`.
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PASSWORD = "correct horse battery staple"
WIDTH, HEIGHT = 1366, 900
SOURCE_ID = "encyclopedia-li-wen"
SOURCE_LABEL = "Li Wen"
ORGANIZATIONS = [  # name, slug, native name, kind
    ("CCP Ningde Municipal Committee", "ningde-committee", "中共宁德市委", "party"),
    ("Ningde Municipal People's Government", "ningde-government", "宁德市人民政府", "government"),
    ("CCP Putian Municipal Committee", "putian-committee", "中共莆田市委", "party"),
    ("Fujian Provincial People's Government", "fujian-government", "福建省人民政府", "government"),
    ("CCP Fuzhou Municipal Committee", "fuzhou-committee", "中共福州市委", "party"),
    ("Xiamen Municipal People's Government", "xiamen-government", "厦门市人民政府", "government"),
]
TEXT = (
    "Li Wen (李文; born 12 March 1958 in Gutian County) is a Chinese politician. "
    "He served as mayor of Ningde and party secretary of Putian. "
    "Li joined the Chinese Communist Party in August 1978. "
    "In April 1997 he became mayor of Ningde, serving until 2001. "
    "He was appointed mayor in April 1997. "
    "From 2001 to 2006 he was deputy party secretary of Ningde. "
    "He was party secretary of Putian from 2006 to 2011. "
    "From 2011 he was vice governor of Fujian. "
    "In 2013 he led a campaign against illegal land use."
)
PERSON = {
    "name": "Li Wen",
    "native_name": "李文",
    "birth_date": "1958-03-12",
    "birth_place": "Gutian County, Fujian",
    "summary": "Li Wen is a Chinese politician who served as mayor of Ningde and party secretary of Putian.",
}
PERSON_CITATIONS = [  # field, quote
    ("name", "Li Wen (李文; born 12 March 1958 in Gutian County) is a Chinese politician."),
    ("native_name", "Li Wen (李文; born 12 March 1958 in Gutian County) is a Chinese politician."),
    ("birth_date", "Li Wen (李文; born 12 March 1958 in Gutian County) is a Chinese politician."),
    ("birth_place", "Li Wen (李文; born 12 March 1958 in Gutian County) is a Chinese politician."),
    ("summary", "He served as mayor of Ningde and party secretary of Putian."),
]
POSITIONS = [  # role, organization search, start, end, citations: (field or None, quote)
    (
        "Mayor",
        "Ningde Municipal",
        "1997-04",
        "2001",
        [
            (None, "In April 1997 he became mayor of Ningde, serving until 2001."),
            ("start_date", "He was appointed mayor in April 1997."),
        ],
    ),
    (
        "Deputy Party Secretary",
        "CCP Ningde",
        "2001",
        "2006",
        [(None, "From 2001 to 2006 he was deputy party secretary of Ningde.")],
    ),
    (
        "Party Secretary",
        "Putian",
        "2006",
        "2011",
        [(None, "He was party secretary of Putian from 2006 to 2011.")],
    ),
    ("Vice Governor", "Fujian", "2011", "", [(None, "From 2011 he was vice governor of Fujian.")]),
]
EVENTS = [  # date, kind, title, quote
    (
        "1978-08",
        "joined",
        "Joins the Chinese Communist Party",
        "Li joined the Chinese Communist Party in August 1978.",
    ),
    (
        "2013",
        "policy",
        "Campaign against illegal land use",
        "In 2013 he led a campaign against illegal land use.",
    ),
]
EDIT_SUMMARY = "New profile from the encyclopedia article"
REVIEW_NOTE = "Please check the Ningde dates"

SETUP = f"""
from django.contrib.auth.models import Group
from tests.factories import OrganizationFactory, SourceFactory, UserFactory
editor = UserFactory(username="editor", is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
for name, slug, native, kind in {ORGANIZATIONS!r}:
    OrganizationFactory(name=name, slug=slug, native_name=native, kind=kind)
SourceFactory(id={SOURCE_ID!r}, title={SOURCE_LABEL!r}, publisher="Example Encyclopedia",
              url="https://encyclopedia.example.org/wiki/Li_Wen", archived_text={TEXT!r})
"""


class Editor:
    """The browser steps of the task, each counted as the editor's clicks, fields and keys."""

    def __init__(self, page):
        self.page = page
        self.clicks = self.fields = self.keys = 0

    def click(self, selector):
        self.clicks += 1
        self.page.locator(selector).first.click()

    def type(self, selector, text, *, sequentially=False):
        self.fields += 1
        self.keys += len(text)
        if sequentially:
            self.page.locator(selector).press_sequentially(text)
        else:
            self.page.fill(selector, text)

    def select(self, selector, value):
        self.clicks += 2  # open the list, pick
        self.page.select_option(selector, value)

    def choose(self, select_id, search, option_text=None):
        """An autocomplete: open it, type a few letters, click the option."""
        self.click(f"#{select_id} + .select2 .select2-selection")
        self.type(".select2-container--open .select2-search__field", search)
        self.clicks += 1
        self.page.locator(
            ".select2-container--open .select2-results__option", has_text=option_text or search
        ).first.click()
        self.page.wait_for_function(
            "([id, text]) => document.querySelector(`#${id} + .select2 .select2-selection__rendered`)"
            ".textContent.includes(text)",
            arg=[select_id, option_text or search],
        )

    def add_row(self, group_id):
        """Click the group's own "Add another …" link; the new row's prefix."""
        total = self.page.locator(f"#id_{group_id}-TOTAL_FORMS")
        index = int(total.input_value())
        group = f"@id='{group_id}-group'"
        self.clicks += 1
        self.page.locator(
            f"xpath=//*[{group}]//a[contains(@class, 'djn-add-handler')]"
            f"[ancestor::*[contains(concat(' ', @class, ' '), ' djn-group ')][1][{group}]]"
        ).click()
        self.page.wait_for_function(
            "([id, n]) => document.getElementById(id).value === String(n)",
            arg=[f"id_{group_id}-TOTAL_FORMS", index + 1],
        )
        return f"{group_id}-{index}"

    def cite(self, prefix, quote, field=None):
        """A citation row: its field when it names one, the source unless shown already, the quote."""
        if field is not None:
            self.select(f"#id_{prefix}-field", field)
        if self.page.locator(f"#id_{prefix}-source").input_value() != SOURCE_ID:
            self.choose(f"id_{prefix}-source", "encyclopedia", SOURCE_LABEL)
        self.type(f"#id_{prefix}-quote", quote)


def do_task(page, base):
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(f"{base}/admin/profiles/person/add/")
    editor = Editor(page)  # counting starts on the empty add form
    editor.type("#id_name", PERSON["name"], sequentially=True)  # the slug follows the name
    for field in ("native_name", "birth_date", "birth_place", "summary"):
        editor.type(f"#id_{field}", PERSON[field])
    for field, quote in PERSON_CITATIONS:
        editor.cite(editor.add_row("citations"), quote, field)
    for role, organization, start, end, citations in POSITIONS:
        row = editor.add_row("positions")
        editor.type(f"#id_{row}-role", role)
        editor.choose(f"id_{row}-organization", organization)
        editor.type(f"#id_{row}-start_date", start)
        if end:
            editor.type(f"#id_{row}-end_date", end)
        for field, quote in citations:
            editor.cite(editor.add_row(f"{row}-citations"), quote, field)
    for date, kind, title, quote in EVENTS:
        row = editor.add_row("events")
        editor.type(f"#id_{row}-date", date)
        editor.select(f"#id_{row}-kind", kind)
        editor.type(f"#id_{row}-title", title)
        editor.cite(editor.add_row(f"{row}-citations"), quote)
    editor.type("#id_edit_summary", EDIT_SUMMARY)
    editor.type("#id_review_comment", REVIEW_NOTE)
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    editor.clicks += 1
    with page.expect_navigation():
        page.click("input[name=_submit_for_review]")
    errors = page.locator(".errornote, ul.errorlist li").all_inner_texts()
    messages = page.locator(".messagelist li").all_inner_texts()
    return {
        "clicks": editor.clicks,
        "typed fields": editor.fields,
        "keystrokes": editor.keys,
        "scrollWidth": width,
        "height": height,
        "submitted": not errors and any("submitted for review" in m for m in messages),
        "errors": errors,
        "messages": [" ".join(m.split())[:160] for m in messages],
    }


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", default=str(Path(__file__).resolve().parents[2]), help="checkout to serve")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    tree = Path(args.tree).resolve()
    with tempfile.TemporaryDirectory(prefix="new-person-task-") as data:
        env = {
            **os.environ,
            "PYTHONPATH": str(tree),
            "DEBUG": "1",
            "DATA_DIR": data,
            "DATABASE_URL": f"sqlite:///{data}/db.sqlite3",
            "SECRET_KEY": "new-person-task-" + "x" * 40,
            "DJANGO_SETTINGS_MODULE": "bioproject.settings",
            "LOG_LEVEL": "ERROR",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=tree, env=env, check=True)
        subprocess.run(
            [*manage, "shell", "-c", SETUP], cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL
        )
        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
            cwd=tree,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/admin/login/", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
                )
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
                page.set_default_timeout(15_000)
                figures = do_task(page, base)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    commit = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    figures = {"tree": str(tree), "commit": commit, **figures}
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    for key, value in figures.items():
        print(f"{key:>13}: {value}")


if __name__ == "__main__":
    main()
