"""Open formats, checked: the served document and the Popolo export validate against Popolo's
schemas, the CSV export carries the demo's dates unchanged, QuickStatements match a golden file."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from profiles.dates import PartialDate
from profiles.documents import normalised
from profiles.models import Person
from profiles.transfer import profiles_import
from tests.factories import (
    CitationFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SourceFactory,
    as_system,
    publish,
)
from tests.profiles.popolo import errors
from tests.profiles.test_import_export import DEMO

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def demo(reviewer):
    with open(DEMO, encoding="utf-8") as handle:
        profiles_import(data=json.load(handle), user=reviewer, reason="Demo", publish=True)
    return Person.objects.published().order_by("slug")


def organizations_of(document):
    for membership in document["memberships"]:
        organization = membership["organization"]
        while organization:
            yield organization
            organization = organization.get("parent")


def export(*args):
    out = io.StringIO()
    call_command("export_profiles", *args, stdout=out)
    return out.getvalue()


def test_the_served_demo_documents_validate_against_popolo(client, demo):
    assert demo.count() >= 2
    for person in demo:
        document = client.get(f"/people/{person.slug}.json").json()
        assert errors("person", document) == []
        assert document["memberships"] and document["identifiers"] == []
        for membership in document["memberships"]:
            assert errors("membership", membership) == []
        for organization in organizations_of(document):
            assert errors("organization", organization) == []
            assert "parent" not in organization or organization["parent"]


def test_the_popolo_export_validates_and_is_linked_by_id(demo):
    collection = json.loads(export("--published", "--format", "popolo"))
    assert set(collection) == {"persons", "organizations", "memberships"}
    assert [p["id"] for p in collection["persons"]] == [p.slug for p in demo]
    organizations = {o["id"] for o in collection["organizations"]}
    people = {p["id"] for p in collection["persons"]}
    for kind, items in (
        ("person", "persons"),
        ("organization", "organizations"),
        ("membership", "memberships"),
    ):
        for item in collection[items]:
            assert errors(kind, item) == [], item["id"]
    for membership in collection["memberships"]:
        assert membership["person_id"] in people and membership["organization_id"] in organizations
        assert membership["sources"] and all(link["url"].startswith("http") for link in membership["sources"])
    assert all(o["parent_id"] in organizations for o in collection["organizations"] if "parent_id" in o)
    assert len(organizations) == len(collection["organizations"])  # each once


def test_the_csv_export_round_trips_every_date_of_the_demo(demo, tmp_path):
    path = tmp_path / "demo.csv"
    call_command("export_profiles", "--published", "--format", "csv", "-o", str(path))
    with open(path, encoding="utf-8", newline="") as handle:
        rows = {(row["person_id"], row["record"], row["id"]): row for row in csv.DictReader(handle)}
    expected = 0
    for person in demo:
        document = normalised(person.live_revision.document)
        for item in document["memberships"]:
            row = rows[(person.slug, "membership", item["id"])]
            assert (row["start_date"] or None, row["end_date"] or None) == (
                item["start_date"],
                item["end_date"],
            )
            assert row["citation_sources"].split("\n") == [c["source"] for c in item["citations"]]
            expected += 1
        for item in document["events"]:
            row = rows[(person.slug, "event", item["id"])]
            assert row["date"] == item["date"]
            assert row["citation_quotes"].split("\n") == [
                " ".join(c["quote"].split()) for c in item["citations"]
            ]
            expected += 1
    assert len(rows) == expected > 20


def test_csv_cells_a_spreadsheet_would_run_are_neutralised():
    with as_system():
        person = PersonFactory(slug="cai-qi", name="Cai Qi")
    PositionFactory(person=person, role="=HYPERLINK(1)", start_date=None, end_date=None)
    text = export("--format", "csv", "cai-qi")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["role"] == "'=HYPERLINK(1)" and row["start_date"] == row["end_date"] == ""


@pytest.fixture
def wikidata_profile(reviewer):
    """A profile with Wikidata items: a birth date a second source disputes, a post (an office with
    an item) with a disputed start date, a post without an item, and a person without a QID."""
    wikipedia = SourceFactory(
        id="wikipedia",
        url="https://en.wikipedia.org/wiki/Cai_Qi",
        archived_text='Cai was born on 5 December 1955. He was mayor from April 2004 to 2007. He said "yes".',
    )
    other = SourceFactory(
        id="other", url="https://example.org/cai", accessed=None, archived_text="June 1955."
    )
    with as_system():
        person = PersonFactory(
            slug="cai-qi",
            name="Cai Qi",
            birth_date=PartialDate(1955, 12, 5),
            identifiers=[{"scheme": "wikidata", "identifier": "Q1"}],
        )
    office = OrganizationFactory(
        slug="mayor-of-taizhou",
        name="Mayor of Taizhou",
        kind="office",
        identifiers=[{"scheme": "wikidata", "identifier": "Q2"}],
    )
    committee = OrganizationFactory(
        slug="committee", identifiers=[{"scheme": "wikidata", "identifier": "Q3"}]
    )
    cite = CitationFactory
    cite(person=person, source=wikipedia, field="name", quote="Cai was born on 5 December 1955.")
    cite(person=person, source=wikipedia, field="birth_date", quote="Cai was born on 5 December 1955.")
    cite(
        person=person,
        source=other,
        field="birth_date",
        quote="June 1955.",
        stance="disputes",
        stated="1955-06",
    )
    cite(person=person, source=wikipedia, field="identifiers", quote="Cai was born on 5 December 1955.")
    mayor = PositionFactory(
        person=person,
        organization=office,
        role="Mayor",
        start_date=PartialDate(2004, 4),
        end_date=PartialDate(2007),
    )
    cite(person=person, position=mayor, source=wikipedia, quote="He was mayor from April 2004 to 2007.")
    cite(person=person, position=mayor, source=wikipedia, field="start_date", quote='He said "yes".')
    cite(
        person=person,
        position=mayor,
        source=other,
        field="start_date",
        quote="June 1955.",
        stance="disputes",
        stated="2004-06",
    )
    member = PositionFactory(
        person=person, organization=committee, role="Member", start_date=PartialDate(1990), end_date=None
    )
    cite(person=person, position=member, source=wikipedia, quote="He was mayor from April 2004 to 2007.")
    cited_without_qid = PersonFactory(slug="no-qid", name="No Qid", birth_date=PartialDate(1960))
    cite(person=cited_without_qid, source=wikipedia, field="name", quote="Cai was born on 5 December 1955.")
    cite(
        person=cited_without_qid,
        source=wikipedia,
        field="birth_date",
        quote="Cai was born on 5 December 1955.",
    )
    publish(person=person, user=reviewer)
    publish(person=cited_without_qid, user=reviewer)
    return person


def test_quickstatements_match_the_golden_file(wikidata_profile):
    text = export("--published", "--format", "quickstatements")
    golden = GOLDEN / "quickstatements.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert all(len(line.split("\t")) % 2 == 1 for line in text.splitlines())  # item, then pairs


def test_quickstatements_write_nothing_for_people_without_a_wikidata_item(wikidata_profile):
    assert export("--published", "--format", "quickstatements", "no-qid") == ""


def test_an_old_document_is_read_with_identifiers_and_without_null_parents():
    old = {
        "format": 2,
        "id": "cai-qi",
        "sources": [],
        "memberships": [
            {
                "organization": {
                    "id": "a",
                    "kind": "party",
                    "parent": {"id": "b", "kind": "party", "parent": None},
                }
            }
        ],
    }
    document = normalised(old)
    assert document["identifiers"] == []
    assert document["memberships"][0]["organization"] == {
        "id": "a",
        "kind": "party",
        "identifiers": [],
        "parent": {"id": "b", "kind": "party", "identifiers": []},
    }
    assert old["memberships"][0]["organization"]["parent"]["parent"] is None  # the stored one stays
    assert normalised(document) is document  # a current document is read as it is
