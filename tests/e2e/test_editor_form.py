"""The editor's form in Chromium at 1366 px (issue 13): a position with its citation is added on
the person's page without scrolling sideways, a new citation starts with the source above it,
the profile is submitted and the publishing checks are listed as links; axe-core finds nothing
on the person's change page."""

import pytest
from playwright.sync_api import expect

from profiles.models import Person
from tests.e2e.helpers import add_inline_row, choose, expect_saved, login, submit
from tests.e2e.test_public_pages_quality import axe_violations
from tests.factories import OrganizationFactory, SourceFactory, as_system, cited_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 1366
QUOTE = "He became mayor in April 2004."


@pytest.fixture
def profile(db):
    """A cited profile of one position, with one fact (the lead) that nothing cites yet."""
    source = SourceFactory(id="encyclopedia-cai-qi", title="Cai Qi", publisher="Example Encyclopedia")
    OrganizationFactory(name="Hangzhou Municipal People's Government", slug="hangzhou-government")
    person = cited_profile(slug="cai-qi", name="Cai Qi", native_name="蔡奇", positions=1, source=source)
    with as_system():
        person.summary = "Cai Qi is a Chinese politician."
        person.save()
    return person


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_editor_adds_a_cited_position_without_scrolling_sideways_and_sees_the_checks_on_submit(
    new_page, editor, profile
):
    page = new_page(width=WIDTH)
    login(page, "editor")
    page.goto(f"/admin/profiles/person/{profile.pk}/change/")
    assert scroll_width(page) <= WIDTH

    row = add_inline_row(page, "positions")
    page.fill(f"#id_{row}-role", "Mayor")
    choose(page, f"id_{row}-organization", "Hangzhou")
    expect(page.locator(f"#id_{row}-start_date")).to_have_attribute("placeholder", "1997-04")
    page.fill(f"#id_{row}-start_date", "2004-04")
    citation = add_inline_row(page, f"{row}-citations")
    # The new row starts with the source of the citation above it, and says so.
    expect(page.locator(f"#id_{citation}-source + .select2 .select2-selection__rendered")).to_contain_text(
        "Cai Qi"
    )
    expect(page.locator(f"#{citation} .citation-source-copied")).to_be_visible()
    page.fill(f"#id_{citation}-quote", QUOTE)
    # Locator, stance and notes are folded until needed; the quote check is among them.
    details = page.locator(f"#{citation} details")
    expect(page.locator(f"#id_{citation}-locator")).to_be_hidden()
    details.locator("summary").click()
    page.fill(f"#id_{citation}-locator", "Career")
    assert scroll_width(page) <= WIDTH

    page.fill("#id_edit_summary", "Mayor of Hangzhou from the encyclopedia")
    submit(page, "input[name=_submit_for_review]")
    expect_saved(page, "Saved and submitted for review.")
    checks = page.locator(".messagelist .publishing-checks a")
    expect(checks).to_have_count(1)
    expect(checks.first).to_contain_text("Nothing cites the person's")
    assert scroll_width(page) <= WIDTH

    person = Person.objects.get(pk=profile.pk)
    assert person.status == Person.Status.IN_REVIEW
    added = person.positions.get(role="Mayor", organization__slug="hangzhou-government")
    assert [(c.source_id, c.quote, c.locator) for c in added.citations.all()] == [
        ("encyclopedia-cai-qi", QUOTE, "Career")
    ]


def test_person_change_page_has_no_axe_violations(new_page, editor, profile):
    page = new_page(width=WIDTH)
    login(page, "editor")
    page.goto(f"/admin/profiles/person/{profile.pk}/change/")
    assert axe_violations(page) == []
    # And with the errors of a refused save summarised at the top, as links.
    page.fill("#id_birth_date", "1955-02-30")
    submit(page, "input[name=_save]")
    summary = page.locator("#error-summary a")
    expect(summary).to_have_count(1)
    expect(summary.first).to_have_attribute("href", "#id_birth_date")
    summary.first.click()
    expect(page.locator("#id_birth_date")).to_be_in_viewport()
    assert axe_violations(page) == []
