"""Drafting from a source (issue 20): the engine (sources/drafting.py), the command
`draft_from_source` and the draft page `/admin/sources/source/<id>/draft/`."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from profiles.dates import PartialDate
from profiles.models import Event, Organization, Person, Position, PublishedRevision
from sources import drafting
from sources.models import Citation
from tests.factories import (
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SourceFactory,
    UserFactory,
    as_system,
)

TEXT = """Zhou Lan (Chinese: 周兰; pinyin: Zhōu Lán; born 3 May 1950 in Ningbo, Zhejiang) is a \
Chinese politician.

Career

In April 2007, Zhou was appointed mayor of Wenzhou. In March 2011, she was transferred to become party \
secretary of Wenzhou, serving until 2015. Since 2022 she has served as director of the Office of Rural Reform.
She joined the Communist Party in August 1975. In June 2016 she hosted a trade delegation in Wenzhou.

Others

Li Ming became governor of Zhejiang in 2010. He was born in Hangzhou in 1948.
"""
CATALOGUE = [
    {
        "id": "wenzhou-government",
        "name": "Wenzhou Municipal People's Government",
        "kind": "government",
        "parent": None,
    },
    {"id": "ccp-wenzhou", "name": "CCP Wenzhou Municipal Committee", "kind": "party", "parent": None},
    {
        "id": "zhejiang-government",
        "name": "Zhejiang Provincial People's Government",
        "kind": "government",
        "parent": None,
    },
    {"id": "ccp-zhejiang", "name": "CCP Zhejiang Provincial Committee", "kind": "party", "parent": None},
]


def subject_draft(text=TEXT, catalogue=CATALOGUE, people=()):
    drafts = drafting.draft(text, catalogue=catalogue, people=list(people))
    return drafts[0]


def positions(draft):
    return {
        (p.value["role"], p.value["organization"]["id"] or p.value["organization"]["name"]): p
        for p in draft.proposals
        if p.kind == "position" and p.stance != "infers"
    }


def test_the_texts_subject_is_drafted_as_a_new_person_with_dates_at_the_texts_precision():
    draft = subject_draft()
    assert (draft.slug, draft.name) == (None, "Zhou Lan")
    found = positions(draft)
    assert found[("Mayor", "wenzhou-government")].value["start_date"] == "2007-04"
    secretary = found[("Secretary", "ccp-wenzhou")].value
    assert (secretary["start_date"], secretary["end_date"]) == ("2011-03", "2015")
    director = found[("Director", "Office of Rural Reform")].value
    assert director["start_date"] == "2022" and director["organization"]["id"] is None
    for proposal in draft.proposals:
        assert proposal.quote in TEXT, proposal.quote
        assert set(proposal.as_dict()) == {
            "kind",
            "field",
            "value",
            "quote",
            "locator",
            "stance",
            "relation",
            "confidence",
        }


def test_an_end_implied_by_the_next_appointment_is_an_inference_with_a_note():
    draft = subject_draft()
    inferred = [p for p in draft.proposals if p.stance == "infers"]
    mayor = next(p for p in inferred if p.value["role"] == "Mayor")
    assert mayor.field == "end_date" and mayor.value["end_date"] == "2011-03"
    assert "next appointment" in mayor.note and mayor.quote.startswith("In March 2011")


def test_facts_and_events_come_from_the_text():
    draft = subject_draft()
    facts = {p.field: p.value for p in draft.proposals if p.kind == "fact"}
    assert facts["birth_date"] == {"birth_date": "1950-05-03"}
    assert facts["birth_place"] == {"birth_place": "Ningbo, Zhejiang"}
    assert facts["native_name"]["native_name"] == "周兰"
    assert facts["romanization"] == {"romanization": "Zhōu Lán"}
    events = {(p.value["date"], p.value["kind"]) for p in draft.proposals if p.kind == "event"}
    assert {("1975-08", "joined"), ("2016-06", "met"), ("2007-04", "appointed")} <= events


def test_nothing_is_proposed_for_the_subject_from_another_persons_passage():
    draft = subject_draft()
    for proposal in draft.proposals:
        assert "Li Ming" not in proposal.quote and "Hangzhou in 1948" not in proposal.quote
    li = {"id": "li-ming", "name": "Li Ming", "memberships": [], "events": [], "citations": {}}
    drafts = drafting.draft(TEXT, catalogue=CATALOGUE, people=[li])
    li_draft = next(d for d in drafts if d.slug == "li-ming")
    assert {p.value["organization"]["id"] for p in li_draft.proposals if p.kind == "position"} == {
        "zhejiang-government"
    }
    assert all("Zhou" not in p.quote for p in li_draft.proposals)


def test_relations_to_the_profile_and_a_contradiction_is_a_dispute():
    profile = {
        "id": "zhou-lan",
        "name": "Zhou Lan",
        "native_name": "周兰",
        "birth_date": "1950-05",
        "birth_place": "Wenzhou",
        "citations": {},
        "events": [],
        "memberships": [
            {
                "id": "k1",
                "role": "Mayor",
                "organization": {"id": "wenzhou-government", "name": "x"},
                "start_date": "2007",
                "end_date": None,
                "citations": [],
            },
            {
                "id": "k2",
                "role": "Secretary",
                "organization": {"id": "ccp-wenzhou", "name": "x"},
                "start_date": "2012-01",
                "end_date": None,
                "citations": [],
            },
        ],
    }
    draft = next(
        d for d in drafting.draft(TEXT, catalogue=CATALOGUE, people=[profile]) if d.slug == "zhou-lan"
    )
    found = positions(draft)
    assert (
        found[("Mayor", "wenzhou-government")].relation,
        found[("Mayor", "wenzhou-government")].target,
    ) == ("more_precise", "k1")
    secretary = found[("Secretary", "ccp-wenzhou")]
    assert (secretary.relation, secretary.stance, secretary.field) == (
        "contradicts",
        "disputes",
        "start_date",
    )
    facts = {p.field: p for p in draft.proposals if p.kind == "fact"}
    assert facts["birth_date"].relation == "more_precise"
    assert facts["native_name"].relation == "recorded"
    assert (facts["birth_place"].relation, facts["birth_place"].stance) == ("contradicts", "disputes")


def test_odd_texts_do_not_crash():
    for text in ("", "....", "\x00", "In 2002.", "He became mayor of in 2003.", "A" * 5000):
        drafting.draft(text, catalogue=CATALOGUE, people=[])


# The command and the page ------------------------------------------------------------------------


@pytest.fixture
def source(db):
    for row in CATALOGUE:
        OrganizationFactory(slug=row["id"], name=row["name"], kind=row["kind"])
    return SourceFactory(id="zhou-lan-bio", title="Zhou Lan biography", archived_text=TEXT)


@pytest.mark.django_db
def test_the_command_prints_the_json_contract(source, capsys):
    call_command("draft_from_source", "zhou-lan-bio", "--format", "json")
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"people"}
    person = printed["people"][0]
    assert (
        set(person) == {"person", "name", "proposals"}
        and person["person"] is None
        and person["name"] == "Zhou Lan"
    )
    position = next(p for p in person["proposals"] if p["kind"] == "position")
    assert set(position) == {"kind", "field", "value", "quote", "locator", "stance", "relation", "confidence"}
    assert set(position["value"]) >= {"role", "organization", "start_date", "end_date"}
    assert set(position["value"]["organization"]) >= {"id", "name"}
    assert {p["relation"] for p in person["proposals"]} == {"new"}


@pytest.mark.django_db
def test_the_command_refuses_an_unapproved_source_and_an_unknown_person(source):
    with as_system():
        source.approved_at = None
        source.save()
    with pytest.raises(CommandError, match="not approved"):
        call_command("draft_from_source", "zhou-lan-bio")
    with pytest.raises(CommandError, match="no source"):
        call_command("draft_from_source", "nothing-here")


@pytest.mark.django_db
def test_the_command_drafts_for_a_known_person(source, capsys):
    person = PersonFactory(name="Zhou Lan", slug="zhou-lan")
    PositionFactory(
        person=person,
        organization=Organization.objects.get(slug="wenzhou-government"),
        role="Mayor",
        start_date=PartialDate(2007),
        end_date=None,
    )
    call_command("draft_from_source", "zhou-lan-bio", "--person", "zhou-lan", "--format", "json")
    printed = json.loads(capsys.readouterr().out)
    assert [p["person"] for p in printed["people"]] == ["zhou-lan"]
    mayor = next(
        p
        for p in printed["people"][0]["proposals"]
        if p["kind"] == "position" and p["value"]["role"] == "Mayor" and not p["field"]
    )
    assert mayor["relation"] == "more_precise"
    with pytest.raises(CommandError, match="no profile"):
        call_command("draft_from_source", "zhou-lan-bio", "--person", "nobody")


def draft_url(source_id):
    return reverse("admin:sources_source_draft", args=[source_id])


@pytest.mark.django_db
def test_the_draft_page_needs_staff_with_the_change_permission_on_people(client, source):
    response = client.get(draft_url(source.pk))
    assert response.status_code == 302 and "/login/" in response["Location"]
    staff = UserFactory(username="viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(staff)
    assert client.get(draft_url(source.pk)).status_code == 403
    assert client.post(draft_url(source.pk), {"take": "0-0"}).status_code == 403
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_the_draft_page_lists_proposals_in_a_fixed_number_of_queries(
    client, editor, source, django_assert_max_num_queries
):
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        response = client.get(draft_url(source.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zhou Lan" in page and "new person" in page and 'name="take"' in page
    assert "Wenzhou Municipal People" in page
    link = client.get(reverse("admin:sources_source_change", args=[source.pk])).content.decode()
    assert 'id="draft-claims-link"' in link


@pytest.mark.django_db
def test_an_unapproved_source_is_refused(client, editor, source):
    with as_system():
        source.approved_at = None
        source.save()
    client.force_login(editor)
    response = client.get(draft_url(source.pk))
    assert response.status_code == 400 and "not approved" in response.content.decode()
    assert client.get(draft_url("no-such-source")).status_code == 404
    assert client.get(draft_url(source.pk), {"person": "nobody"}).status_code == 400


def ticked_post(client, source, *, kinds=("fact", "position", "event"), extra=None):
    page = client.get(draft_url(source.pk))
    drafts = page.context["people"]
    data = {"digest": page.context["digest"], "take": []}
    for person in drafts:
        for row in person["rows"]:
            if row["proposal"].kind in kinds and row["proposal"].stance != "infers":
                data["take"].append(row["key"])
                for field in row["fields"]:
                    data[field["name"]] = field["value"]
    data.update(extra or {})
    return client.post(draft_url(source.pk), data), drafts


@pytest.mark.django_db
def test_writing_the_ticked_proposals_makes_a_draft_and_publishes_nothing(client, editor, source):
    client.force_login(editor)
    response, _ = ticked_post(client, source)
    person = Person.objects.get(name="Zhou Lan")
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:profiles_person_change", args=[person.pk]
    )
    assert person.status == Person.Status.DRAFT and person.live_revision is None
    assert not PublishedRevision.objects.exists()
    assert person.birth_date.isoformat() == "1950-05-03" and person.native_name == "周兰"
    mayor = Position.objects.get(person=person, role="Mayor")
    assert mayor.start_date.isoformat() == "2007-04" and mayor.organization.slug == "wenzhou-government"
    assert Event.objects.filter(person=person, kind="joined", date=PartialDate(1975, 8)).exists()
    citations = Citation.objects.filter(person=person)
    assert citations.exists() and all(c.verification == Citation.Verification.VERIFIED for c in citations)
    history = person.history.first()
    assert history.history_user == editor and "zhou-lan-bio" in history.history_change_reason
    new = Organization.objects.get(name="Office of Rural Reform")
    assert new.approved_at is None  # waits for a reviewer


@pytest.mark.django_db
def test_an_edited_value_is_written_as_edited(client, editor, source):
    client.force_login(editor)
    page = client.get(draft_url(source.pk))
    row = next(
        r
        for p in page.context["people"]
        for r in p["rows"]
        if r["proposal"].kind == "position" and r["proposal"].value["role"] == "Mayor"
    )
    data = {
        "digest": page.context["digest"],
        "take": [row["key"]],
        f"v-{row['key']}-role": "Acting Mayor",
        f"v-{row['key']}-start_date": "2007-04-02",
    }
    assert client.post(draft_url(source.pk), data).status_code == 302
    position = Position.objects.get(person__name="Zhou Lan")
    assert (position.role, position.start_date.isoformat(), position.acting) == (
        "Acting Mayor",
        "2007-04-02",
        True,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"take": "x-y"},
        {"take": "99-0"},
        {"take": "0-999"},
        {"take": "-1-0"},
        {"take": "0-1", "digest": "stale"},
        {"take": "0-1", "v-0-1-start_date": "2007-13"},
        {"take": "0-1", "v-0-1-role": "\x00"},
    ],
)
def test_bad_posts_get_form_errors_and_write_nothing(client, editor, source, data):
    client.force_login(editor)
    page = client.get(draft_url(source.pk))
    key = next(
        r["key"] for p in page.context["people"] for r in p["rows"] if r["proposal"].kind == "position"
    )
    data = {"digest": page.context["digest"], **{k.replace("0-1", key): v for k, v in data.items()}}
    if data.get("take") == "0-1":
        data["take"] = key
    response = client.post(draft_url(source.pk), data)
    assert response.status_code == 400
    assert 'id="draft-error"' in response.content.decode()
    assert not Person.objects.exists() and not Citation.objects.exists()


def test_a_person_named_in_passing_gets_nothing_from_the_sentence():
    text = (
        "Zhou Lan (born 1950) is a politician. "
        "In March 2023, she became director of the Office of Rural Reform, succeeding Wu Bo."
    )
    wu = {"id": "wu-bo", "name": "Wu Bo", "memberships": [], "events": [], "citations": {}}
    drafts = drafting.draft(text, catalogue=CATALOGUE, people=[wu])
    assert [d.proposals for d in drafts if d.slug == "wu-bo"] == [[]]


@pytest.mark.django_db
def test_the_draft_page_runs_the_same_queries_whatever_the_profile_size(client, editor, source):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = PersonFactory(name="Zhou Lan", slug="zhou-lan")
    wenzhou = Organization.objects.get(slug="wenzhou-government")
    client.force_login(editor)
    counts = []
    for size in (2, 20):
        while person.positions.count() < size:
            PositionFactory(
                person=person, organization=wenzhou, role="Mayor", start_date=PartialDate(1990), end_date=None
            )
        client.get(draft_url(source.pk), {"person": "zhou-lan"})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(draft_url(source.pk), {"person": "zhou-lan"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 16


def test_a_relatives_dated_appointment_is_no_event_of_the_person():
    # An unseen biography's genre: a spouse's post in the subject's paragraph, same surname.
    text = (
        "Angela Rivera (born March 3, 1962) is a Chilean economist.\n\n"
        "In March 2010 she was elected mayor of Valparaíso. Her husband, Tomás Rivera, was named "
        "ambassador to Peru in 2011."
    )
    [person] = drafting.draft(text)
    events = [p.value for p in person.proposals if p.kind == "event"]
    assert [e["date"] for e in events] == ["2010-03"]
    assert not any("ambassador" in e["description"] for e in events)
