"""A reviewer's decisions in Chromium: approve from the top of the review screen, a stale approval
refused, unpublish only with a reason and a confirmation; the review screen passes axe-core and the
Nu HTML Checker. `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/review-screen.png."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from profiles import publishing
from profiles.models import Person, ReviewAction
from tests.e2e.helpers import login, submit
from tests.e2e.test_public_pages_quality import axe_violations, nu_errors
from tests.factories import CitationFactory, SourceFactory, as_system, cited_profile, publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def in_review(editor, reviewer):
    """A published profile whose editor changed a date and submitted it."""
    source = SourceFactory(
        id="xinhua-zhou",
        publisher="Xinhua",
        archived_text="Cai was born in Youxi County. He became mayor in April 2004. He joined in 1975. "
        "In May 2004 he became mayor, the agency corrected.",
    )
    person = cited_profile(slug="zhou-ming", name="Zhou Ming", source=source, summary="An official.")
    publish(person=person, user=reviewer)
    position = person.positions.first()
    with as_system():
        position.start_date = "1990-05"
        position.save()
        CitationFactory(
            person=person,
            position=position,
            source=source,
            field="start_date",
            quote="In May 2004 he became mayor, the agency corrected.",
        )
    publishing.profile_submit(person=person, user=editor, note="Start month from the correction")
    return person


def review_url(person):
    return f"/admin/profiles/person/{person.pk}/review/"


def test_a_reviewer_approves_from_the_top_of_the_screen(new_page, in_review, reviewer):
    page = new_page(width=1366, height=900)
    login(page, "reviewer")
    page.goto(review_url(in_review))
    decision = page.locator("#review-decision")
    expect(decision.locator("input[name=_publish]")).to_be_in_viewport()
    # The evidence sits next to the change: the new start date with the quote that gives it.
    change = page.locator("section.claim-change", has_text="start date")
    expect(change).to_contain_text("In May 2004 he became mayor")
    expect(change).to_contain_text("quote found in the archived text")
    page.fill("#id_revision_note", "Start month from Xinhua's correction")
    submit(page, "#review-decision input[name=_publish]")
    expect(page.locator(".messagelist")).to_contain_text("Published as revision 2")
    reader = new_page()
    reader.goto("/people/zhou-ming/revisions/")
    expect(reader.locator("table.revisions")).to_contain_text("Start month from Xinhua's correction")


def test_an_approval_of_a_copy_that_changed_meanwhile_is_refused(new_page, in_review, reviewer):
    page = new_page(width=1366, height=900)
    login(page, "reviewer")
    page.goto(review_url(in_review))
    with as_system():  # another editor saves while the reviewer reads
        Person.objects.filter(pk=in_review.pk).update(summary="Slipped in meanwhile")
    submit(page, "#review-decision input[name=_publish]")
    expect(page.locator(".messagelist .error")).to_contain_text("changed since you opened it")
    assert Person.objects.get(pk=in_review.pk).live_revision.number == 1
    # Reading it again shows the change; approving that is accepted.
    expect(page.locator("section.claim-change", has_text="Summary")).to_contain_text("Slipped in meanwhile")
    submit(page, "#review-decision input[name=_publish]")
    expect(page.locator(".messagelist")).to_contain_text("Published as revision 2")


def test_unpublish_needs_a_reason_and_a_confirmation(new_page, in_review, reviewer):
    page = new_page(width=1366, height=900)
    login(page, "reviewer")
    page.goto(review_url(in_review))
    form = page.locator("form.danger-zone")
    # The browser asks for both; a request without them is refused by the server too.
    assert form.locator("#id_unpublish_reason").get_attribute("required") is not None
    page.evaluate(
        "document.querySelectorAll('form.danger-zone [required]').forEach(e => e.removeAttribute('required'))"
    )
    submit(page, "form.danger-zone input[name=_unpublish]")
    expect(page.locator(".messagelist .error")).to_contain_text(re.compile("confirm|reason", re.I))
    assert Person.objects.get(pk=in_review.pk).live_revision_id is not None
    page.fill("#id_unpublish_reason", "Legal review of the eviction figures")
    page.check("form.danger-zone input[name=confirm]")
    submit(page, "form.danger-zone input[name=_unpublish]")
    expect(page.locator(".messagelist")).to_contain_text("Taken off the public site")
    assert ReviewAction.objects.filter(action="unpublished", comment__contains="Legal review").exists()


def test_the_review_screen_passes_axe_and_the_nu_checker(new_page, in_review, reviewer, tmp_path):
    page = new_page(width=1366, height=900)
    login(page, "reviewer")
    response = page.goto(review_url(in_review))
    served = tmp_path / "review.html"
    served.write_bytes(response.body())
    assert axe_violations(page) == []
    assert nu_errors([served]) == []
    folder = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path
    page.screenshot(path=folder / "review-screen.png", full_page=False)


def test_an_editor_without_review_rights_sees_no_decision_form(new_page, in_review):
    page = new_page()
    login(page, "editor")
    page.goto(review_url(in_review))
    expect(page.locator("#review-decision")).to_have_count(0)
