from django import forms
from django.contrib import admin
from django.db.models import Count
from django.urls import path

from bioproject.admin import (
    ApprovalFilter,
    HistoryAdmin,
    KnownRelationsForm,
    LabelledAutocompleteMixin,
    SharedRecordAdmin,
)
from profiles.claims import CLAIM_FIELDS
from sources import suggest
from sources.models import Citation, Source


class CitationFormBase(KnownRelationsForm):
    """A citation form whose field list holds only the fields of its kind of claim."""

    claim_kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.claim_kind and "field" in self.fields:
            whole = [] if self.claim_kind == "person" else [("", "the whole claim")]
            self.fields["field"] = forms.ChoiceField(
                choices=whole + [(name, name.replace("_", " ")) for name in CLAIM_FIELDS[self.claim_kind]],
                required=self.claim_kind == "person",
                initial=self.initial.get("field", ""),
                help_text=self.fields["field"].help_text,
            )


def citation_form(kind):
    return type(f"{kind.capitalize()}CitationForm", (CitationFormBase,), {"claim_kind": kind})


class CitationInlineOptions(LabelledAutocompleteMixin):
    """What every citation inline shows, wherever its claim is edited."""

    model = Citation
    fields = [
        "field",
        "source",
        "quote",
        "locator",
        "stance",
        "stated",
        "note",
        "editors_note",
        "verification",
    ]
    readonly_fields = ["verification"]
    autocomplete_fields = ["source"]
    extra = 0
    formfield_overrides = {
        Citation._meta.get_field("quote").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 50})
        },
    }


@admin.register(Source)
class SourceAdmin(SharedRecordAdmin):
    list_display = ["title", "kind", "publisher", "url", "accessed", "citation_count", "review_state"]
    list_filter = ["kind", ApprovalFilter, "publisher", "accessed"]
    search_fields = ["id", "title", "publisher", "author", "url"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "id",
                    "title",
                    "kind",
                    "url",
                    "version_url",
                    "publisher",
                    "author",
                    "published",
                    "accessed",
                ]
            },
        ),
        ("Archive", {"fields": ["archive_url", "archived_text", "note", "editors_note"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(citation_total=Count("citations"))
            .order_by(*Source._meta.ordering)
        )

    @admin.display(description="citations", ordering="citation_total")
    def citation_count(self, obj):
        return obj.citation_total

    def get_readonly_fields(self, request, obj=None):
        return ["id"] if obj else []

    def get_urls(self):
        views = suggest.EvidenceViews(self)
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/suggest/",
                suggest.staff_only(wrap(suggest.suggest_view), as_json=True),
                name="sources_source_suggest",
            ),
            path(
                "<path:object_id>/evidence/",
                suggest.staff_only(wrap(views.evidence), as_json=False),
                name="sources_source_evidence",
            ),
            *super().get_urls(),
        ]


class VerificationFilter(admin.SimpleListFilter):
    title = "quote check"
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return Citation.Verification.choices

    def queryset(self, request, queryset):
        if self.value() in Citation.Verification.values:
            return queryset.filter(verification=self.value())
        return queryset


@admin.register(Citation)
class CitationAdmin(suggest.SuggestQuotesAdmin, HistoryAdmin):
    list_display = ["claim", "person", "source", "stance", "verification", "short_quote"]
    list_filter = [VerificationFilter, "stance", "field", "source"]
    list_select_related = ["person", "position__organization", "event", "source"]
    search_fields = ["quote", "note", "person__name", "source__title"]
    autocomplete_fields = ["person", "position", "event", "source"]
    readonly_fields = ["verification"]
    fields = [
        "person",
        "position",
        "event",
        "field",
        "source",
        "quote",
        "locator",
        "stance",
        "stated",
        "note",
        "editors_note",
        "verification",
    ]

    @admin.display(description="claim")
    def claim(self, obj):
        claim = obj.position or obj.event
        label = str(claim) if claim else "person"
        return f"{label} · {obj.field.replace('_', ' ')}" if obj.field else label

    @admin.display(description="quote")
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) < 80 else obj.quote[:77] + "…"
