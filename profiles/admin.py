import datetime

import nested_admin
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from nested_admin.formsets import NestedInlineFormSet

from bioproject.admin import (
    ApprovalFilter,
    EditSummaryForm,
    HistoryAdmin,
    KnownRelationsForm,
    LabelledAutocompleteMixin,
    SharedRecordAdmin,
    posted_rows,
)
from bioproject.paging import whole_number
from profiles import audit, editing, importing, publishing, timeline, workflow
from profiles.diff import review_groups
from profiles.documents import normalised, person_document
from profiles.models import Event, Organization, OtherName, Person, Position, ReviewAction
from profiles.rendering import profile_context
from sources.admin import CitationInlineOptions, ProfilePartAdmin, citation_form
from sources.models import Citation
from sources.suggest import SuggestQuotesInline


def can_publish(user):
    return workflow.may(user, "publish")


def can_submit(user):
    return workflow.may(user, "submit")


# Inlines -------------------------------------------------------------------------------------


class PrefetchedCitationsFormSet(NestedInlineFormSet):
    """Citations of a position or event, from the parent's prefetched citations when it has
    them (one query for all claims rather than one per claim)."""

    def get_queryset(self):
        cache = getattr(self.instance, "_prefetched_objects_cache", {})
        if not self.data and "citations" in cache:
            return list(cache["citations"])
        return super().get_queryset()


def with_citations(claims):
    return claims.prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("source").order_by("field", "pk"))
    )


class PersonFactCitationInline(SuggestQuotesInline, CitationInlineOptions, nested_admin.NestedStackedInline):
    fk_name = "person"
    form = citation_form("person")
    verbose_name = "citation of a fact about the person"
    verbose_name_plural = "citations of the person's facts (name, birth, summary …)"

    def get_queryset(self, request):
        return super().get_queryset(request).person_facts().select_related("source")


class PositionCitationInline(SuggestQuotesInline, CitationInlineOptions, nested_admin.NestedStackedInline):
    fk_name = "position"
    form = citation_form("position")
    formset = PrefetchedCitationsFormSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class EventCitationInline(SuggestQuotesInline, CitationInlineOptions, nested_admin.NestedStackedInline):
    fk_name = "event"
    form = citation_form("event")
    formset = PrefetchedCitationsFormSet

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class OtherNameInline(nested_admin.NestedStackedInline):
    # Stacked: nested_admin's table has a header cell with no text, which axe-core refuses.
    model = OtherName
    extra = 0
    fields = [("name", "note")]


class PositionInline(LabelledAutocompleteMixin, nested_admin.NestedStackedInline):
    model = Position
    form = KnownRelationsForm
    extra = 0
    fields = [
        ("role", "organization"),
        ("start_date", "end_date", "ended"),
        ("acting", "concurrent", "ordinal"),
        "note",
    ]
    autocomplete_fields = ["organization"]
    inlines = [PositionCitationInline]
    formfield_overrides = {
        Position._meta.get_field("note").__class__: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 60})}
    }

    def get_queryset(self, request):
        return with_citations(super().get_queryset(request).select_related("organization"))


class EventInline(nested_admin.NestedStackedInline):
    model = Event
    extra = 0
    fields = [("date", "kind"), "title", "description"]
    inlines = [EventCitationInline]
    formfield_overrides = {
        Event._meta.get_field("description").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 60})
        }
    }

    def get_queryset(self, request):
        return with_citations(super().get_queryset(request))


# Person --------------------------------------------------------------------------------------


