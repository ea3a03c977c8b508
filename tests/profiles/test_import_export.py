import copy
import json
import re

import pytest
from django.core.management import CommandError, call_command

from profiles import publishing
from profiles.documents import person_document
from profiles.importing import ImportProblems, check_file
from profiles.models import Event, Organization, Person, Position, PublishedRevision
from profiles.transfer import profiles_import
from sources.models import Citation, Source
from tests.factories import CitationFactory, SourceFactory, as_system, cited_profile

pytestmark = pytest.mark.django_db

DEMO = "profiles/demo/cai-qi.json"


def small_file():
    source = {
        "id": "wikipedia-cai-qi",
        "title": "Cai Qi",
        "url": "https://en.wikipedia.org/wiki/Cai_Qi",
        "publisher": "Wikipedia",
        "author": "",
        "published": None,
        "accessed": "2026-11-26",
        "archive_url": "",
        "note": "",
        "archived_text": "Cai Qi was born in 1955. He was mayor.",
    }
    citation = {
        "source": "wikipedia-cai-qi",
        "quote": "He was mayor.",
        "locator": "Lead",
        "stance": "supports",
        "stated": None,
        "field": None,
        "note": "",
    }
    organization = {
        "id": "sanming",
        "name": "Sanming Government",
        "native_name": "",
        "kind": "government",
        "parent": {"id": "fujian", "name": "Fujian", "native_name": "", "kind": "government", "parent": None},
    }
    return {
        "people": [
            {
                "id": "cai-qi",
                "name": "Cai Qi",
                "native_name": "蔡奇",
                "native_name_lang": "zh-Hans",
                "romanization": "",
                "other_names": [],
                "birth_date": "1955",
                "birth_place": "",
                "death_date": None,
                "death_place": "",
                "summary": "",
                "citations": {
                    "name": [{**citation, "quote": "Cai Qi was born in 1955.", "field": "name"}],
                    "native_name": [
                        {**citation, "quote": "Cai Qi was born in 1955.", "field": "native_name"}
                    ],
                    "birth_date": [{**citation, "quote": "Cai Qi was born in 1955.", "field": "birth_date"}],
                },
                "memberships": [
                    {
                        "id": "cai-qi-mayor",
                        "role": "Mayor",
                        "organization": organization,
                        "start_date": "1997",
                        "end_date": "1999",
                        "ended": True,
                        "acting": False,
                        "concurrent": False,
                        "ordinal": "",
                        "note": "",
                        "citations": [citation],
                    }
                ],
                "events": [
                    {
                        "id": "cai-qi-born",
                        "date": "1955",
                        "kind": "born",
                        "title": "Born",
                        "description": "",
                        "citations": [{**citation, "quote": "Cai Qi was born in 1955."}],
                    }
                ],
                "sources": [source],
            }
        ]
    }


def counts():
    return [model.objects.count() for model in (Person, Organization, Position, Event, Source, Citation)]


def history_count():
    return sum(model.history.count() for model in (Person, Organization, Position, Event, Source, Citation))


def test_import_creates_everything_with_history_user_and_reason(reviewer):
    result = profiles_import(data=small_file(), user=reviewer, reason="Initial import")
    assert counts() == [1, 2, 1, 1, 1, 5]
    assert Organization.objects.get(slug="sanming").parent.slug == "fujian"
    record = Position.history.get()
    assert (record.history_user, record.history_change_reason) == (reviewer, "Initial import")
    assert result.written == len(result.people) + 2 + 1 + 1 + 1 + 5
    assert all(c.verification == "verified" for c in Citation.objects.all())


def test_reimporting_the_same_file_changes_nothing_and_writes_no_history(reviewer):
    profiles_import(data=small_file(), user=reviewer, reason="Initial import")
    before, history = counts(), history_count()
    result = profiles_import(data=small_file(), user=reviewer, reason="Again")
    assert (counts(), history_count(), result.written) == (before, history, 0)


