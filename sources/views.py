"""The public page of a source: what it says and every published claim that cites it.

Its archived text can run to megabytes, and marking the quoted passages in it is character-by-
character work, so the marked text is made once per version of the source and of what cites it
(`marked_pages`, cached in the worker and the shared cache), cut into parts of at most
PART_CHARACTERS (`?page=`), and the page answers a conditional GET with 304 before anything is
read but the source's version and its citations.
"""

import hashlib
import json

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views import View

from bioproject.memory import SizedLRU
from bioproject.paging import page_number
from profiles.models import LIVE_DOCUMENT
from sources.models import TYPOGRAPHIC_QUOTES, Source

# What one page shows of an archived text: a 5 MB text is 100 parts, each a page a phone can load.
PART_CHARACTERS = 50_000
CACHE_SECONDS = 24 * 3600


class SourceDetailView(View):
    """A source, what it says (its archived text, every passage quoted on a live profile marked
    and linked to the claims it backs) and every published claim that cites it."""

    template_name = "sources/source_detail.html"

    def get(self, request, pk):
        # The source's version is its last history entry: every change of an approved source is
        # a reviewed one, saved with history (never QuerySet.update()). The text is read only
        # when its marked parts are not cached.
        last_change = Source.history.filter(id=OuterRef("pk")).values("id").annotate(last=Max("history_date"))
        source = (
            Source.objects.defer("archived_text")
            .annotate(version=Subquery(last_change.values("last")))
            .filter(pk=pk)
            .first()
        )
        if source is None:
            raise Http404("No source has this key.")
        citing = list(
            source.published_citations.select_related("person__live_revision")
            .defer(*(f"person__{name}" for name in LIVE_DOCUMENT))
            .order_by("person__live_revision__name", "person_id", "pk")
        )
        if not citing:
            raise Http404("No published profile cites this source.")
        try:
            number = page_number(request.GET.get("page"))
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            raise Http404("There is no such part of this text.") from None
        key = version_key(source, citing)
        etag = f'"{key}-{number}"'
        response = get_conditional_response(request, etag=etag)
        if response is None:
            parts, found = marked_pages(source, citing, key)
            if number > max(len(parts), 1):
                raise Http404("There is no such part of this text.")
            url = source.get_absolute_url()
            for use in citing:
                use.passage = found.get(str(use.pk))
                if use.passage:
                    part, anchor = use.passage
                    use.passage_url = f"#{anchor}" if part == number else part_url(url, part) + f"#{anchor}"
            response = TemplateResponse(
                request,
                self.template_name,
                {
                    "source": source,
                    "citing": citing,
                    "archived_text": mark_safe(parts[number - 1]) if parts else "",  # noqa: S308 - marked_text escapes
                    "unfound": sum(use.passage is None for use in citing),
                    "part": number,
                    "parts": len(parts),
                    "previous_part_url": part_url(url, number - 1) if number > 1 else None,
                    "next_part_url": part_url(url, number + 1) if number < len(parts) else None,
                },
            )
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=60)
        return response


def part_url(url, number):
    return url if number == 1 else f"{url}?page={number}"


