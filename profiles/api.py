"""A read API for other tools: published data only, as JSON, described by an OpenAPI 3.1 document
at /api/openapi.json.

- /api/people/ lists the people with a live revision (`?updated_since=` an ISO datetime keeps those
  published since then); /api/people/<slug>/ is the served profile document, the same as
  /people/<slug>.json (an old slug answers 301 to the current one);
- /api/organizations/ and /api/sources/ list the approved organizations and sources that a live
  revision cites (an organization also when one inside it is cited).

Lists are `{"count", "next", "previous", "results"}`, PAGE_SIZE to a page. Every answer carries an
ETag (304 to a matching If-None-Match) and `Access-Control-Allow-Origin: *`: the data is public.
"""

import datetime
import hashlib

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.views import View

from profiles.documents import identifiers_document, source_document
from profiles.models import Organization, Person, PublishedCitation, PublishedPosition
from profiles.views import PersonJSONView
from sources.models import Source

PAGE_SIZE = 50

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since, Accept",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Location",
    "Access-Control-Max-Age": "86400",
}


def error(status, message):
    return JsonResponse({"error": message}, status=status)


class CORSMixin:
    """Any origin may read: the answers hold only what the public site shows."""

    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    def options(self, request, *args, **kwargs):
        response = super().options(request, *args, **kwargs)
        response.status_code = 204
        return response


def conditional(request, response):
    """The response with an ETag of its body, or 304 when the client has that body already."""
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    not_modified = get_conditional_response(request, etag=etag, response=response)
    not_modified["ETag"] = etag
    patch_cache_control(not_modified, public=True, max_age=60)
    return not_modified


class ListView(CORSMixin, View):
    """A paginated list of published records."""

    def get_queryset(self):
        raise NotImplementedError

    def item(self, record):
        raise NotImplementedError

    def get(self, request):
        try:
            rows = self.get_queryset()
        except ValueError as problem:
            return error(400, str(problem))
        number = request.GET.get("page", "1")
        if not number.isdigit():
            return error(400, "page must be a positive whole number.")
        paginator = Paginator(rows, PAGE_SIZE, allow_empty_first_page=True)
        try:
            page = paginator.page(int(number))
        except InvalidPage:
            return error(404, f"There is no page {number}.")

        def link(other):
            query = request.GET.copy()
            query["page"] = other
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        body = {
            "count": paginator.count,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [self.item(record) for record in page.object_list],
        }
        return conditional(request, JsonResponse(body, json_dumps_params={"ensure_ascii": False}))


def parse_updated_since(value):
    """An aware datetime from an ISO 8601 datetime (UTC when it names no offset)."""
    try:
        moment = parse_datetime(value.strip().replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(
            f"updated_since must be an ISO 8601 datetime, e.g. 2026-11-26T00:00:00Z, not {value!r}."
        )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("updated_since is outside the dates this API knows.") from None


class PersonListView(ListView):
    def get_queryset(self):
        people = Person.objects.listed()
        since = self.request.GET.get("updated_since")
        if since is not None:
            people = people.filter(live_revision__published_at__gte=parse_updated_since(since))
        return people.order_by("live_revision__slug", "pk")

    def item(self, person):
        revision = person.live_revision
        return {
            "id": revision.slug,
            "name": revision.name,
            "native_name": revision.native_name,
            "revision": revision.number,
            "updated_at": revision.published_at.isoformat(),
            "url": self.request.build_absolute_uri(reverse("api_person_detail", args=[revision.slug])),
            "html_url": self.request.build_absolute_uri(reverse("person_detail", args=[revision.slug])),
        }


class PersonDetailView(CORSMixin, PersonJSONView):
    """The served profile document, exactly as /people/<slug>.json serves it."""


class OrganizationListView(ListView):
    def get_queryset(self):
        held = PublishedPosition.objects.all()
        return (
            Organization.objects.approved()
            .filter(
                Exists(held.filter(organization=OuterRef("pk")))
                | Exists(held.filter(organization__parent=OuterRef("pk")))
                | Exists(held.filter(organization__parent__parent=OuterRef("pk")))
            )
            .select_related("parent")
            .order_by("slug")
        )

    def item(self, organization):
        return {
            "id": organization.slug,
            "name": organization.name,
            "native_name": organization.native_name,
            "kind": organization.kind,
            "identifiers": identifiers_document(organization.identifiers),
            "parent_id": organization.parent.slug if organization.parent_id else None,
            "html_url": self.request.build_absolute_uri(organization.get_absolute_url()),
        }


class SourceListView(ListView):
    def get_queryset(self):
        cited = PublishedCitation.objects.filter(source=OuterRef("pk"))
        return Source.objects.approved().filter(Exists(cited)).defer("archived_text").order_by("id")

    def item(self, source):
        return {
            **source_document(source),
            "html_url": self.request.build_absolute_uri(source.get_absolute_url()),
        }


class OpenAPIView(CORSMixin, View):
    def get(self, request):
        return conditional(
            request, JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})
        )


