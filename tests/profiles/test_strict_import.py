"""A strict import: every key it does not know, every invisible character, every malformed file is
refused with one line naming its place, and nothing is written. Output-only keys (what exports
write) are accepted and never trusted."""

import json

import pytest
from django.core.management import CommandError, call_command

from profiles.documents import person_document
from profiles.importing import ImportProblems, check_file, load_file
from profiles.models import Person
from profiles.publishing import PublishingRefused
from profiles.transfer import profiles_import
from sources.models import Citation
from tests.factories import CitationFactory, PersonFactory, as_system, cited_profile, publish, reviewer_user
from tests.profiles.test_import_export import counts, small_file

pytestmark = pytest.mark.django_db

WIKIDATA_Q42 = {"scheme": "wikidata", "identifier": "Q42"}


def person(data):
    return data["people"][0]


def membership(data):
    return person(data)["memberships"][0]


def citation(data):
    return membership(data)["citations"][0]


def second_source(data):
    source = dict(person(data)["sources"][0], url="https://example.org/other")
    person(data)["sources"].append(source)


def second_person(data):
    other = json.loads(json.dumps(person(data)))
    other.update(id="someone-else", memberships=[], events=[], identifiers=[WIKIDATA_Q42])
    data["people"].append(other)
    person(data)["identifiers"] = [WIKIDATA_Q42]


CASES = [
    # A misspelt key would be dropped, and the value it carries wiped: refused, with a hint.
    (
        lambda d: person(d).update(Summary="Chinese politician."),
        'people[0].Summary: is not a key of a person (did you mean "summary"?)',
    ),
    (
        lambda d: membership(d).update(start="1997"),
        'people[0].memberships[0].start: is not a key of a membership (did you mean "start_date"?)',
    ),
    (
        lambda d: citation(d).update(qoute="He was mayor."),
        'people[0].memberships[0].citations[0].qoute: is not a key of a citation (did you mean "quote"?)',
    ),
    (
        lambda d: membership(d)["organization"].update(parent_id="fujian"),
        "people[0].memberships[0].organization.parent_id: is not a key of an organization "
        '(did you mean "parent"?)',
    ),
    (
        lambda d: person(d)["events"][0].update(when="1955"),
        "people[0].events[0].when: is not a key of an event",
    ),
    (
        lambda d: person(d)["other_names"].append({"name": "Cai", "lang": "en"}),
        "people[0].other_names[0].lang: is not a key of an other name",
    ),
    (
        lambda d: person(d)["sources"][0].update(Title="Cai Qi"),
        'people[0].sources[0].Title: is not a key of a source (did you mean "title"?)',
    ),
    (lambda d: d.update(persons=[]), "file.persons: is not a key of a file"),
    (
        lambda d: person(d).update({"a\nb\ud800": 1}),
        'people[0]["a\\nb\\ud800"]: is not a key of a person',
    ),
    (
        lambda d: person(d)["citations"].update({"Birth date": []}),
        'people[0].citations["Birth date"]: "Birth date" is not a fact of a person',
    ),
    # Two sources under one id: citations could not say which they mean.
    (second_source, 'people[0].sources[1].id: "wikipedia-cai-qi" is also people[0].sources[0]'),
    # Invisible characters, in any text: overrides, isolates, the BOM, the zero-width space, a
    # lone surrogate (which the database would refuse later), control characters.
    (
        lambda d: person(d).update(name="Cai \u202eQi"),
        "people[0].name: contains the invisible or control character U+202E",
    ),
    (
        lambda d: person(d)["events"][0].update(title="Born \u2066here"),
        "people[0].events[0].title: contains the invisible or control character U+2066",
    ),
    (
        lambda d: citation(d).update(locator="\ufeffLead"),
        "people[0].memberships[0].citations[0].locator: contains the invisible or control character U+FEFF",
    ),
    (
        lambda d: person(d).update(summary="Chinese\u200bpolitician"),
        "people[0].summary: contains the invisible or control character U+200B",
    ),
    (
        lambda d: person(d).update(birth_place="Youxi \ud800"),
        "people[0].birth_place: contains the invisible or control character U+D800",
    ),
    (
        lambda d: person(d)["sources"][0].update(note="a\x00b"),
        "people[0].sources[0].note: contains the invisible or control character U+0000",
    ),
    (
        lambda d: membership(d)["organization"].update(name="Sanming\x85"),
        "people[0].memberships[0].organization.name: contains the invisible or control character U+0085",
    ),
    (
        lambda d: membership(d).update(start_date="1997\u202e"),
        'people[0].memberships[0].start_date: "1997\\u202e" is not a date',
    ),
    # Identifiers.
    (
        lambda d: person(d).update(identifiers=[{"scheme": "wikidata", "identifier": "q42"}]),
        'people[0].identifiers[0]: "q42" is not a wikidata identifier (e.g. Q42)',
    ),
    (
        lambda d: person(d).update(identifiers=[{"scheme": "wd", "identifier": "Q42"}]),
        'people[0].identifiers[0]: scheme "wd" is not one of wikidata, opensanctions, viaf, isni, '
        "official, other",
    ),
    (
        lambda d: person(d).update(identifiers=[WIKIDATA_Q42, WIKIDATA_Q42]),
        "people[0].identifiers[1]: wikidata Q42 is listed twice",
    ),
    (
        lambda d: person(d).update(identifiers="Q42"),
        "people[0].identifiers: must be a list of {scheme, identifier} objects",
    ),
    (
        lambda d: person(d).update(identifiers=[{"scheme": "official", "identifier": "A\u202e1"}]),
        "people[0].identifiers[0]: the identifier contains control characters or surrounding spaces",
    ),
    (
        lambda d: membership(d)["organization"].update(
            identifiers=[{"scheme": "wikidata", "identifier": "Q0"}]
        ),
        'people[0].memberships[0].organization.identifiers[0]: "Q0" is not a wikidata identifier (e.g. Q42)',
    ),
    (second_person, 'people[1].identifiers[0]: wikidata "Q42" is also people[0]'),
]


