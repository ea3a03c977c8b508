"""Backup and restore through export_profiles / import_profiles: the content and its public
pages come back identical. (Revision numbers, dates and the edit history are not in an export:
README's backup section says to keep database dumps for those.)"""

import json
import re

import pytest
from django.core.management import call_command

from profiles.models import Event, Organization, Person, Position, PublishedRevision
from sources.models import Citation, Source
from tests.factories import PersonFactory, as_system

pytestmark = pytest.mark.django_db


def article(html):
    return re.search(r'<article class="profile">.*</article>', html, re.S).group(0)


def snapshot(client):
    pages = {}
    for person in Person.objects.published():
        document = client.get(f"/people/{person.slug}.json").json()
        document.pop("revision")
        pages[person.slug] = (document, article(client.get(f"/people/{person.slug}/").content.decode()))
    for organization in Organization.objects.filter(published_positions__isnull=False).distinct():
        pages[organization.slug] = client.get(organization.get_absolute_url()).content.decode()
    return pages


def test_export_everything_then_import_into_an_empty_database_restores_the_public_site(
    client, tmp_path, reviewer
):
    call_command("import_profiles", "profiles/demo/cai-qi.json", "--publish", "--user", "reviewer")
    # Ordinary pending work: an unreviewed edit of a published profile, and a new draft.
    person = Person.objects.get(slug="cai-qi")
    with as_system():
        person.summary = "An unreviewed summary."
        person.save()
        PersonFactory(slug="draft-only", name="Draft Only")
    before = snapshot(client)
    backup = tmp_path / "backup.json"
    call_command("export_profiles", "--published", "-o", str(backup))
    exported = json.loads(backup.read_text())
    assert exported["content"] == "published"
    assert len(exported["people"]) == Person.objects.published().count()

    with as_system():
        for model in (PublishedRevision, Citation, Position, Event, Person, Source):
            model.objects.all().delete()
        while Organization.objects.exists():  # leaves first: a parent is protected by its children
            Organization.objects.filter(children__isnull=True).delete()
    call_command("import_profiles", str(backup), "--publish", "--user", "reviewer")
    assert snapshot(client) == before
    # What an import publishes is published, not "published, with pending changes".
    assert set(Person.objects.values_list("status", flat=True)) == {Person.Status.PUBLISHED}
    assert len(before) > 6
    # Only what was live came back live: never the pending edit or the draft.
    assert "An unreviewed summary." not in str(snapshot(client))
    assert not Person.objects.filter(slug="draft-only").exists()
