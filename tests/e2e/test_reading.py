"""Reading the demo profile (issue 21): a marker's quote and source in one hover, one tap or one
Tab, without scrolling; references folded by source and unfolded where a link points; sections
folded on a phone; the page's heights and what is above the fold; no script needed."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.test_public_pages_quality import axe_violations, nu_errors

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DEMO_FILE = Path(__file__).resolve().parents[2] / "profiles" / "demo" / "cai-qi.json"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo_profile(db):
    """The demo profile, imported and published by a reviewer as `manage.py demo` does."""
    from profiles.importing import load_file
    from profiles.models import Person
    from profiles.transfer import profiles_import
    from tests.factories import reviewer_user

    profiles_import(data=load_file(DEMO_FILE), user=reviewer_user("importer"), reason="Demo", publish=True)
    return Person.objects.get(slug="cai-qi")


def squeeze(text):
    return " ".join(text.split())


def in_viewport(page, locator):
    """The element's box lies wholly inside the window."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and (box["x"] + box["width"] <= size["width"])
    )


def open_sources(page):
    return page.evaluate("[...document.querySelectorAll('ol.references details')].filter(d => d.open).length")


def source_title(page, entry_id):
    """The title of the source whose reference entry this is."""
    return squeeze(page.locator(f"ol.references > li:has(#{entry_id}) a.source-link").first.text_content())


def test_hovering_a_marker_shows_its_quote_and_source_next_to_it_without_moving_the_page(
    new_page, demo_profile
):
    page = new_page(**DESKTOP)
    page.goto("/people/cai-qi/")
    marker = page.locator("ol.career > li.claim").nth(3).locator("sup.footnote a").first
    marker.scroll_into_view_if_needed()
    entry_id = marker.get_attribute("href")[1:]
    quote = squeeze(page.locator(f"#{entry_id} q").first.text_content())
    before = page.evaluate("scrollY")

    marker.hover()
    card = page.locator("#footnote-preview")
    expect(card).to_be_visible()
    expect(card).to_have_attribute("role", "tooltip")
    expect(marker).to_have_attribute("aria-describedby", "footnote-preview")
    assert quote in squeeze(card.text_content())
    assert source_title(page, entry_id) in squeeze(card.locator(".panel-source").text_content())
    assert in_viewport(page, card)
    assert page.evaluate("scrollY") == before and page.url.endswith("/people/cai-qi/")

    page.mouse.move(5, 5)  # moving away closes it
    expect(card).to_have_count(0)
    expect(marker).not_to_have_attribute("aria-describedby", "footnote-preview")


def test_a_marker_near_the_bottom_of_the_window_shows_its_card_above_it(new_page, demo_profile):
    page = new_page(**DESKTOP)
    page.goto("/people/cai-qi/")
    marker = page.locator("ol.events > li.claim").nth(6).locator("sup.footnote a").first
    marker.evaluate("element => window.scrollBy(0, element.getBoundingClientRect().bottom - innerHeight + 4)")
    marker.hover()
    card = page.locator("#footnote-preview")
    expect(card).to_be_visible()
    assert in_viewport(page, card)
    assert card.bounding_box()["y"] < marker.bounding_box()["y"]


def test_tab_to_a_marker_shows_its_card_and_escape_closes_it(new_page, demo_profile):
    page = new_page(**DESKTOP)
    page.goto("/people/cai-qi/")
    marker = page.locator("#fact-name sup.footnote a").first
    # Focus whatever comes before the marker in the tab order, then Tab to it.
    marker.evaluate(
        """marker => {
            const focusable = [...document.querySelectorAll('a[href], button, input')];
            focusable[focusable.indexOf(marker) - 1].focus();
        }"""
    )
    page.keyboard.press("Tab")
    expect(marker).to_be_focused()
    card = page.locator("#footnote-preview")
    expect(card).to_be_visible()
    entry_id = marker.get_attribute("href")[1:]
    assert squeeze(page.locator(f"#{entry_id} q").first.text_content()) in squeeze(card.text_content())
    assert in_viewport(page, card)

    page.keyboard.press("Escape")
    expect(card).to_have_count(0)
    expect(marker).to_be_focused()
    # Enter still follows the link to the reference.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"#{entry_id}$"))
    expect(page.locator(f"#{entry_id}")).to_be_in_viewport()


def test_references_are_folded_by_source_and_a_marker_opens_the_right_one_with_its_title(
    new_page, demo_profile
):
    page = new_page(**DESKTOP)
    page.goto("/people/cai-qi/")
    sources = page.locator("ol.references > li > details")
    assert sources.count() >= 2
    assert page.evaluate("[...document.querySelectorAll('ol.references details')].some(d => d.open)") is False
    # Each source's summary: its title, kind and how many passages the page quotes.
    summary = squeeze(sources.first.locator("summary").text_content())
    assert re.search(r"\d+ passages? quoted$", summary), summary

    # A marker deep in the second source's passages.
    marker = page.locator("sup.footnote a[href^='#c2-']").last
    entry_id = marker.get_attribute("href")[1:]
    marker.click()
    expect(page).to_have_url(re.compile(rf"#{entry_id}$"))
    target = page.locator(f"#{entry_id}")
    expect(target).to_be_in_viewport()
    reference = page.locator("ol.references > li").filter(has=target)
    assert reference.locator("details").evaluate("details => details.open")
    assert open_sources(page) == 1
    # The source's title stays in sight above the quote, which it does not cover.
    title = reference.locator("summary")
    assert in_viewport(page, title)
    title_box, target_box = title.bounding_box(), target.bounding_box()
    assert title_box["y"] + title_box["height"] <= target_box["y"] + 1
    assert source_title(page, entry_id) in squeeze(title.text_content())

    # "Expand all" unfolds every source for a reader of the whole list; printing too.
    page.get_by_role("button", name="Expand all").click()
    assert page.evaluate("[...document.querySelectorAll('ol.references details')].every(d => d.open)")
    page.get_by_role("button", name="Expand all").click()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")