def test_import_updates_and_removes_what_the_file_no_longer_has(reviewer):
    profiles_import(data=small_file(), user=reviewer, reason="Initial import")
    data = small_file()
    data["people"][0]["memberships"][0]["role"] = "Acting Mayor"
    data["people"][0]["events"] = []
    result = profiles_import(data=data, user=reviewer, reason="Fix")
    assert Position.objects.get().role == "Acting Mayor"
    assert not Event.objects.exists() and Citation.objects.count() == 4
    assert result.written == 2  # the position changed; the event deleted, its citation with it


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda d: d["people"][0]["memberships"][0].update(start_date="2004-13"),
            'people[0].memberships[0].start_date: "2004-13" is not a date '
            "(There is no month 13: give 1 to 12.)",
        ),
        (lambda d: d["people"][0].pop("name"), "people[0].name: is missing"),
        (
            lambda d: d["people"][0]["events"][0]["citations"][0].update(source="nowhere"),
            'people[0].events[0].citations[0].source: "nowhere" is not the id of a source in this document',
        ),
        (
            lambda d: d["people"][0]["sources"][0].update(url="javascript:alert(1)"),
            'people[0].sources[0].url: "javascript:alert(1)": “javascript:” links are not allowed',
        ),
        (
            lambda d: d["people"][0]["memberships"][0].update(start_date="2000", end_date="1999"),
            "people[0].memberships[0].end_date: 1999 is before the start date 2000",
        ),
        (
            lambda d: d["people"][0]["memberships"][0]["citations"][0].update(field="date"),
            'people[0].memberships[0].citations[0].field: "date" is not a field of a position',
        ),
        (
            lambda d: d["people"][0]["memberships"][0]["citations"][0].update(stance="agrees"),
            'people[0].memberships[0].citations[0].stance: "agrees" is not one of supports, disputes',
        ),
        (
            lambda d: d["people"][0].update(slug="x", id="Not A Slug"),
            'people[0].id: "Not A Slug" is not a slug',
        ),
        (lambda d: d.update(people={}), "file.people: must be a list, not an object"),
        (
            lambda d: d["people"].append(copy.deepcopy(d["people"][0])),
            'people[1].id: "cai-qi" is also people[0]',
        ),
    ],
)
def test_a_bad_file_imports_nothing_and_names_each_problem_by_its_place(reviewer, change, problem):
    data = small_file()
    change(data)
    with pytest.raises(ImportProblems) as error:
        profiles_import(data=data, user=reviewer, reason="Bad")
    assert any(p.startswith(problem) for p in error.value.problems), error.value.problems
    assert counts() == [0, 0, 0, 0, 0, 0]


def test_every_problem_is_reported_at_once():
    data = small_file()
    data["people"][0]["birth_date"] = "1955-02-30"
    data["people"][0]["memberships"][0]["start_date"] = "soon"
    data["people"][0]["events"][0]["kind"] = "party"
    assert len(check_file(data)) == 3


def test_a_problem_found_while_writing_rolls_back_the_whole_file(reviewer):
    other = cited_profile(slug="someone-else")
    taken = other.positions.first().key
    data = small_file()
    data["people"][0]["memberships"][0]["id"] = taken
    with pytest.raises(ImportProblems, match="already used in another profile"):
        profiles_import(data=data, user=reviewer, reason="Clash")
    assert not Person.objects.filter(slug="cai-qi").exists()
    assert not Organization.objects.filter(slug="sanming").exists()


def test_command_prints_problems_and_imports_nothing(tmp_path, capsys, reviewer):
    path = tmp_path / "bad.json"
    path.write_text("{ not json")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_profiles", str(path), user="reviewer")
    assert "invalid JSON at line 1" in capsys.readouterr().err
    with pytest.raises(CommandError, match="no active user"):
        call_command("import_profiles", str(path), user="ghost")


