from django.http import Http404
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.generic import DetailView

from profiles.models import LIVE_DOCUMENT
from sources.models import TYPOGRAPHIC_QUOTES, Source


class SourceDetailView(DetailView):
    """A source, what it says (its archived text, every passage quoted on a live profile marked
    and linked to the claims it backs) and every published claim that cites it."""

    template_name = "sources/source_detail.html"
    context_object_name = "source"
    queryset = Source.objects.all()

    def get_context_data(self, **kwargs):
        citing = list(
            self.object.published_citations.select_related("person__live_revision")
            .defer(*(f"person__{name}" for name in LIVE_DOCUMENT))
            .order_by("person__live_revision__name", "person_id", "pk")
        )
        if not citing:
            raise Http404("No published profile cites this source.")
        text, found = marked_text(self.object.archived_text, citing)
        for use in citing:
            use.passage = found.get(use.pk)
        return {
            **super().get_context_data(**kwargs),
            "citing": citing,
            "archived_text": text,
            "unfound": sum(use.passage is None for use in citing),
        }


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


def marked_text(text, uses):
    """The archived text as HTML, each quoted passage in a <mark id="p1"> followed by links to
    the claims it backs; and which passage each use's quote is in ({use.pk: "p1"})."""
    if not text:
        return "", {}
    people = {use.person_id for use in uses}
    parts, found, offset = [], {}, 0
    for number, (start, end, backing) in enumerate(passages(text, uses), 1):
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
                text[start:end],
                format_html_join("; ", '<a href="{}">{}</a>', links.items()),
            )
        )
        offset = end
    parts.append(escape(text[offset:]))
    return mark_safe("".join(parts)), found  # noqa: S308 - every part is escaped above
