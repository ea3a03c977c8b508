from django.contrib.sitemaps import Sitemap

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

    def lastmod(self, person):
        return person.live_revision.published_at
