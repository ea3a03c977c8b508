import pytest
from django.test import Client
from django.urls import reverse

from profiles.models import Position
from tests.factories import UserFactory, cited_profile
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(editor):
    other = UserFactory(username="second-editor", is_staff=True)
    other.groups.add(*editor.groups.all())
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(other)
    return first, second


@pytest.mark.parametrize("first_edit", ["person field", "inline position"])
def test_second_save_is_refused_showing_the_first_change_and_keeping_the_input(two_editors, first_edit):
    person = cited_profile(slug="cai-qi", name="Cai Qi", birth_place="Fujian")
    url = reverse("admin:profiles_person_change", args=[person.pk])
    first, second = two_editors
    first_form, second_form = (
        form_data(first.get(url), "person_form"),
        form_data(second.get(url), "person_form"),
    )

    if first_edit == "person field":
        first_form.update(birth_place="Youxi County, Fujian", edit_summary="Precise birthplace")
    else:
        first_form.update({"positions-0-role": "Vice Mayor", "edit_summary": "Role wording"})
    assert first.post(url, first_form).status_code == 302

    second_form.update(summary="A summary written meanwhile", edit_summary="Lead")
    response = second.post(url, second_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed this profile since you opened it" in page
    assert "editor changed" in page
    assert ("Youxi County, Fujian" if first_edit == "person field" else "Vice Mayor") in page
    assert "A summary written meanwhile" in page  # the second editor's input is kept
    person.refresh_from_db()
    assert person.summary == ""
    if first_edit == "person field":
        assert person.birth_place == "Youxi County, Fujian"
    else:
        assert Position.objects.filter(person=person, role="Vice Mayor").exists()

    # The refused form now holds the first editor's values wherever the second changed
    # nothing, so saving it again applies the second editor's own change and loses nothing.
    again = form_data(response, "person_form")
    assert second.post(url, again).status_code == 302
    person.refresh_from_db()
    assert person.summary == "A summary written meanwhile"
    if first_edit == "person field":
        assert person.birth_place == "Youxi County, Fujian"
    else:
        assert Position.objects.filter(person=person, role="Vice Mayor").exists()


def test_saving_twice_in_a_row_alone_is_no_conflict(client, editor):
    person = cited_profile(slug="cai-qi")
    client.force_login(editor)
    url = reverse("admin:profiles_person_change", args=[person.pk])
    for place in ("Fujian", "Youxi County"):
        data = form_data(client.get(url), "person_form")
        data["birth_place"] = place
        assert client.post(url, data).status_code == 302


def test_a_damaged_token_gets_a_message_not_a_crash(client, editor):
    person = cited_profile(slug="cai-qi")
    client.force_login(editor)
    url = reverse("admin:profiles_person_change", args=[person.pk])
    data = form_data(client.get(url), "person_form")
    data["edit_token"] = "not-a-time"
    response = client.post(url, data)
    assert response.status_code == 200 and "The form was damaged" in response.content.decode()
