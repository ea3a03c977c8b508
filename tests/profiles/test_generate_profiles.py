"""generate_profiles: synthetic data that is valid, fully cited, publishable, with edit history."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from profiles import publishing
from profiles.claims import CLAIM_FIELDS
from profiles.dates import PartialDate
from profiles.documents import people_documents, person_document
from profiles.management.commands.generate_profiles import join_pinyin
from profiles.models import (
    Event,
    Organization,
    OtherName,
    Person,
    Position,
    PublishedCitation,
    PublishedPosition,
    PublishedRevision,
    ReviewAction,
)
from sources.models import Citation, Source
from tests.factories import publish

pytestmark = pytest.mark.django_db

HISTORY_MODELS = (Person, OtherName, Position, Event, Citation, Source, Organization)


def generate(**options):
    call_command(
        "generate_profiles",
        **{"people": 20, "claims_per_person": 8, "seed": 7, **options},
        stdout=open("/dev/null", "w"),
        stderr=open("/dev/null", "w"),
    )
    return list(Person.objects.order_by("pk"))


def published_rows(person):
    """What profile_publish leaves for a person, without row ids."""
    positions = sorted(
        PublishedPosition.objects.filter(person=person).values_list(
            "organization_id", "key", "role", "start_date", "end_date", "ended", "acting"
        ),
        key=str,
    )
    citations = sorted(
        PublishedCitation.objects.filter(person=person).values_list(
            "source_id", "anchor", "claim", "quote", "stance"
        ),
        key=str,
    )
    return positions, citations


def test_pinyin_syllables_join_with_an_apostrophe_before_a_vowel():
    assert join_pinyin(["xī", "ān"]) == "xī'ān"
    assert join_pinyin(["jiàn", "guó"]) == "jiànguó"


def test_generated_records_are_valid_and_realistic():
    people = generate()
    assert len(people) == 20
    for model in (Person, OtherName, Position, Event, Citation, Source, Organization):
        for record in model.objects.all():
            record.full_clean()  # fields, cross-field rules, unique values and constraints
    # Names in Latin and CJK scripts: pinyin with tone marks and 汉字.
    chinese = [p for p in people if p.native_name_lang == "zh-Hans"]
    assert chinese, "no Chinese names"
    for person in chinese:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", person.native_name)
        assert re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", person.romanization), person.romanization
        assert person.name.isascii()
    # Organizations nest: a city committee inside a provincial committee inside the party.
    city = Organization.objects.get(slug="ccp-sanming-municipal-committee")
    assert [city.parent.slug, city.parent.parent.slug] == [
        "ccp-fujian-provincial-committee",
        "chinese-communist-party",
    ]
    assert city.native_name == "中共三明市委"
    # Dates at every precision.
    precisions = {p.start_date.precision for p in Position.objects.all() if p.start_date}
    assert precisions == {"year", "month", "day"}
    # Sources are web links; some have archived text, whose quotes then verify.
    assert all(s.url.startswith(("http://", "https://")) for s in Source.objects.all())
    assert Source.objects.exclude(archived_text="").exists()
    assert Source.objects.filter(url__startswith="http://").exists()
    assert Citation.objects.filter(verification=Citation.Verification.VERIFIED).exists()
    for citation in Citation.objects.select_related("source"):
        assert citation.verification == citation.source.verification_of(citation.quote)
    # Some sources dispute a value, saying what they give instead.
    disputing = Citation.objects.filter(stance=Citation.Stance.DISPUTES)
    assert disputing.exists()
    assert all(c.stated for c in disputing)
    assert Citation.objects.filter(stance=Citation.Stance.SUPPORTS).exclude(stated="").exists()


def test_every_claim_and_shown_fact_is_cited():
    people = generate()
    assert not Position.objects.filter(citations__isnull=True).exists()
    assert not Event.objects.filter(citations__isnull=True).exists()
    for person in people:
        cited = set(Citation.objects.filter(person=person).person_facts().values_list("field", flat=True))
        shown = {
            name
            for name in CLAIM_FIELDS["person"]
            if (person.other_names.exists() if name == "other_names" else getattr(person, name))
        }
        assert shown <= cited, person.slug
        assert person.positions.exists()


def test_the_publishing_gate_passes_and_the_service_publishes_a_generated_person(reviewer):
    people = generate()
    for person in people:
        assert publishing.publishing_problems(person, person_document(person)) == [], person.slug
    revision = publish(person=people[0], user=reviewer, comment="Checked")
    assert revision.number == 1
    assert people[0].status == Person.Status.PUBLISHED


def test_history_rows_name_a_user_and_a_reason_and_corrections_are_recorded():
    generate()
    for model in HISTORY_MODELS:
        history = model.history.all()
        assert history.count() >= model.objects.count() > 0, model.__name__
        assert not history.filter(history_user__isnull=True).exists(), model.__name__
        assert not history.filter(history_change_reason__isnull=True).exists(), model.__name__
        assert not history.filter(history_change_reason="").exists(), model.__name__
    # Later corrections are changes ("~") by an editor, with their own reason, and the working copy
    # holds the corrected value.
    edits = Position.history.filter(history_type="~")
    assert edits.exists()
    for edit in edits[:5]:
        created = Position.history.get(id=edit.id, history_type="+")
        assert edit.history_date > created.history_date
        assert edit.history_change_reason == "Start date from the official biography"
        assert created.start_date == PartialDate(edit.start_date.year)
        assert Position.objects.get(pk=edit.id).start_date == edit.start_date
    editors = set(Citation.history.values_list("history_user__username", flat=True))
    assert len(editors) > 1 and all(name.startswith("gen-editor-") for name in editors)


def test_publish_makes_every_page_and_document_reachable(client):
    people = generate(publish=True)
    for person in people:
        assert person.status == Person.Status.PUBLISHED and person.live_revision_id
        page = client.get(reverse("person_detail", args=[person.slug]))
        assert page.status_code == 200
        assert person.name in page.content.decode()
        data = client.get(reverse("person_json", args=[person.slug])).json()
        assert data["revision"]["number"] == 1
        assert data["name"] == person.name
    assert client.get(reverse("search"), {"q": people[0].name}).status_code == 200
    assert people[0].name in client.get(reverse("search"), {"q": people[0].name}).content.decode()
    assert ReviewAction.objects.filter(action=ReviewAction.Action.APPROVED).count() == len(people)


def test_bulk_publishing_writes_what_the_service_writes(reviewer):
    """The batch entry point's rows equal those profile_publish writes for the same copy."""
    people = generate(publish=True, people=8)
    documents = people_documents(people)
    for person in people:
        bulk = PublishedRevision.objects.get(person=person, number=1)
        assert documents[person.pk] == person_document(person) == bulk.document
        rows = published_rows(person)
        assert rows[0] and rows[1]
        # Unpublished, then published by the service from the same working copy.
        publishing.profile_unpublish(person=person, user=reviewer, reason="Test")
        assert published_rows(person) == ([], [])
        service = publish(person=person, user=reviewer, comment="Again")
        assert service.number == 2
        assert service.document == bulk.document
        assert (service.search_text, service.name, service.native_name, service.native_name_lang) == (
            bulk.search_text,
            bulk.name,
            bulk.native_name,
            bulk.native_name_lang,
        )
        assert published_rows(person) == rows
        person.refresh_from_db()
        assert (person.status, person.live_revision_id) == (Person.Status.PUBLISHED, service.pk)
    # The workflow fields are not content: publishing wrote no content history.
    assert not Person.history.filter(history_change_reason="Generated profile").exists()


def test_publish_through_the_service_option_and_runs_add_up():
    generate(publish=True, publish_service=True, people=3)
    generate(people=2, seed=8)  # a second run adds people with new slugs and keys
    assert Person.objects.count() == 5
    assert Person.objects.published().count() == 3
    assert PublishedRevision.objects.count() == 3