def version_key(source, citing):
    """A digest of everything the page shows: the source's version and what each citation of it
    shows (its quote, claim, stance and the profile it is on)."""
    uses = [
        [use.pk, use.quote, str(use.claim), use.stance, use.anchor, use.person.get_absolute_url(),
         use.person.live_revision.name]
        for use in citing
    ]  # fmt: skip
    text = json.dumps([source.pk, str(source.version), uses], default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class MarkedParts(SizedLRU):
    """The marked parts of the sources read lately, in this worker, bounded in characters."""

    LIMIT = 32 * 1024 * 1024

    def __init__(self):
        super().__init__(self.LIMIT, weight=lambda entry: sum(map(len, entry[0])))


marked_parts = MarkedParts()


def marked_pages(source, citing, key):
    """(parts, found): the marked archived text cut into parts of at most PART_CHARACTERS (HTML),
    and where each use's quote is ({str(use.pk): (part, anchor)}), made once per key."""
    entry = marked_parts.get(key)
    if entry is None:
        entry = cache.get(f"source-parts:{key}")
        if entry is None:
            text = Source.objects.filter(pk=source.pk).values_list("archived_text", flat=True).first() or ""
            entry = marked_text_parts(text, citing)
            cache.set(f"source-parts:{key}", entry, CACHE_SECONDS)
        marked_parts.put(key, entry)
    return entry


def part_ends(text, spans, limit=None):
    """Where each part of `text` ends: at most `limit` characters on, never inside a passage, at
    the last line break (else space) of the second half of the part when there is one."""
    limit = limit or PART_CHARACTERS
    ends, start = [], 0
    while len(text) - start > limit:
        end = start + limit
        for span_start, span_end, _ in spans:
            if span_start < end < span_end:
                end = span_start if span_start > start else span_end
                break
        else:
            window = text[start + limit // 2 : end]
            cut = window.rfind("\n")
            if cut < 0:
                cut = window.rfind(" ")
            if cut >= 0:
                end = start + limit // 2 + cut + 1
        ends.append(end)
        start = end
    ends.append(len(text))
    return ends


def marked_text_parts(text, uses):
    """marked_text, cut into parts (part_ends): ([html, ...], {str(use.pk): (part, anchor)})."""
    if not text:
        return [], {}
    spans = passages(text, uses)
    ends = part_ends(text, spans)
    parts, found, start, index = [], {}, 0, 0
    for part, end in enumerate(ends, 1):
        inside = []
        while index < len(spans) and spans[index][0] < end:
            inside.append(spans[index])
            index += 1
        html, where = marked_text(
            text, uses, spans=inside, start=start, end=end, first=index - len(inside) + 1
        )
        parts.append(str(html))
        found.update({str(pk): (part, anchor) for pk, anchor in where.items()})
        start = end
    return parts, found


def comparable_with_positions(text):
    """The text as quotes are compared with it (typographic quotes straight, every run of
    whitespace one space: sources.models.comparable_text) and, for each of its characters, where
    it stands in `text`."""
    characters, positions = [], []
    space = None
    for index, character in enumerate(text.translate(TYPOGRAPHIC_QUOTES)):
        if character.isspace():
            if space is None and characters:
                space = index
            continue
        if space is not None:
            characters.append(" ")
            positions.append(space)
            space = None
        characters.append(character)
        positions.append(index)
    return "".join(characters), positions


def passages(text, uses):
    """The stretches of `text` that the uses' quotes occupy, overlapping ones merged:
    [(start, end, [use, ...])], in text order. One search per distinct quote, no queries."""
    comparable, positions = comparable_with_positions(text)
    spans = []
    found = {}
    for use in uses:
        quote = " ".join(use.quote.translate(TYPOGRAPHIC_QUOTES).split())
        if quote not in found:
            at = comparable.find(quote) if quote else -1
            found[quote] = None if at < 0 else (positions[at], positions[at + len(quote) - 1] + 1)
        if found[quote]:
            spans.append((*found[quote], use))
    spans.sort(key=lambda span: (span[0], -span[1]))
    merged = []
    for start, end, use in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(use)
        else:
            merged.append([start, end, [use]])
    return merged


def marked_text(text, uses, *, spans=None, start=0, end=None, first=1):
    """The archived text as HTML, each quoted passage in a <mark id="p1"> followed by links to
    the claims it backs; and which passage each use's quote is in ({use.pk: "p1"}). Given the
    passages (`spans`) of text[start:end], that part only, its passages numbered from `first`."""
    if not text:
        return "", {}
    spans = passages(text, uses) if spans is None else spans
    end = len(text) if end is None else end
    people = {use.person_id for use in uses}
    parts, found, offset = [], {}, start
    for number, (start, end_, backing) in enumerate(spans, first):
        anchor = f"p{number}"
        links = {}
        for use in backing:
            found[use.pk] = anchor
            label = use.claim if len(people) == 1 else f"{use.person.live_revision.name}: {use.claim}"
            links.setdefault(f"{use.person.get_absolute_url()}#{use.anchor}", label)
        parts.append(escape(text[offset:start]))
        parts.append(
            format_html(
                '<mark id="{}">{}</mark><span class="backs"> [{}]</span>',
                anchor,
                text[start:end_],
                format_html_join("; ", '<a href="{}">{}</a>', links.items()),
            )
        )
        offset = end_
    parts.append(escape(text[offset:end]))
    return mark_safe("".join(parts)), found  # noqa: S308 - every part is escaped above
