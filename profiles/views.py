"""Public pages. They read only published revisions, never the working copy.

A profile page is rendered from its revision's frozen document, cached per revision (a new revision
has a new key, so publishing invalidates by itself) and served with an ETag and Last-Modified from
the revision, so a conditional GET is answered 304 without rendering.
"""

import datetime
import string
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.fields.json import KeyTextTransform
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from bioproject.paging import Paginator, page_number
from bioproject.proxies import client_ip_address
from profiles import pages, serving
from profiles.documents import normalised
from profiles.models import LIVE_DOCUMENT, Organization, Person, PublicSlug, PublishedPosition, ReviewAction
from profiles.rendering import profile_context
from profiles.search import COUNT_LIMIT, MAX_QUERY_LENGTH, RANK_LIMIT, search_people

PAGE_SIZE = 50
HOLDERS_PAGE_SIZE = 200


def revision_info(revision):
    return {
        "number": revision.number,
        "published_at": revision.published_at.isoformat(),
        "url": reverse("revision_detail", args=[revision.slug, revision.number]),
    }


def served_document(revision):
    return {**normalised(revision.document), "revision": revision_info(revision)}


def published_person(slug):
    """The published person who has (or had) this address; a cached page needs only the live
    revision's stamp, its document is read on a cache miss."""
    person = Person.objects.listed().filter(public_slugs__slug=slug).first()
    if person is None:
        raise Http404("No published profile has this address.")
    return person


class CurrentAddressMixin:
    """A slug once published stays its person's: under an old slug every profile URL answers
    301 to the same URL under the live revision's slug."""

    def dispatch(self, request, *args, **kwargs):
        self.person = published_person(kwargs["slug"])
        current = self.person.live_revision.slug
        if current != kwargs["slug"]:
            url = reverse(request.resolver_match.url_name, kwargs={**kwargs, "slug": current})
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        return super().dispatch(request, *args, **kwargs)


def hidden_response(request, revision):
    """410 for a revision a reviewer hid: a short notice, none of its content."""
    return TemplateResponse(
        request,
        "profiles/revision_hidden.html",
        {"revision": revision, "person": revision.person},
        status=410,
    )


def live_at(person, moment):
    """The revision that was live at that moment, or None when the profile was not on the site
    then (not yet published, or unpublished at the time)."""
    unpublished_since = ReviewAction.objects.filter(
        person=person,
        action=ReviewAction.Action.UNPUBLISHED,
        created_at__lte=moment,
        created_at__gt=OuterRef("published_at"),
    )
    revision = (
        person.revisions.live_at(moment)
        .defer("search_text")
        .annotate(taken_down=Exists(unpublished_since))
        .first()
    )
    return None if revision is None or revision.taken_down else revision


