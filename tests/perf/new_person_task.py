"""Measure issue 13's editor task in Chromium at 1366×900: a new person with 4 positions, 2 events
and 12 citations entered through the person's add form, saved and submitted for review.

Run as a script (pytest does not collect tests/perf):

    python tests/perf/new_person_task.py [--tree DIR] [--with-suggestions | --both]

It builds a throwaway SQLite database in a temp dir (migrate, an editor, a catalogue of existing
organizations and one source), serves DIR (default: this checkout) with `manage.py runserver`
on a free loopback port with DEBUG=1, does the task as an editor would, stops the server and
prints the figures: clicks (a native <select> is two: open, pick), typed fields, keystrokes,
the form's scrollWidth (wider than 1366 means horizontal scrolling) and height, both taken with
the whole task typed in, just before submitting. An autocomplete pick is a click to open, the
search typed, and a click on the option; a source the form already shows is not picked again.
After the run it reads the saved citations: how many, how many verified against the source's
archived text (a few paragraphs under headings, in which the task's quotes stand among others),
how many with a locator.

`--with-suggestions` cites by picking instead of typing, as the evidence finder allows only for a
saved claim: the person, positions and events are entered and saved ("Save and continue
editing"), then each of the 12 citations gets its field and source as before, a click on "Suggest
quotes" and a click on the suggestion that is the task's quote (its rank is printed); a quote not
in the list is typed as before and counted as typed. A second edit summary is typed for the second
save. `--both` runs the typed task, then this one.

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
TEXT = """\
Li Wen (李文; born 12 March 1958 in Gutian County) is a Chinese politician. He served as mayor of \
Ningde and party secretary of Putian. Since 2017 he has been a member of the Central Committee of \
the Chinese Communist Party.

Early life and education

Li was born into a farming family in Gutian County, in the hills north of Ningde. After secondary \
school he was sent to work on a tea plantation near Pingnan in 1975. Li joined the Chinese \
Communist Party in August 1978. He studied economics at Fujian Normal University from 1979 to 1983 \
and later took a master's degree at the Central Party School.

Career in Ningde

After graduating, Li worked in the general office of the Ningde prefectural party committee, as \
secretary to the prefecture's party chief. In April 1997 he became mayor of Ningde, serving until \
2001. He was appointed mayor in April 1997. As mayor he moved fishing villages back from the coast \
and pressed for the expressway to Fuzhou. From 2001 to 2006 he was deputy party secretary of Ningde.

Putian and Fujian

He was party secretary of Putian from 2006 to 2011. In Putian he promoted the city's furniture and \
footwear makers and the port at Meizhou Bay. From 2011 he was vice governor of Fujian. As vice \
governor he was responsible for land, resources and agriculture. In 2013 he led a campaign against \
illegal land use. The campaign closed some three thousand unlicensed quarries along the Min River.

Personal life

Li is married and has one daughter. He plays weiqi.
"""
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
CITATIONS_SUMMARY = "Citations from the encyclopedia article"  # the second save, with suggestions
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
        self.picked, self.typed = [], 0  # the rank (1 = best) of each picked quote; quotes typed

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

    def cite(self, prefix, quote, field=None, *, suggestions=False):
        """A citation row: its field when it names one, the source unless shown already, the quote:
        typed, or with `suggestions` picked from "Suggest quotes" when the list holds it."""
        if field is not None:
            self.select(f"#id_{prefix}-field", field)
        if self.page.locator(f"#id_{prefix}-source").input_value() != SOURCE_ID:
            self.choose(f"id_{prefix}-source", "encyclopedia", SOURCE_LABEL)
        if not (suggestions and self.pick(prefix, quote)):
            self.typed += 1
            self.type(f"#id_{prefix}-quote", quote)

    def pick(self, prefix, quote):
        """Click the row's "Suggest quotes" and the suggestion that is this quote; False (after
        the click on the button, if it was offered) when it is not in the list."""
        box = self.page.locator(f"#id_{prefix}-quote + .suggest-quotes")
        button = box.locator(".suggest-button")
        button.wait_for(state="visible", timeout=5_000)  # once the row has a source
        self.page.wait_for_timeout(300)  # the look-ahead hides the button when nothing matches
        if not button.is_visible():
            return False
        self.clicks += 1
        button.click()
        self.page.wait_for_function(
            "id => !['', 'Looking…'].includes(document.querySelector(`#${id} + .suggest-quotes"
            " .suggest-status`).textContent)",
            arg=f"id_{prefix}-quote",
        )
        offered = [" ".join(text.split()) for text in box.locator(".suggest-item q").all_inner_texts()]
        if quote not in offered:
            return False
        self.clicks += 1
        box.locator(".suggest-pick").nth(offered.index(quote)).click()
        self.page.wait_for_function(
            "([id, quote]) => document.getElementById(id).value === quote", arg=[f"id_{prefix}-quote", quote]
        )
        self.picked.append(offered.index(quote) + 1)
        return True

    def save(self, name):
        """Click a save button; the page's form errors."""
        self.clicks += 1
        with self.page.expect_navigation():
            self.page.click(f"input[name={name}]")
        return self.page.locator(".errornote, ul.errorlist li").all_inner_texts()


