"""What every admin of the project shares: revision history with an edit summary, and
autocomplete widgets that do not run a query per row to label their current value."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from bioproject import fieldvalues
from bioproject.paging import Paginator, whole_number
from profiles import diff, editing, publishing, workflow
from profiles.models import Event, OtherName, Position
from sources.models import Citation


class LabelledAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose current value can be labelled from an object already loaded.

    Django's widget looks its selected object up again on every render: one query per inline
    row. The form hands it the related object it has (see KnownRelationsForm).
    """

    known = None  # {str(pk): label}

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not self.known or not selected or not selected <= set(self.known):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for pk in sorted(selected):
            options.append(self.create_option(name, pk, self.known[pk], True, len(options)))
        return [(None, options, 0)]


class LabelledAutocompleteMixin:
    """For admins and inlines: autocomplete fields use LabelledAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KnownRelationsForm(forms.ModelForm):
    """Gives its autocomplete widgets the related objects its instance has already loaded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, LabelledAutocompleteSelect):
                continue
            model_field = self.instance._meta.get_field(name)
            if model_field.is_cached(self.instance):
                related = getattr(self.instance, name)
                if related is not None:
                    widget.known = {str(related.pk): field.label_from_instance(related)}


class JSONFormField(forms.JSONField):
    """Django's JSON field, refusing JSON nested deeper than MAX_DEPTH with a form error (Python's
    parser raises RecursionError past about a thousand levels: a 500)."""

    MAX_DEPTH = 20
    default_error_messages = {"nested": "This JSON is nested too deeply: at most %(depth)s levels."}

    def to_python(self, value):
        try:
            parsed = super().to_python(value)
        except RecursionError:
            parsed = None
        else:
            if depth(parsed, self.MAX_DEPTH) <= self.MAX_DEPTH:
                return parsed
        raise ValidationError(self.error_messages["nested"], code="nested", params={"depth": self.MAX_DEPTH})

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except RecursionError:  # shown again as typed, with the error above
            return forms.fields.InvalidJSONInput(data)