# Language tags editors most often need, offered as the native name's language is typed.
LANGUAGE_SUGGESTIONS = [
    ("zh-Hans", "Chinese, simplified"),
    ("zh-Hant", "Chinese, traditional"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("ru", "Russian"),
    ("uk", "Ukrainian"),
    ("ar", "Arabic"),
    ("fa", "Persian"),
    ("hi", "Hindi"),
    ("vi", "Vietnamese"),
    ("th", "Thai"),
    ("he", "Hebrew"),
    ("el", "Greek"),
    ("tr", "Turkish"),
]


class SuggestionsInput(forms.TextInput):
    """A text box with a list of suggestions (a <datalist>); any other value may be typed."""

    def __init__(self, suggestions, attrs=None):
        super().__init__(attrs)
        self.suggestions = suggestions

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-suggestions"
        box = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join("", '<option value="{}">{}</option>', self.suggestions)
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


class PersonForm(EditSummaryForm):
    review_comment = forms.CharField(
        label="Note for the reviewers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="Sent with “Save and submit for review”; only editors and reviewers read it.",
    )

    class Meta:
        model = Person
        fields = "__all__"
        widgets = {"native_name_lang": SuggestionsInput(LANGUAGE_SUGGESTIONS, attrs={"size": 10})}


def check_rows_belong(data, person):
    """Refuse a person's form that posts a row of another profile (a forged row id): a row never
    moves from one profile to another."""
    for model, prefixes in posted_rows(data).items():
        if model.objects.filter(pk__in=list(prefixes)).exclude(person=person).exists():
            raise PermissionDenied(
                f"This form holds a {model._meta.verbose_name} of another profile; reload the page."
            )


class StatusFilter(admin.SimpleListFilter):
    title = "review state"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Person.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Person.Status.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(Person)
class PersonAdmin(nested_admin.NestedModelAdminMixin, HistoryAdmin):
    form = PersonForm
    change_form_template = "admin/profiles/person/change_form.html"
    list_display = ["name", "native_name", "slug", "status", "live_revision_number", "birth"]
    list_filter = [StatusFilter]
    list_select_related = ["live_revision"]
    search_fields = ["name", "native_name", "romanization", "slug", "other_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        ("Names", {"fields": ["name", "slug", ("native_name", "native_name_lang"), "romanization"]}),
        ("Life", {"fields": [("birth_date", "birth_place"), ("death_date", "death_place")]}),
        ("Lead", {"fields": ["summary"]}),
        ("Identifiers", {"fields": ["identifiers"], "classes": ["collapse"]}),
    ]
    inlines = [OtherNameInline, PersonFactCitationInline, PositionInline, EventInline]

    # Beyond this many positions and events, the change page lists them (each is edited on its
    # own page, with its citations) instead of a form for each: 300 inline forms with their
    # nested citation forms are a 9 MB page that takes seconds to render. A smaller profile with
    # many citations is listed too when its form would post more fields than a request may carry
    # (DATA_UPLOAD_MAX_NUMBER_FIELDS), so every profile, whatever its size, can be saved.
    LARGE_PROFILE = 40
    FIELDS_PER_CLAIM, FIELDS_PER_CITATION, FIELDS_OVERHEAD = 20, 14, 200

    def claims_listing(self, request, person):
        """The person's positions and events with their citation counts, and the number of
        citations of the person's own facts, once per request."""
        cached = getattr(request, "_claims_listing", None)
        if cached is None or cached[0] != person.pk:
            positions = list(
                person.positions.select_related("organization").annotate(citation_count=Count("citations"))
            )
            events = list(person.events.annotate(citation_count=Count("citations")))
            facts = person.citations.person_facts().count()
            request._claims_listing = cached = (person.pk, positions, events, facts)
        return cached[1:]

    def is_large(self, request, person):
        if person is None or person.pk is None:
            return False
        positions, events, facts = self.claims_listing(request, person)
        claims = [*positions, *events]
        citations = facts + sum(claim.citation_count for claim in claims)
        fields = (
            self.FIELDS_OVERHEAD + self.FIELDS_PER_CLAIM * len(claims) + self.FIELDS_PER_CITATION * citations
        )
        return len(claims) > self.LARGE_PROFILE or fields > self.field_budget()

    def facts_listed(self, request, person):
        """Whether even the citations of the person's own facts are too many for one form: each is
        then edited on its own page."""
        if not self.is_large(request, person):
            return False
        facts = self.claims_listing(request, person)[2]
        return self.FIELDS_OVERHEAD + self.FIELDS_PER_CITATION * facts > self.field_budget()

    def field_budget(self):
        return (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS or float("inf")) * 0.8

    def has_delete_permission(self, request, obj=None):
        # A person ever published is kept with the revisions readers saw (editing.records_delete).
        return super().has_delete_permission(request, obj) and (obj is None or not obj.revisions.exists())

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if self.is_large(request, obj):
            inlines = [i for i in inlines if not isinstance(i, PositionInline | EventInline)]
        if self.facts_listed(request, obj):
            inlines = [i for i in inlines if not isinstance(i, PersonFactCitationInline)]
        return inlines

    @admin.display(description="live revision", ordering="live_revision__number")
    def live_revision_number(self, obj):
        return obj.live_revision.number if obj.live_revision else "—"

    @admin.display(description="born", ordering="birth_date")
    def birth(self, obj):
        return obj.birth_date or ""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return [*fieldsets, ("Review", {"fields": ["review_comment"]})]

    # Workflow buttons: each also saves the form (see response_add / response_change).

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and {"_publish", "_reject"} & set(request.POST):
            raise PermissionDenied("Approve or send back a profile from its review screen.")
        if request.method == "POST" and object_id:
            person = self.get_object(request, object_id)
            if person is not None:
                check_rows_belong(request.POST, person)
        extra_context = {**(extra_context or {}), **self.workflow_context(request, object_id)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, object_id):
        person = self.get_object(request, object_id) if object_id else None
        last_action = person.review_actions.select_related("user").first() if person else None
        listing = self.claims_listing(request, person) if self.is_large(request, person) else None
        return {
            "person": person,
            "last_action": last_action,
            "claims_listing": listing,
            "facts_listed": self.facts_listed(request, person),
            "can_publish": can_publish(request.user),
            "can_submit": can_submit(request.user),
        }

    def response_add(self, request, obj, post_url_continue=None):
        return self.run_workflow_button(request, obj) or super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        return self.run_workflow_button(request, obj) or super().response_change(request, obj)

    def run_workflow_button(self, request, person):
        submitting = "_submit_for_review" in request.POST
        if submitting:
            try:
                publishing.profile_submit(
                    person=person, user=request.user, note=request.POST.get("review_comment", "").strip()
                )
            except workflow.ActionRefused as refused:
                messages.error(request, "Saved, but not submitted: " + " ".join(refused.messages))
            else:
                messages.success(request, "Saved and submitted for review.")
        self.report_checks(request, person, blocking_level=messages.ERROR if submitting else messages.WARNING)
        if submitting:
            return HttpResponseRedirect(reverse("admin:profiles_person_change", args=[person.pk]))
        return None

    def report_checks(self, request, person, *, blocking_level):
        """The publishing gate's problems (what a reviewer would be told) and its warnings, apart,
        each a link to where it is fixed: shown after every save."""
        document = person_document(person)
        for level, title, problems in (
            (
                blocking_level,
                "Before a reviewer can publish it, fix:",
                publishing.publishing_problems(person, document),
            ),
            (messages.WARNING, "Worth a look before review:", publishing.publishing_warnings(document)),
        ):
            if problems:
                messages.add_message(
                    request,
                    level,
                    format_html(
                        '{}<ul class="publishing-checks">{}</ul>',
                        title,
                        format_html_join(
                            "", '<li><a href="{}">{}</a></li>', ((p.url, p.message) for p in problems)
                        ),
                    ),
                )

    # Review screens ----------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("review-queue/", view(self.review_queue_view), name="profiles_person_review_queue"),
            path("recent-changes/", view(self.recent_changes_view), name="profiles_person_recent_changes"),
            path("<int:object_id>/review/", view(self.review_view), name="profiles_person_review"),
            path("<int:object_id>/preview/", view(self.preview_view), name="profiles_person_preview"),
            path("<int:object_id>/audit/", view(self.audit_view), name="profiles_person_audit"),
            path("<int:object_id>/compare/", view(self.compare_view), name="profiles_person_compare"),
            path(
                "<int:object_id>/revert/<int:number>/",
                view(self.revert_view),
                name="profiles_person_revert",
            ),
            path(
                "<int:object_id>/hide/<int:number>/",
                view(self.hide_view),
                name="profiles_person_hide",
            ),
            *super().get_urls(),
        ]

    def person_or_404(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(Person.objects.select_related("live_revision"), pk=object_id)

    def review_queue_view(self, request):
        if not can_publish(request.user):
            raise PermissionDenied("The review queue is for reviewers.")
        return TemplateResponse(
            request,
            "admin/profiles/person/review_queue.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Review queue",
                "people": Person.objects.review_queue(),
                "shared": [
                    {**item, "url": publishing.shared_review_url(item["record"])}
                    for item in editing.shared_review_queue()
                ],
            },
        )

    def review_view(self, request, object_id):
        person = self.person_or_404(request, object_id)
        if request.method == "POST":
            return self.review_decision(request, person)
        live = person.live_revision
        working = person_document(person)
        live_document = normalised(live.document) if live else None
        # By default, what changed since the reviewer last sent it back (if that came after the
        # live revision); everything since the live revision is one click away.
        sent_back = (
            person.review_actions.filter(action=ReviewAction.Action.REJECTED, document__isnull=False)
            .filter(
                created_at__gt=live.published_at
                if live
                else datetime.datetime.min.replace(tzinfo=datetime.UTC)
            )
            .select_related("user")
            .first()
        )
        since_sent_back = sent_back is not None and request.GET.get("since") != "live"
        baseline = normalised(sent_back.document) if since_sent_back else live_document
        since = sent_back.created_at if since_sent_back else (live.published_at if live else None)
        edits = audit.person_history(person, since=since)
        return TemplateResponse(
            request,
            "admin/profiles/person/review.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": person,
                "title": f"Review changes to {person}",
                "person": person,
                "live": live,
                "sent_back": sent_back,
                "since_sent_back": since_sent_back,
                "review_token": publishing.document_digest(working),
                "changed": live_document != working,
                "groups": review_groups(baseline, working),
                "edits": audit.history_entries(edits[:200]),
                "edit_count": edits.count(),
                "problems": publishing.publishing_problems(person, working),
                "warnings": publishing.publishing_warnings(working),
                "unverified": [
                    (citation, publishing.quote_digest(citation.quote))
                    for citation in Citation.objects.filter(
                        person=person, verification=Citation.Verification.UNVERIFIED
                    ).select_related("source", "position", "event")
                    if not citation.overridden
                ],
                "pending_shared": [
                    {"record": record, "url": publishing.shared_review_url(record)}
                    for record in editing.pending_shared_of(working)
                ],
                "can_publish": can_publish(request.user),
                "revisions": person.revisions.select_related("published_by", "hidden_by").order_by("-number"),
            },
        )

    def review_decision(self, request, person):
        """Run the reviewer's decision through its service; every refusal is shown as an error."""
        comment = request.POST.get("review_comment", "").strip()
        here = reverse("admin:profiles_person_review", args=[person.pk])
        try:
            if "_publish" in request.POST:
                revision = publishing.profile_publish(
                    person=person,
                    user=request.user,
                    comment=request.POST.get("revision_note", "").strip(),
                    note=comment,
                    seen=request.POST.get("review_token", ""),
                )
                messages.success(
                    request,
                    format_html(
                        'Published as revision {}. <a href="{}">View it</a>.',
                        revision.number,
                        revision.get_absolute_url(),
                    ),
                )
                return HttpResponseRedirect(reverse("admin:profiles_person_change", args=[person.pk]))
            if "_reject" in request.POST:
                publishing.profile_reject(person=person, user=request.user, comment=comment)
                messages.warning(request, "Sent back to the editors with your comment.")
                return HttpResponseRedirect(reverse("admin:profiles_person_change", args=[person.pk]))
            if "_override" in request.POST:
                number = request.POST.get("citation", "")
                citation = get_object_or_404(Citation, person=person, pk=whole_number(number) or 0)
                try:
                    publishing.citation_override(
                        citation=citation,
                        user=request.user,
                        reason=request.POST.get("reason", ""),
                        seen=request.POST.get("quote_token", ""),
                    )
                except publishing.ChangedSinceReview as refused:
                    raise workflow.ActionRefused("No override recorded. " + str(refused)) from None
                messages.warning(request, "Override recorded: readers will see this quote as not verified.")
            if "_unpublish" in request.POST:
                if not request.POST.get("confirm"):
                    raise workflow.ActionRefused(
                        "Tick the box to confirm that the profile leaves the public site."
                    )
                publishing.profile_unpublish(
                    person=person, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.warning(request, "Taken off the public site. Its revisions are kept.")
        except publishing.PublishingRefused as refused:
            messages.error(
                request,
                format_html(
                    "Not published. Fix these first:<ul>{}</ul>",
                    format_html_join(
                        "", '<li><a href="{}">{}</a></li>', ((p.url, p.message) for p in refused.problems)
                    ),
                ),
            )
        except workflow.ActionRefused as refused:
            messages.error(request, " ".join(refused.messages))
        return HttpResponseRedirect(here)

    def preview_view(self, request, object_id):
        person = self.person_or_404(request, object_id)
        context = profile_context(person_document(person))
        return TemplateResponse(request, "profiles/person_detail.html", {**context, "preview": True})

    def audit_view(self, request, object_id):
        # The audit trail is now part of the person's one history.
        return self.history_view(request, str(object_id))

    def history_view(self, request, object_id, extra_context=None):
        """Django's "History" of a person: its one timeline of edits and review steps."""
        person = self.get_object(request, object_id)
        if person is None:
            raise Http404("No such person.")
        if not self.has_view_permission(request, person):
            raise PermissionDenied
        return timeline.timeline_response(request, self, person=person)

    def compare_view(self, request, object_id):
        """Any two published revisions of a person compared, claim by claim."""
        return timeline.compare_response(request, self, person=self.person_or_404(request, object_id))

    def recent_changes_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return audit.audit_response(request, self, person=None)

    def revert_view(self, request, object_id, number):
        person = self.person_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:profiles_person_review", args=[person.pk]))
        revision = get_object_or_404(person.revisions, number=number)
        if not workflow.may(request.user, "revert"):  # the service checks again on confirmation
            raise PermissionDenied("Only reviewers can revert a profile.")
        if not request.POST.get("confirm"):
            # A confirmation step: what the working copy would lose and gain, and the reason.
            return TemplateResponse(
                request,
                "admin/profiles/person/revert_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.opts,
                    "original": person,
                    "title": f"Revert {person} to revision {number}?",
                    "person": person,
                    "revision": revision,
                    "reason": request.POST.get("reason", ""),
                    "groups": review_groups(person_document(person), normalised(revision.document)),
                },
            )
        try:
            publishing.profile_revert(
                person=person, user=request.user, number=number, reason=request.POST.get("reason", "")
            )
        except person.revisions.model.DoesNotExist:
            messages.error(request, f"There is no revision {number}.")
        except importing.ImportProblems as error:
            messages.error(request, "Could not revert: " + "; ".join(error.problems))
        except workflow.ActionRefused as refused:
            messages.error(request, "Not reverted: " + " ".join(refused.messages))
        else:
            messages.success(
                request,
                f"Working copy reverted to revision {number}. Review and publish it to make it live.",
            )
        return HttpResponseRedirect(reverse("admin:profiles_person_review", args=[person.pk]))

    def hide_view(self, request, object_id, number):
        person = self.person_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:profiles_person_review", args=[person.pk]))
        revision = get_object_or_404(person.revisions, number=number)
        try:
            publishing.revision_hide(
                revision=revision, user=request.user, reason=request.POST.get("reason", "")
            )
        except workflow.ActionRefused as refused:
            messages.error(request, "Not hidden: " + " ".join(refused.messages))
        else:
            messages.warning(request, f"Revision {number} is hidden from readers.")
        return HttpResponseRedirect(reverse("admin:profiles_person_review", args=[person.pk]))