# The OpenAPI document ---------------------------------------------------------------------------

NULLABLE_TEXT = {"type": ["string", "null"]}
PARTIAL_DATE = {"type": ["string", "null"], "pattern": r"^[0-9]{4}(-[0-9]{2}){0,2}$"}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name):
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "additionalProperties": False,
        "properties": {
            "count": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": ref(name)},
        },
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}},
    },
    "Identifier": {
        "type": "object",
        "required": ["scheme", "identifier"],
        "additionalProperties": False,
        "properties": {
            "scheme": {"enum": ["wikidata", "opensanctions", "viaf", "isni", "official", "other"]},
            "identifier": {"type": "string", "minLength": 1},
        },
    },
    "PersonSummary": {
        "type": "object",
        "required": ["id", "name", "native_name", "revision", "updated_at", "url", "html_url"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "description": "The person's slug."},
            "name": {"type": "string"},
            "native_name": {"type": "string"},
            "revision": {"type": "integer", "minimum": 1, "description": "The live revision's number."},
            "updated_at": {"type": "string", "format": "date-time", "description": "When it was published."},
            "url": {"type": "string", "format": "uri", "description": "The profile document in this API."},
            "html_url": {"type": "string", "format": "uri"},
        },
    },
    "Citation": {
        "type": "object",
        "required": ["source", "quote", "locator", "stance", "stated", "field", "note", "verification"],
        "properties": {
            "source": {"type": "string"},
            "quote": {"type": "string"},
            "locator": {"type": "string"},
            "stance": {"enum": ["supports", "disputes", "infers"]},
            "stated": NULLABLE_TEXT,
            "field": NULLABLE_TEXT,
            "note": {"type": "string"},
            "verification": {"enum": ["verified", "unverified", "no_archive"]},
            "override": {"type": "string"},
        },
    },
    "OrganizationInDocument": {
        "type": "object",
        "required": ["id", "name", "native_name", "kind", "identifiers"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "native_name": {"type": "string"},
            "kind": {"type": "string"},
            "identifiers": {"type": "array", "items": ref("Identifier")},
            "parent": ref("OrganizationInDocument"),
        },
    },
    "Membership": {
        "type": "object",
        "required": ["id", "role", "organization", "start_date", "end_date", "ended", "citations"],
        "properties": {
            "id": {"type": "string"},
            "role": {"type": "string"},
            "organization": ref("OrganizationInDocument"),
            "start_date": PARTIAL_DATE,
            "end_date": PARTIAL_DATE,
            "ended": {"type": "boolean"},
            "acting": {"type": "boolean"},
            "concurrent": {"type": "boolean"},
            "ordinal": {"type": "string"},
            "note": {"type": "string"},
            "citations": {"type": "array", "items": ref("Citation")},
        },
    },
    "Event": {
        "type": "object",
        "required": ["id", "date", "kind", "title", "description", "citations"],
        "properties": {
            "id": {"type": "string"},
            "date": {"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}){0,2}$"},
            "kind": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "citations": {"type": "array", "items": ref("Citation")},
        },
    },
    "Source": {
        "type": "object",
        "required": ["id", "title", "kind", "url", "publisher", "author", "published", "accessed"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "kind": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "version_url": {"type": "string"},
            "publisher": {"type": "string"},
            "author": {"type": "string"},
            "published": PARTIAL_DATE,
            "accessed": PARTIAL_DATE,
            "archive_url": {"type": "string"},
            "note": {"type": "string"},
        },
    },
    "ListedSource": {
        "allOf": [ref("Source")],
        "type": "object",
        "required": ["html_url"],
        "properties": {"html_url": {"type": "string", "format": "uri"}},
    },
    "Organization": {
        "type": "object",
        "required": ["id", "name", "native_name", "kind", "identifiers", "parent_id", "html_url"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "native_name": {"type": "string"},
            "kind": {"type": "string"},
            "identifiers": {"type": "array", "items": ref("Identifier")},
            "parent_id": NULLABLE_TEXT,
            "html_url": {"type": "string", "format": "uri"},
        },
    },
    "Profile": {
        "description": "The profile document of a live revision (docs/profile-format.md).",
        "type": "object",
        "required": [
            "format",
            "id",
            "name",
            "identifiers",
            "citations",
            "memberships",
            "events",
            "sources",
            "revision",
        ],
        "properties": {
            "format": {"type": "integer"},
            "id": {"type": "string"},
            "name": {"type": "string"},
            "native_name": {"type": "string"},
            "native_name_lang": {"type": "string"},
            "romanization": {"type": "string"},
            "other_names": {
                "type": "array",
                "items": {"type": "object", "required": ["name", "note"]},
            },
            "birth_date": PARTIAL_DATE,
            "birth_place": {"type": "string"},
            "death_date": PARTIAL_DATE,
            "death_place": {"type": "string"},
            "summary": {"type": "string"},
            "identifiers": {"type": "array", "items": ref("Identifier")},
            "citations": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": ref("Citation")},
            },
            "memberships": {"type": "array", "items": ref("Membership")},
            "events": {"type": "array", "items": ref("Event")},
            "sources": {"type": "array", "items": ref("Source")},
            "revision": {
                "type": "object",
                "required": ["number", "published_at", "url"],
                "properties": {
                    "number": {"type": "integer"},
                    "published_at": {"type": "string", "format": "date-time"},
                    "url": {"type": "string"},
                },
            },
        },
    },
    "PersonPage": page_of("PersonSummary"),
    "OrganizationPage": page_of("Organization"),
    "SourcePage": page_of("ListedSource"),
}


