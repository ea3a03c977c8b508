"""A reader on the demo profile: footnotes, references, disputed claims, search by native name."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SOURCE_URLS = {"https://en.wikipedia.org/wiki/Cai_Qi", "https://grokipedia.com/page/Cai_Qi"}


def test_reader_follows_a_footnote_to_its_source_and_finds_the_person_by_native_name(page, demo_profile):
    page.goto("/people/cai-qi/")
    expect(page.locator("h1")).to_contain_text("Cai Qi")

    # A footnote of the name leads to its reference, which becomes the target.
    footnote = page.locator("#fact-name sup.footnote a").first
    number = re.fullmatch(r"#ref-(\d+)", footnote.get_attribute("href")).group(1)
    footnote.click()
    expect(page).to_have_url(re.compile(rf"/people/cai-qi/#ref-{number}$"))
    reference = page.locator(f"ol.references > li#ref-{number}")
    expect(reference).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == f"ref-{number}"
    # Its source link goes to the article itself (not followed: the tests stay off the network).
    source_link = reference.locator("a.source-link")
    expect(source_link).to_have_count(1)
    assert source_link.get_attribute("href") in SOURCE_URLS
    assert "noopener" in source_link.get_attribute("rel")
    # The quote that backs the name is listed under it, and the backlink returns to the claim.
    expect(reference.locator("ul.quotes")).to_contain_text("Cai Qi")
    backlink = reference.locator(".backlinks a").first
    claim_marker = backlink.get_attribute("href")
    backlink.click()
    expect(page).to_have_url(re.compile(rf"{claim_marker}$"))
    expect(page.locator(claim_marker)).to_be_in_viewport()

    # Every disputed claim says so at the line itself.
    disputed = page.locator(".claim.disputed")
    assert disputed.count() > 0
    notes = page.evaluate("""() => [...document.querySelectorAll('.claim.disputed')].map(claim =>
        [...claim.querySelectorAll('.sources-differ')].map(note => note.textContent.trim()))""")
    assert all(any(note.startswith("Sources differ") for note in claim) for claim in notes), notes
    first = disputed.first
    expect(first.locator(".sources-differ", has_text="Sources differ").first).to_be_visible()
    expect(first.locator("sup.footnote a[href^='#ref-']").first).to_be_visible()

    # Search by the native-script name from the header's search box.
    page.fill("#site-q", "蔡奇")
    page.press("#site-q", "Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=" + re.escape(quote("蔡奇")) + "$"))
    expect(page.get_by_role("status")).to_contain_text("1 profile found")
    page.locator("ul.results").get_by_role("link", name="Cai Qi").click()
    expect(page).to_have_url(re.compile(r"/people/cai-qi/$"))
    expect(page.locator("h1")).to_contain_text("Cai Qi")
