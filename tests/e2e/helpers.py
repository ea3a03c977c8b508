"""What a person does in the admin, as browser steps: log in, add inline rows, pick from an
autocomplete, add a related object through its "+" popup, read the audit trail."""

import re

from playwright.sync_api import expect

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password


def login(page, username, password=PASSWORD):
    """Log in through the real admin login form (django-axes watches it)."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form [type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))


def add_inline_row(page, group_id):
    """Click the "Add another …" link of a nested-admin inline group; return the new row's prefix.

    `group_id` is the group's prefix, e.g. "positions" or "positions-0-citations".
    """
    total = page.locator(f"#id_{group_id}-TOTAL_FORMS")
    index = int(total.input_value())
    # The group's own add link, not those of the groups nested in its rows.
    group = f"@id='{group_id}-group'"
    page.locator(
        f"xpath=//*[{group}]//a[contains(@class, 'djn-add-handler')]"
        f"[ancestor::*[contains(concat(' ', @class, ' '), ' djn-group ')][1][{group}]]"
    ).click()
    expect(total).to_have_value(str(index + 1))
    prefix = f"{group_id}-{index}"
    expect(page.locator(f"#{prefix}")).to_be_visible()
    return prefix


def choose(page, select_id, search, option_text=None):
    """Pick an option of an autocomplete (select2) widget by typing into its search box."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(
        ".select2-container--open .select2-results__option", has_text=option_text or search
    ).first.click()
    expect(page.locator(f"#{select_id} + .select2 .select2-selection__rendered")).to_contain_text(
        option_text or search
    )


def fill_citation(page, prefix, *, source, quote, field=None, locator=""):
    """Fill a citation row; `source` is (what to type, the option to pick)."""
    if field is not None:
        page.select_option(f"#id_{prefix}-field", field)
    choose(page, f"id_{prefix}-source", *source)
    page.fill(f"#id_{prefix}-quote", quote)
    if locator:
        more = page.locator(f"#{prefix} details").first  # locator, stance, notes: folded
        if not more.evaluate("details => details.open"):
            more.locator("summary").click()
        page.fill(f"#id_{prefix}-locator", locator)


def add_related_in_popup(page, select_id, fields, edit_summary):
    """Create the related object through the widget's "+" popup; it is then selected."""
    with page.expect_popup() as popup_info:
        page.click(f"#add_{select_id}")
    popup = popup_info.value
    popup.wait_for_load_state()
    for name, value in fields.items():
        popup.fill(f"#id_{name}", value)
    popup.fill("#id_edit_summary", edit_summary)
    with popup.expect_event("close"):  # the saved object is handed to the opener
        popup.click("input[name=_save]")
    expect(page.locator(f"#{select_id} + .select2 .select2-selection__rendered")).to_contain_text(
        fields["title"]
    )


def submit(page, button):
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(button)


def expect_saved(page, message):
    """The admin saved (no form errors) and says so with this message."""
    errors = page.locator(".errornote, .errorlist")
    if errors.count():
        raise AssertionError("The form was refused: " + " | ".join(errors.all_inner_texts()))
    expect(page.locator(".messagelist")).to_contain_text(message)


def audit_rows(page):
    """The edit rows of a person's history as dicts: who, what, summary, changes (the texts of the
    cells); its review steps are rows of their own (`tr.review-step`)."""
    rows = []
    for row in page.locator("table.audit-entries tbody tr:not(.review-step)").all():
        when, who, what, summary, changes = row.locator("td").all_inner_texts()
        rows.append(
            {"who": who.strip(), "what": what.strip(), "summary": summary.strip(), "changes": changes.strip()}
        )
    return rows