# The parts of a profile, each also editable on its own ------------------------------------------


class PositionCitationStandaloneInline(SuggestQuotesInline, CitationInlineOptions, admin.StackedInline):
    fk_name = "position"
    form = citation_form("position")


class EventCitationStandaloneInline(SuggestQuotesInline, CitationInlineOptions, admin.StackedInline):
    fk_name = "event"
    form = citation_form("event")


@admin.register(Position)
class PositionAdmin(ProfilePartAdmin):
    list_display = ["role", "organization", "person", "start_date", "end_date", "acting"]
    list_filter = ["acting", "concurrent", "organization__kind"]
    list_select_related = ["organization", "person"]
    search_fields = ["role", "organization__name", "person__name"]
    autocomplete_fields = ["person", "organization"]
    fields = [
        "person",
        ("role", "organization"),
        ("start_date", "end_date", "ended"),
        ("acting", "concurrent", "ordinal"),
        "note",
        "editors_note",
    ]
    inlines = [PositionCitationStandaloneInline]


@admin.register(Event)
class EventAdmin(ProfilePartAdmin):
    list_display = ["title", "date", "kind", "person"]
    list_filter = ["kind"]
    list_select_related = ["person"]
    search_fields = ["title", "description", "person__name"]
    autocomplete_fields = ["person"]
    fields = ["person", ("date", "kind"), "title", "description", "editors_note"]
    inlines = [EventCitationStandaloneInline]


@admin.register(OtherName)
class OtherNameAdmin(HistoryAdmin):
    list_display = ["name", "note", "person"]
    list_filter = ["note"]
    list_select_related = ["person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]


@admin.register(Organization)
class OrganizationAdmin(SharedRecordAdmin):
    list_display = ["name", "native_name", "kind", "parent", "review_state"]
    list_filter = ["kind", ApprovalFilter]
    list_select_related = ["parent"]
    search_fields = ["name", "native_name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "native_name", "slug", "kind", "parent", "identifiers"]


@admin.register(ReviewAction)
class ReviewActionAdmin(admin.ModelAdmin):
    """The log of review steps: read-only, for reviewers' audits."""

    list_display = ["created_at", "subject", "action", "user", "comment"]
    list_filter = ["action"]
    list_select_related = ["person", "organization", "source", "user"]
    search_fields = ["person__name", "organization__name", "source__title", "comment", "user__username"]
    readonly_fields = [
        "person",
        "organization",
        "source",
        "action",
        "user",
        "comment",
        "revision",
        "created_at",
    ]

    def delete_queryset(self, request, queryset):
        raise PermissionDenied("The review log is kept for the record.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
