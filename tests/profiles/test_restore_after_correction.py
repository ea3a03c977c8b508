"""A reviewer corrects a source's archived text, dropping a passage a live profile quotes: the
review screen warns first, naming the profile; and the published export still restores the site,
each profile carrying the text its quotes were verified against, the source keeping its current
text."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from profiles import editing, publishing
from profiles.models import Event, Organization, Person, Position, PublishedRevision
from sources.models import Citation, Source
from tests.factories import SourceFactory, as_system, cited_profile, publish

pytestmark = pytest.mark.django_db

OLD = "Cai was born in Youxi County. He became mayor in April 2004. He joined in 1975."
NEW = "Cai was born in Youxi County. He joined in 1975. He was later party secretary."
DROPPED = "He became mayor in April 2004."


@pytest.fixture
def corrected(reviewer, editor):
    """Cai Qi published quoting OLD; the text corrected to NEW (pending, not yet approved)."""
    with as_system():
        source = SourceFactory(id="wiki", archived_text=OLD)
    publish(person=cited_profile(slug="cai-qi", name="Cai Qi", source=source), user=reviewer)
    source.archived_text = NEW
    editing.shared_record_save(record=source, user=editor, reason="The page as it reads today")
    return Source.objects.get(pk="wiki")


def without_checks(value):
    """A document without what the quote check says of each citation."""
    if isinstance(value, dict):
        return {k: without_checks(v) for k, v in value.items() if k not in ("verification", "override")}
    if isinstance(value, list):
        return [without_checks(item) for item in value]
    return value


def approve(source, reviewer):
    publishing.shared_record_approve(record=source, user=reviewer, seen=publishing.shared_digest(source))


def test_the_review_screen_warns_of_the_live_quotes_a_correction_breaks(client, corrected, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("admin:sources_source_review", args=["wiki"]))
    assert response.status_code == 200
    [(person, quotes)] = response.context["broken_quotes"]
    assert person.slug == "cai-qi" and quotes == [DROPPED, DROPPED]  # both positions quote it
    assert "This text drops passages that live profiles quote: Cai Qi (2)." in response.content.decode()


def test_a_correction_that_keeps_every_quote_gives_no_warning(client, reviewer, editor):
    with as_system():
        source = SourceFactory(id="wiki", archived_text=OLD)
    publish(person=cited_profile(slug="cai-qi", source=source), user=reviewer)
    source.archived_text = OLD + " He also taught."
    editing.shared_record_save(record=source, user=editor, reason="More")
    client.force_login(reviewer)
    response = client.get(reverse("admin:sources_source_review", args=["wiki"]))
    assert response.context["broken_quotes"] == []
    assert "drops passages" not in response.content.decode()


def test_the_published_export_restores_after_a_correction_that_dropped_a_quoted_passage(
    client, corrected, reviewer, tmp_path
):
    approve(corrected, reviewer)
    # Published after the correction: quotes only what the new text still has.
    later = cited_profile(slug="chen-jining", name="Chen Jining", source=corrected, positions=0)
    publish(person=later, user=reviewer)
    before = {slug: client.get(f"/people/{slug}.json").json() for slug in ("cai-qi", "chen-jining")}
    backup = tmp_path / "backup.json"
    call_command("export_profiles", "--published", "-o", str(backup))
    exported = json.loads(backup.read_text())
    texts = {d["id"]: d["sources"][0]["archived_text"] for d in exported["people"]}
    assert texts == {"cai-qi": OLD, "chen-jining": NEW}

    with as_system():
        for model in (PublishedRevision, Citation, Position, Event, Person, Source):
            model.objects.all().delete()
        while Organization.objects.exists():
            Organization.objects.filter(children__isnull=True).delete()
    call_command("import_profiles", str(backup), "--publish", "--user", "reviewer")

    assert Source.objects.get().archived_text == NEW  # the source as readers saw it
    for slug, document in before.items():
        restored = client.get(f"/people/{slug}.json").json()
        document.pop("revision"), restored.pop("revision")
        assert without_checks(restored) == without_checks(document)
    # The dropped passage's quotes stand as the live site had them, said so in the reviewer's name.
    overridden = Citation.objects.exclude(override_reason="")
    assert sorted(c.quote for c in overridden) == [DROPPED, DROPPED]
    assert all("a reviewer has corrected that text since" in c.override_reason for c in overridden)
    assert {c.person.slug for c in overridden} == {"cai-qi"}
    assert Person.objects.get(slug="cai-qi").status == Person.Status.PUBLISHED
    assert "not found in the archived text" in client.get("/sources/wiki/").content.decode()
