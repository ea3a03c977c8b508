"""Profile pages rendered at publication.

A published revision's live page depends only on its frozen document and the templates, so it is
rendered once, when the revision is written (`store_rendered`, called by
profiles.publishing._publish inside the publishing transaction), and kept beside the revision
with its gzip and its Brotli (RenderedPage): Brotli at its best quality takes a good part of a
second for a long page, which is paid once here rather than by readers. It is a cache of the
document, never part of it: `render_pages` re-renders every stored page after a change of
templates, and a reader who finds none renders it and stores it. What depends on later events
(an older revision's "not the current version" banner, `?as_of=`) is not stored: those variants
are rendered when served (profiles.views).
"""

import gzip
import logging

import brotli
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from profiles.documents import normalised
from profiles.models import Person, PublishedRevision, RenderedPage
from profiles.rendering import profile_context
from profiles.serving import connect as connect_announcements

# A batch bigger than this (imports, the generator) is rendered by `render_pages` or by its first
# reader instead, so that a bulk publication is not held up by thousands of renders.
RENDER_AT_PUBLICATION_LIMIT = getattr(settings, "RENDER_AT_PUBLICATION_LIMIT", 50)
GZIP_LEVEL = 6
BROTLI_QUALITY = 11

# Publishing changes live revisions: every process that can publish announces them.
connect_announcements()

logger = logging.getLogger(__name__)


def live_page_html(revision):
    """The live page of a revision (the one readers of /people/<slug>/ get while it is live)."""
    return render_to_string(
        "profiles/person_detail.html",
        {
            **profile_context(normalised(revision.document)),
            "revision": revision,
            "latest": revision,
            "as_of": None,
        },
        request=None,
    )


def compress(body):
    """The gzip of a body, as a gzip reader gets it (mtime 0: the same bytes on every server)."""
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def compress_brotli(body):
    """The Brotli of a body, as a Brotli reader gets it (made once per page: the best quality)."""
    return brotli.compress(body, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)


def page_row(revision, html):
    """A RenderedPage (unsaved) of this live page body, with its gzip and Brotli."""
    return RenderedPage(
        revision=revision,
        html=html,
        html_gzip=compress(html),
        html_br=compress_brotli(html),
        rendered_at=timezone.now(),
    )


def rendered(revision):
    """A RenderedPage (unsaved) of the revision's live page."""
    return page_row(revision, live_page_html(revision).encode())


def store_rendered(revisions):
    """Render and store the live pages of newly published revisions (inside their transaction),
    unless the batch is a bulk one, whose pages are rendered later."""
    if len(revisions) > RENDER_AT_PUBLICATION_LIMIT:
        return []
    try:
        pages = [rendered(revision) for revision in revisions]
    except ValueError as error:
        # No static files manifest yet (collectstatic has not run, as in the demo): the page is a
        # cache, never part of the publication, so the first reader renders it instead.
        logger.info("Pages not rendered at publication: %s", error)
        return []
    RenderedPage.objects.bulk_create(pages, batch_size=1)
    return pages


def stored_page(revision_id):
    """(html, html_gzip, html_br) stored for the revision, or None; html_br is empty for a page
    stored before Brotli (until `render_pages`)."""
    row = (
        RenderedPage.objects.filter(revision_id=revision_id)
        .values_list("html", "html_gzip", "html_br")
        .first()
    )
    return None if row is None else tuple(bytes(body) for body in row)


def remember_page(revision, html):
    """Store a live page a reader had to render (a bulk publication's); (html, gzip, br)."""
    page = page_row(revision, html)
    RenderedPage.objects.bulk_create([page], ignore_conflicts=True)
    return page.html, page.html_gzip, page.html_br


def revisions_to_render(*, missing_only=False):
    """The live revisions (the only ones served as a live page), or only those without a stored
    page."""
    live = Person.objects.published().values("live_revision")
    revisions = PublishedRevision.objects.filter(pk__in=live, hidden_at__isnull=True).order_by("pk")
    if missing_only:
        revisions = revisions.filter(rendered_page__isnull=True)
    return revisions


def pages_render(*, revision_ids):
    """Re-render and store the live pages of these revisions (after a change of templates)."""
    revisions = list(PublishedRevision.objects.filter(pk__in=revision_ids).order_by("pk"))
    pages = [rendered(revision) for revision in revisions]
    RenderedPage.objects.bulk_create(
        pages,
        batch_size=50,
        update_conflicts=True,
        unique_fields=["revision"],
        update_fields=["html", "html_gzip", "html_br", "rendered_at"],
    )
    return len(pages)
