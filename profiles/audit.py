"""The audit trail: every historical record of a profile, newest first, with field-level diffs.

django-simple-history keeps one history table per model and does not link an inline's rows to its
parent. Every claim model here carries `person` itself (citations too), so its history rows keep the
person even after the claim is deleted; the trail is one UNION over those tables, paginated in the
database, then each page's rows are fetched with their previous versions in two queries per table.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import CharField as CharFieldType
from django.db.models import OuterRef, Subquery, Value
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property

from bioproject.paging import Paginator
from profiles.models import Event, OtherName, Person, Position, ReviewAction
from sources.models import Citation, Source

KINDS = {
    "person": Person,
    "other name": OtherName,
    "position": Position,
    "event": Event,
    "citation": Citation,
    "source": Source,
}


def history_model(kind):
    return KINDS[kind].history.model


def person_history(person=None, *, since=None, until=None, user=None, kinds=None, also=()):
    """(kind, history_id, history_date) rows of a person's records (or all), newest first;
    `also`: more querysets of such rows to merge in (the review steps of profiles.timeline)."""
    parts = []
    for kind in kinds or KINDS:
        rows = history_model(kind).objects.all()
        if person is not None:
            if kind == "person":
                rows = rows.filter(id=person.pk)
            elif kind == "source":
                cited = history_model("citation").objects.filter(person_id=person.pk)
                rows = rows.filter(id__in=cited.values("source_id"))
            else:
                rows = rows.filter(person_id=person.pk)
        if since is not None:
            rows = rows.filter(history_date__gt=since)
        if until is not None:
            rows = rows.filter(history_date__lt=until)
        if user is not None:
            rows = rows.filter(history_user=user)
        parts.append(
            rows.order_by()
            .annotate(record_kind=Value(kind, output_field=CharFieldType()))
            .values_list("record_kind", "history_id", "history_date")
        )
    parts += also
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-history_date", "-history_id")


def latest_change(person):
    """When the last content edit of a person's profile was recorded, or None."""
    row = person_history(person).first()
    return row[2] if row else None


@dataclass
class Entry:
    kind: str
    record: object  # the historical row
    action: str  # created, changed, deleted
    changes: list  # [(field, old, new)]
    source: str = ""  # a citation's source, by name

    @property
    def label(self):
        record = self.record
        return {
            "position": lambda: record.role,
            "event": lambda: record.title,
            "citation": lambda: f"{self.source or record.source_id}: “{record.quote[:70]}”",
            "source": lambda: record.title,
        }.get(self.kind, lambda: record.name)()


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def history_entries(rows):
    """Entries for a page of (kind, history_id, history_date) rows, in that order."""
    rows = list(rows)
    wanted = {}
    for kind, history_id, _ in rows:
        wanted.setdefault(kind, []).append(history_id)
    records = {}
    for kind, ids in wanted.items():
        model = history_model(kind)
        previous = (
            model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        fetched = list(
            model.objects.filter(history_id__in=ids)
            .annotate(previous_id=Subquery(previous))
            .select_related("history_user")
        )
        earlier = model.objects.in_bulk([r.previous_id for r in fetched if r.previous_id])
        for record in fetched:
            records[(kind, record.history_id)] = (record, earlier.get(record.previous_id))
    raw = []
    for kind, history_id, _ in rows:
        record, before = records[(kind, history_id)]
        fields = KINDS[kind]._meta
        changes = []
        if record.history_type == "~" and before is not None:
            delta = record.diff_against(before, excluded_fields=HIDDEN_FIELDS)
            changes = [(fields.get_field(c.field), c.old, c.new) for c in delta.changes]
        elif record.history_type == "+":
            changes = [
                (f, None, getattr(record, f.attname))
                for f in fields.concrete_fields
                if f.name not in HIDDEN_FIELDS
                and getattr(record, f.attname, None) not in (None, "", False, [])
            ]
        raw.append((kind, record, changes))
    source = Citation._meta.get_field("source")
    names = related_names(
        [change for _, _, changes in raw for change in changes]
        + [(source, None, record.source_id) for kind, record, _ in raw if kind == "citation"]
    )
    return [
        Entry(
            kind,
            record,
            ACTIONS[record.history_type],
            [
                (field.verbose_name, shown(names, field, old), shown(names, field, new))
                for field, old, new in changes
            ],
            source=names.get((Source, record.source_id), "") if kind == "citation" else "",
        )
        for kind, record, changes in raw
    ]


# Keys, row ids and derived values say nothing to an editor; foreign keys are shown by name.
HIDDEN_FIELDS = ["id", "key", "person", "verification", "archived_text", "override_quote"]


def related_names(changes):
    """{(model, pk): its name} for every foreign key value of these changes, a query per model."""
    wanted = {}
    for field, old, new in changes:
        if field.is_relation:
            wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v is not None)
    return {
        (model, pk): str(obj)
        for model, pks in wanted.items()
        for pk, obj in model.objects.select_related(*NAMED_WITH.get(model, ())).in_bulk(pks).items()
    }


