"""Saving from the admin: a save that changes nothing asks no review, "save again" after an edit
conflict keeps the other editor's changes on every page, and a profile of any size saves."""

import pytest
from django.test import Client
from django.urls import reverse

from profiles.models import Person
from tests.factories import cited_profile, publish
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
