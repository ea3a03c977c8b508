"""The evidence finder in the browser (issue 16): an editor cites by picking a suggested passage
instead of typing it, on a position's page and on the person's page, and the saved quote is
verified against the source's archived text."""

import pytest
from playwright.sync_api import expect

from profiles.importing import load_file
from profiles.models import Person
from profiles.transfer import profiles_import
from sources.models import Citation
from tests.e2e.conftest import DEMO_FILE
from tests.e2e.helpers import add_inline_row, choose, expect_saved, login, submit
from tests.factories import reviewer_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIKIPEDIA = ("wikipedia", "Cai Qi (Wikipedia)")  # typed, then picked


@pytest.fixture
def demo(db):
    """The demo profile of Cai Qi, imported and published by a reviewer (as `manage.py demo`)."""
    importer = reviewer_user("importer")
    profiles_import(data=load_file(DEMO_FILE), user=importer, reason="Demo", publish=True)
    return Person.objects.get(slug="cai-qi")


def add_tabular_row(page, group_id):
    """Click the "Add another …" link of a plain admin tabular inline; return the new row's prefix."""
    total = page.locator(f"#id_{group_id}-TOTAL_FORMS")
    index = int(total.input_value())
    page.locator(f"#{group_id}-group .add-row a").click()
    expect(total).to_have_value(str(index + 1))
    return f"{group_id}-{index}"


def pick_first_suggestion(page, prefix):
    """Ask for suggestions on a citation row and pick the best; return its quote and locator."""
    row = page.locator(f"#id_{prefix}-quote + .suggest-quotes")
    button = row.locator(".suggest-button")
    expect(button).to_be_visible()
    button.click()
    first = row.locator(".suggest-list .suggest-item").first
    expect(first).to_be_visible()
    quote = first.locator("q").inner_text()
    locator = first.locator(".suggest-locator").inner_text()
    first.locator(".suggest-pick").click()
    expect(page.locator(f"#id_{prefix}-quote")).to_have_value(quote)
    expect(page.locator(f"#id_{prefix}-locator")).to_have_value(locator)
    expect(row.locator(".suggest-status")).to_contain_text("filled from the source")
    return quote, locator


def test_editor_cites_a_position_by_picking_a_suggested_passage(new_page, editor, demo):
    position = demo.positions.get(key="cai-qi-mayor-sanming")
    before = set(position.citations.values_list("pk", flat=True))
    page = new_page()
    login(page, "editor")
    page.goto(f"/admin/profiles/position/{position.pk}/change/")
    prefix = add_tabular_row(page, "citations")
    page.select_option(f"#id_{prefix}-field", "start_date")
    choose(page, f"id_{prefix}-source", *WIKIPEDIA)
    quote, locator = pick_first_suggestion(page, prefix)
    assert "Sanming" in quote and "1997" in quote
    page.fill("#id_edit_summary", "Start date from the Wikipedia article, picked from the suggestions")
    submit(page, "input[name=_save]")
    expect_saved(page, "was changed successfully")

    (added,) = position.citations.exclude(pk__in=before)
    assert (added.source_id, added.field, added.quote, added.locator) == (
        "wikipedia-cai-qi",
        "start_date",
        quote,
        locator,
    )
    assert added.verification == Citation.Verification.VERIFIED


def test_editor_cites_a_fact_of_the_person_by_picking_a_suggested_passage(new_page, editor, demo):
    before = set(demo.citations.values_list("pk", flat=True))
    page = new_page()
    login(page, "editor")
    page.goto(f"/admin/profiles/person/{demo.pk}/change/")
    prefix = add_inline_row(page, "citations")
    page.select_option(f"#id_{prefix}-field", "birth_date")
    choose(page, f"id_{prefix}-source", *WIKIPEDIA)
    quote, _ = pick_first_suggestion(page, prefix)
    assert "1955" in quote
    page.fill("#id_edit_summary", "Birth date, picked from the suggestions")
    submit(page, "input[name=_save]")
    expect_saved(page, "was changed successfully")

    (added,) = demo.citations.exclude(pk__in=before)
    assert (added.field, added.quote, added.position_id, added.event_id) == ("birth_date", quote, None, None)
    assert added.verification == Citation.Verification.VERIFIED