def test_export_then_import_into_an_empty_database_gives_identical_documents(tmp_path, reviewer):
    source = SourceFactory(archived_text="He became mayor in April 2004. Cai was born")
    person = cited_profile(slug="cai-qi", name="Cai Qi", native_name="蔡奇", source=source)
    position = person.positions.first()
    CitationFactory(
        person=person,
        position=position,
        source=SourceFactory(),
        field="start_date",
        stance="disputes",
        stated="1998",
        note="gives 1998",
    )
    before = person_document(person, include_archive=True)
    path = tmp_path / "export.json"
    call_command("export_profiles", "-o", str(path))
    exported = json.loads(path.read_text())
    assert exported["content"] == "working" and exported["people"][0]["sources"][0]["archived_text"]
    # Working copies travel as working copies: never published by an import.
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_profiles", str(path), "--publish", "--user", reviewer.username)

    with as_system():
        for model in (Citation, Position, Event, Person, Organization, Source):
            model.objects.all().delete()
    call_command("import_profiles", str(path), "--user", reviewer.username)
    imported = Person.objects.get(slug="cai-qi")
    assert person_document(imported, include_archive=True) == before
    assert imported.status == Person.Status.DRAFT and not PublishedRevision.objects.exists()


def test_publish_flag_publishes_once_and_a_reimport_publishes_nothing_new(reviewer):
    profiles_import(data=small_file(), user=reviewer, reason="Import", publish=True)
    profiles_import(data=small_file(), user=reviewer, reason="Import", publish=True)
    assert PublishedRevision.objects.count() == 1


def test_the_demo_file_imports_passes_the_gate_and_every_quote_verifies(reviewer, capsys):
    result = profiles_import(
        data=json.load(open(DEMO, encoding="utf-8")), user=reviewer, reason="Demo", publish=True
    )
    assert len(result.published) == len(result.people) >= 2
    cai = Person.objects.get(slug="cai-qi")
    assert cai.live_revision and cai.native_name == "蔡奇"
    call_command("verify_quotes")
    report = capsys.readouterr().out
    assert " 0 unverified, 0 without archived text" in report
    assert not publishing.publishing_problems(cai, person_document(cai))
    disputes = Citation.objects.filter(person=cai, stance="disputes")
    assert disputes.count() >= 5 and all(c.stated or c.note for c in disputes)


def test_verify_quotes_fails_on_a_quote_missing_from_the_archive(capsys):
    source = SourceFactory(archived_text="What the page said.")
    CitationFactory(source=source, field="name", quote="Something it never said.")
    CitationFactory(source=SourceFactory(archived_text=""), field="name", quote="Unarchived.")
    with pytest.raises(CommandError):
        call_command("verify_quotes")
    out = capsys.readouterr().out
    assert "UNVERIFIED" in out and "1 verified" not in out and "1 without archived text" in out


def test_changing_a_source_archive_in_the_admin_rechecks_its_quotes(client, reviewer):
    from django.urls import reverse

    from tests.forms import form_data

    source = SourceFactory(archived_text="Old text with the quote.")
    citation = CitationFactory(source=source, field="name", quote="the quote")
    assert citation.verification == "verified"
    client.force_login(reviewer)
    url = reverse("admin:sources_source_change", args=[source.pk])
    data = form_data(client.get(url), "source_form")
    data["archived_text"] = "New text without it."
    response = client.post(url, data, follow=True)
    assert "waits for a reviewer" in response.content.decode()
    # Quotes are checked against the reviewed text: the pending one does not count yet.
    citation.refresh_from_db()
    assert citation.verification == "verified"
    review = reverse("admin:sources_source_review", args=[source.pk])
    token = form_data(client.get(review), "review-decision")["review_token"]
    client.post(review, {"_approve": "1", "review_token": token})
    citation.refresh_from_db()
    assert citation.verification == "unverified"
    changelist = client.get(reverse("admin:sources_citation_changelist"), {"verification": "unverified"})
    assert "the quote" in changelist.content.decode()


def test_a_publishing_import_refuses_a_quote_its_source_does_not_contain(reviewer):
    data = small_file()
    data["people"][0]["sources"][0]["archived_text"] = "Only this sentence is in the source."
    with pytest.raises(ImportProblems) as refused:
        profiles_import(data=data, user=reviewer, reason="Import", publish=True)
    assert any(
        re.match(
            r"people\[0\]\.(citations\.\w+|memberships\[\d+\]\.citations)\[\d+\]\.quote: not found", problem
        )
        for problem in refused.value.problems
    ), refused.value.problems
    assert not Person.objects.exists()
    # As working copies the same file imports; the quote check then waits for a reviewer.
    profiles_import(data=data, user=reviewer, reason="Import")
    assert Citation.objects.filter(verification="unverified").exists()
