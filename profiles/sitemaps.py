"""The sitemap of published profiles, listed at any size.

Up to `ProfileSitemap.limit` profiles, /sitemap.xml is the list itself. Beyond, it is a sitemap
index naming every page (/sitemap.xml?p=1 … ?p=N), each a list of `limit` profiles, so that every
profile is listed however many there are (search engines read at most 50,000 a file).
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.template.response import TemplateResponse
from django.utils.functional import cached_property

from bioproject.paging import Paginator
from profiles.models import Person


class ProfileSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Person.objects.listed()
            .only("live_revision__slug", "live_revision__published_at")
            .order_by("live_revision__slug")
        )

    @cached_property
    def paginator(self):
        # One count for the index and the page (a fresh instance serves each request); ?p= read
        # as every page number is.
        return Paginator(self._items(), self.limit)

    def lastmod(self, person):
        return person.live_revision.published_at


SITEMAPS = {"profiles": ProfileSitemap}


def sitemap_or_index(request, sitemaps=None, **kwargs):
    """The list of profiles, or, when they fill more than one page and no page is asked, the
    index of its pages."""
    sitemaps = {name: site() if callable(site) else site for name, site in (sitemaps or SITEMAPS).items()}
    if "p" not in request.GET:
        pages = sum(site.paginator.num_pages for site in sitemaps.values())
        if pages > 1:
            base = request.build_absolute_uri(request.path)
            locations = [
                f"{base}?p={number}"
                for site in sitemaps.values()
                for number in range(1, site.paginator.num_pages + 1)
            ]
            return TemplateResponse(
                request,
                "sitemap_index.xml",
                {"sitemaps": [{"location": location, "last_mod": None} for location in locations]},
                content_type="application/xml",
            )
    return sitemap_views.sitemap(request, sitemaps=sitemaps, **kwargs)
