"""Provenance, exactly (issue 22): what is stated and what inferred, who is credited with a value,
contradictions the profile's own dates reveal, inferred values outside the line, overridden quotes,
and words in quotation marks that must be the source's words."""

import json

import pytest

from profiles import publishing, provenance
from profiles.dates import PartialDate
from profiles.importing import ImportProblems
from profiles.transfer import profiles_import
from tests.factories import (
    CitationFactory,
    EventFactory,
    PositionFactory,
    SourceFactory,
    cited_profile,
    reviewer_user,
)
from tests.factories import publish as publish_as
from tests.profiles.test_provenance import Page

pytestmark = pytest.mark.django_db

TEXT = (
    "Cai was born in Youxi County. He became mayor in April 2004. He joined in 1975. Critics called it a “clearance” of the "
    "city's poor. He was mayor of the city until December 2006. In 2006 he became secretary."
)


def publish(person):
    return publish_as(person=person, user=reviewer_user())


# 7. Words in quotation marks must be the source's words -----------------------------------------


@pytest.mark.parametrize(
    "text, passages",
    [
        ('He said "make sure" twice.', ["make sure"]),
        ("He said “make sure” twice.", ["make sure"]),
        (
            "Grokipedia's text reads 'from 1997 to 1999, he served as ,' here.",
            ["from 1997 to 1999, he served as"],
        ),
        ("It reads ‘the Committee’s Political’ there.", ["the Committee’s Political"]),
        ("Xi's and the Cais' views, the province's name: no quotes.", []),
        (
            "He was 'said to be transferred ... without announcement'.",
            ["said to be transferred", "without announcement"],
        ),
        ("The 'General [...] Committee' and “a […] b”.", ["General", "Committee", "a", "b"]),
    ],
)
def test_quoted_passages_find_quotes_not_apostrophes(text, passages):
    assert [f for _, fragments in provenance.quoted_passages(text) for f in fragments] == passages


def misquoting_profile(description, *, note=""):
    source = SourceFactory(archived_text=TEXT)
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source)
    event = EventFactory(person=person, title="Evictions", description=description)
    CitationFactory(person=person, event=event, source=source, quote="He joined in 1975.", note=note)
    return person


def test_the_gate_refuses_a_description_quoting_words_no_cited_source_has():
    person = misquoting_profile("Critics called it a 'clearance campaign' of the city's poor.")
    with pytest.raises(publishing.PublishingRefused) as refused:
        publish(person)
    [problem] = refused.value.problems
    assert problem.message == (
        "The description of the event “Evictions”: “clearance campaign” reads as the source's words "
        f"but is not in the archived text of {person.citations.first().source_id}: quote the source "
        "exactly, or drop the quotation marks."
    )
    assert problem.url.endswith("/change/") and "event" in problem.url


@pytest.mark.parametrize(
    "description, note",
    [
        ("Critics called it a 'clearance' of the city's poor.", ""),  # verbatim, apostrophes aside
        ("Critics called it a “clearance” of the city’s poor.", "“He joined in 1975.”"),
        ("The city's mayor's term: no quotation marks at all.", "Cai's own words are not quoted."),
    ],
)
def test_the_gate_lets_verbatim_quotes_and_apostrophes_through(description, note):
    publish(misquoting_profile(description, note=note))


def test_the_gate_checks_citation_notes_and_what_a_disputing_citation_says():
    source = SourceFactory(archived_text=TEXT)
    person = cited_profile(slug="cai-qi", positions=1, events=0, source=source)
    position = person.positions.get()
    CitationFactory(
        person=person,
        position=position,
        source=source,
        quote="He joined in 1975.",
        note="'joined only in 1975'",
    )
    CitationFactory(
        person=person,
        position=position,
        source=source,
        field="role",
        stance="disputes",
        stated="was never mayor",
        quote="He became mayor in April 2004.",
    )
    with pytest.raises(publishing.PublishingRefused) as refused:
        publish(person)
    messages = [problem.message for problem in refused.value.problems]
    assert len(messages) == 2
    assert (
        messages[0].startswith("A citation of the position “Mayor, ")
        and "“joined only in 1975”" in messages[0]
    )
    assert messages[1].startswith("What a citation of the position") and "“was never mayor”" in messages[1]


def test_import_publish_refuses_misquoted_words_with_their_place_in_the_file():
    reviewer = reviewer_user()
    source = SourceFactory.build(archived_text=TEXT)
    document = {
        "id": "li-wen",
        "name": "Li Wen",
        "citations": {
            "name": [
                {
                    "source": "s",
                    "quote": "He joined in 1975.",
                    "locator": "",
                    "stance": "supports",
                    "field": "name",
                }
            ]
        },
        "memberships": [],
        "events": [
            {
                "id": "li-wen-joins",
                "date": "1975",
                "kind": "joined",
                "title": "Joins",
                "description": "He “joined in 1975”.",
                "citations": [
                    {"source": "s", "quote": "He joined in 1975.", "locator": "", "stance": "supports"}
                ],
            },
            {
                "id": "li-wen-clearance",
                "date": "2006",
                "kind": "policy",
                "title": "Clearance",
                "description": "A 'clearance drive' of the city.",
                "citations": [
                    {
                        "source": "s",
                        "quote": "He joined in 1975.",
                        "locator": "",
                        "stance": "supports",
                        "note": "Critics: 'the poor'",
                    }
                ],
            },
        ],
        "sources": [{"id": "s", "title": "Li Wen", "url": source.url, "archived_text": TEXT}],
    }
    with pytest.raises(ImportProblems) as refused:
        profiles_import(data={"people": [document]}, user=reviewer, publish=True)
    problems = refused.value.problems
    assert [problem.split(":")[0] for problem in problems] == [
        "people[0].events[1].description",
        "people[0].events[1].citations[0].note",
    ]
    assert "“clearance drive”" in problems[0] and "“the poor”" in problems[1]
    assert not json.dumps(problems).count("joined in 1975")  # verbatim: no problem
