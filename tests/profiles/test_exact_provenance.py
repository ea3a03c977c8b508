"""Provenance, exactly (issue 22): what is stated and what inferred, who is credited with a value,
contradictions the profile's own dates reveal, inferred values outside the line, overridden quotes,
and words in quotation marks that must be the source's words."""

import json

import pytest

from profiles import provenance, publishing
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
    "Cai was born in Youxi County. He became mayor in April 2004. He joined in 1975. "
    "Critics called it a “clearance” of the city's poor. "
    "He was mayor of the city until December 2006. In 2006 he became secretary."
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


# 1-3. Stated or inferred, and who states a value ------------------------------------------------

ARCHIVE = (
    "Cai was born in Youxi County. The evictions of 2017 drew criticism. "
    "A meeting on November 27 used the term. On November 20, 2017, an operation began. "
    "He became mayor in April 2004. Some say he was mayor from June 2004. "
    "He was mayor until 2002. He was mayor until December 2002. In March 2002 he became secretary. "
    "He left office when his successor was named."
)


def sources(*publishers):
    return [SourceFactory(archived_text=ARCHIVE, publisher=publisher) for publisher in publishers]


def page_of(client):
    return Page(client.get("/people/cai-qi/").content.decode())


def inside(page, anchor, name):
    claim = page.by_id(anchor)
    return [e for e in page.with_class(name) if claim in e["ancestors"]]


def test_a_date_only_one_source_gives_less_precisely_is_inferred_and_says_from_what(client):
    wikipedia, grokipedia = sources("Wikipedia", "Grokipedia")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=wikipedia)
    event = EventFactory(person=person, date=PartialDate(2017, 11), title="Evictions")
    CitationFactory(
        person=person,
        event=event,
        source=wikipedia,
        field="date",
        stated="2017",
        quote="The evictions of 2017 drew criticism.",
    )
    CitationFactory(
        person=person,
        event=event,
        source=grokipedia,
        field="date",
        stance="infers",
        quote="A meeting on November 27 used the term.",
        note="it gives 'November 27' without the year",
    )
    # Less precisely only, and nothing inferring: inferred all the same, from that source.
    alone = EventFactory(person=person, date=PartialDate(2017, 11), title="Alone")
    CitationFactory(
        person=person,
        event=alone,
        source=wikipedia,
        field="date",
        stated="2017",
        quote="The evictions of 2017 drew criticism.",
    )
    # A whole claim's citation that writes only the year: inferred from it too.
    whole = EventFactory(person=person, date=PartialDate(2017, 11), title="Whole")
    CitationFactory(
        person=person, event=whole, source=wikipedia, quote="The evictions of 2017 drew criticism."
    )
    publish(person)
    page = page_of(client)
    [note] = inside(page, f"e-{whole.key}", "inference")
    assert note["text"] == "(inferred from Wikipedia: it gives 2017)"
    [value] = inside(page, f"e-{event.key}", "inferred")
    assert value["text"] == "November 2017"
    [note] = inside(page, f"e-{event.key}", "inference")
    assert note["text"] == (
        "(inferred from Grokipedia: it gives 'November 27' without the year; "
        "also from Wikipedia: it gives 2017)"
    )
    [note] = inside(page, f"e-{alone.key}", "inference")
    assert note["text"] == "(inferred from Wikipedia: it gives 2017)"


def test_a_date_a_whole_claim_citation_states_in_full_is_not_inferred(client):
    wikipedia, grokipedia = sources("Wikipedia", "Grokipedia")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=wikipedia)
    stated = EventFactory(person=person, date=PartialDate(2017, 11, 20), title="Operation")
    CitationFactory(
        person=person, event=stated, source=wikipedia, quote="On November 20, 2017, an operation began."
    )
    unstated = EventFactory(person=person, date=PartialDate(2017, 11, 20), title="Criticism")
    CitationFactory(
        person=person, event=unstated, source=wikipedia, quote="The evictions of 2017 drew criticism."
    )
    for event in (stated, unstated):
        CitationFactory(
            person=person,
            event=event,
            source=grokipedia,
            field="date",
            stance="infers",
            quote="On November 20, 2017, an operation began.",
            note="the year from the sentence before",
        )
    publish(person)
    page = page_of(client)
    assert not inside(page, f"e-{stated.key}", "inferred")
    assert [e["text"] for e in inside(page, f"e-{unstated.key}", "inferred")] == ["20 November 2017"]


