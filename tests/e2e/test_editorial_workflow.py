"""An editor enters a cited profile in the admin and submits it; a reviewer sends it back, the
editor fixes it, the reviewer publishes it; the audit trail shows every step. All in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from profiles.models import Person
from tests.e2e.helpers import (
    add_inline_row,
    add_related_in_popup,
    audit_rows,
    choose,
    expect_saved,
    fill_citation,
    login,
    submit,
)
from tests.factories import OrganizationFactory, SourceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SLUG = "zhou-ming"
CREATED = "New profile from the encyclopedia article and a news report"
SOURCE_ADDED = "News report of his appointment as mayor"
FIXED = "Mayor start date as in the news report"
SUBMIT_NOTE = "Please check the Sanming dates"
REJECTED = "Mayor of Sanming: the news report says 1997, not 1996."
APPROVED = "Checked against both sources"
NEWS_URL = "https://news.example.org/2004/zhou-ming-mayor"
ENCYCLOPEDIA = ("encyclopedia", "Zhou Ming (Example Encyclopedia)")  # typed, then picked


@pytest.fixture
def catalogue(db):
    """What an editor finds already in the database: organizations and one source."""
    OrganizationFactory(
        name="Sanming Municipal People's Government",
        slug="sanming-government",
        native_name="三明市人民政府",
        kind="government",
    )
    OrganizationFactory(
        name="CCP Quzhou Municipal Committee",
        slug="quzhou-committee",
        native_name="中共衢州市委",
        kind="party",
    )
    return SourceFactory(
        id="encyclopedia-zhou-ming",
        title="Zhou Ming",
        publisher="Example Encyclopedia",
        url="https://encyclopedia.example.org/wiki/Zhou_Ming",
        archived_text="Zhou Ming (周明; born 1961) is a politician. He joined the party in 1978. "
        "From March 2002 to April 2004 he was party secretary of Quzhou.",
    )


def create_and_submit_profile(page):
    """Step 1, as the editor: the whole profile in one add form, then submit it for review."""
    page.goto("/admin/profiles/person/add/")
    page.locator("#id_name").press_sequentially("Zhou Ming")
    expect(page.locator("#id_slug")).to_have_value(SLUG)  # prepopulated from the name
    page.fill("#id_native_name", "周明")
    page.fill("#id_birth_date", "1961")

    for field, quote in [
        ("name", "Zhou Ming (周明; born 1961) is a politician."),
        ("native_name", "Zhou Ming (周明; born 1961) is a politician."),
        ("birth_date", "Zhou Ming (周明; born 1961) is a politician."),
    ]:
        row = add_inline_row(page, "citations")
        fill_citation(page, row, field=field, source=ENCYCLOPEDIA, quote=quote, locator="Lead")

    mayor = add_inline_row(page, "positions")
    page.fill(f"#id_{mayor}-role", "Mayor")
    choose(page, f"id_{mayor}-organization", "Sanming")
    page.fill(f"#id_{mayor}-start_date", "1996")  # a slip: the source says 1997
    page.fill(f"#id_{mayor}-end_date", "1999")
    citation = add_inline_row(page, f"{mayor}-citations")
    add_related_in_popup(
        page,
        f"id_{citation}-source",
        {
            "title": "Zhou Ming appointed mayor of Sanming",
            "url": NEWS_URL,
            "publisher": "Example Daily",
            "accessed": "2026-11-26",
            "archived_text": "Zhou Ming became mayor of Sanming in 1997 and served until 1999.",
        },
        SOURCE_ADDED,
    )
    page.fill(f"#id_{citation}-quote", "Zhou Ming became mayor of Sanming in 1997 and served until 1999.")

    secretary = add_inline_row(page, "positions")
    page.fill(f"#id_{secretary}-role", "Party Secretary")
    choose(page, f"id_{secretary}-organization", "Quzhou")
    page.fill(f"#id_{secretary}-start_date", "2002-03")
    page.fill(f"#id_{secretary}-end_date", "2004-04")
    citation = add_inline_row(page, f"{secretary}-citations")
    fill_citation(
        page,
        citation,
        source=ENCYCLOPEDIA,
        locator="Career",
        quote="From March 2002 to April 2004 he was party secretary of Quzhou.",
    )

    event = add_inline_row(page, "events")
    page.fill(f"#id_{event}-date", "1978")
    page.select_option(f"#id_{event}-kind", "joined")
    page.fill(f"#id_{event}-title", "Joins the Chinese Communist Party")
    citation = add_inline_row(page, f"{event}-citations")
    fill_citation(page, citation, source=ENCYCLOPEDIA, quote="He joined the party in 1978.")

    page.fill("#id_edit_summary", CREATED)
    page.fill("#id_review_comment", SUBMIT_NOTE)
    submit(page, "input[name=_submit_for_review]")
    expect_saved(page, "Saved and submitted for review.")
    expect(page.locator("#workflow-status")).to_contain_text("In review")
    return Person.objects.get(slug=SLUG)


def test_editor_enters_a_cited_profile_with_a_new_source_and_submits_it(new_page, editor, catalogue):
    page = new_page()
    login(page, "editor")
    person = create_and_submit_profile(page)

    assert person.status == Person.Status.IN_REVIEW
    positions = [(p.role, p.start_date.isoformat(), p.organization.slug) for p in person.positions.all()]
    assert positions == [
        ("Mayor", "1996", "sanming-government"),
        ("Party Secretary", "2002-03", "quzhou-committee"),
    ]
    assert person.citations.count() == 6
    assert person.citations.filter(source__url=NEWS_URL, position__role="Mayor").exists()
    # Readers see nothing until a reviewer publishes.
    reader = new_page()
    response = reader.goto(f"/people/{SLUG}/")
    assert response.status == 404
    expect(reader.locator("h1")).to_have_text("Not found")


def test_reviewer_sends_back_editor_fixes_reviewer_publishes_and_the_audit_trail_shows_it(
    new_page, editor, reviewer, catalogue
):
    editor_page = new_page()
    login(editor_page, "editor")
    person = create_and_submit_profile(editor_page)

    # Step 2: the reviewer finds it in the queue and reads the diff.
    review_page = new_page()
    login(review_page, "reviewer")
    review_page.goto("/admin/profiles/person/review-queue/")
    queued = review_page.locator("table.review-queue tbody tr", has_text="Zhou Ming")
    expect(queued).to_contain_text(SUBMIT_NOTE)
    expect(queued).to_contain_text("editor")
    queued.get_by_role("link", name="Review").click()
    expect(review_page).to_have_url(re.compile(rf"/admin/profiles/person/{person.pk}/review/$"))
    # Changes come grouped by claim, each with the citations that back it now.
    mayor = review_page.locator(
        "section.claim-change", has_text="Position: Mayor, Sanming Municipal People's Government"
    )
    expect(mayor.locator("table.diff")).to_contain_text("1996")
    expect(mayor.locator(".evidence")).to_contain_text("Zhou Ming became mayor of Sanming in 1997")
    expect(
        review_page.locator("section.claim-change", has_text="Event: Joins the Chinese Communist Party")
    ).to_have_count(1)
    expect(review_page.locator(".review-screen")).to_contain_text(CREATED)

    # Sent back with a comment.
    review_page.fill("textarea[name=review_comment]", REJECTED)
    submit(review_page, "input[name=_reject]")
    expect_saved(review_page, "Sent back to the editors with your comment.")

    # The editor sees the comment on the change page, fixes the date and resubmits.
    editor_page.goto(f"/admin/profiles/person/{person.pk}/change/")
    status = editor_page.locator("#workflow-status")
    expect(status).to_contain_text("Sent back to the editors")
    expect(status.locator(".review-comment")).to_have_text(REJECTED)
    expect(editor_page.locator("#id_positions-0-role")).to_have_value("Mayor")
    start = editor_page.locator("#id_positions-0-start_date")
    expect(start).to_have_value("1996")
    start.fill("1997")
    editor_page.fill("#id_edit_summary", FIXED)
    submit(editor_page, "input[name=_submit_for_review]")
    expect_saved(editor_page, "Saved and submitted for review.")

    # The reviewer approves; the profile is public.
    review_page.goto("/admin/profiles/person/review-queue/")
    review_page.locator("table.review-queue tbody tr", has_text="Zhou Ming").get_by_role(
        "link", name="Review"
    ).click()
    # The re-review shows what changed since it was sent back: the corrected start date.
    expect(review_page.locator(".diff-baseline")).to_contain_text("sent it back")
    expect(review_page.locator("section.claim-change table.diff")).to_contain_text("1997")
    expect(review_page.locator(".review-screen")).to_contain_text(FIXED)
    # The news report the editor added is a new source: the reviewer approves it first.
    expect(review_page.locator(".publishing-problems")).to_contain_text("awaits review")
    profile_review = review_page.url
    review_page.get_by_role("link", name=re.compile("Zhou Ming appointed mayor")).first.click()
    expect(review_page.locator("#review-decision")).to_be_visible()
    submit(review_page, "input[name=_approve]")
    expect_saved(review_page, "Approved")
    review_page.goto(profile_review)
    expect(review_page.locator(".publishing-problems")).to_have_count(0)
    review_page.fill("input[name=revision_note]", APPROVED)
    submit(review_page, "input[name=_publish]")
    expect_saved(review_page, "Published as revision 1.")

    reader = new_page()
    assert reader.goto(f"/people/{SLUG}/").status == 200
    expect(reader.locator("h1")).to_contain_text("Zhou Ming")
    expect(reader.locator(".native-name")).to_have_text("周明")
    mayor = reader.locator("ol.career > li.claim", has_text="Mayor")
    expect(mayor).to_contain_text("1997 – 1999")
    expect(
        reader.locator("ol.references a.source-link", has_text="Zhou Ming appointed mayor")
    ).to_have_attribute("href", NEWS_URL)

    # Step 5: the audit trail has every edit with its user and edit summary...
    review_page.goto(f"/admin/profiles/person/{person.pk}/audit/")
    rows = [row for row in audit_rows(review_page) if row["who"] != "—"]  # not the catalogue
    assert {(row["who"], row["summary"]) for row in rows} == {
        ("editor", CREATED),
        ("editor", SOURCE_ADDED),
        ("editor", FIXED),
    }, rows
    created = {row["what"].split(":")[0] for row in rows if row["summary"] == CREATED}
    assert created == {"person created", "position created", "event created", "citation created"}, rows
    assert [row["what"] for row in rows if row["summary"] == SOURCE_ADDED] == [
        "source created: Zhou Ming appointed mayor of Sanming"
    ], rows
    [fix] = [row for row in rows if row["what"] == "position changed: Mayor"]
    assert fix["summary"] == FIXED and "start date: 1996 → 1997" in fix["changes"], rows
    # ...and every review step, with the reviewer and the comments.
    trail = review_page.locator("#content-main").inner_text()
    missing = [text for text in (SUBMIT_NOTE, REJECTED, APPROVED) if text not in trail]
    assert not missing, f"review steps missing from the audit trail: {missing}"
