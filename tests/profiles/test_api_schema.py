"""The OpenAPI document holds for every answer, as third-party tools check it: each answer of each
operation (errors, redirects and pages included) validates against the schema the document gives
for its status, with format checking (uri, date-time), and schemathesis finds nothing against the
WSGI application."""

import itertools
import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis.generation.modes import GenerationMode

from profiles.models import Organization
from tests.factories import (
    CitationFactory,
    OrganizationFactory,
    PositionFactory,
    SourceFactory,
    as_system,
    cited_profile,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(reviewer):
    """Profiles as the demo has them: a chain of organizations, a source with a non-ASCII address,
    an old slug."""
    province = OrganizationFactory(
        slug="zhejiang", identifiers=[{"scheme": "wikidata", "identifier": "Q16967"}]
    )
    city = OrganizationFactory(slug="taizhou", parent=province, native_name="台州市")
    zh = SourceFactory(id="zh-wikipedia", url="https://zh.wikipedia.org/wiki/蔡奇", publisher="维基百科")
    person = cited_profile(slug="cai-qi", native_name="蔡奇", source=zh)
    CitationFactory(person=person, position=PositionFactory(person=person, organization=city), source=zh)
    publish(person=person, user=reviewer)
    with as_system():
        person.slug = "cai-qi-1955"
        person.save()
    publish(person=person, user=reviewer)
    for number in range(3):
        publish(person=cited_profile(slug=f"person-{number}"), user=reviewer)
    assert Organization.objects.count() > 2


def template_of(document, path):
    """The document's path template that matches a request path, e.g. /api/people/{slug}/."""
    for template in document["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI document")


def problems(document, method, path, response):
    """What is wrong with an answer against the OpenAPI document, formats checked."""
    template = template_of(document, path)
    answers = document["paths"][template][method]["responses"]
    assert str(response.status_code) in answers, f"{method} {path}: {response.status_code} undocumented"
    content = answers[str(response.status_code)].get("content")
    if content is None:
        return [] if response.content == b"" else [f"{path}: a body where none is documented"]
    assert response["Content-Type"] in content, f"{path}: {response['Content-Type']}"
    registry = Registry().with_resource("urn:openapi", Resource.from_contents(document, DRAFT202012))
    schema = content[response["Content-Type"]]["schema"]
    schema = (
        {"$ref": f"urn:openapi#/components/schemas/{schema['$ref'].rsplit('/', 1)[1]}"}
        if ("$ref" in schema)
        else schema
    )
    validator = Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())
    return [f"{path} {list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]


def test_format_checking_is_on():
    # Without the format extras jsonschema skips `uri` silently and the test below would pass on
    # raw non-ASCII addresses.
    assert {"uri", "uri-reference", "iri", "date-time"} <= FormatChecker.checkers.keys()
    validator = Draft202012Validator({"format": "uri"}, format_checker=FormatChecker())
    assert not validator.is_valid("https://zh.wikipedia.org/wiki/蔡奇")


def test_the_document_is_valid_openapi_3_1(client):
    validate_spec(client.get("/api/openapi.json").json())


REQUESTS = [
    "/api/",
    "/api/people/",
    "/api/people/?page=2",
    "/api/people/?page=²",
    "/api/people/?page=0",
    "/api/people/?updated_since=2000-01-01T00:00:00Z",
    "/api/people/?updated_since=yesterday",
    "/api/people/cai-qi-1955/",
    "/api/people/cai-qi/",
    "/api/people/nobody/",
    "/api/people/蔡奇/",
    "/api/organizations/",
    "/api/organizations/?page=99999999999999999999",
    "/api/sources/",
    "/api/sources/?page=-1",
    "/api/schema/profile.json",
    "/api/openapi.json",
]


def test_every_answer_validates_with_format_checking(client, published):
    document = client.get("/api/openapi.json").json()
    found = []
    for url in REQUESTS:
        response = client.get(url)
        found += problems(document, "get", url.split("?")[0], response)
        if response.has_header("ETag"):
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code == 304
            found += problems(document, "get", url.split("?")[0], again)
    assert found == []


@pytest.fixture
def wsgi_application():
    """The WSGI application as the test client runs it: the test's transaction holds the database
    connection, which request_started/finished would otherwise close after a request (PostgreSQL
    then answers the next one "the connection is closed")."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_finds_nothing(published, wsgi_application):
    # Every check schemathesis has (server errors, status codes, content types, headers, schemas,
    # negative data rejected, positive data accepted), a bounded number of cases per operation.
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_application)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) == 6  # all but the document itself
    for operation, mode in itertools.product(operations, GenerationMode):
        if mode is GenerationMode.NEGATIVE and not operation.definition.raw.get("parameters"):
            continue  # nothing to get wrong

        @given(case=operation.as_strategy(mode))
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            # The in-process WSGI client does not decode gzip as an HTTP client would.
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        call()