def test_a_dispute_note_credits_the_recorded_date_to_every_citation_that_states_it(client):
    wikipedia, grokipedia, xinhua = sources("Wikipedia", "Grokipedia", "Xinhua")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=wikipedia)
    position = PositionFactory(person=person, start_date=PartialDate(2004, 4), end_date=None)
    CitationFactory(
        person=person, position=position, source=wikipedia, quote="He became mayor in April 2004."
    )
    CitationFactory(
        person=person,
        position=position,
        source=grokipedia,
        field="start_date",
        quote="He became mayor in April 2004.",
    )
    CitationFactory(
        person=person,
        position=position,
        source=xinhua,
        field="start_date",
        stance="disputes",
        stated="2004-06",
        quote="Some say he was mayor from June 2004.",
    )
    publish(person)
    [note] = inside(page_of(client), f"m-{position.key}", "sources-differ")
    assert note["text"] == (
        "Sources differ on the start date: April 2004 (Wikipedia, Grokipedia) · June 2004 (Xinhua)"
    )


def test_a_dispute_note_credits_a_recorded_rank_to_the_citations_that_state_it(client):
    text = "Cai was born in Youxi County. He ranked fifth on the committee. "
    text += "Elsewhere he is the 7th-ranked member."
    wikipedia, grokipedia = (
        SourceFactory(archived_text=text, publisher=publisher) for publisher in ("Wikipedia", "Grokipedia")
    )
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=wikipedia)
    position = PositionFactory(
        person=person, start_date=PartialDate(2004, 4), end_date=None, ordinal="fifth-ranked"
    )
    for source in (wikipedia, grokipedia):
        CitationFactory(
            person=person,
            position=position,
            source=source,
            field="ordinal",
            quote="He ranked fifth on the committee.",
        )
    CitationFactory(
        person=person,
        position=position,
        source=grokipedia,
        field="ordinal",
        stance="disputes",
        stated="7th-ranked",
        quote="Elsewhere he is the 7th-ranked member.",
    )
    # A description is prose: the note says only what the disputing source gives.
    event = EventFactory(person=person, description="He ranked fifth.")
    CitationFactory(
        person=person,
        event=event,
        source=wikipedia,
        field="description",
        quote="He ranked fifth on the committee.",
    )
    CitationFactory(
        person=person,
        event=event,
        source=grokipedia,
        field="description",
        stance="disputes",
        stated="7th-ranked member",
        quote="Elsewhere he is the 7th-ranked member.",
    )
    publish(person)
    page = page_of(client)
    [note] = inside(page, f"m-{position.key}", "sources-differ")
    assert note["text"] == (
        "Sources differ on the rank: fifth-ranked (Wikipedia, Grokipedia) · Grokipedia gives “7th-ranked”"
    )
    [note] = inside(page, f"e-{event.key}", "sources-differ")
    assert note["text"] == "Sources differ on the description: Grokipedia gives “7th-ranked member”"


# 4. A more precise end that the profile's own dates contradict ----------------------------------


def succession(person, source, *, stance="supports", concurrent=False):
    """Mayor 1999-2002, a source ending it in December 2002, and the next post from March 2002."""
    mayor = PositionFactory(
        person=person, role="Mayor", start_date=PartialDate(1999, 5), end_date=PartialDate(2002)
    )
    CitationFactory(person=person, position=mayor, source=source, quote="He was mayor until 2002.")
    CitationFactory(
        person=person,
        position=mayor,
        source=source,
        field="end_date",
        stance=stance,
        stated="2002-12",
        quote="He was mayor until December 2002.",
        note="gives December 2002" if stance == "disputes" else "",
    )
    secretary = PositionFactory(
        person=person, role="Secretary", start_date=PartialDate(2002, 3), end_date=None, concurrent=concurrent
    )
    CitationFactory(
        person=person, position=secretary, source=source, quote="In March 2002 he became secretary."
    )
    return mayor, secretary


def test_a_more_precise_end_after_the_next_post_began_is_a_contradiction_and_a_warning(client):
    (grokipedia,) = sources("Grokipedia")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=grokipedia)
    mayor, secretary = succession(person, grokipedia)
    warnings = publishing.publishing_warnings(publishing.person_document(person))
    assert [w.message for w in warnings] == [
        f"Grokipedia ends “Mayor, {mayor.organization.name}” in December 2002, after “Secretary, "
        f"{secretary.organization.name}” began (March 2002), and nothing in the record explains the "
        "overlap: record that citation as disputing, or mark the later post as held concurrently."
    ]
    assert warnings[0].url == f"#m-{mayor.key}"
    publish(person)
    page = page_of(client)
    [note] = inside(page, f"m-{mayor.key}", "sources-differ")
    assert note["text"] == (
        "Sources differ on the end date: 2002 (Grokipedia) · December 2002 (Grokipedia; after "
        f"“Secretary, {secretary.organization.name}” began in March 2002)"
    )
    assert not inside(page, f"m-{mayor.key}", "precision")