def test_a_fragment_opens_the_source_it_points_into(new_page, demo_profile):
    page = new_page(**DESKTOP)
    entry_id = "c2-30"
    page.goto(f"/people/cai-qi/#{entry_id}")
    target = page.locator(f"#{entry_id}")
    expect(target).to_be_visible()
    expect(target).to_be_in_viewport()
    assert open_sources(page) == 1


def test_without_script_every_quote_is_shown_and_markers_jump_to_it(browser, live_server, demo_profile):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/people/cai-qi/")
        expect(page.locator("ol.references details:not([open])")).to_have_count(0)
        marker = page.locator("ol.career sup.footnote a").first
        entry_id = marker.get_attribute("href")[1:]
        marker.click()
        expect(page).to_have_url(re.compile(rf"#{entry_id}$"))
        expect(page.locator(f"#{entry_id}")).to_be_visible()
        expect(page.locator(f"#{entry_id}")).to_be_in_viewport()
        page.goto("/people/cai-qi/#c1-8")
        expect(page.locator("#c1-8")).to_be_in_viewport()
    finally:
        context.close()


def test_on_a_phone_sections_fold_the_first_open_and_a_fragment_opens_what_it_points_to(
    new_page, demo_profile
):
    page = new_page(**PHONE)
    page.goto("/people/cai-qi/")
    career, events, references = (
        page.locator(f"#{name}-body") for name in ("career", "events", "references")
    )
    expect(career).to_be_visible()
    expect(events).to_be_hidden()
    expect(references).to_be_hidden()
    toggle = page.locator("#events-title button")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(events).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    page.goto("/people/cai-qi/#c1-8")
    page.reload()  # a new load with the fragment, as a shared link
    expect(page.locator("#c1-8")).to_be_visible()
    expect(page.locator("#c1-8")).to_be_in_viewport()
    expect(page.locator("#references-title button")).to_have_attribute("aria-expanded", "true")

    event_id = page.locator("ol.events > li.claim").nth(4).get_attribute("id")
    page.goto(f"/people/cai-qi/#{event_id}")
    page.reload()
    expect(page.locator(f"#{event_id}")).to_be_in_viewport()


def test_on_a_phone_the_panel_is_scrolled_into_view_with_its_marker(new_page, demo_profile):
    page = new_page(**PHONE)
    page.goto("/people/cai-qi/")
    marker = page.locator("ol.career > li.claim").nth(5).locator("sup.footnote a").first
    # The marker at the bottom of the screen: its panel would open below it, off-screen.
    marker.evaluate("element => window.scrollBy(0, element.getBoundingClientRect().bottom - innerHeight + 4)")
    marker.click()
    panel = page.locator("#footnote-panel")
    expect(panel).to_be_visible()
    assert in_viewport(page, panel)
    assert in_viewport(page, marker)
    assert page.url.endswith("/people/cai-qi/")


@pytest.mark.parametrize("viewport, screens", [(DESKTOP, 12), (PHONE, 25)])
def test_the_page_with_references_folded_is_at_most_so_many_screens_high(
    new_page, demo_profile, viewport, screens
):
    page = new_page(**viewport)
    page.goto("/people/cai-qi/")
    page.evaluate("document.fonts.ready")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= screens * viewport["height"], f"{height} px, {height / viewport['height']:.1f} screens"


def test_above_the_fold_on_a_desktop_the_name_summary_glance_and_first_posts_with_two_badges_at_most(
    new_page, demo_profile
):
    page = new_page(**DESKTOP)
    page.goto("/people/cai-qi/")
    fold = DESKTOP["height"]
    for selector in ("h1", "#fact-summary", ".infobox"):
        box = page.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= fold, selector
    assert page.locator("ol.career > li.claim").first.bounding_box()["y"] < fold
    badges = page.evaluate(
        f"[...document.querySelectorAll('.badge')].filter(b => b.getBoundingClientRect().top < {fold}).length"
    )
    assert badges <= 2
    expect(page.locator("#sourcing")).to_be_visible()


def test_the_page_has_no_axe_violations_or_html_errors_with_previews_open(new_page, demo_profile, tmp_path):
    page = new_page(**DESKTOP)
    page.goto("/people/cai-qi/")
    page.locator("ol.career sup.footnote a").first.hover()
    expect(page.locator("#footnote-preview")).to_be_visible()
    assert axe_violations(page) == []
    desktop = tmp_path / "preview-open.html"
    desktop.write_text("<!DOCTYPE html>\n" + page.evaluate("document.documentElement.outerHTML"))

    phone = new_page(**PHONE)
    phone.goto("/people/cai-qi/")
    phone.locator("ol.career sup.footnote a").first.click()
    expect(phone.locator("#footnote-panel")).to_be_visible()
    assert axe_violations(phone) == []
    panel = tmp_path / "panel-open.html"
    panel.write_text("<!DOCTYPE html>\n" + phone.evaluate("document.documentElement.outerHTML"))
    assert nu_errors([desktop, panel]) == []