@pytest.mark.parametrize(("change", "problem"), CASES)
def test_a_bad_file_is_refused_with_the_exact_problem_at_its_place_and_nothing_is_written(change, problem):
    data = small_file()
    change(data)
    with pytest.raises(ImportProblems) as error:
        profiles_import(data=data, user=reviewer_user(), reason="Bad")
    problems = error.value.problems
    assert problem in problems or any(p.startswith(problem) for p in problems), problems
    assert len(problems) == 1, problems
    assert all("\n" not in p and not any(0xD800 <= ord(c) <= 0xDFFF for c in p) for p in problems)
    assert counts() == [0, 0, 0, 0, 0, 0]


def test_joiners_that_scripts_need_stay_allowed():
    data = small_file()
    person(data)["other_names"] = [{"name": "می\u200cخواهم", "note": "with ZWNJ"}]
    person(data)["romanization"] = "क्\u200dष"
    assert check_file(data) == []


def test_output_only_keys_are_accepted_and_never_trusted(reviewer):
    data = small_file()
    data["content"] = "published"
    person(data).update(format=1, revision={"number": 9, "published_at": "2030-01-01", "url": "/x/"})
    citation(data).update(quote="Not in the archived text.", verification="verified", override="trust me")
    profiles_import(data=data, user=reviewer, reason="Output keys")
    written = Citation.objects.get(quote="Not in the archived text.")
    assert written.verification == Citation.Verification.UNVERIFIED  # recomputed, not read
    assert written.override_reason == ""  # only a reviewer's publishing import restores it


def test_an_exported_file_imports_again_strictly(reviewer):
    profiles_import(data=small_file(), user=reviewer, reason="First")
    document = person_document(Person.objects.get(), include_archive=True, editorial=True)
    assert check_file({"content": "working", "people": [document]}) == []


# Identifiers on import --------------------------------------------------------------------------


def test_identifiers_are_imported_for_people_and_organizations(reviewer):
    data = small_file()
    person(data)["identifiers"] = [WIKIDATA_Q42, {"scheme": "opensanctions", "identifier": "Q42-x"}]
    membership(data)["organization"]["identifiers"] = [{"scheme": "wikidata", "identifier": "Q7"}]
    profiles_import(data=data, user=reviewer, reason="With identifiers")
    cai = Person.objects.get()
    assert cai.identifiers == person(data)["identifiers"]
    assert cai.positions.get().organization.identifiers == [{"scheme": "wikidata", "identifier": "Q7"}]
    assert person_document(cai)["identifiers"] == person(data)["identifiers"]


def test_a_person_is_matched_by_identifier_under_another_slug(reviewer):
    existing = PersonFactory(slug="tsai-chi", name="Tsai Chi", identifiers=[WIKIDATA_Q42])
    data = small_file()
    person(data)["identifiers"] = [WIKIDATA_Q42]
    profiles_import(data=data, user=reviewer, reason="Matched")
    existing.refresh_from_db()
    assert Person.objects.count() == 1
    assert (existing.name, existing.slug) == ("Cai Qi", "cai-qi")  # not published: the file's slug


