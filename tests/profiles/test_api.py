"""The read API: published data only, paginated, cacheable (ETag, 304), readable from any origin,
and described by an OpenAPI 3.1 document that real answers validate against. Every answer, error
or not, is JSON with CORS headers and names the data's licence."""

import datetime

import pytest
from django.test import Client
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from profiles import api, publishing
from profiles.models import Organization
from tests.factories import (
    CitationFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    SourceFactory,
    as_system,
    cited_profile,
    publish,
)

pytestmark = pytest.mark.django_db


def publish_profile(reviewer, slug, **fields):
    person = cited_profile(slug=slug, name=slug.replace("-", " ").title(), **fields)
    publish(person=person, user=reviewer)
    return person


def check(response, schema):
    """The response's JSON validates against a schema of the served OpenAPI document."""
    document = api.openapi_document()
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(document, DRAFT202012))
    validator = Draft202012Validator(
        {"$ref": f"urn:openapi#/components/schemas/{schema}"},
        registry=registry,
        format_checker=FormatChecker(),
    )
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]
    assert problems == []
    return response.json()


def test_the_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["openapi"] == "3.1.0"
    validate_spec(document)


def test_people_lists_only_published_profiles_and_validates(client, reviewer):
    publish_profile(reviewer, "cai-qi")
    publish_profile(reviewer, "li-qiang")
    cited_profile(slug="draft-only")  # never published
    response = client.get("/api/people/")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = check(response, "PersonPage")
    assert body["count"] == 2 and (body["next"], body["previous"]) == (None, None)
    assert [p["id"] for p in body["results"]] == ["cai-qi", "li-qiang"]
    assert body["results"][0]["url"] == "http://testserver/api/people/cai-qi/"
    assert body["results"][0]["html_url"] == "http://testserver/people/cai-qi/"