# What a record's name reads besides its own row ("Mayor, Sanming Committee"): fetched with it.
NAMED_WITH = {Position: ("organization",)}


def shown(names, field, value):
    if field.is_relation and value is not None:
        return names.get((field.related_model, value), f"(deleted {field.verbose_name})")
    return "" if value is None and not field.is_relation else _text(value)


def _text(value):
    if value in (None, ""):
        return "—"
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


class CappedPaginator(Paginator):
    """Counts at most CAP records: the whole site's history runs to millions of rows, and
    counting them all on every view of recent changes costs more than showing a page."""

    CAP = 10_000

    @cached_property
    def count(self):
        return self.object_list[: self.CAP + 1].count()

    @property
    def capped(self):
        return self.count > self.CAP


class AuditFilterForm(forms.Form):
    # Days the filter can turn into moments in any time zone (a day before the first or after the
    # last one Python knows would overflow), and more than any history here spans.
    EARLIEST = datetime.date(1900, 1, 1)
    LATEST = datetime.date(9998, 12, 31)

    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"), required=False, to_field_name="username"
    )
    kind = forms.ChoiceField(choices=[("", "every kind")] + [(k, k) for k in KINDS], required=False)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="from")
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="to")

    def clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not self.EARLIEST <= day <= self.LATEST:
            raise forms.ValidationError(
                "Give a day from %(earliest)s to %(latest)s.",
                code="out_of_range",
                params={"earliest": self.EARLIEST.isoformat(), "latest": self.LATEST.isoformat()},
            )
        return day

    def clean_since(self):
        return self.clean_day("since")

    def clean_until(self):
        return self.clean_day("until")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error(
                "until", forms.ValidationError("Ends before it starts.", code="until_before_since")
            )
        return data


# The review steps above the edits: the newest ones; the filters (dates, user) reach older ones.
REVIEW_STEPS_SHOWN = 50


def audit_response(request, model_admin, *, person):
    """The audit trail page of one person, or of the whole site when person is None."""
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters["user"] = data["user"]
        filters["kinds"] = [data["kind"]] if data["kind"] else None
        day = datetime.timedelta(days=1)
        tz = timezone.get_current_timezone()
        if data["since"]:
            filters["since"] = datetime.datetime.combine(
                data["since"], datetime.time(), tz
            ) - datetime.timedelta(microseconds=1)
        if data["until"]:
            filters["until"] = datetime.datetime.combine(data["until"] + day, datetime.time(), tz)
    steps = (
        ReviewAction.objects.select_related("user", "revision", "person", "organization", "source")
        # The documents (a rejected copy's, a revision's) are what a step is about, not shown here.
        .defer("document", "revision__document", "revision__search_text", "source__archived_text")
        .order_by("-created_at", "-pk")
        .in_period(since=filters.get("since"), until=filters.get("until"), user=filters.get("user"))
    )
    if person is not None:
        steps = steps.filter(person=person)
    paginator = CappedPaginator(person_history(person, **filters), 50)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "admin/profiles/person/audit.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": person,
            "person": person,
            "title": f"Audit trail of {person}" if person else "Recent changes",
            "form": form,
            "page": page,
            "entries": history_entries(page.object_list),
            "review_steps": steps[:REVIEW_STEPS_SHOWN],
            "more_steps": steps[REVIEW_STEPS_SHOWN : REVIEW_STEPS_SHOWN + 1].exists(),
            "query": query.urlencode(),
        },
    )