def parse_as_of(value):
    """The end of the day `value` (YYYY-MM-DD) names, or None when it is not such a day."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    if len(value) != 10:
        return None
    return datetime.datetime.combine(day, datetime.time.max, datetime.UTC)


class RevisionResponseMixin(CurrentAddressMixin):
    """Serve a revision with validators, from the worker's memory (profiles.serving), the page
    stored at publication (profiles.pages), the shared cache, or rendered, in that order."""

    variant = "html"

    @staticmethod
    def stamp(revision):
        # Identify the revision by what cannot repeat even if the database is restored into an
        # empty one behind the same shared cache: its row, person, number and publishing time.
        return f"{revision.pk}.{revision.person_id}.{revision.number}.{revision.published_at.timestamp():.6f}"

    def dispatch(self, request, *args, **kwargs):
        # Read before the database, so that a publication in between is not undone (serving.remember).
        self.seen_epoch = serving.epoch() if not request.GET else None
        return super().dispatch(request, *args, **kwargs)

    def revision_response(self, request, revision, render_body, content_type):
        # A page of an older revision says which one is current: it varies with the live one.
        stamp = self.stamp(revision)
        live = self.person.live_revision
        if live is not None and live.pk != revision.pk:
            stamp = f"{stamp}~{self.stamp(live)}"
        etag = f'"{stamp}-{self.variant}"'
        last_modified = int(revision.published_at.timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            entry = self.entry(revision, stamp, etag, last_modified, render_body, content_type)
            response = serving.body_response(request, entry)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["X-Accel-Expires"] = serving.front_cache_until()
        patch_vary_headers(response, ["Accept-Encoding"])
        patch_cache_control(
            response,
            public=True,
            max_age=60,
            s_maxage=settings.PUBLIC_CACHE_SECONDS,
            stale_if_error=serving.STALE_SECONDS,
        )
        if self.variant in ("html", "json") and self.seen_epoch is not None:
            serving.remember(self.kwargs["slug"], self.person.pk, stamp, live.slug, self.seen_epoch)
        return response

    def entry(self, revision, stamp, etag, last_modified, render_body, content_type):
        key = f"{stamp}:{self.variant}"
        entry = serving.bodies.get(key)
        if entry is not None:
            return entry
        stored = pages.stored_page(revision.pk) if self.variant == "html" else None
        if stored is None:
            stored = cache.get(f"profile:{key}")
        if stored is None:
            body = render_body()
            body = body.encode() if isinstance(body, str) else body
            if self.variant == "html":
                stored = pages.remember_page(revision, body)
            else:
                stored = (body, pages.compress(body))
                cache.set(f"profile:{key}", stored, settings.PUBLIC_CACHE_SECONDS * 12)
        if self.variant == "html":
            # A copy in the shared cache, for the workers that must serve it while the database is
            # down (serving.stale_response); written once per worker and revision.
            cache.set(f"profile:{key}", stored, settings.PUBLIC_CACHE_SECONDS * 12)
        entry = serving.Entry(*stored[:2], etag, http_date(last_modified), content_type, *stored[2:])
        serving.bodies.put(key, entry)
        return entry


class PersonDetailView(RevisionResponseMixin, View):
    def get(self, request, slug):
        person = self.person
        revision = person.live_revision
        as_of = request.GET.get("as_of")
        if as_of is not None:
            moment = parse_as_of(as_of)
            if moment is None:
                return HttpResponseBadRequest(
                    "as_of must be a day written YYYY-MM-DD.", content_type="text/plain"
                )
            revision = live_at(person, moment)
            if revision is None:
                raise Http404("This profile was not on the public site on that day.")
            if revision.hidden:
                return hidden_response(request, revision)
            self.variant = "as-of"
        return self.revision_response(
            request,
            revision,
            lambda: (
                render_to_string(
                    "profiles/person_detail.html",
                    {
                        **profile_context(normalised(revision.document)),
                        "revision": revision,
                        "latest": person.live_revision,
                        "as_of": as_of,
                    },
                    request=None,
                )
                if as_of is not None
                else pages.live_page_html(revision)
            ),
            "text/html; charset=utf-8",
        )


class PersonJSONView(RevisionResponseMixin, View):
    variant = "json"

    def get(self, request, slug):
        revision = self.person.live_revision
        return self.revision_response(
            request,
            revision,
            lambda: (
                JsonResponse(served_document(revision), json_dumps_params={"ensure_ascii": False}).content
            ),
            "application/json",
        )


class RevisionListView(CurrentAddressMixin, TemplateView):
    template_name = "profiles/revision_list.html"

    def get_context_data(self, **kwargs):
        person = self.person
        return {
            **super().get_context_data(**kwargs),
            "person": person,
            "revisions": person.revisions.order_by("-number").only(
                "number", "published_at", "comment", "person_id", "slug", "hidden_at"
            ),
        }


class RevisionDetailView(RevisionResponseMixin, View):
    def get(self, request, slug, number):
        person = self.person
        revision = get_object_or_404(person.revisions, number=number)
        if revision.hidden:
            return hidden_response(request, revision)
        self.variant = "permalink"
        return self.revision_response(
            request,
            revision,
            lambda: render_to_string(
                "profiles/person_detail.html",
                {
                    **profile_context(normalised(revision.document)),
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


class CappedPaginator(Paginator):
    """A paginator that counts at most COUNT_LIMIT matches (one bounded query, not a full count)."""

    @cached_property
    def count(self):
        return self.object_list.order_by().values("pk")[: COUNT_LIMIT + 1].count()

    @property
    def capped(self):
        return self.count > COUNT_LIMIT


class SearchPaginator(CappedPaginator):
    """Pages of matches in one query each: the page's people are chosen by a subquery of their ids
    in order, and only those 20 rows read their summary (reading it for every match before the
    sort read thousands of documents)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        shown = (
            Person.objects.filter(pk__in=ids)
            .select_related("live_revision")
            .defer(*LIVE_DOCUMENT)
            .annotate(live_summary=KeyTextTransform("summary", "live_revision__document"))
            .order_by(*self.object_list.query.order_by)
        )
        return self._get_page(shown, number, self)


class WorkerSearchCounts:
    """Searches per client in the current minute, counted in this worker's memory: the limit that
    holds while the shared cache is down or hung (each worker then allows the rate on its own)."""

    MAX_CLIENTS = 50_000  # beyond, new clients share one count: memory stays bounded under a flood

    def __init__(self):
        self.lock = threading.Lock()
        self.minute, self.counts = None, {}

    def incr(self, client, minute):
        with self.lock:
            if minute != self.minute:
                self.minute, self.counts = minute, {}
            if client not in self.counts and len(self.counts) >= self.MAX_CLIENTS:
                client = "(others)"
            self.counts[client] = self.counts.get(client, 0) + 1
            return self.counts[client]


