"""Saving from the admin: a save that changes nothing asks no review, "save again" after an edit
conflict keeps the other editor's changes on every page, and a profile of any size saves."""

import pytest
from django.test import Client
from django.urls import reverse

from profiles import editing
from profiles.models import OtherName, Person
from sources.models import Citation
from tests.factories import UserFactory, as_system, cited_profile, publish
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("page", ["person", "position"])
def test_a_save_that_changes_nothing_leaves_a_published_profile_published(editor, reviewer, page):
    person = cited_profile(slug="cai-qi", summary="A politician.")
    publish(person=person, user=reviewer)
    obj = person if page == "person" else person.positions.first()
    client = logged_in(editor)
    data = form_data(client.get(change_url(obj)), f"{obj._meta.model_name}_form")
    assert client.post(change_url(obj), data).status_code == 302
    assert Person.objects.get(pk=person.pk).status == Person.Status.PUBLISHED
    # A real change still asks for a review.
    data = form_data(client.get(change_url(obj)), f"{obj._meta.model_name}_form")
    data["summary" if page == "person" else "role"] = "Changed"
    assert client.post(change_url(obj), data).status_code == 302
    assert Person.objects.get(pk=person.pk).status == Person.Status.PENDING


@pytest.mark.parametrize(
    "kind, theirs, mine",
    [
        ("position", "role", "note"),
        ("event", "title", "description"),
        ("citation", "locator", "note"),
        ("othername", "note", "name"),
        ("organization", "native_name", "name"),
        ("source", "author", "publisher"),
    ],
)
def test_saving_again_after_a_conflict_keeps_the_other_editors_change(editor, kind, theirs, mine):
    person = cited_profile(slug="cai-qi")
    with as_system():
        OtherName.objects.create(person=person, name="Alias")
    obj = {
        "position": lambda: person.positions.first(),
        "event": lambda: person.events.first(),
        "citation": lambda: Citation.objects.filter(person=person).first(),
        "othername": lambda: OtherName.objects.get(person=person),
        "organization": lambda: person.positions.first().organization,
        "source": lambda: Citation.objects.filter(person=person).first().source,
    }[kind]()
    other = UserFactory(username="second", is_staff=True)
    other.groups.add(*editor.groups.all())
    first, second = logged_in(editor), logged_in(other)
    url = change_url(obj)
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, {**first_form, theirs: "First editor's value"}).status_code == 302
    conflict = second.post(url, {**second_form, mine: "Second editor's value"})
    assert "since you opened it" in conflict.content.decode()

    assert second.post(url, form_data(conflict)).status_code == 302
    saved = type(obj).objects.get(pk=obj.pk)
    if kind in ("organization", "source"):  # approved: the changes wait for a reviewer
        saved = editing.with_pending(saved)
    assert (getattr(saved, theirs), getattr(saved, mine)) == ("First editor's value", "Second editor's value")


def test_a_profile_with_many_citations_of_its_own_facts_saves_from_the_admin(editor, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000  # 101 citations here are 1,010 at the default
    person = cited_profile(slug="cai-qi", positions=1, events=1)
    source = Citation.objects.filter(person=person).first().source
    with as_system():
        Citation.objects.bulk_create(
            Citation(person=person, source=source, field="name", quote=f"Cai was born ({number})")
            for number in range(101)
        )
    client = logged_in(editor)
    page = client.get(change_url(person))
    data = form_data(page, "person_form")
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert "Citations of the person's facts (102)" in page.content.decode()
    response = client.post(change_url(person), {**data, "summary": "Saved whole", "edit_summary": "Lead"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.summary == "Saved whole"
    assert Citation.objects.filter(person=person).person_facts().count() == 102
