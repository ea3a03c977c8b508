"""A row of a profile (other name, position, event, citation) never moves to another profile:
not through an inline form posted with another profile's row id, not by changing its person or
its claim on its own page, not through the services."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bioproject import writes
from profiles import editing
from profiles.models import Event, OtherName, Person, Position
from sources.models import Citation
from tests.factories import CitationFactory, as_system, cited_profile, publish
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def two_profiles(reviewer):
    mine = cited_profile(slug="mine", name="Mine", positions=1, events=1)
    theirs = cited_profile(slug="theirs", name="Theirs", positions=1, events=1)
    with as_system():
        OtherName.objects.create(person=theirs, name="Their alias")
        OtherName.objects.create(person=mine, name="My alias")
    for person in (mine, theirs):
        CitationFactory(person=person, field="other_names", quote="Cai was born")
    publish(person=theirs, user=reviewer)
    return mine, theirs


def rows_of(person):
    return (
        sorted(OtherName.objects.filter(person=person).values_list("pk", flat=True)),
        sorted(Position.objects.filter(person=person).values_list("pk", flat=True)),
        sorted(Event.objects.filter(person=person).values_list("pk", flat=True)),
        sorted(Citation.objects.filter(person=person).values_list("pk", flat=True)),
    )


@pytest.mark.parametrize(
    "prefix, model",
    [
        ("other_names-0", OtherName),
        ("positions-0", Position),
        ("events-0", Event),
        ("citations-0", Citation),
    ],
)
def test_an_inline_row_posted_with_another_profiles_row_id_moves_nothing(two_profiles, editor, prefix, model):
    mine, theirs = two_profiles
    before = rows_of(theirs)
    client = logged_in(editor)
    data = form_data(client.get(change_url(mine)), "person_form")
    if model is Citation:
        theirs_row = Citation.objects.filter(person=theirs, position=None, event=None).first()
    else:
        theirs_row = model.objects.filter(person=theirs).first()
    data[f"{prefix}-id"] = str(theirs_row.pk)
    response = client.post(change_url(mine), data)
    assert response.status_code in (200, 403)
    assert rows_of(theirs) == before
    theirs.refresh_from_db()
    assert theirs.status == Person.Status.PUBLISHED


@pytest.mark.parametrize("kind", ["position", "event", "othername", "citation"])
def test_the_person_of_a_row_cannot_be_changed_on_its_own_page(two_profiles, editor, kind):
    mine, theirs = two_profiles
    row = {
        "position": lambda: Position.objects.get(person=mine),
        "event": lambda: Event.objects.get(person=mine),
        "othername": lambda: OtherName.objects.get(person=mine),
        "citation": lambda: Citation.objects.filter(person=mine, field="name").first(),
    }[kind]()
    client = logged_in(editor)
    page = client.get(change_url(row))
    data = form_data(page)
    data["person"] = str(theirs.pk)
    client.post(change_url(row), data)
    row.refresh_from_db()
    assert row.person_id == mine.pk
    theirs.refresh_from_db()
    assert theirs.status == Person.Status.PUBLISHED


def test_a_citation_moved_to_another_profiles_claim_on_its_own_page_is_refused(two_profiles, editor):
    mine, theirs = two_profiles
    citation = Citation.objects.filter(person=mine, position__isnull=False).first()
    client = logged_in(editor)
    data = form_data(client.get(change_url(citation)))
    data["position"] = str(Position.objects.get(person=theirs).pk)
    response = client.post(change_url(citation), data)
    assert response.status_code == 200
    assert "another person" in response.content.decode()
    citation.refresh_from_db()
    assert (citation.person_id, citation.position.person_id) == (mine.pk, mine.pk)


@pytest.mark.parametrize("kind", ["position", "event", "othername", "citation", "claim"])
def test_the_services_refuse_to_move_a_row_to_another_profile(two_profiles, editor, kind):
    mine, theirs = two_profiles
    if kind == "claim":
        row = Citation.objects.filter(person=mine, position__isnull=False).first()
        row.position = Position.objects.get(person=theirs)
    else:
        row = {
            "position": lambda: Position.objects.get(person=mine),
            "event": lambda: Event.objects.get(person=mine),
            "othername": lambda: OtherName.objects.get(person=mine),
            "citation": lambda: Citation.objects.filter(person=mine, field="name").first(),
        }[kind]()
        row.person = theirs
    with pytest.raises((ValidationError, writes.WriteNotAllowed)):
        with editing.profile_edit(user=editor):
            row.save()
    assert rows_of(theirs) == rows_of(Person.objects.get(pk=theirs.pk))
    assert type(row).objects.get(pk=row.pk).person_id == mine.pk
