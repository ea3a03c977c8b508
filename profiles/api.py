"""A read API for other tools: published data only, as JSON, described by an OpenAPI 3.1 document
at /api/openapi.json that django-ninja generates from the same typed definitions that produce the
answers.

- /api/people/ lists the people with a live revision (`?updated_since=` an ISO datetime keeps those
  published since then); /api/people/<slug>/ is the served profile document, the same as
  /people/<slug>.json (an old slug answers 301 to the current one);
- /api/organizations/ and /api/sources/ list the approved organizations and sources that a live
  revision cites (an organization also when one inside it is cited);
- /api/schema/profile.json is the JSON Schema of the profile format (profiles.profile_schema).

Lists are `{"count", "next", "previous", "results"}`, PAGE_SIZE to a page. Every answer of a list or
a document carries an ETag (304 to a matching If-None-Match); every answer, errors, redirects and
preflights included, is JSON (304 and 204 aside, which have no body), readable from any origin
(django-cors-headers: the data is public) and names the data's licence in a `Link` header.

The profile document keeps its own view (profiles.views.PersonJSONView, with its bodies served from
the worker's memory or the stored rendering); ninja declares it and answers only the addresses
that view's URL pattern does not take.
"""

import datetime
import functools
import hashlib
import json
import re
from typing import Annotated, Any, Literal

from corsheaders.conf import conf as cors_settings
from corsheaders.middleware import ACCESS_CONTROL_ALLOW_ORIGIN as ALLOW_ORIGIN
from corsheaders.middleware import CorsMiddleware
from django.core.paginator import InvalidPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import Resolver404, path, resolve, reverse
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from bioproject import paging
from profiles import licensing, models, profile_schema
from profiles.documents import identifiers_document, source_document
from profiles.models import Person, PublishedCitation, PublishedPosition
from profiles.uris import uri
from profiles.views import PersonJSONView
from sources.models import Source

PAGE_SIZE = 50
API_PATH = "/api/"
API_PATHS = re.compile(r"^/api(/|$)")  # settings.CORS_URLS_REGEX says the same
SLUG_IN_URL = r"^[-a-zA-Z0-9_]+$"  # what Django's <slug:> path converter takes
READ_METHODS = ("GET", "HEAD", "OPTIONS")


# Answers ---------------------------------------------------------------------------------------


class Renderer(JSONRenderer):
    """JSON as Django's JsonResponse writes it (the bytes, hence the ETags, of earlier answers)."""

    encoder_class = DjangoJSONEncoder
    json_dumps_params = {"ensure_ascii": False}


class ReadAPI(NinjaAPI):
    def get_content_type(self):
        return "application/json"


api = ReadAPI(
    title="bioproject read API",
    version="1",
    description="Sourced biographies of public figures: published profiles, and the approved "
    "organizations and sources they cite. Read only; any origin may read. "
    + licensing.DATA_LICENSE["attribution"],
    renderer=Renderer(),
    urls_namespace="api",
    openapi_url=None,
    docs_url=None,
    openapi_extra={
        "info": {"license": {"name": licensing.DATA_LICENSE["name"], "url": licensing.DATA_LICENSE["url"]}}
    },
)


def error(status, message):
    return JsonResponse({"error": message}, status=status)


@api.exception_handler(ValidationError)
def invalid_parameter(request, exc):
    problem = exc.errors[0]
    message = problem["msg"]
    if problem.get("type") not in ("page", "updated_since"):
        message = f"{problem['loc'][-1]}: {message}"
    return error(400, message)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(404, str(exc) or "Not found.")


