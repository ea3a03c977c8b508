"""A file labelled "published" is published by import_profiles --publish only if it is what this
site's reviewers published: a working-copy export relabelled, or a published one edited, is refused."""

import pytest

from profiles.importing import ImportProblems
from profiles.models import Person, PublishedRevision
from profiles.transfer import profiles_export, profiles_import
from sources.models import Citation
from tests.factories import SourceFactory, as_system, cited_profile, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(reviewer):
    source = SourceFactory()
    person = cited_profile(slug="cai-qi", name="Cai Qi", summary="Reviewed lead.", source=source)
    publish(person=person, user=reviewer)
    with as_system():  # unreviewed work: a new lead and an invented quote an editor overrode
        person.summary = "An unreviewed lead."
        person.save()
        citation = Citation.objects.filter(person=person, field="name").first()
        citation.quote = "A quote the source never had"
        citation.override_reason, citation.override_quote = "Editor says so", citation.quote
        citation.save()
    return person


def empty_site():
    with as_system():
        for model in (PublishedRevision, Citation, Person):
            model.objects.all().delete()


def test_a_working_copy_export_relabelled_published_is_not_published(site, reviewer):
    data = profiles_export(published=False)
    data["content"] = "published"
    for document in data["people"]:  # what an export of the live site would look like
        document.pop("editors_note", None)
    empty_site()
    with pytest.raises(ImportProblems, match="seal does not match"):
        profiles_import(data=data, user=reviewer, publish=True)
    assert not PublishedRevision.objects.exists()
    assert not Person.objects.exists()


def test_a_published_export_edited_after_export_is_not_published(site, reviewer):
    data = profiles_export(published=True)
    data["people"][0]["summary"] = "An unreviewed lead."
    empty_site()
    with pytest.raises(ImportProblems, match=r"people\[0\]: not a revision as this site published it"):
        profiles_import(data=data, user=reviewer, publish=True)
    assert not PublishedRevision.objects.exists()


def test_a_published_export_as_exported_is_restored(site, reviewer):
    data = profiles_export(published=True)
    empty_site()
    profiles_import(data=data, user=reviewer, publish=True)
    revision = Person.objects.get(slug="cai-qi").live_revision
    assert revision.document["summary"] == "Reviewed lead."
