"""The public diff of a revision: what changed from the previous revision readers may see, claim by
claim, in words a reader understands (names of sources and organizations, dates as readers read
them; no ids or keys).

A hidden revision never appears: revision n is compared with the last visible revision before it,
and a hidden n has no diff (404), as it has no page.
"""

import copy

from django.http import Http404
from django.views.generic import TemplateView

from profiles.diff import document_diff
from profiles.documents import all_citations, normalised
from profiles.models import Event
from profiles.views import CurrentAddressMixin
from sources.models import Citation

# Labels of the diff's fields (profiles.diff) as a reader would say them.
READER_LABELS = {
    "native name lang": "language of the native name",
    "stance": "what the source does",
    "stated": "what the source states",
    "locator": "where in the source",
    "note": "note",
}
STANCES = dict(Citation.Stance.choices)
EVENT_KINDS = dict(Event.Kind.choices)


def source_name(source):
    return f"{source['title']} ({source['publisher']})" if source.get("publisher") else source["title"]


def readable(document, names):
    """A copy of a document whose values read as words: sources by name, stances and kinds of
    event by their labels."""
    document = copy.deepcopy(document)
    for citation in all_citations(document):
        citation["source"] = names.get(citation["source"], "a source")
        citation["stance"] = STANCES.get(citation["stance"], citation["stance"])
    for event in document["events"]:
        event["kind"] = EVENT_KINDS.get(event["kind"], event["kind"])
    return document


def changes_in_words(old, new):
    """The changes from document `old` to `new` (both normalised) as profiles.diff describes them,
    with every source named (by its name in `new` when both have it) and labels a reader reads."""
    names = {source["id"]: source_name(source) for source in old["sources"]}
    names.update({source["id"]: source_name(source) for source in new["sources"]})
    changes = document_diff(readable(old, names), readable(new, names))
    for change in changes:
        change.claim = READER_LABELS.get(change.claim.lower(), change.claim)
        change.claim = change.claim[:1].upper() + change.claim[1:]
        change.fields = [
            (READER_LABELS.get(label, label), before, after) for label, before, after in change.fields
        ]
    return changes


class RevisionDiffView(CurrentAddressMixin, TemplateView):
    template_name = "profiles/revision_diff.html"

    def get_context_data(self, **kwargs):
        number = self.kwargs["number"]
        # Revision n and the visible one before it, in one query; a hidden n is not among them.
        pair = list(
            self.person.revisions.visible()
            .filter(number__lte=number)
            .defer("search_text")
            .order_by("-number")[:2]
        )
        if len(pair) < 2 or pair[0].number != number:
            raise Http404("This revision has no earlier revision to compare with.")
        revision, previous = pair
        return {
            **super().get_context_data(**kwargs),
            "person": self.person,
            "revision": revision,
            "previous": previous,
            "changes": changes_in_words(normalised(previous.document), normalised(revision.document)),
        }