def test_a_match_by_identifier_never_changes_a_published_slug(reviewer):
    existing = cited_profile(slug="tsai-chi", name="Tsai Chi")
    with as_system():
        existing.identifiers = [WIKIDATA_Q42]
        existing.save()
    with pytest.raises(PublishingRefused, match="Nothing cites the person's identifiers"):
        publish(person=existing, user=reviewer)
    CitationFactory(person=existing, field="identifiers", quote="Cai was born")
    publish(person=existing, user=reviewer)
    data = small_file()
    person(data)["identifiers"] = [WIKIDATA_Q42]
    profiles_import(data=data, user=reviewer, reason="Matched")
    existing.refresh_from_db()
    assert Person.objects.count() == 1
    assert (existing.name, existing.slug) == ("Cai Qi", "tsai-chi")


def test_identifiers_naming_two_people_are_refused(reviewer):
    PersonFactory(slug="a", identifiers=[WIKIDATA_Q42])
    PersonFactory(slug="b", identifiers=[{"scheme": "viaf", "identifier": "113230702"}])
    data = small_file()
    person(data)["identifiers"] = [WIKIDATA_Q42, {"scheme": "viaf", "identifier": "113230702"}]
    with pytest.raises(ImportProblems) as error:
        profiles_import(data=data, user=reviewer, reason="Ambiguous")
    assert error.value.problems == ["people[0].identifiers: name different people: a, b"]
    assert not Person.objects.filter(slug="cai-qi").exists()


def test_a_file_without_identifiers_keeps_the_ones_we_have(reviewer):
    PersonFactory(slug="cai-qi", identifiers=[WIKIDATA_Q42])
    data = small_file()
    profiles_import(data=data, user=reviewer, reason="No identifiers key")
    assert Person.objects.get().identifiers == [WIKIDATA_Q42]


def test_the_model_refuses_bad_identifiers_like_the_import():
    from django.core.exceptions import ValidationError

    cai = PersonFactory.build(
        slug="cai-qi", identifiers=[{"scheme": "wikidata", "identifier": "42"}, WIKIDATA_Q42]
    )
    with pytest.raises(ValidationError) as error:
        cai.full_clean()
    assert error.value.message_dict["identifiers"] == [
        'Entry 1: "42" is not a wikidata identifier (e.g. Q42)'
    ]


# Malformed files --------------------------------------------------------------------------------


def write(tmp_path, content, name="bad.json"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


BAD_FILES = [
    ("nested", lambda t: write(t, "[" * 100_000 + "]" * 100_000), "JSON nested too deeply to read"),
    ("directory", lambda t: t, "is a directory, not a file"),
    ("empty", lambda t: write(t, ""), "is empty"),
    ("blank", lambda t: write(t, " \n\t\n"), "is empty"),
    ("list", lambda t: write(t, "[]"), None),
    ("number", lambda t: write(t, "9" * 5000), "invalid JSON: Exceeds the limit (4300 digits)"),
    (
        "latin-1",
        lambda t: write(t, '{"people": "\xe9"}'.encode("latin-1")),
        "not UTF-8 text (invalid continuation byte)",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES)
def test_a_malformed_file_gives_one_line(tmp_path, name, make, message):
    path = make(tmp_path)
    if message is None:  # JSON, but not an object: the check says so
        assert check_file(load_file(path)) == ["file: must be an object, not a list"]
        return
    with pytest.raises(ImportProblems) as error:
        load_file(path)
    [problem] = error.value.problems
    assert problem.startswith(f"{path}: {message}") and "\n" not in problem


COMMAND_CASES = [
    (
        "nested",
        lambda t: write(t, "{" + '"a":{' * 50_000 + "}" * 50_001),
        "{path}: JSON nested too deeply to read",
    ),
    ("directory", lambda t: t, "{path}: is a directory, not a file"),
    ("empty", lambda t: write(t, ""), "{path}: is empty"),
    ("list", lambda t: write(t, "[1, 2]"), "file: must be an object, not a list"),
    (
        "surrogate",
        lambda t: write(t, json.dumps({"people": [dict(person(small_file()), name="Cai \ud800")]})),
        "people[0].name: contains the invisible or control character U+D800",
    ),
    ("typo", lambda t: write(t, json.dumps({"people": [dict(person(small_file()), Summary="x")]})), None),
]


@pytest.mark.parametrize(("name", "make", "line"), COMMAND_CASES)
def test_the_command_answers_a_bad_file_with_one_line_and_no_traceback(tmp_path, capsys, name, make, line):
    reviewer_user()
    path = make(tmp_path)
    with pytest.raises(CommandError) as error:
        call_command("import_profiles", str(path), user="reviewer")
    assert str(error.value) == f"Nothing was imported: 1 problem(s) in {path}."
    err = capsys.readouterr().err
    expected = (line or 'people[0].Summary: is not a key of a person (did you mean "summary"?)').format(
        path=path
    )
    assert err.splitlines() == [expected]
    assert "Traceback" not in err
    assert counts() == [0, 0, 0, 0, 0, 0]
