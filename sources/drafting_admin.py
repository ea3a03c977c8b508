"""The draft page of a source in the admin (issue 20): `GET /admin/sources/source/<id>/draft/`
(optionally `?person=<slug>`, repeated) lists what the source's approved archived text states about
each person it names, as proposals to tick and edit; a POST writes the ticked ones into the working
copies through sources.drafts.drafts_save (the editing services). Nothing is published.

The proposals are drafted again from the text on POST; only the editor's choices and edited values
come from the form, never a quote or a locator.
"""

import hashlib
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from sources import drafts as drafting_service
from sources.models import Source

# The values of a proposal an editor may change, by kind (a fact's one value is its field).
EDITABLE = {"position": ("role", "start_date", "end_date"), "event": ("date", "title")}
MAX_CHOICES = 2000
PRETICK = 0.7  # proposals this confident (and new, or more precise) start ticked


def may_draft(user):
    return user.is_active and user.is_staff and user.has_perm("profiles.change_person")


def drafts_digest(drafts):
    """What the page showed, so that a POST after the text or a profile changed is refused."""
    shown = [
        [d.slug, d.name, [[p.kind, p.field, p.quote, p.relation, p.value] for p in d.proposals]]
        for d in drafts
    ]
    return hashlib.blake2b(
        json.dumps(shown, sort_keys=True, default=str).encode(), digest_size=12
    ).hexdigest()


def proposal_rows(drafts):
    """For the template: each person and their proposals with the names of their form fields."""
    people = []
    for person_number, person in enumerate(drafts):
        rows = []
        for number, proposal in enumerate(person.proposals):
            key = f"{person_number}-{number}"
            if proposal.kind == "fact":
                names = () if proposal.field == "other_names" else (proposal.field,)
                value = proposal.value
            else:
                names = EDITABLE[proposal.kind]
                value = proposal.value
            fields = [
                {"name": f"v-{key}-{name}", "label": name.replace("_", " "), "value": value.get(name) or ""}
                for name in names
            ]
            rows.append(
                {
                    "key": key,
                    "proposal": proposal,
                    "fields": fields,
                    "summary": summary(proposal),
                    "ticked": proposal.confidence >= PRETICK and proposal.relation in ("new", "more_precise"),
                    "confidence": round(100 * proposal.confidence),
                }
            )
        people.append({"draft": person, "rows": rows, "number": person_number})
    return people


def summary(proposal):
    value = proposal.value
    if proposal.kind == "position":
        organization = value["organization"]
        new = "" if organization.get("id") else " (new organization)"
        dates = "–".join(filter(None, (value.get("start_date"), value.get("end_date"))))
        return f"{value['role']}, {organization['name']}{new}" + (f" ({dates})" if dates else "")
    if proposal.kind == "event":
        return f"{value['date']}: {value['title']}"
    if proposal.field == "other_names":
        return f"other name: {value['other_names'][0]['name']}"
    return f"{proposal.field.replace('_', ' ')}: {value.get(proposal.field)}"


def chosen_values(drafts, data):
    """{(person, proposal): value} of the ticked proposals, with the editor's edits; ValidationError
    for a choice the page never offered."""
    taken = data.getlist("take")
    if not taken:
        raise ValidationError("Tick at least one proposal to write.", code="nothing_chosen")
    if len(taken) > MAX_CHOICES:
        raise ValidationError("Too many proposals ticked at once.", code="too_many")
    choices = {}
    for key in taken:
        try:
            person_number, number = (int(part) for part in key.split("-"))
            proposal = drafts[person_number].proposals[number]
        except (ValueError, IndexError):
            raise ValidationError("The form was damaged; reload the page.", code="bad_choice") from None
        if person_number < 0 or number < 0:
            raise ValidationError("The form was damaged; reload the page.", code="bad_choice")
        value = json.loads(json.dumps(proposal.value))
        names = EDITABLE.get(proposal.kind) or (() if proposal.field == "other_names" else (proposal.field,))
        for name in names:
            edited = data.get(f"v-{key}-{name}")
            if edited is not None:
                if "\x00" in edited:
                    raise ValidationError("The form holds a NUL byte.", code="nul")
                value[name] = edited.strip() or None
        choices[(person_number, number)] = value
    return choices


class DraftViews:
    """The draft page of a source, for the SourceAdmin that wires it (and its admin site)."""

    template_name = "admin/sources/source/draft.html"

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def draft(self, request, object_id):
        if not may_draft(request.user):
            raise PermissionDenied("You may not edit profiles.")
        if "\x00" in object_id:
            return self.render(request, None, status=400, error="The source's key holds a NUL byte.")
        source = Source.objects.filter(pk=object_id).first()
        if source is None:
            return self.render(request, None, status=404, error=f"There is no source “{object_id}”.")
        data = request.POST if request.method == "POST" else request.GET
        slugs = [slug.strip() for slug in data.getlist("person") if slug.strip()][:20]
        if any("\x00" in slug for slug in slugs):
            return self.render(request, source, status=400, error="A profile's address holds a NUL byte.")
        try:
            drafts = drafting_service.source_drafts(source=source, slugs=slugs or None)
        except ValidationError as error:
            status = 404 if error.code == "no_person" else 400
            return self.render(request, source, status=status, error=" ".join(error.messages), slugs=slugs)
        if request.method != "POST":
            return self.render(request, source, drafts=drafts, slugs=slugs)
        if request.POST.get("digest") != drafts_digest(drafts):
            return self.render(
                request,
                source,
                drafts=drafts,
                slugs=slugs,
                status=400,
                error="The source or a profile changed since you opened this page: "
                "check the proposals again.",
            )
        try:
            choices = chosen_values(drafts, request.POST)
            written = drafting_service.drafts_save(
                source=source, drafts=drafts, choices=choices, user=request.user
            )
        except ValidationError as error:
            return self.render(
                request, source, drafts=drafts, slugs=slugs, status=400, error=" ".join(error.messages)
            )
        except PermissionDenied as denied:
            return self.render(
                request, source, drafts=drafts, slugs=slugs, status=403, error=f"Not written: {denied}"
            )
        for person in written:
            messages.success(
                request,
                format_html(
                    'Written into the working copy of <a href="{}">{}</a> '
                    "(a draft: nothing is published until "
                    "a reviewer approves it).",
                    reverse("admin:profiles_person_change", args=[person.pk]),
                    person.name,
                ),
            )
        if len(written) == 1:
            return HttpResponseRedirect(reverse("admin:profiles_person_change", args=[written[0].pk]))
        return HttpResponseRedirect(reverse("admin:sources_source_draft", args=[source.pk]))

    def render(self, request, source, *, status=200, error="", drafts=None, slugs=()):
        admin = self.model_admin
        context = {
            **admin.admin_site.each_context(request),
            "opts": admin.model._meta,
            "title": f"Draft claims from “{source.title}”" if source else "Draft claims from a source",
            "source": source,
            "error": error,
            "people": proposal_rows(drafts or []),
            "digest": drafts_digest(drafts) if drafts is not None else "",
            "slugs": slugs,
            "drafted": drafts is not None,
        }
        return TemplateResponse(request, self.template_name, context, status=status)
