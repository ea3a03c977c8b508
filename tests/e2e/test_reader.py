"""A reader on the demo profile: a footnote marker leads to its citation's quote and source and back
to the claim; on a phone the quote opens in place; disputes said at the line; search by native name."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SOURCE_URLS = {"https://en.wikipedia.org/wiki/Cai_Qi", "https://grokipedia.com/page/Cai_Qi"}
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


def squeeze(text):
    return " ".join(text.split())


def test_a_footnote_leads_to_its_quote_and_source_and_back_to_the_claim(page, demo_profile):
    page.goto("/people/cai-qi/")
    expect(page.locator("h1")).to_contain_text("Cai Qi")
    name_citations = page.request.get("/people/cai-qi.json").json()["citations"]["name"]

    # The name's first marker leads to the entry of the name's first citation.
    marker = page.locator("#fact-name sup.footnote a").first
    target_id = re.fullmatch(r"#(c\d+-\d+[a-z]*)", marker.get_attribute("href")).group(1)
    marker.click()
    expect(page).to_have_url(re.compile(rf"/people/cai-qi/#{target_id}$"))
    assert page.evaluate("document.querySelector(':target').id") == target_id
    target = page.locator(f"#{target_id}")
    expect(target).to_be_in_viewport()
    expect(page.locator(f"ol.references #{target_id}")).to_have_count(1)
    assert squeeze(name_citations[0]["quote"]) in squeeze(target.text_content())
    # Under the source it quotes: the link to the article (not followed: the tests stay offline).
    reference = page.locator("ol.references > li").filter(has=target)
    source_link = reference.locator("a.source-link")
    expect(source_link).to_have_count(1)
    assert source_link.get_attribute("href") in SOURCE_URLS
    assert "noopener" in source_link.get_attribute("rel")

    # Its link back returns to the claim.
    target.locator('a[href="#fact-name"]').click()
    expect(page).to_have_url(re.compile(r"/people/cai-qi/#fact-name$"))
    expect(page.locator("#fact-name")).to_be_in_viewport()

    # A disputing source's marker leads to its quote, marked as disputing.
    disputing = page.locator(".claim.disputed sup.footnote a.disputes").first
    disputing.click()
    entry = page.locator(disputing.get_attribute("href"))
    expect(entry).to_be_in_viewport()
    expect(entry.locator("q").first).to_be_visible()
    expect(entry.locator("strong.disputes")).to_contain_text("Disputes")


def test_on_a_phone_a_tap_shows_the_quote_without_leaving_the_line(new_page, demo_profile):
    page = new_page(width=390, height=844)
    page.goto("/people/cai-qi/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    claim = page.locator("ol.career > li.claim").nth(2)
    marker = claim.locator("sup.footnote a").first
    marker.scroll_into_view_if_needed()
    quoted = squeeze(page.locator(marker.get_attribute("href")).locator("q").first.text_content())
    before = page.evaluate("scrollY")
    marker.click()

    panel = page.locator("#footnote-panel")
    expect(panel).to_be_visible()
    expect(panel).to_have_attribute("role", "note")
    assert quoted in squeeze(panel.text_content())
    assert page.url.endswith("/people/cai-qi/")  # the page did not move to the references
    assert page.evaluate("scrollY") == before
    expect(marker).to_have_attribute("aria-expanded", "true")
    # Right under the marker, inside the screen.
    mark_box, panel_box = marker.bounding_box(), panel.bounding_box()
    assert mark_box["y"] + mark_box["height"] - 2 <= panel_box["y"] <= mark_box["y"] + mark_box["height"] + 40
    assert panel_box["x"] >= 0 and panel_box["x"] + panel_box["width"] <= 390
    assert panel.locator("a.panel-source").get_attribute("href") in SOURCE_URLS
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A second tap closes it; so does Escape, which returns the focus to the marker.
    marker.click()
    expect(panel).to_have_count(0)
    marker.click()
    expect(panel).to_be_visible()
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(marker).to_be_focused()


def test_disputes_are_said_at_the_line_and_less_precise_sources_folded(page, demo_profile):
    page.goto("/people/cai-qi/")
    disputed = page.locator(".claim.disputed")
    assert disputed.count() > 0
    notes = page.evaluate("""() => [...document.querySelectorAll('.claim.disputed')].map(claim =>
        [...claim.querySelectorAll('.sources-differ')].map(note => note.textContent.trim()))""")
    for claim_notes in notes:
        # At least one note, and one note a field: "Sources differ on the start date: …".
        assert claim_notes and all(note.startswith("Sources differ") for note in claim_notes), notes
        fields = [note.split(":")[0] for note in claim_notes]
        assert len(fields) == len(set(fields)), claim_notes
    first = disputed.first
    expect(first.locator(".sources-differ").first).to_be_visible()
    expect(first.locator("sup.footnote a.disputes").first).to_be_visible()

    # A source that gives the birth date less precisely is no dispute: a folded "≈" opens its note.
    birth = page.locator("#fact-birth_date")
    expect(birth.locator(".sources-differ")).to_have_count(0)
    mark = birth.locator(".less-precise .precision-mark")
    note = birth.locator(".less-precise .precision-text")
    expect(note).to_be_hidden()
    expect(mark).to_have_attribute("aria-expanded", "false")
    mark.click()
    expect(note).to_be_visible()
    expect(note).to_contain_text("less precise")
    expect(mark).to_have_attribute("aria-expanded", "true")
    assert page.url.endswith("/people/cai-qi/")
    mark.press(" ")
    expect(note).to_be_hidden()


def test_a_reader_finds_the_person_by_native_name(page, demo_profile):
    page.goto("/people/cai-qi/")
    page.fill("#site-q", "蔡奇")
    page.press("#site-q", "Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=" + re.escape(quote("蔡奇")) + "$"))
    expect(page.get_by_role("status")).to_contain_text("1 profile found")
    page.locator("ul.results").get_by_role("link", name="Cai Qi").click()
    expect(page).to_have_url(re.compile(r"/people/cai-qi/$"))
    expect(page.locator("h1")).to_contain_text("Cai Qi")
