"""Public pages. They read only published revisions, never the working copy.

A profile page is rendered from its revision's frozen document, cached per revision (a new revision
has a new key, so publishing invalidates by itself) and served with an ETag and Last-Modified from
the revision, so a conditional GET is answered 304 without rendering.
"""

import datetime
import string

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models.fields.json import KeyTextTransform
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from profiles.models import LIVE_DOCUMENT, Organization, Person, PublishedPosition
from profiles.rendering import profile_context
from profiles.search import MAX_QUERY_LENGTH

PAGE_SIZE = 50


def revision_info(revision):
    return {
        "number": revision.number,
        "published_at": revision.published_at.isoformat(),
        "url": reverse("revision_detail", args=[revision.document["id"], revision.number]),
    }


def served_document(revision):
    return {**revision.document, "revision": revision_info(revision)}


def published_person(slug):
    # A cached page needs only the revision's stamp; its document is read on a cache miss.
    return get_object_or_404(Person.objects.listed(), slug=slug)


def parse_as_of(value):
    """The end of the day `value` (YYYY-MM-DD) names, or None when it is not such a day."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    if len(value) != 10:
        return None
    return datetime.datetime.combine(day, datetime.time.max, datetime.UTC)


class RevisionResponseMixin:
    """Serve a revision with validators and a per-revision cache of the rendered body."""

    variant = "html"

    def revision_response(self, request, revision, render_body, content_type):
        # Identify the revision by what cannot repeat even if the database is restored into an
        # empty one behind the same shared cache: its row, person, number and publishing time.
        stamp = (
            f"{revision.pk}.{revision.person_id}.{revision.number}.{revision.published_at.timestamp():.6f}"
        )
        etag = f'"{stamp}-{self.variant}"'
        last_modified = int(revision.published_at.timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            key = f"profile:{stamp}:{self.variant}"
            body = cache.get(key)
            if body is None:
                body = render_body()
                body = body.encode() if isinstance(body, str) else body
                cache.set(key, body, settings.PUBLIC_CACHE_SECONDS * 12)
            response = HttpResponse(body, content_type=content_type)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=60, s_maxage=settings.PUBLIC_CACHE_SECONDS)
        return response


class PersonDetailView(RevisionResponseMixin, View):
    def get(self, request, slug):
        person = published_person(slug)
        revision = person.live_revision
        as_of = request.GET.get("as_of")
        if as_of is not None:
            moment = parse_as_of(as_of)
            if moment is None:
                return HttpResponseBadRequest(
                    "as_of must be a day written YYYY-MM-DD.", content_type="text/plain"
                )
            revision = person.revisions.live_at(moment).first()
            if revision is None:
                raise Http404("This profile was not yet published on that day.")
            self.variant = "as-of"
        return self.revision_response(
            request,
            revision,
            lambda: render_to_string(
                "profiles/person_detail.html",
                {
                    **profile_context(revision.document),
                    "revision": revision,
                    "latest": person.live_revision,
                    "as_of": as_of,
                },
                request=None,
            ),
            "text/html; charset=utf-8",
        )


class PersonJSONView(RevisionResponseMixin, View):
    variant = "json"

    def get(self, request, slug):
        revision = published_person(slug).live_revision
        return self.revision_response(
            request,
            revision,
            lambda: (
                JsonResponse(served_document(revision), json_dumps_params={"ensure_ascii": False}).content
            ),
            "application/json",
        )


class RevisionListView(TemplateView):
    template_name = "profiles/revision_list.html"

    def get_context_data(self, **kwargs):
        person = published_person(kwargs["slug"])
        return {
            **super().get_context_data(**kwargs),
            "person": person,
            "revisions": person.revisions.order_by("-number").only(
                "number", "published_at", "comment", "person_id"
            ),
        }


class RevisionDetailView(RevisionResponseMixin, View):
    def get(self, request, slug, number):
        person = published_person(slug)
        revision = get_object_or_404(person.revisions, number=number)
        self.variant = "permalink"
        return self.revision_response(
            request,
            revision,
            lambda: render_to_string(
                "profiles/person_detail.html",
                {
                    **profile_context(revision.document),
                    "revision": revision,
                    "latest": person.live_revision,
                    "permalink": True,
                },
            ),
            "text/html; charset=utf-8",
        )


class HomeView(TemplateView):
    template_name = "profiles/home.html"

    def get_context_data(self, **kwargs):
        recent = Person.objects.listed().order_by("-live_revision__published_at")[:12]
        return {**super().get_context_data(**kwargs), "recent": recent}


class PersonListView(ListView):
    template_name = "profiles/person_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "people"

    def get_queryset(self):
        people = Person.objects.listed()
        self.letter = self.request.GET.get("letter", "").upper()[:1]
        if self.letter in string.ascii_uppercase and self.letter:
            people = people.filter(live_revision__name__istartswith=self.letter)
        else:
            self.letter = ""
        return people.order_by("live_revision__name", "slug")

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "letters": string.ascii_uppercase,
            "letter": self.letter,
        }


class SearchView(TemplateView):
    template_name = "profiles/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:MAX_QUERY_LENGTH]
        page = None
        if query.strip():
            paginator = Paginator(
                Person.objects.search(query)
                .select_related("live_revision")
                .defer(*LIVE_DOCUMENT)
                .annotate(live_summary=KeyTextTransform("summary", "live_revision__document")),
                20,
            )
            page = paginator.get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "query": query, "page": page}


class OrganizationDetailView(DetailView):
    template_name = "profiles/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return Organization.objects.select_related("parent__parent__parent")

    def get_context_data(self, **kwargs):
        organization = self.object
        held = list(
            PublishedPosition.objects.filter(organization=organization)
            .select_related("person__live_revision")
            .defer(*(f"person__{name}" for name in LIVE_DOCUMENT))
            .order_by("role", "start_date", "end_date", "pk")
        )
        posts = {}
        for position in held:
            posts.setdefault(position.role, []).append(position)
        for holders in posts.values():
            for index, position in enumerate(holders):
                position.preceded_by = holders[index - 1].person if index else None
                position.succeeded_by = holders[index + 1].person if index + 1 < len(holders) else None
        children = organization.children.order_by("name")
        if not held and not organization.children.exists():
            raise Http404("No published profile names this organization.")
        return {**super().get_context_data(**kwargs), "posts": posts, "children": children}
