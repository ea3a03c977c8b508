"""Drafting from a source in Chromium (issue 20): an editor drafts Cai Qi's profile from the demo's
Wikipedia text into a database that has his organizations but not him, keeps the proposals that
need no new organization, writes them, and a reviewer can publish the result; the draft page passes
axe-core and the Nu HTML Checker."""

import json

import pytest
from playwright.sync_api import expect

from profiles import publishing
from profiles.models import Organization, Person
from sources.models import Citation
from tests.e2e.conftest import DEMO_FILE
from tests.e2e.helpers import login
from tests.e2e.test_public_pages_quality import axe_violations, nu_errors
from tests.factories import OrganizationFactory, SourceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def wikipedia(db):
    """The demo's Wikipedia source (approved) and the demo's organizations, without Cai Qi."""
    people = json.loads(DEMO_FILE.read_text())["people"]
    chains = [m["organization"] for p in people for m in p["memberships"]]
    made = {}

    def make(organization):
        if organization is None or organization["id"] in made:
            return made.get(organization["id"]) if organization else None
        parent = make(organization.get("parent"))
        made[organization["id"]] = OrganizationFactory(
            slug=organization["id"], name=organization["name"], kind=organization["kind"], parent=parent
        )
        return made[organization["id"]]

    for organization in chains:
        make(organization)
    text = next(s for s in people[0]["sources"] if s["id"] == "wikipedia-cai-qi")["archived_text"]
    return SourceFactory(id="wikipedia-cai-qi", title="Cai Qi", publisher="Wikipedia", archived_text=text)


def test_an_editor_drafts_a_new_profile_from_a_source_and_a_reviewer_can_publish_it(
    new_page, editor, reviewer, wikipedia, tmp_path
):
    page = new_page(width=1366, height=900)
    login(page, "editor")
    page.goto(f"/admin/sources/source/{wikipedia.pk}/change/")
    page.click("#draft-claims-link")
    expect(page.locator("#draft-form")).to_be_visible()
    expect(page.locator(".draft-person h2").first).to_contain_text("Cai Qi")
    served = tmp_path / "draft.html"
    served.write_bytes(page.content().encode())
    assert axe_violations(page) == []
    assert nu_errors([served]) == []
    # Keep what needs no new organization (a new one would wait for a reviewer of its own).
    page.evaluate(
        """document.querySelectorAll('tr.draft-proposal').forEach(row => {
             if (row.textContent.includes('(new organization)'))
               row.querySelector('input[name=take]').checked = false;
           })"""
    )
    ticked = page.locator("input[name=take]:checked").count()
    assert ticked >= 10
    page.click("#draft-form input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("Written into the working copy")
    person = Person.objects.get(name="Cai Qi")
    assert person.status == Person.Status.DRAFT and person.live_revision is None
    assert person.positions.count() >= 8 and person.events.exists()
    assert not Organization.objects.filter(approved_at__isnull=True).exists()
    citations = Citation.objects.filter(person=person)
    assert citations.count() >= ticked
    assert set(citations.values_list("verification", flat=True)) == {Citation.Verification.VERIFIED}
    publishing.profile_submit(person=person, user=editor, note="Drafted from Wikipedia")
    revision = publishing.profile_publish(
        person=person, user=reviewer, comment="Checked", seen=publishing.working_digest(person)
    )
    assert revision.number == 1
