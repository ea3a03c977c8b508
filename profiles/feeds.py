from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from profiles.models import PublishedRevision


class RevisionFeed(Feed):
    """Atom feed of newly published revisions of profiles that are public."""

    feed_type = Atom1Feed
    title = "Newly published profile revisions"
    link = "/"
    subtitle = "Each entry is a reviewed revision of a sourced profile."

    def items(self):
        return (
            PublishedRevision.objects.visible()
            .select_related("person")
            .defer("document", "search_text")
            .order_by("-published_at", "-pk")[:50]
        )

    def item_title(self, item):
        return f"{item.name}: revision {item.number}"

    def item_description(self, item):
        return item.comment or "Published after review."

    def item_link(self, item):
        return reverse("revision_detail", args=[item.slug, item.number])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at