def depth(value, limit):
    """How deeply lists and objects nest in a parsed JSON value, counted up to limit + 1."""
    deepest, level = 0, [(value, 1)]
    while level and deepest <= limit:
        item, at = level.pop()
        if isinstance(item, list | dict):
            deepest = max(deepest, at)
            level.extend((child, at + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


class EditSummaryForm(KnownRelationsForm):
    """Every admin form: an edit summary for the history, and the version the editor opened
    (`edit_token`), which the save checks so that nobody's work is overwritten unseen."""

    edit_summary = forms.CharField(
        required=False,
        max_length=250,
        help_text="Briefly say what you changed and why, e.g. “Start date from Xinhua obituary”. "
        "It is kept in the history with your name.",
        widget=forms.TextInput(attrs={"size": 80}),
    )
    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    # Set by EditorialAdmin.get_form: version_of(instance) -> token, and check(instance, token),
    # which raises EditConflict when the record moved since that token.
    version_of = None
    check_version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound and self.version_of is not None:
            self.initial["edit_token"] = type(self).version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.check_version is not None:
            try:
                type(self).check_version(self.instance, cleaned.get("edit_token") or "")
            except editing.EditConflict as conflict:
                # Saving the form again is a deliberate overwrite, with the other changes seen.
                self.data = self.data.copy()
                self.data[self.add_prefix("edit_token")] = conflict.latest
                raise
        return cleaned


class HistoryAdmin(LabelledAutocompleteMixin, SimpleHistoryAdmin):
    """Base of every admin of editorial records: history pages, an edit summary that becomes the
    change reason, an edit-conflict check, and every write through the editorial services.

    A POST runs inside `profiles.editing.profile_edit`, so each record the admin saves or deletes
    (inline rows and bulk actions included) passes the write guard: the user's permission, the
    profile's lock, history with the edit summary, and the workflow's "edit" transition.
    """

    form = EditSummaryForm
    list_per_page = 50
    paginator = Paginator
    formfield_overrides = {models.JSONField: {"form_class": JSONFormField}}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in EXTRA_FIELDS]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, ("Edit summary", {"fields": ["edit_summary", "edit_token"]})]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.version_of = staticmethod(self.version_of)
        form.check_version = staticmethod(self.check_version)
        if obj is not None and "person" in form.base_fields:
            # A row stays in the profile it was made in (the write guard refuses a move too).
            form.base_fields["person"].disabled = True
            form.base_fields[
                "person"
            ].help_text = (
                "A row stays in its profile: to give this to another person, add it to their profile."
            )
        return form

    # The version of a record for the edit-conflict check: that of its whole profile.
    def version_of(self, obj):
        return editing.version_of(self.profile_of(obj))

    def check_version(self, obj, token):
        editing.check_unchanged(self.profile_of(obj), token)

    def profile_of(self, obj):
        return getattr(obj, "person", obj)

    def locked_profile(self, request, object_id):
        """The person whose lock a POST to this object's page takes first."""
        obj = self.get_object(request, object_id) if object_id else None
        return self.profile_of(obj) if obj is not None else None

    def editing(self, request, object_id=None):
        return editing.profile_edit(
            user=request.user,
            reason=(request.POST.get("edit_summary") or "")[:250],
            person=self.locked_profile(request, object_id),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id:
            self.merge_concurrent_edits(request, object_id)
        with self.editing(request, object_id):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def merge_concurrent_edits(self, request, object_id):
        """When the record was edited since this form was opened, re-show the form (the form
        refuses the save) with the other edits in every field, inline rows included, that this
        editor did not touch."""
        try:
            seen = editing.version_moment(request.POST.get("edit_token", ""))
        except ValidationError:
            return  # the form's own check says so
        obj = self.get_object(request, object_id)
        version = self.version_of(obj) if obj is not None else None
        latest = editing.version_moment(version) if version and version != "unchanged" else None
        if latest and latest > seen:
            request.POST = merge_untouched(request.POST, obj, seen)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        with self.editing(request, object_id):
            return super().delete_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        with self.editing(request):
            return super().changelist_view(request, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reading an old version is fine; saving it would bypass the review workflow.
        if request.method == "POST":
            raise PermissionDenied("Restore an old version from the profile's review screen.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        # Read by bioproject.history.History for this object and every inline saved with it.
        request.edit_summary = form.cleaned_data.get("edit_summary") or None
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        request.edit_summary = request.POST.get("edit_summary") or None
        editing.record_delete(record=obj, user=request.user, reason=request.edit_summary or "")

    def delete_queryset(self, request, queryset):
        editing.records_delete(records=list(queryset), user=request.user, reason="Deleted from the list")


class SharedRecordAdmin(HistoryAdmin):
    """Organizations and sources: readers see an approved one as it is, so an editor's change
    waits for a reviewer (a pending change), which this form shows and edits."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        return editing.with_pending(obj) if obj is not None else None

    def version_of(self, obj):
        return editing.shared_version_of(obj)

    def check_version(self, obj, token):
        editing.check_shared_unchanged(obj, token)

    def locked_profile(self, request, object_id):
        return None

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("edit_summary") or ""
        saved = editing.shared_record_save(record=obj, user=request.user, reason=reason)
        if saved is not obj and getattr(saved, "values", None) is not None:
            messages.info(
                request, "Your change waits for a reviewer; readers see the approved version until then."
            )

    def has_delete_permission(self, request, obj=None):
        # Readers may see an approved record, and published revisions link to it: it stays.
        return super().has_delete_permission(request, obj) and (obj is None or obj.approved_at is None)

    def delete_model(self, request, obj):
        editing.shared_record_delete(
            record=obj, user=request.user, reason=request.POST.get("edit_summary") or ""
        )

    def delete_queryset(self, request, queryset):
        try:
            editing.records_delete(records=list(queryset), user=request.user, reason="Deleted from the list")
        except ValidationError as refused:
            messages.error(request, "Nothing was deleted: " + " ".join(refused.messages))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pending_change")

    @admin.display(description="review")
    def review_state(self, obj):
        if obj.approved_at is None:
            return "new, awaits review"
        return "change awaits review" if getattr(obj, "pending_change", None) else "approved"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        """A reviewer's page for one organization or source: what changes, who asked, approve
        or decline (through profiles.publishing)."""
        try:
            record = self.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, ValidationError):  # a key of the wrong shape, e.g. letters for a number
            record = None
        if record is None or not self.has_view_permission(request, record):
            raise Http404
        here = request.path
        if request.method == "POST":
            try:
                if "_approve" in request.POST:
                    publishing.shared_record_approve(
                        record=record,
                        user=request.user,
                        comment=request.POST.get("review_comment", "").strip(),
                        seen=request.POST.get("review_token", ""),
                    )
                    messages.success(request, f"Approved: readers now see “{record}” as reviewed.")
                elif "_reject" in request.POST:
                    publishing.shared_record_reject(
                        record=record, user=request.user, comment=request.POST.get("review_comment", "")
                    )
                    messages.warning(request, "Declined, with your comment.")
            except publishing.PublishingRefused as refused:
                messages.error(request, " ".join(p.message for p in refused.problems))
            except ValidationError as refused:  # the action's refusal, or the change now invalid
                messages.error(request, "Not approved: " + " ".join(refused.messages))
            return HttpResponseRedirect(here)
        change = editing.pending_change(record)
        rows, broken = [], []
        if change is not None and "archived_text" in change.values:
            broken = record.live_quotes_broken_by(change.values["archived_text"] or "")
            if broken:
                listed = "; ".join(
                    f"{person.live_revision.name} ({len(quotes)})" for person, quotes in broken
                )
                messages.warning(
                    request,
                    f"This text drops passages that live profiles quote: {listed}. Once approved, their "
                    "quotes read “not found” on the source page; correct those profiles too.",
                )
        if change is not None:
            proposed = fieldvalues.apply_values(type(record).objects.get(pk=record.pk), change.values)
            rows = [_review_row(record, proposed, name) for name in change.values]
        elif record.approved_at is None:
            rows = [_review_row(None, record, name) for name in self.model.REVIEWED_FIELDS]
        return TemplateResponse(
            request,
            "admin/shared_review.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": record,
                "title": f"Review {self.model._meta.verbose_name} “{record}”",
                "record": record,
                "change": change,
                "rows": rows,
                "review_token": publishing.shared_digest(record),
                "unapproved": [
                    (reference, publishing.shared_review_url(reference))
                    for reference in publishing.unapproved_references(record, change and change.values)
                ],
                "can_review": workflow.may(request.user, "approve_shared"),
                "steps": record.review_actions.select_related("user")[:20],
                "broken_quotes": broken,  # [(person, [quote, ...])] that approving would orphan
            },
        )


def _shown(record, field):
    value = getattr(record, field.name) if record is not None else None
    if value is None or value == "":
        return "—"
    return str(value)


def _review_row(approved, proposed, name):
    """One reviewed field, old and new, whole: a long text changed also as its changed passages
    in context, so that a change deep inside it is seen where it is."""
    field = proposed._meta.get_field(name)
    old = _shown(approved, field) if approved is not None else ""
    new = _shown(proposed, field)
    passages = None
    if approved is not None and diff.is_long_text(old, new):
        passages = diff.text_passages(old, new)
    return {"name": field.verbose_name, "old": old, "new": new, "passages": passages}


ROW_MODELS = {"positions": Position, "events": Event, "other_names": OtherName, "citations": Citation}


def as_form_text(field, value):
    """A model value as the admin form submits it."""
    if value is None:
        return ""
    if field.is_relation:
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def posted_rows(data):
    """The inline rows a form posts, by model: {model: {pk: form prefix}}."""
    by_model = {}
    for key, value in data.items():
        row = whole_number(value) if key.endswith("-id") else None
        if row is not None:
            prefix = key[:-2]
            parts = prefix.rstrip("-").split("-")
            model = ROW_MODELS.get(parts[-2]) if len(parts) > 1 else None
            if model is not None:
                by_model.setdefault(model, {})[row] = prefix
    return by_model


def merge_untouched(data, record, seen):
    """The submitted form data of a record (a person, a part of a profile, an organization or a
    source) and its inline rows, with each field the editor did not change since `seen` (the
    submitted value is still the value then) set to its value now: saving again after an edit
    conflict applies this editor's changes without reverting the other editor's."""
    data = data.copy()
    by_model = posted_rows(data)
    by_model.setdefault(type(record), {})[record.pk] = ""
    change = editing.pending_change(record) if record.profile_id() is None and record.pk else None
    for model, prefixes in by_model.items():
        records = model.history.filter(id__in=prefixes, history_date__lte=seen).latest_of_each()
        then = {record.id: record for record in records if record.history_type != "-"}
        now = model.objects.in_bulk(list(prefixes))
        if change is not None and model is type(record):
            # An approved organization or source as editors see it: with its pending change.
            fieldvalues.apply_values(now[record.pk], change.values)
            if change.updated_at <= seen and record.pk in then:
                fieldvalues.apply_values(then[record.pk], change.values)
        for pk, prefix in prefixes.items():
            if pk not in then or pk not in now:
                continue
            for field in model._meta.concrete_fields:
                if not hasattr(then[pk], field.attname):  # not kept in history: not edited here
                    continue
                key = prefix + field.name
                old = getattr(then[pk], field.attname)
                new = getattr(now[pk], field.attname)
                if isinstance(field, models.BooleanField):
                    if (key in data) == bool(old) and old != new:
                        data.pop(key, None) if not new else data.__setitem__(key, "on")
                elif key in data and data[key].strip() == as_form_text(field, old):
                    data[key] = as_form_text(field, new)
    return data


class ApprovalFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("new", "new, awaits review"), ("pending", "change awaits review"), ("approved", "approved")]

    def queryset(self, request, queryset):
        if self.value() == "new":
            return queryset.filter(approved_at__isnull=True)
        if self.value() == "pending":
            return queryset.filter(pending_change__isnull=False)
        if self.value() == "approved":
            return queryset.filter(approved_at__isnull=False)
        return queryset


EXTRA_FIELDS = {"edit_summary", "edit_token"}
