"""Two editors change one profile at once: the second save is refused, nothing is lost."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from profiles.models import Person
from tests.e2e.helpers import audit_rows, expect_saved, login, submit
from tests.factories import UserFactory, cited_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONFLICT = "changed this profile since you opened it"
FIRST_PLACE = "Youxi County, Fujian"
SECOND_SUMMARY = "A summary written meanwhile."


def conflicting_saves(new_page):
    """Both editors open the profile; the first changes the birthplace and saves; the second
    changes the summary and saves. Returns the person and the second editor's page."""
    second = UserFactory(username="second-editor", is_staff=True)
    second.groups.add(Group.objects.get(name="Editors"))
    person = cited_profile(slug="cai-qi", name="Cai Qi", birth_place="Fujian")
    url = f"/admin/profiles/person/{person.pk}/change/"

    first_page, second_page = new_page(), new_page()
    login(first_page, "editor")
    login(second_page, "second-editor")
    first_page.goto(url)
    second_page.goto(url)

    first_page.fill("#id_birth_place", FIRST_PLACE)
    first_page.fill("#id_edit_summary", "Precise birthplace")
    submit(first_page, "input[name=_save]")
    expect_saved(first_page, "was changed successfully")

    second_page.fill("#id_summary", SECOND_SUMMARY)
    second_page.fill("#id_edit_summary", "Lead")
    submit(second_page, "input[name=_save]")
    return person, second_page


def test_second_save_is_refused_and_keeps_the_second_editors_input(new_page, editor):
    person, second_page = conflicting_saves(new_page)

    expect(second_page.locator(".errornote")).to_be_visible()
    errors = second_page.locator(".errorlist.nonfield")
    expect(errors).to_contain_text(CONFLICT)
    expect(errors).to_contain_text(FIRST_PLACE)  # what the first editor changed
    expect(second_page.locator("#id_summary")).to_have_value(SECOND_SUMMARY)
    expect(second_page.locator("#id_edit_summary")).to_have_value("Lead")
    person.refresh_from_db()
    assert (person.birth_place, person.summary) == (FIRST_PLACE, "")

    # Having read the other change, the second editor takes it in and saves on purpose.
    second_page.fill("#id_birth_place", FIRST_PLACE)
    submit(second_page, "input[name=_save]")
    expect_saved(second_page, "was changed successfully")
    person = Person.objects.get(pk=person.pk)
    assert (person.birth_place, person.summary) == (FIRST_PLACE, SECOND_SUMMARY)

    second_page.goto(f"/admin/profiles/person/{person.pk}/audit/")
    edits = [
        (row["who"], row["what"], row["summary"]) for row in audit_rows(second_page) if row["who"] != "—"
    ]
    assert ("editor", "person changed: Cai Qi", "Precise birthplace") in edits
    assert ("second-editor", "person changed: Cai Qi", "Lead") in edits


def test_saving_the_refused_form_again_keeps_the_first_editors_change(new_page, editor):
    person, second_page = conflicting_saves(new_page)
    expect(second_page.locator(".errorlist.nonfield")).to_contain_text(CONFLICT)

    # "Save again to apply yours": the second editor did not touch the birthplace.
    submit(second_page, "input[name=_save]")
    expect_saved(second_page, "was changed successfully")
    person = Person.objects.get(pk=person.pk)
    assert person.summary == SECOND_SUMMARY
    assert person.birth_place == FIRST_PLACE, "the first editor's change was lost"
