from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from bioproject.admin import (
    ApprovalFilter,
    HistoryAdmin,
    KnownRelationsForm,
    LabelledAutocompleteMixin,
    SharedRecordAdmin,
)
from profiles.claims import CLAIM_FIELDS, LABELS
from profiles.models import Person
from sources import evidence, suggest
from sources.drafting_admin import DraftViews
from sources.models import Citation, Source


class CitationFormBase(KnownRelationsForm):
    """A citation form whose field list holds only the fields of its kind of claim."""

    claim_kind = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.claim_kind and "field" in self.fields:
            whole = [] if self.claim_kind == "person" else [("", "the whole claim")]
            self.fields["field"] = forms.ChoiceField(
                choices=whole + [(name, LABELS[name]) for name in CLAIM_FIELDS[self.claim_kind]],
                required=self.claim_kind == "person",
                initial=self.initial.get("field", ""),
                help_text=self.fields["field"].help_text,
            )


def citation_form(kind):
    return type(f"{kind.capitalize()}CitationForm", (CitationFormBase,), {"claim_kind": kind})


class CitationInlineOptions(LabelledAutocompleteMixin):
    """What every citation inline shows, wherever its claim is edited."""

    model = Citation
    # Stacked, not a table row: a row of all nine fields was 2,350 px wide, so the stance and the
    # quote check sat off-screen. What every citation needs is on top; the rest opens on demand
    # (and opens by itself when one of its fields has an error).
    fieldsets = [
        (None, {"fields": [("field", "source"), "quote"]}),
        (
            "Locator, stance, notes, quote check",
            {
                "classes": ["collapse"],
                "fields": ["locator", ("stance", "stated"), "note", "editors_note", "quote_check"],
            },
        ),
    ]
    readonly_fields = ["quote_check"]
    autocomplete_fields = ["source"]
    extra = 0
    formfield_overrides = {
        Citation._meta.get_field("quote").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 60})
        },
    }

    @admin.display(description="quote check")
    def quote_check(self, citation):
        return quote_check(citation)

    class Media:
        # A new citation row starts with the source of the citation above it (shown, and said).
        js = ["sources/citation_rows.js"]
        css = {"all": ["sources/citation_rows.css"]}


def quote_check(citation):
    """The quote check as an editor reads it at the citation: for a quote the archived text does
    not hold, the passage of the text closest to it, to copy or compare."""
    if citation is None or citation.pk is None:
        return "checked when saved"
    if citation.verification != Citation.Verification.UNVERIFIED:
        return citation.get_verification_display()
    if citation.overridden:
        return format_html("not found; published unverified by a reviewer: {}", citation.override_reason)
    closest = evidence.closest_passage(citation.source.archived_text, citation.quote)
    if closest is None:
        return "not found in the source's archived text"
    return format_html(
        'not found in the source\'s archived text. Closest passage{}: <q class="closest-passage">{}</q>',
        f" ({closest.locator})" if closest.locator else "",
        closest.quote,
    )


class ProfilePartAdmin(HistoryAdmin):
    """A position, event or citation on its own page: "Save" returns to its person's page (not
    to the site-wide list), and "Save and submit for review" saves, then submits the person, as
    the person's page does. Every save lists the profile's publishing checks there."""

    change_form_template = "admin/profiles/profile_part_change_form.html"
    STAY = {"_continue", "_addanother", "_saveasnew", IS_POPUP_VAR}

    def response_add(self, request, obj, post_url_continue=None):
        return self.return_to_person(
            request,
            obj,
            lambda: super(ProfilePartAdmin, self).response_add(request, obj, post_url_continue),
            done="added",
        )

    def response_change(self, request, obj):
        return self.return_to_person(
            request, obj, lambda: super(ProfilePartAdmin, self).response_change(request, obj), done="changed"
        )

    def return_to_person(self, request, obj, default, *, done):
        person = obj.person
        person_admin = self.admin_site._registry[Person]
        if "_submit_for_review" in request.POST:
            # Submits (an ActionRefused becomes a message), lists the checks, returns to the person.
            return person_admin.run_workflow_button(request, person)
        if self.STAY & set(request.POST):
            response = default()
            if IS_POPUP_VAR not in request.POST:
                person_admin.run_workflow_button(request, person)  # the checks only
            return response
        messages.success(
            request,
            format_html(
                'The {} “<a href="{}">{}</a>” was {} successfully.',
                obj._meta.verbose_name,
                reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]),
                obj,
                done,
            ),
        )
        person_admin.run_workflow_button(request, person)
        return HttpResponseRedirect(reverse("admin:profiles_person_change", args=[person.pk]))


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
                    "language",
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
        drafting = DraftViews(self)
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/draft/",
                suggest.staff_only(wrap(drafting.draft), as_json=False),
                name="sources_source_draft",
            ),
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
class CitationAdmin(suggest.SuggestQuotesAdmin, ProfilePartAdmin):
    list_display = ["claim", "person", "source", "stance", "verification", "short_quote"]
    list_filter = [VerificationFilter, "stance", "field", "source"]
    list_select_related = ["person", "position__organization", "event", "source"]
    search_fields = ["quote", "note", "person__name", "source__title"]
    autocomplete_fields = ["person", "position", "event", "source"]
    readonly_fields = ["quote_check"]
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
        "quote_check",
    ]

    @admin.display(description="quote check")
    def quote_check(self, obj):
        return quote_check(obj)

    @admin.display(description="claim")
    def claim(self, obj):
        claim = obj.position or obj.event
        label = str(claim) if claim else "person"
        return f"{label} · {obj.field.replace('_', ' ')}" if obj.field else label

    @admin.display(description="quote")
    def short_quote(self, obj):
        return obj.quote if len(obj.quote) < 80 else obj.quote[:77] + "…"