worker_search_counts = WorkerSearchCounts()


def search_allowed(request):
    """Whether this client (bioproject.proxies, as for login throttling) may search now: at most
    SEARCH_RATE_PER_MINUTE searches a minute; (allowed, seconds until the next minute)."""
    limit = settings.SEARCH_RATE_PER_MINUTE
    if not limit:
        return True, 0
    now = time.time()
    client, minute = client_ip_address(request), int(now // 60)
    key = f"search-rate:{client}:{minute}"
    cache.add(key, 0, 70)
    try:
        used = cache.incr(key)
    except ValueError:  # the cache is down, hung (bioproject.cache) or the key expired
        used = worker_search_counts.incr(client, minute)
    return used <= limit, 60 - int(now % 60)


def search_page(query, number, per_page=20):
    """A page of search results: matches counted once (capped), ranked when there are at most
    RANK_LIMIT of them, else by name; substrings only when no word prefix matches."""
    people = Person.objects.published()
    paginator = SearchPaginator(search_people(people, query, ranked=False), per_page)
    if not paginator.count and connection.vendor == "postgresql":
        paginator = SearchPaginator(search_people(people, query, substrings=True), per_page)
    elif paginator.count <= RANK_LIMIT:
        paginator.object_list = search_people(people, query)
    return paginator.get_page(number)


class SearchView(TemplateView):
    template_name = "profiles/search.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("q", "").strip():
            allowed, retry_after = search_allowed(request)
            if not allowed:
                response = TemplateResponse(
                    request,
                    self.template_name,
                    {
                        "query": request.GET.get("q", "")[:MAX_QUERY_LENGTH],
                        "limited": True,
                        "retry_after": retry_after,
                    },
                    status=429,
                )
                response["Retry-After"] = str(retry_after)
                return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:MAX_QUERY_LENGTH]
        page = None
        if query.strip():
            page = search_page(query, self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "query": query, "page": page}


class OrganizationDetailView(DetailView):
    template_name = "profiles/organization_detail.html"
    context_object_name = "organization"

    def get_queryset(self):
        return Organization.objects.approved().select_related("parent__parent__parent")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # An organization's old address (a slug changed after review) answers 301.
            reserved = PublicSlug.objects.filter(slug=kwargs["slug"], organization__approved_at__isnull=False)
            current = reserved.exclude(organization__slug=kwargs["slug"]).values_list(
                "organization__slug", flat=True
            )
            if current.first():
                return HttpResponsePermanentRedirect(reverse("organization_detail", args=[current.first()]))
            raise

    def get_context_data(self, **kwargs):
        organization = self.object
        held = (
            PublishedPosition.objects.filter(organization=organization)
            .select_related("person__live_revision")
            .defer(*(f"person__{name}" for name in LIVE_DOCUMENT))
            .order_by("role", "start_date", "end_date", "pk")
        )
        # Pages of HOLDERS_PAGE_SIZE holders, without counting them all: one row either side of
        # the page gives a post's predecessor and successor at its edges, and whether one follows.
        try:
            number = page_number(self.request.GET.get("page"))
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            raise Http404("There is no such page of holders.") from None
        start = (number - 1) * HOLDERS_PAGE_SIZE
        rows = list(held[max(start - 1, 0) : start + HOLDERS_PAGE_SIZE + 1])
        before = rows.pop(0) if start and rows else None
        shown = rows[:HOLDERS_PAGE_SIZE]
        after = rows[HOLDERS_PAGE_SIZE] if len(rows) > HOLDERS_PAGE_SIZE else None
        if number > 1 and not shown:
            raise Http404("There is no such page of holders.")
        posts = {}
        for position in shown:
            posts.setdefault(position.role, []).append(position)
        for role, holders in posts.items():
            for index, position in enumerate(holders):
                if index:
                    position.preceded_by = holders[index - 1].person
                else:
                    position.preceded_by = before.person if before and before.role == role else None
                if index + 1 < len(holders):
                    position.succeeded_by = holders[index + 1].person
                else:
                    position.succeeded_by = after.person if after and after.role == role else None
        children = organization.children.approved().order_by("name")
        if not shown and not children.exists():
            raise Http404("No published profile names this organization.")
        return {
            **super().get_context_data(**kwargs),
            "posts": posts,
            "children": children,
            "page_number": number,
            "next_page": number + 1 if after else None,
            "previous_page": number - 1 if number > 1 else None,
        }