def test_people_are_paginated(client, reviewer, settings, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    for slug in ("a-a", "b-b", "c-c"):
        publish_profile(reviewer, slug)
    first = check(client.get("/api/people/"), "PersonPage")
    assert (first["count"], first["next"], first["previous"]) == (
        3,
        "http://testserver/api/people/?page=2",
        None,
    )
    second = check(client.get(first["next"]), "PersonPage")
    assert [p["id"] for p in second["results"]] == ["c-c"]
    assert second["previous"] == "http://testserver/api/people/?page=1" and second["next"] is None
    assert client.get("/api/people/?page=9").json() == {"error": "There is no page 9."}
    assert client.get("/api/people/?page=x").status_code == 400


LISTS = ["/api/people/", "/api/organizations/", "/api/sources/"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page", ["²", "١", "0", "-1", "+1", "1.0", " 1", "", "x", "0x1"])
def test_a_page_that_is_not_a_positive_whole_number_is_a_400_json_error(client, url, page):
    response = client.get(url, {"page": page})
    assert response.status_code == 400
    assert response.json() == {"error": "page must be a positive whole number."}
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page", ["2", "0002", "9" * 19, "1" * 30, "9" * 5000])
def test_a_page_beyond_the_last_is_a_404_json_error(client, reviewer, url, page):
    publish_profile(reviewer, "cai-qi")
    response = client.get(url, {"page": page})
    assert response.status_code == 404
    expected = f"There is no page {page}." if len(page) <= 20 else "There is no such page."
    assert response.json() == {"error": expected}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_updated_since_keeps_people_published_since(client, reviewer):
    old = publish_profile(reviewer, "old-one")
    new = publish_profile(reviewer, "new-one")
    moment = new.live_revision.published_at
    assert old.live_revision.published_at <= moment
    since = (moment - datetime.timedelta(microseconds=1)).astimezone(datetime.UTC).isoformat()
    body = client.get("/api/people/", {"updated_since": since}).json()
    assert "new-one" in [p["id"] for p in body["results"]]
    later = (moment + datetime.timedelta(seconds=1)).isoformat()
    assert client.get("/api/people/", {"updated_since": later}).json()["count"] == 0
    naive = (moment + datetime.timedelta(days=1)).replace(tzinfo=None).isoformat()
    assert client.get("/api/people/", {"updated_since": naive}).json()["count"] == 0


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", "", "0001-01-01T00:00:00+14:00"])
def test_a_bad_updated_since_is_a_400_json_error(client, value):
    response = client.get("/api/people/", {"updated_since": value})
    assert response.status_code == 400
    check(response, "Error")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_lists_answer_304_to_their_etag_and_change_it_when_data_changes(client, reviewer):
    publish_profile(reviewer, "cai-qi")
    response = client.get("/api/people/")
    etag = response["ETag"]
    again = client.get("/api/people/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["Access-Control-Allow-Origin"] == "*"
    publish_profile(reviewer, "li-qiang")
    assert client.get("/api/people/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_profile_is_the_served_document_with_etag_and_304(client, reviewer):
    publish_profile(reviewer, "cai-qi")
    response = client.get("/api/people/cai-qi/")
    document = check(response, "Profile")
    assert document == client.get("/people/cai-qi.json").json()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/people/cai-qi/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get("/api/people/draft/").status_code == 404


@pytest.mark.parametrize("slug", ["draft", "Cai-Qi", "蔡奇", "a%20b"])
def test_an_unknown_profile_is_a_404_json_error_with_cors(client, reviewer, slug):
    publish_profile(reviewer, "cai-qi")
    cited_profile(slug="draft")
    response = client.get(f"/api/people/{slug}/", HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert check(response, "Error") == {"error": "No published profile has this address."}
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("url", "location"),
    [("/api/people", "/api/people/"), ("/api/people/nobody", "/api/people/nobody/"), ("/api", "/api/")],
)
def test_the_redirect_to_the_address_with_a_slash_is_json_with_cors(client, url, location):
    response = client.get(url)
    assert response.status_code == 301 and response["Location"] == location
    assert response["Content-Type"] == "application/json"
    assert check(response, "Moved") == {"location": location}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_api_address_is_a_404_json_error_with_cors(client):
    response = client.get("/api/persons/")
    assert response.status_code == 404
    assert check(response, "Error") == {"error": "Not found: this API has no such address."}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_old_slug_answers_301_to_the_current_one(client, reviewer):
    person = publish_profile(reviewer, "cai-qi")
    with as_system():
        person.slug = "cai-qi-1955"
        person.save()
    publish(person=person, user=reviewer)
    response = client.get("/api/people/cai-qi/?x=1")
    assert response.status_code == 301 and response["Location"] == "/api/people/cai-qi-1955/?x=1"
    assert response["Access-Control-Allow-Origin"] == "*"


API_URLS = [*LISTS, "/api/people/cai-qi/", "/api/openapi.json", "/api/schema/profile.json", "/api/"]


@pytest.mark.parametrize("url", [*API_URLS, "/api/people/nobody/", "/api/people/蔡奇/"])
def test_options_preflight_allows_any_origin(client, url):
    response = client.options(
        url, HTTP_ORIGIN="https://elsewhere.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 204 and response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "If-None-Match, If-Modified-Since, Accept"
    assert response["Access-Control-Max-Age"] == "86400"


@pytest.mark.parametrize("url", API_URLS)
def test_options_without_a_preflight_says_what_is_allowed(client, url):
    response = client.options(url)
    assert response.status_code == 204 and response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", API_URLS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_a_405_json_error_not_a_csrf_page(reviewer, url, method):
    if "cai-qi" in url:
        publish_profile(reviewer, "cai-qi")
    browser = Client(enforce_csrf_checks=True)
    response = getattr(browser, method)(url, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "Method not allowed: this API is read only (GET, HEAD, OPTIONS)."}
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Allow"].split(", ")) >= {"GET", "HEAD"}


@pytest.mark.parametrize("url", API_URLS)
def test_head_answers_like_get_without_a_body(client, reviewer, url):
    publish_profile(reviewer, "cai-qi")
    response = client.head(url)
    assert response.status_code == 200 and response.content == b""
    assert response["ETag"] == client.get(url)["ETag"]


@pytest.mark.parametrize(
    "url", [*API_URLS, "/api/people/nobody/", "/api/people/?page=0", "/api/people", "/api/x/"]
)
def test_every_answer_names_the_data_licence(client, url):
    response = client.get(url)
    assert response["Link"] == '<https://creativecommons.org/licenses/by-sa/4.0/>; rel="license"'
    assert "Link" in response["Access-Control-Expose-Headers"]


def test_the_api_index_says_where_everything_is_and_the_data_licence(client):
    index = check(client.get("/api/"), "Index")
    assert index["people"] == "http://testserver/api/people/"
    assert index["profile_schema"] == "http://testserver/api/schema/profile.json"
    assert index["license"]["url"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert "Wikipedia" in index["license"]["attribution"]


def test_every_operation_has_an_operation_id(client):
    document = client.get("/api/openapi.json").json()
    operations = [item for methods in document["paths"].values() for item in methods.values()]
    ids = [operation.get("operationId") for operation in operations]
    assert len(operations) == 7 and None not in ids and len(set(ids)) == len(ids)


def test_organizations_and_sources_are_those_a_live_revision_cites(client, reviewer):
    province = OrganizationFactory(
        slug="zhejiang", identifiers=[{"scheme": "wikidata", "identifier": "Q16967"}]
    )
    city = OrganizationFactory(slug="taizhou", parent=province)
    OrganizationFactory(slug="uncited")
    person = cited_profile(slug="cai-qi", positions=0)
    source = SourceFactory(id="cited-source")
    position = PositionFactory(person=person, organization=city)
    CitationFactory(person=person, position=position, source=source)
    publish(person=person, user=reviewer)
    SourceFactory(id="uncited-source")
    draft = PersonFactory(slug="draft")
    PositionFactory(person=draft, organization=OrganizationFactory(slug="draft-only"))
    with as_system():
        Organization.objects.filter(slug="taizhou").update(approved_at=None)  # awaits review again
    organizations = check(client.get("/api/organizations/"), "OrganizationPage")
    ids = {o["id"] for o in organizations["results"]}
    assert "zhejiang" in ids and not ids & {"uncited", "draft-only", "taizhou"}
    zhejiang = next(o for o in organizations["results"] if o["id"] == "zhejiang")
    assert zhejiang["identifiers"] == [{"scheme": "wikidata", "identifier": "Q16967"}]
    assert zhejiang["parent_id"] is None
    sources = check(client.get("/api/sources/"), "SourcePage")
    source_ids = {s["id"] for s in sources["results"]}
    assert "cited-source" in source_ids and "uncited-source" not in source_ids
    assert all("archived_text" not in s for s in sources["results"])


def test_a_source_address_with_other_characters_is_listed_as_a_percent_encoded_uri(client, reviewer):
    source = SourceFactory(
        id="zh-wikipedia", url="https://zh.wikipedia.org/wiki/蔡奇", archive_url="https://例え.jp/記事"
    )
    publish(person=cited_profile(slug="cai-qi", source=source), user=reviewer)
    listed = check(client.get("/api/sources/"), "SourcePage")["results"][0]
    assert listed["url"] == "https://zh.wikipedia.org/wiki/%E8%94%A1%E5%A5%87"
    assert listed["archive_url"] == "https://xn--r8jz45g.jp/%E8%A8%98%E4%BA%8B"
    assert check(client.get("/api/people/cai-qi/"), "Profile")["sources"][0]["url"] == source.url


@pytest.mark.parametrize("url", ["/api/people/", "/api/organizations/", "/api/sources/"])
def test_list_queries_do_not_grow_with_the_data(client, reviewer, url, django_assert_num_queries):
    publish_profile(reviewer, "first-one")
    with django_assert_num_queries(2):  # count, page
        client.get(url)
    for number in range(6):
        publish_profile(reviewer, f"more-{number}")
    with django_assert_num_queries(2):
        client.get(url)


def test_profile_queries_do_not_grow_with_the_profile(client, reviewer, django_assert_max_num_queries):
    publish_profile(reviewer, "small-one", positions=1, events=1)
    publish_profile(reviewer, "large-one", positions=30, events=30)
    for slug in ("small-one", "large-one"):
        with django_assert_max_num_queries(2):  # the person with its live revision, then its document
            client.get(f"/api/people/{slug}/")
        with django_assert_max_num_queries(1):  # cached
            client.get(f"/api/people/{slug}/")


def test_unpublished_profiles_leave_the_api(client, reviewer):
    person = publish_profile(reviewer, "cai-qi")
    publishing.profile_unpublish(person=person, user=reviewer, reason="Taken down")
    assert client.get("/api/people/").json()["count"] == 0
    assert client.get("/api/people/cai-qi/").status_code == 404
