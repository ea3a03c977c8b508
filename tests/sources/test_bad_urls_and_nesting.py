"""Input that was a server error: a URL whose host has an unmatched `[` or `]` (Python's urlsplit
raises on it, before any validator message), and identifiers JSON nested past what Python parses.
Each gets a clear error at the model, the admin form and the import, never a 500 or a traceback."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from profiles.importing import ImportProblems
from profiles.models import Organization, Person
from profiles.transfer import profiles_import
from sources.models import Source
from tests.factories import OrganizationFactory, SourceFactory, as_system, reviewer_user
from tests.forms import form_data
from tests.profiles.test_import_export import counts, small_file

pytestmark = pytest.mark.django_db

BAD_URLS = ["https://example.org[/page", "http://[::1", "https://exa]mple.org/", "http://[example.org]/"]
NESTED = "[" * 5000 + "]" * 5000


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("field", ["url", "archive_url"])
def test_the_model_refuses_a_url_python_cannot_split(url, field):
    source = SourceFactory.build(**{field: url})
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert error.value.message_dict[field] == ["Enter a valid URL."]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("field", ["url", "archive_url"])
def test_the_admin_answers_a_url_python_cannot_split_with_a_form_error(admin_client, url, field):
    add = reverse("admin:sources_source_add")
    data = form_data(admin_client.get(add), "source_form")
    data.update({"id": "x", "title": "X", "url": "https://example.org/x", field: url})
    response = admin_client.post(add, data)
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Source.objects.exists()

    source = SourceFactory(id="kept", url="https://example.org/kept")
    change = reverse("admin:sources_source_change", args=[source.pk])
    data = form_data(admin_client.get(change), "source_form")
    data.update({field: url, "edit_summary": "Link"})
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    source.refresh_from_db()
    assert source.url == "https://example.org/kept" and source.archive_url == ""


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("field", ["url", "archive_url", "version_url"])
def test_an_import_names_a_url_python_cannot_split(tmp_path, capsys, url, field):
    reviewer_user()
    data = small_file()
    data["people"][0]["sources"][0][field] = url
    if field == "version_url":
        data["people"][0]["sources"][0]["version_archived"] = True
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError):
        call_command("import_profiles", str(path), user="reviewer")
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"people[0].sources[0].{field}: {json.dumps(url)}: Enter a valid URL." in err.splitlines()
    assert counts() == [0, 0, 0, 0, 0, 0]


def test_an_import_of_a_bracketed_url_in_a_path_still_works(reviewer):
    data = small_file()
    data["people"][0]["sources"][0]["url"] = "https://example.org/wiki/A_[b]"
    profiles_import(data=data, user=reviewer, reason="Brackets in a path are a valid URL")
    assert Source.objects.get().url == "https://example.org/wiki/A_[b]"


@pytest.mark.parametrize("model", ["person", "organization"])
def test_the_admin_answers_identifiers_nested_too_deeply_with_a_form_error(admin_client, model):
    with as_system():
        record = (
            OrganizationFactory() if model == "organization" else Person.objects.create(name="X", slug="x")
        )
    url = reverse(f"admin:profiles_{model}_change", args=[record.pk])
    data = form_data(admin_client.get(url), f"{model}_form")
    data.update({"identifiers": NESTED, "edit_summary": "Identifiers"})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    record.refresh_from_db()
    assert record.identifiers == []


def test_an_import_names_identifiers_nested_too_deeply(tmp_path, capsys):
    reviewer_user()
    path = tmp_path / "nested.json"
    path.write_text(json.dumps(small_file())[:-1] + ', "x": ' + NESTED + "}")
    with pytest.raises(CommandError):
        call_command("import_profiles", str(path), user="reviewer")
    assert capsys.readouterr().err.splitlines() == [f"{path}: JSON nested too deeply to read"]
    assert Organization.objects.count() == 0


def test_the_model_and_the_import_refuse_identifiers_with_a_list_for_text():
    deep = []
    for _ in range(50):
        deep = [deep]
    organization = OrganizationFactory.build(identifiers=[{"scheme": "other", "identifier": deep}])
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert error.value.message_dict["identifiers"] == ["Entry 1: the identifier must be non-empty text"]
    organization = OrganizationFactory.build(identifiers=[{"scheme": deep, "identifier": "Q42"}])
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert error.value.message_dict["identifiers"] == [
        "Entry 1: the scheme must be one of wikidata, opensanctions, viaf, isni, official, other"
    ]
    data = small_file()
    data["people"][0]["identifiers"] = [{"scheme": deep, "identifier": "Q42"}]
    with pytest.raises(ImportProblems) as error:
        profiles_import(data=data, user=reviewer_user(), reason="Deep")
    schemes = "wikidata, opensanctions, viaf, isni, official, other"
    assert error.value.problems == [f"people[0].identifiers[0]: the scheme must be one of {schemes}"]
