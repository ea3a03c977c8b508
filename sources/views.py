from django.http import Http404
from django.views.generic import DetailView

from profiles.models import LIVE_DOCUMENT
from sources.models import Source


class SourceDetailView(DetailView):
    """A source and every published claim that cites it ("what links here")."""

    template_name = "sources/source_detail.html"
    context_object_name = "source"
    queryset = Source.objects.defer("archived_text")

    def get_context_data(self, **kwargs):
        citing = list(
            self.object.published_citations.select_related("person__live_revision")
            .defer(*(f"person__{name}" for name in LIVE_DOCUMENT))
            .order_by("person__live_revision__name", "person_id", "pk")
        )
        if not citing:
            raise Http404("No published profile cites this source.")
        return {**super().get_context_data(**kwargs), "citing": citing}