def test_a_more_precise_end_is_consistent_when_the_next_post_is_concurrent_and_explained_when_disputed(
    client,
):
    (grokipedia,) = sources("Grokipedia")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=grokipedia)
    concurrent, _ = succession(person, grokipedia, concurrent=True)
    assert not publishing.publishing_warnings(publishing.person_document(person))
    publish(person)
    page = page_of(client)
    assert inside(page, f"m-{concurrent.key}", "more-precise")
    assert not inside(page, f"m-{concurrent.key}", "sources-differ")
    other = cited_profile(slug="li-wen", positions=0, events=0, source=grokipedia)
    succession(other, grokipedia, stance="disputes")
    assert not publishing.publishing_warnings(publishing.person_document(other))


# 5. Inferred values outside the line ------------------------------------------------------------


def test_an_inferred_end_is_marked_on_the_timeline_and_left_out_of_json_ld(client):
    (source,) = sources("Wikipedia")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source)
    inferred = PositionFactory(
        person=person, role="Acting Mayor", start_date=PartialDate(2004, 4), end_date=PartialDate(2005)
    )
    CitationFactory(
        person=person,
        position=inferred,
        source=source,
        field="start_date",
        quote="He became mayor in April 2004.",
    )
    CitationFactory(
        person=person,
        position=inferred,
        source=source,
        field="end_date",
        stance="infers",
        quote="He left office when his successor was named.",
        note="his successor took office in 2005",
    )
    stated = PositionFactory(
        person=person, role="Mayor", start_date=PartialDate(1999, 5), end_date=PartialDate(2002)
    )
    CitationFactory(person=person, position=stated, source=source, quote="He was mayor until 2002.")
    CitationFactory(
        person=person, position=stated, source=source, field="start_date", quote="He was mayor until 2002."
    )
    publish(person)
    page = page_of(client)
    bars = {e["attrs"]["href"]: e for e in page.elements if e["tag"] == "a" and "bar" in e["classes"]}
    assert "end-inferred" in bars[f"#m-{inferred.key}"]["classes"]
    assert bars[f"#m-{inferred.key}"]["text"].endswith("(end inferred)")
    assert "end-inferred" not in bars[f"#m-{stated.key}"]["classes"]
    assert "(end inferred)" not in bars[f"#m-{stated.key}"]["text"]
    [block] = [e for e in page.elements if e["attrs"].get("type") == "application/ld+json"]
    roles = {role["roleName"]: role for role in json.loads(block["text"])["mainEntity"]["memberOf"]}
    assert roles["Acting Mayor"] == {
        "@type": "OrganizationRole",
        "roleName": "Acting Mayor",
        "startDate": "2004-04",
        "memberOf": {"@type": "Organization", "name": inferred.organization.name},
    }
    assert roles["Mayor"]["endDate"] == "2002"


# 6. Overridden quotes ---------------------------------------------------------------------------


def test_an_overridden_quote_says_so_at_the_line_and_gives_the_reason_in_the_reference(client):
    (source,) = sources("Wikipedia")
    person = cited_profile(slug="cai-qi", positions=1, events=0, source=source)
    position = person.positions.get()
    citation = CitationFactory(
        person=person, position=position, source=source, quote="A quote from the print edition"
    )
    reviewer = reviewer_user()
    publishing.citation_override(
        citation=citation,
        user=reviewer,
        reason="Quoted from the print edition, p. 4",
        seen=publishing.quote_digest(citation.quote),
    )
    publish_as(person=person, user=reviewer)
    page = page_of(client)
    [line] = inside(page, f"m-{position.key}", "not-verified")
    assert line["text"] == "(quote 1.3 not verified against an archived copy)"
    [reference] = page.with_class("overridden")
    assert reference["text"] == (
        "not verified against an archived copy; a reviewer let it through: "
        "Quoted from the print edition, p. 4"
    )
    assert any(e["attrs"].get("id") == "c1-3" for e in reference["ancestors"])
