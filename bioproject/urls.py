from django.contrib import admin
from django.urls import include, path

from bioproject import health
from profiles import api, public_diff, views
from profiles.feeds import RevisionFeed
from profiles.sitemaps import SITEMAPS, sitemap_or_index
from sources.views import SourceDetailView

handler500 = "bioproject.middleware.server_error"

admin.site.site_header = "bioproject editorial"
admin.site.site_title = "bioproject"
admin.site.index_title = "Profiles, sources and review"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/<slug:slug>.json", views.PersonJSONView.as_view(), name="person_json"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<slug:slug>/revisions/", views.RevisionListView.as_view(), name="revision_list"),
    path(
        "people/<slug:slug>/revisions/<int:number>/",
        views.RevisionDetailView.as_view(),
        name="revision_detail",
    ),
    path(
        "people/<slug:slug>/revisions/<int:number>/diff/",
        public_diff.RevisionDiffView.as_view(),
        name="revision_diff",
    ),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("sources/<slug:pk>/", SourceDetailView.as_view(), name="source_detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("api/", include(api.urlpatterns)),
    path("feeds/revisions.atom", RevisionFeed(), name="revision_feed"),
    path(
        "sitemap.xml",
        sitemap_or_index,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
]