def conditional(run):
    """A 200 answer with an ETag of its body and public caching, or 304 when the client has that
    body already."""

    @functools.wraps(run)
    def answer(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        not_modified = get_conditional_response(request, etag=etag, response=response)
        not_modified["ETag"] = etag
        patch_cache_control(not_modified, public=True, max_age=60)
        return not_modified

    return answer


def read(url, *, operation_id, **options):
    """Register a GET operation (and its HEAD, answered alike and left out of the document)."""

    def register(function):
        api.get(url, operation_id=operation_id, **options)(function)
        api.api_operation(
            ["HEAD"], url, operation_id=f"{operation_id}Head", include_in_schema=False, **options
        )(function)
        return function

    return register


# Types -----------------------------------------------------------------------------------------

URI = Annotated[str, Field(json_schema_extra={"format": "uri"})]
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class Error(BaseModel):
    error: str = Field(description="What is wrong, in one sentence.")


class Moved(BaseModel):
    location: str = Field(
        description="The address to ask instead (also in the Location header).",
        json_schema_extra={"format": "uri-reference"},
    )


class PersonSummary(BaseModel):
    id: str = Field(description="The person's slug.")
    name: str
    native_name: str
    revision: int = Field(ge=1, description="The live revision's number.")
    updated_at: DateTime = Field(description="When it was published.")
    url: URI = Field(description="The profile document in this API.")
    html_url: URI


class Organization(BaseModel):
    id: str
    name: str
    native_name: str
    kind: profile_schema.choices(models.Organization.Kind.values)
    identifiers: list[profile_schema.Identifier]
    parent_id: str | None
    html_url: URI


class ListedSource(BaseModel):
    id: str
    title: str
    kind: profile_schema.choices(Source.Kind.values)
    url: URI = Field(description="Percent-encoded where the source's address has other characters.")
    version_url: URI | Literal[""]
    publisher: str
    author: str
    published: profile_schema.PartialDate | None
    accessed: profile_schema.PartialDate | None
    archive_url: URI | Literal[""]
    note: str = Field(description="A public note about the source.")
    html_url: URI


class Page(BaseModel):
    count: int = Field(ge=0)
    next: URI | None
    previous: URI | None


class PersonPage(Page):
    results: list[PersonSummary]


class OrganizationPage(Page):
    results: list[Organization]


class SourcePage(Page):
    results: list[ListedSource]


class Profile(profile_schema.ProfileDocument):
    """The profile document of a live revision, as served (docs/profile-format.md)."""

    format: int
    revision: profile_schema.RevisionInfo


def page_number(value):
    """The page `value` names: a 400 unless it is a positive whole number; a number past any
    listing is MAX_PAGE + 1, a page none has (404)."""
    if value == "":
        raise PydanticCustomError("page", "page must be a positive whole number.")
    try:
        return paging.page_number(value)
    except paging.paginator.PageNotAnInteger:
        pass
    except paging.paginator.EmptyPage:
        if str(value).strip("0"):  # digits, past any listing (0 is not a page)
            return paging.MAX_PAGE + 1
    raise PydanticCustomError("page", "page must be a positive whole number.") from None


def parse_updated_since(value):
    """An aware datetime from an ISO 8601 datetime (UTC when it names no offset)."""
    if isinstance(value, datetime.datetime):
        return value
    message = f"updated_since must be an ISO 8601 datetime, e.g. 2026-11-26T00:00:00Z, not {value!r}."
    try:
        moment = parse_datetime(value.strip().replace(" ", "+"))
    except (ValueError, AttributeError):
        moment = None
    if moment is None:
        raise PydanticCustomError("updated_since", message)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        message = "updated_since is outside the dates this API knows."
        raise PydanticCustomError("updated_since", message) from None


PageNumber = Annotated[int, Field(ge=1), BeforeValidator(page_number)]


class PageQuery(Schema):
    page: PageNumber = Field(default=1, description=f"The page, {PAGE_SIZE} records each.")


class PeopleQuery(PageQuery):
    updated_since: Annotated[datetime.datetime, BeforeValidator(parse_updated_since)] = Field(
        default=None,
        description="Only people whose live revision was published at or after this ISO 8601 datetime "
        "(UTC when it has no offset).",
    )


LIST_RESPONSES = {304: None, 400: Error, 404: Error}


def page_of(request, rows, number, item):
    """The page `number` of rows as a list answer (404 beyond the last page)."""
    paginator = Paginator(rows, PAGE_SIZE, allow_empty_first_page=True)
    try:
        page = paginator.page(number)
    except InvalidPage:
        asked = request.GET.get("page", str(number))
        message = f"There is no page {asked}." if len(asked) <= 20 else "There is no such page."
        raise Http404(message) from None

    def link(other):
        query = request.GET.copy()
        query["page"] = other
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": paginator.count,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [item(request, record) for record in page.object_list],
    }


# Operations ------------------------------------------------------------------------------------


def person_summary(request, person):
    revision = person.live_revision
    return {
        "id": revision.slug,
        "name": revision.name,
        "native_name": revision.native_name,
        "revision": revision.number,
        "updated_at": revision.published_at.isoformat(),
        "url": request.build_absolute_uri(reverse("api_person_detail", args=[revision.slug])),
        "html_url": request.build_absolute_uri(reverse("person_detail", args=[revision.slug])),
    }