def json_response(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


PAGE_PARAMETER = {
    "name": "page",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1},
    "description": f"The page, {PAGE_SIZE} records each.",
}
COMMON_RESPONSES = {
    "304": {"description": "Not modified: the If-None-Match ETag is current."},
    "400": json_response(ref("Error"), "A parameter is not valid."),
    "404": json_response(ref("Error"), "No such page."),
}


def list_operation(summary, schema, parameters=()):
    return {
        "get": {
            "summary": summary,
            "parameters": [PAGE_PARAMETER, *parameters],
            "responses": {"200": json_response(ref(schema), summary), **COMMON_RESPONSES},
        }
    }


def openapi_document():
    """The OpenAPI 3.1 description of this API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "bioproject read API",
            "version": "1",
            "description": "Sourced biographies of public figures: published profiles, and the "
            "approved organizations and sources they cite. Read only; any origin may read.",
        },
        "paths": {
            "/api/people/": list_operation(
                "People with a published profile",
                "PersonPage",
                [
                    {
                        "name": "updated_since",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "format": "date-time"},
                        "description": "Only people whose live revision was published at or after "
                        "this ISO 8601 datetime (UTC when it has no offset).",
                    }
                ],
            ),
            "/api/people/{slug}/": {
                "get": {
                    "summary": "A published profile document",
                    "parameters": [
                        {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": json_response(ref("Profile"), "The live revision's profile document."),
                        "301": {
                            "description": "An old address of the profile: Location names the current one."
                        },
                        "304": COMMON_RESPONSES["304"],
                        "404": {"description": "No published profile has this address."},
                    },
                }
            },
            "/api/organizations/": list_operation(
                "Organizations cited by published profiles", "OrganizationPage"
            ),
            "/api/sources/": list_operation("Sources cited by published profiles", "SourcePage"),
            "/api/openapi.json": {
                "get": {
                    "summary": "This description",
                    "responses": {"200": {"description": "The OpenAPI 3.1 document."}},
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }


urlpatterns = [
    path("people/", PersonListView.as_view(), name="api_person_list"),
    path("people/<slug:slug>/", PersonDetailView.as_view(), name="api_person_detail"),
    path("organizations/", OrganizationListView.as_view(), name="api_organization_list"),
    path("sources/", SourceListView.as_view(), name="api_source_list"),
    path("openapi.json", OpenAPIView.as_view(), name="api_openapi"),
]