def do_task(page, base, *, suggestions=False):
    """The task, in one go; or with `suggestions`, the person, positions and events first, saved
    ("Save and continue editing"), then the 12 citations picked from "Suggest quotes", which only a
    saved claim offers."""
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.goto(f"{base}/admin/profiles/person/add/")
    editor = Editor(page)  # counting starts on the empty add form
    first_save_errors = []
    editor.type("#id_name", PERSON["name"], sequentially=True)  # the slug follows the name
    for field in ("native_name", "birth_date", "birth_place", "summary"):
        editor.type(f"#id_{field}", PERSON[field])
    if not suggestions:
        for field, quote in PERSON_CITATIONS:
            editor.cite(editor.add_row("citations"), quote, field)
    rows = []
    for role, organization, start, end, citations in POSITIONS:
        row = editor.add_row("positions")
        rows.append((row, citations))
        editor.type(f"#id_{row}-role", role)
        editor.choose(f"id_{row}-organization", organization)
        editor.type(f"#id_{row}-start_date", start)
        if end:
            editor.type(f"#id_{row}-end_date", end)
        if not suggestions:
            for field, quote in citations:
                editor.cite(editor.add_row(f"{row}-citations"), quote, field)
    for date, kind, title, quote in EVENTS:
        row = editor.add_row("events")
        rows.append((row, [(None, quote)]))
        editor.type(f"#id_{row}-date", date)
        editor.select(f"#id_{row}-kind", kind)
        editor.type(f"#id_{row}-title", title)
        if not suggestions:
            editor.cite(editor.add_row(f"{row}-citations"), quote)
    editor.type("#id_edit_summary", EDIT_SUMMARY)
    if suggestions:
        first_save_errors = editor.save("_continue")
        if first_save_errors:
            raise SystemExit(f"The first save failed: {first_save_errors}")
        # The change form lists the saved positions and events in the order they were entered.
        for field, quote in PERSON_CITATIONS:
            editor.cite(editor.add_row("citations"), quote, field, suggestions=True)
        for row, citations in rows:
            for field, quote in citations:
                editor.cite(editor.add_row(f"{row}-citations"), quote, field, suggestions=True)
        editor.type("#id_edit_summary", CITATIONS_SUMMARY)
    editor.type("#id_review_comment", REVIEW_NOTE)
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    errors = editor.save("_submit_for_review")
    messages = page.locator(".messagelist li").all_inner_texts()
    figures = {
        "mode": "with suggestions" if suggestions else "typed",
        "clicks": editor.clicks,
        "typed fields": editor.fields,
        "keystrokes": editor.keys,
        "quotes picked": len(editor.picked),
        "quotes typed": editor.typed,
    }
    if suggestions:
        figures["pick ranks"] = editor.picked
    return {
        **figures,
        "scrollWidth": width,
        "height": height,
        "submitted": not errors and any("submitted for review" in m for m in messages),
        "errors": errors,
        "messages": [" ".join(m.split())[:160] for m in messages],
    }


CITATIONS_SAVED = """
import json
from django.db.models import Q
from sources.models import Citation
of_li_wen = Q(person__slug="li-wen") | Q(position__person__slug="li-wen") | Q(event__person__slug="li-wen")
rows = Citation.objects.filter(of_li_wen).values_list("verification", "locator")
print(json.dumps([list(row) for row in rows]))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def citations_saved(manage, tree, env):
    """(verification, locator) of every saved citation of the new person."""
    out = subprocess.run(
        [*manage, "shell", "-c", CITATIONS_SAVED],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(tree, *, suggestions):
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
                figures = do_task(page, base, suggestions=suggestions)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
        saved = citations_saved(manage, tree, env)
    figures["citations saved"] = len(saved)
    figures["verified"] = sum(verification == "verified" for verification, _ in saved)
    figures["with a locator"] = sum(bool(locator) for _, locator in saved)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", default=str(Path(__file__).resolve().parents[2]), help="checkout to serve")
    parser.add_argument(
        "--with-suggestions",
        action="store_true",
        help='save the claims first, then cite by picking from "Suggest quotes"',
    )
    parser.add_argument("--both", action="store_true", help="run both ways, typed first")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    tree = Path(args.tree).resolve()
    modes = [False, True] if args.both else [args.with_suggestions]
    commit = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    for suggestions in modes:
        figures = {"tree": str(tree), "commit": commit, **run(tree, suggestions=suggestions)}
        if args.json:
            print(json.dumps(figures, ensure_ascii=False))
            continue
        for key, value in figures.items():
            print(f"{key:>15}: {value}")
        print()


if __name__ == "__main__":
    main()
