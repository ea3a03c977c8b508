"""The workbench in a real browser: a reviewer reaches the review queue from the admin home in one
click (and from any admin page through the header); the public diff of a revision renders and
passes axe-core and the Nu HTML Checker; a screenshot of the reviewer's dashboard."""

import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import login
from tests.e2e.test_public_pages_quality import axe_violations, nu_errors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_FILE = Path(__file__).resolve().parents[2] / "profiles" / "demo" / "cai-qi.json"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
QUEUE = re.compile(r"/admin/profiles/person/review-queue/$")


@pytest.fixture
def demo_profile(db):
    """The demo profile, imported and published by a reviewer as `manage.py demo` does."""
    from profiles.importing import load_file
    from profiles.models import Person
    from profiles.transfer import profiles_import
    from tests.factories import reviewer_user

    profiles_import(data=load_file(DEMO_FILE), user=reviewer_user("importer"), reason="Demo", publish=True)
    return Person.objects.get(slug="cai-qi")


@pytest.fixture
def workload(editor, reviewer):
    """Profiles waiting for review, one sent back, a new organization and a proposed change to
    an approved source."""
    from profiles import editing, publishing
    from tests.factories import OrganizationFactory, SourceFactory, cited_profile

    for number, name in enumerate(["Zhou Ming", "Li Wei", "Wang Fang"]):
        person = cited_profile(slug=f"person-{number}", name=name)
        publishing.profile_submit(person=person, user=editor, note="New profile from Xinhua obituaries")
    back = cited_profile(slug="chen-jie", name="Chen Jie")
    publishing.profile_submit(person=back, user=editor)
    publishing.profile_reject(person=back, user=reviewer, comment="The birth year rests on one source")
    OrganizationFactory(name="Sanming Municipal Committee", approved_at=None)
    source = SourceFactory(title="Zhou Ming appointed mayor of Sanming")
    source.title = "Zhou Ming appointed mayor of Sanming (Xinhua)"
    editing.shared_record_save(record=source, user=editor, reason="Publisher in the title")


def test_a_reviewer_reaches_the_queue_from_the_admin_home_in_one_click(page, reviewer, workload):
    login(page, "reviewer")
    waiting = page.locator("#workbench .workbench-waiting h2 a")
    expect(waiting).to_have_text("Waiting for review (5)")
    waiting.click()
    expect(page).to_have_url(QUEUE)
    expect(page.locator("table.review-queue")).to_contain_text("Zhou Ming")
    # From anywhere else in the admin, the header's link is one click too.
    page.goto("/admin/sources/source/")
    page.locator("#user-tools a.review-queue-link").click()
    expect(page).to_have_url(QUEUE)


def test_an_editor_sees_what_came_back_on_the_admin_home(page, editor, workload):
    login(page, "editor")
    sent_back = page.locator("#workbench .workbench-sent-back")
    expect(sent_back).to_contain_text("Chen Jie")
    expect(sent_back).to_contain_text("The birth year rests on one source")
    expect(page.locator("#user-tools a.review-queue-link")).to_have_count(0)


def test_the_public_diff_renders_and_passes_axe_and_the_nu_checker(page, demo_profile, reviewer, tmp_path):
    from tests.factories import as_system, publish

    position = demo_profile.positions.order_by("start_date").first()
    with as_system():
        demo_profile.birth_place = demo_profile.birth_place + ", Fujian"
        demo_profile.save()
        position.note = "Appointed at the provincial party congress."
        position.save()
    publish(person=demo_profile, user=reviewer, comment="Birthplace and a note")
    page.goto("/people/cai-qi/revisions/")
    page.locator("a", has_text="What changed").first.click()
    expect(page).to_have_url(re.compile(r"/people/cai-qi/revisions/2/diff/$"))
    expect(page.locator("h1")).to_contain_text("What changed in revision 2")
    changes = page.locator("ol.revision-changes > li")
    expect(changes).to_have_count(2)
    expect(page.locator("main")).to_contain_text("Birth place changed from")
    expect(page.locator("main")).to_contain_text("Appointed at the provincial party congress.")
    response = page.goto("/people/cai-qi/revisions/2/diff/")
    served = tmp_path / "diff.html"
    served.write_bytes(response.body())
    with ThreadPoolExecutor(1) as background:
        checked = background.submit(nu_errors, [served])
        violations = axe_violations(page)
        errors = checked.result()
    assert not violations, "axe-core violations:\n" + json.dumps(violations, indent=1, ensure_ascii=False)
    assert not errors, "Nu HTML Checker errors:\n" + "\n".join(errors)


def test_screenshot_of_the_reviewers_dashboard(new_page, reviewer, workload, tmp_path):
    page = new_page(width=1366, height=900)
    login(page, "reviewer")
    expect(page.locator("#workbench")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "dashboard.png", full_page=True)
