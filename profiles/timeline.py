"""One history per person: every edit of the profile's records (profiles.audit) and every review
step, in one timeline with filters, and a comparison of any two published revisions.

The edits and the review steps are one UNION in the database, paginated there, so a page costs the
same few queries however long the history is. Django's "History" link of a person and the old
audit-trail address both show it.
"""

import datetime

from django import forms
from django.db.models import CharField, F, Value
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from profiles import audit
from profiles.documents import normalised
from profiles.models import ReviewAction
from profiles.public_diff import changes_in_words

REVIEW = "review"


class TimelineFilterForm(audit.AuditFilterForm):
    """The audit trail's filters, and "review steps only" among the kinds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", "everything"),
            (REVIEW, "review steps only"),
            *[(kind, f"{kind} edits") for kind in audit.KINDS],
        ]


def filters_of(form):
    """The user, kinds and moments a valid filter form asks for."""
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    tz = timezone.get_current_timezone()
    filters = {"user": data["user"], "kind": data["kind"] or None}
    if data["since"]:
        # From the start of that day, inclusive.
        start = datetime.datetime.combine(data["since"], datetime.time(), tz)
        filters["since"] = start - datetime.timedelta(microseconds=1)
    if data["until"]:
        filters["until"] = datetime.datetime.combine(
            data["until"] + datetime.timedelta(days=1), datetime.time(), tz
        )
    return filters


def timeline_rows(person, *, user=None, kind=None, since=None, until=None):
    """(kind, id, moment) rows of the person's edits and review steps, newest first."""
    steps = (
        ReviewAction.objects.of_person(person)
        .in_period(since=since, until=until, user=user)
        .order_by()
        .annotate(
            record_kind=Value(REVIEW, output_field=CharField()),
            history_id=F("pk"),
            history_date=F("created_at"),
        )
        .values_list("record_kind", "history_id", "history_date")
    )
    if kind == REVIEW:
        return steps.order_by("-history_date", "-history_id")
    if kind is not None:
        return audit.person_history(person, since=since, until=until, user=user, kinds=[kind])
    return audit.person_history(person, since=since, until=until, user=user, also=[steps])


def timeline_items(rows):
    """The page's rows as ("edit", audit.Entry) and ("step", ReviewAction), in their order."""
    rows = list(rows)
    edits = iter(audit.history_entries([row for row in rows if row[0] != REVIEW]))
    steps = (
        ReviewAction.objects.select_related("user", "revision")
        .defer("revision__document", "revision__search_text")
        .in_bulk([row[1] for row in rows if row[0] == REVIEW])
    )
    return [("step", steps[row[1]]) if row[0] == REVIEW else ("edit", next(edits)) for row in rows]


def timeline_response(request, model_admin, *, person):
    """The one history of a person: edits and review steps, filtered, a page at a time."""
    form = TimelineFilterForm(request.GET or None)
    paginator = audit.CappedPaginator(timeline_rows(person, **filters_of(form)), 50)
    page = paginator.get_page(request.GET.get("page"))
    items = timeline_items(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    revisions = list(
        person.revisions.order_by("-number").only("number", "published_at", "hidden_at", "person")
    )
    return TemplateResponse(
        request,
        "admin/profiles/person/timeline.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": person,
            "person": person,
            "title": f"History of {person}",
            "form": form,
            "page": page,
            "items": items,
            "entries": [item for kind, item in items if kind == "edit"],
            "query": query.urlencode(),
            "revisions": revisions,
            "compare_form": CompareForm(revisions=revisions),
        },
    )


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(coerce=int, label="Compare revision")
    new = forms.TypedChoiceField(coerce=int, label="with revision")

    def __init__(self, *args, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (r.number, f"{r.number} ({r.published_at:%d %b %Y}{', hidden' if r.hidden_at else ''})")
            for r in revisions
        ]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices
        if len(revisions) > 1 and not self.is_bound:
            self.initial = {"old": revisions[1].number, "new": revisions[0].number}

    def clean(self):
        data = super().clean()
        if data.get("old") is not None and data.get("old") == data.get("new"):
            raise forms.ValidationError("Pick two different revisions.", code="same_revision")
        return data


def compare_response(request, model_admin, *, person):
    """Two published revisions of a person side by side: what changed from the one to the other,
    claim by claim (hidden revisions too: reviewers may read them)."""
    revisions = list(
        person.revisions.order_by("-number").only("number", "published_at", "hidden_at", "person")
    )
    form = CompareForm(request.GET or None, revisions=revisions)
    changes = old = new = None
    if form.is_valid():
        pair = {
            r.number: r
            for r in person.revisions.filter(number__in=[form.cleaned_data[k] for k in ("old", "new")])
        }
        old, new = pair.get(form.cleaned_data["old"]), pair.get(form.cleaned_data["new"])
        if old is None or new is None:
            raise Http404("No such revision.")
        changes = changes_in_words(normalised(old.document), normalised(new.document))
    return TemplateResponse(
        request,
        "admin/profiles/person/compare.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "original": person,
            "person": person,
            "title": f"Compare revisions of {person}",
            "compare_form": form,
            "old": old,
            "new": new,
            "changes": changes,
        },
    )