@read(
    "/people/",
    operation_id="listPeople",
    summary="People with a published profile",
    response={200: PersonPage, **LIST_RESPONSES},
    url_name="api_person_list",
)
@decorate_view(conditional)
def list_people(request, query: Query[PeopleQuery]):
    people = Person.objects.listed()
    if query.updated_since is not None:
        people = people.filter(live_revision__published_at__gte=query.updated_since)
    return page_of(request, people.order_by("live_revision__slug", "pk"), query.page, person_summary)


def json_only(view):
    """A view of this API that answers its 404 as JSON, with its message, and takes no CSRF token
    (it only reads; a write method gets 405)."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as problem:
            return error(404, str(problem) or "Not found.")

    return csrf_exempt(answer)


class PersonDetailView(PersonJSONView):
    """The served profile document, exactly as /people/<slug>.json serves it."""

    http_method_names = ["get", "head"]


person_detail = json_only(PersonDetailView.as_view())


@read(
    "/people/{slug}/",
    operation_id="getPerson",
    summary="A published profile document",
    description="The live revision's profile document, the same as /people/{slug}.json.",
    response={200: Profile, 301: Moved, 304: None, 400: Error, 404: Error},
    url_name="api_person_detail_declared",
)
def get_person(request, slug: Annotated[str, WithJsonSchema({"type": "string", "pattern": SLUG_IN_URL})]):
    # Reached only for what the <slug:> pattern in `urlpatterns` does not take, which no person
    # has (a NUL byte, which PostgreSQL refuses even to look up, included).
    raise Http404("No published profile has this address.")


def organization_summary(request, organization):
    return {
        "id": organization.slug,
        "name": organization.name,
        "native_name": organization.native_name,
        "kind": organization.kind,
        "identifiers": identifiers_document(organization.identifiers),
        "parent_id": organization.parent.slug if organization.parent_id else None,
        "html_url": request.build_absolute_uri(organization.get_absolute_url()),
    }


@read(
    "/organizations/",
    operation_id="listOrganizations",
    summary="Organizations cited by published profiles",
    response={200: OrganizationPage, **LIST_RESPONSES},
    url_name="api_organization_list",
)
@decorate_view(conditional)
def list_organizations(request, query: Query[PageQuery]):
    held = PublishedPosition.objects.all()
    organizations = (
        models.Organization.objects.approved()
        .filter(
            Exists(held.filter(organization=OuterRef("pk")))
            | Exists(held.filter(organization__parent=OuterRef("pk")))
            | Exists(held.filter(organization__parent__parent=OuterRef("pk")))
        )
        .select_related("parent")
        .order_by("slug")
    )
    return page_of(request, organizations, query.page, organization_summary)


def listed_source(request, source):
    document = source_document(source)
    for key in ("url", "version_url", "archive_url"):
        document[key] = uri(document[key])
    return {**document, "html_url": request.build_absolute_uri(source.get_absolute_url())}


@read(
    "/sources/",
    operation_id="listSources",
    summary="Sources cited by published profiles",
    response={200: SourcePage, **LIST_RESPONSES},
    url_name="api_source_list",
)
@decorate_view(conditional)
def list_sources(request, query: Query[PageQuery]):
    cited = PublishedCitation.objects.filter(source=OuterRef("pk"))
    sources = Source.objects.approved().filter(Exists(cited)).defer("archived_text").order_by("id")
    return page_of(request, sources, query.page, listed_source)


class License(BaseModel):
    name: str
    url: URI
    attribution: str


class Index(BaseModel):
    people: URI
    organizations: URI
    sources: URI
    profile_schema: URI = Field(description="The JSON Schema of the profile format.")
    openapi: URI = Field(description="The OpenAPI document of this API.")
    license: License = Field(description="The licence of the published data.")


@read(
    "/",
    operation_id="getIndex",
    summary="Where everything is, and the data's licence",
    response={200: Index, 304: None},
    url_name="api_index",
)
@decorate_view(conditional)
def index(request):
    def address(name):
        return request.build_absolute_uri(reverse(name))

    return {
        "people": address("api:api_person_list"),
        "organizations": address("api:api_organization_list"),
        "sources": address("api:api_source_list"),
        "profile_schema": address("api:api_profile_schema"),
        "openapi": address("api:api_openapi"),
        "license": {
            "name": licensing.DATA_LICENSE["name"],
            "url": licensing.DATA_LICENSE["url"],
            "attribution": licensing.DATA_LICENSE["attribution"],
        },
    }


@read(
    "/schema/profile.json",
    operation_id="getProfileSchema",
    summary="The JSON Schema of the profile format",
    response={200: dict[str, Any], 304: None},
    url_name="api_profile_schema",
)
@decorate_view(conditional)
def profile_json_schema(request):
    return profile_schema.json_schema()


@read(
    "/openapi.json",
    operation_id="getOpenAPI",
    summary="This description",
    response={200: dict[str, Any], 304: None},
    url_name="api_openapi",
)
@decorate_view(conditional)
def openapi(request):
    return openapi_document()


@functools.cache
def openapi_document():
    """The OpenAPI 3.1 description of this API, generated from the operations above."""
    document = dict(api.get_openapi_schema(path_prefix=API_PATH))
    if not document.get("servers"):
        document.pop("servers", None)
    for operation in (item for methods in document["paths"].values() for item in methods.values()):
        for status, answer in operation["responses"].items():
            if status == 304:
                answer["description"] = "Not modified: the If-None-Match ETag is current."
            elif status == 301:
                answer["description"] = "An old address of the profile: Location names the current one."
            elif status == 400:
                answer["description"] = "A parameter is not valid."
            elif status == 404:
                answer["description"] = "No such page or profile."
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


urlpatterns = [
    # Before ninja's routes: the profile document keeps its view, cached bodies and all.
    path("people/<slug:slug>/", person_detail, name="api_person_detail"),
    path("", api.urls),
]


# Every answer JSON, readable from anywhere -------------------------------------------------------


class PublicCorsMiddleware(CorsMiddleware):
    """django-cors-headers (settings.CORS_*) for the API, whose answers are the same for every
    reader: they carry Access-Control-Allow-Origin whether or not the request named an origin
    (a shared cache hands one answer to all), and a preflight answers 204 No Content."""

    def check_preflight(self, request):
        response = super().check_preflight(request)
        if response is not None:
            response.status_code = 204
            del response["Content-Length"]
            del response["Content-Type"]
        return response

    def add_response_headers(self, request, response):
        response = super().add_response_headers(request, response)
        if not getattr(request, "_cors_enabled", False):
            return response
        if not response.has_header(ALLOW_ORIGIN):
            response[ALLOW_ORIGIN] = "*"
            response["Access-Control-Expose-Headers"] = ", ".join(cors_settings.CORS_EXPOSE_HEADERS)
        # The answer does not vary with the Origin (always "*"): no cache need keep one per origin.
        vary = [name for name in cc_delim_re.split(response.get("Vary", "")) if name.lower() != "origin"]
        if vary:
            response["Vary"] = ", ".join(vary)
        elif response.has_header("Vary"):
            del response["Vary"]
        return response


ERRORS = {
    400: "Bad request.",
    403: "Forbidden.",
    404: "Not found: this API has no such address.",
    405: "Method not allowed: this API is read only (GET, HEAD, OPTIONS).",
    500: "Server error: the answer could not be made; try again later.",
}


class JSONAnswersMiddleware:
    """Under /api/: OPTIONS answers 204 with the methods allowed, whatever answers in HTML (a
    redirect to the address with a slash, a 404 of an unknown address, a 405, a server error)
    answers in JSON instead, and every answer names the data's licence."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not API_PATHS.match(request.path_info):
            return self.get_response(request)
        if request.method == "OPTIONS" and self.resolves(request.path_info):
            response = HttpResponse(status=204)
            del response["Content-Type"]
            response["Allow"] = ", ".join(READ_METHODS)
        else:
            response = self.get_response(request)
        if response.status_code not in (204, 304) and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            self.as_json(response)
        response["Link"] = licensing.LICENSE_LINK
        return response

    @staticmethod
    def resolves(path_info):
        try:
            resolve(path_info)
        except Resolver404:
            return False
        return True

    @staticmethod
    def as_json(response):
        if response.streaming:
            return
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            body = {"location": response["Location"]}
        else:
            body = {"error": ERRORS.get(response.status_code, f"HTTP {response.status_code}.")}
        response.content = json.dumps(body, ensure_ascii=False)
        response["Content-Type"] = "application/json"
        for header in ("Content-Encoding", "Content-Language"):
            if response.has_header(header):
                del response[header]
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
