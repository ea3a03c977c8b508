"""The evidence finder in the admin (issue 16): cite by picking a passage, not by typing it.

- `GET /admin/sources/source/<id>/suggest/?claim=<kind>:<key>[&field=<name>]` answers
  `{"suggestions": [{"quote", "locator", "score", "matched"}]}`, best first: the passages of the
  source's archived text that best back one claim (`membership:<position key>`,
  `event:<event key>` or `person:<slug>` with the `field` of the fact). The citation rows of the
  admin call it from `sources/static/sources/suggest.js` (see `SuggestQuotesInline`).
- `GET /admin/sources/source/<id>/evidence/?person=<slug>` lists the claims of a profile that the
  source appears to back, and the candidate disputes; a POST adds one of them as a draft citation
  through `profiles.editing.record_save` (nothing is published).

Both read the source's row, never its pending change: for an approved source that is the approved
archived text, which quotes are verified against; for a new one, the text its editors wrote. The
ranking (and its index, built once per text) is `sources.evidence`.
"""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from profiles import editing
from profiles.claims import CLAIM_FIELDS, LABELS
from profiles.documents import assemble_document, organization_documents, person_document
from profiles.models import Event, Person, Position
from sources import evidence
from sources.models import Citation, Source

# Claim kinds of the profile document, and the kind of citation (profiles.claims) each one is.
KINDS = {"membership": "position", "event": "event", "person": "person"}
LIMIT = 5
REASON = "Citation from the evidence finder"
MAX_KEY = 100


class Refused(Exception):
    """Input the finder cannot answer: a status and a message for the editor."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def staff_only(view, *, as_json):
    """An admin view (already wrapped by `admin_site.admin_view`) that a signed-in user who is not
    staff is refused (403) rather than sent to the login page; anonymous users still are."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_active and user.is_staff):
            if as_json:
                return JsonResponse({"error": "Only staff may use the evidence finder."}, status=403)
            raise PermissionDenied("Only staff may use the evidence finder.")
        return view(request, *args, **kwargs)

    return guarded


def clean_text(value, name):
    if "\x00" in value:
        raise Refused(400, f"“{name}” holds a NUL byte.")
    return value.strip()


def source_text(object_id):
    """The source (its reviewed row: pk, title and archived text) or Refused(404)."""
    clean_text(object_id, "source")
    source = Source.objects.filter(pk=object_id).only("pk", "title", "publisher", "archived_text").first()
    if source is None:
        raise Refused(404, f"There is no source “{object_id}”.")
    return source


def parse_claim(claim, field):
    """(kind, key, field) of a claim id and the name of one of its facts, or Refused(400)."""
    claim, field = clean_text(claim, "claim"), clean_text(field, "field")
    kind, _, key = claim.partition(":")
    if kind not in KINDS or not key:
        raise Refused(400, "Name the claim as membership:<position key>, event:<event key> or person:<slug>.")
    if len(key) > MAX_KEY:
        raise Refused(404, f"There is no {kind} “{key[:MAX_KEY]}…”.")
    allowed = CLAIM_FIELDS[KINDS[kind]]
    if field and field not in allowed:
        raise Refused(400, f"A {KINDS[kind]} has no field “{field}”: choose one of {', '.join(allowed)}.")
    if kind == "person" and not field:
        raise Refused(400, f"Say which fact of the person: field is one of {', '.join(allowed)}.")
    return kind, key, field or None


def claim_document(kind, key):
    """(person, profile document) holding the person's names and facts and only the one position
    or event asked for: what the ranking reads, without the profile's other claims and citations."""
    positions, events = [], []
    if kind == "membership":
        position = Position.objects.select_related("person", "organization").filter(key=key).first()
        person, positions = (position.person, [position]) if position else (None, [])
    elif kind == "event":
        event = Event.objects.select_related("person").filter(key=key).first()
        person, events = (event.person, [event]) if event else (None, [])
    else:
        person = Person.objects.filter(slug=key).first()
    if person is None:
        raise Refused(404, f"There is no {kind} “{key}”.")
    document = assemble_document(
        person,
        positions=positions,
        events=events,
        citations=[],
        other_names=list(person.other_names.all()),
        organizations=organization_documents([position.organization for position in positions]),
    )
    return person, document


def suggestions_for(source, claim_id, field):
    """The Suggestions of this source's text for a claim id and field (see parse_claim)."""
    kind, key, field = parse_claim(claim_id, field)
    _, document = claim_document(kind, key)
    _, claim = evidence.find_claim(document, f"{kind}:{key}")
    index = evidence.index_for(source.archived_text, evidence.focus_words(document))
    return evidence.suggest(index, claim, field=field, person=document, limit=LIMIT)


def suggest_view(request, object_id):
    """JSON: the passages of a source's archived text that best back a claim, best first."""
    if request.method != "GET":
        return JsonResponse({"error": "Use GET."}, status=405)
    if not request.user.has_perm("sources.view_source"):
        return JsonResponse({"error": "You may not view sources."}, status=403)
    try:
        source = source_text(object_id)
        found = suggestions_for(source, request.GET.get("claim", ""), request.GET.get("field", ""))
    except Refused as refused:
        return JsonResponse({"error": refused.message}, status=refused.status)
    return JsonResponse({"suggestions": [suggestion.as_dict() for suggestion in found]})


# What else does this source say? ------------------------------------------------------------------


class EvidenceViews:
    """The evidence page of a source, for the SourceAdmin that wires it (and its admin site)."""

    template_name = "admin/sources/source/evidence.html"

    def __init__(self, model_admin):
        self.model_admin = model_admin

    def evidence(self, request, object_id):
        """GET: pick a profile, then its claims this source backs or disputes. POST: add one."""
        if not self.model_admin.has_view_permission(request):
            raise PermissionDenied
        try:
            source = source_text(object_id)
            slug = clean_text(request.POST.get("person", "") or request.GET.get("person", ""), "person")
        except Refused as refused:
            return self.render(request, None, status=refused.status, error=refused.message)
        person = Person.objects.filter(slug=slug).first() if slug else None
        if person is None:
            error = f"There is no profile with the address “{slug}”." if slug else ""
            return self.render(request, source, status=404 if slug else 200, error=error, slug=slug)
        document = person_document(person)
        index = evidence.index_for(source.archived_text, evidence.focus_words(document))
        found = evidence.source_claims(index, document)
        if request.method == "POST":
            return self.add_citation(request, source, person, document, found)
        return self.render(request, source, person=person, rows=evidence_rows(source, document, found))

    def add_citation(self, request, source, person, document, found):
        """Add the chosen backed claim or candidate dispute as a citation of the working copy."""
        here = reverse("admin:sources_source_evidence", args=[source.pk])
        here += "?" + urlencode({"person": person.slug})
        try:
            citation = draft_citation(source, person, found, request.POST)
            if already_cited(document, citation):
                raise ValidationError("This profile already cites that passage for that claim.")
            editing.record_save(record=citation, user=request.user, reason=REASON)
        except Refused as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            messages.error(request, "Not added: " + " ".join(error.messages))
        except PermissionDenied as denied:
            messages.error(request, f"Not added: {denied}")
        else:
            messages.success(
                request,
                format_html(
                    'Added a draft citation of “{}” ({}). Review it on <a href="{}">the profile</a>; '
                    "nothing is published until a reviewer approves the profile.",
                    source.title,
                    citation.get_stance_display(),
                    reverse("admin:profiles_person_change", args=[person.pk]),
                ),
            )
        return HttpResponseRedirect(here)

    def render(self, request, source, *, status=200, error="", slug="", person=None, rows=None):
        admin = self.model_admin
        citing = []
        if source is not None and person is None:
            citing = Person.objects.filter(citations__source=source).distinct().order_by("name", "slug")
            citing = citing.only("name", "slug")[:500]
        context = {
            **admin.admin_site.each_context(request),
            "opts": admin.model._meta,
            "title": f"What else does “{source.title}” say?" if source else "Evidence finder",
            "source": source,
            "person": person,
            "slug": slug,
            "citing": citing,
            "error": error,
            "rows": rows or {},
            "can_add": request.user.has_perm("sources.add_citation"),
        }
        return TemplateResponse(request, self.template_name, context, status=status)


def claim_labels(document):
    """{claim id: how an editor names the claim} for a profile document."""
    labels = {}
    for membership in document["memberships"]:
        dates = "–".join(filter(None, (membership["start_date"], membership["end_date"])))
        label = f"{membership['role']}, {membership['organization']['name']}"
        labels[f"membership:{membership['id']}"] = f"{label} ({dates})" if dates else label
    for event in document["events"]:
        labels[f"event:{event['id']}"] = f"{event['date'] or 'undated'}: {event['title']}"
    return labels


def recorded_value(document, evidence_item):
    if not evidence_item.claim.startswith("person:"):
        return ""
    value = document.get(evidence_item.field)
    if evidence_item.field == "other_names":
        return ", ".join(other["name"] for other in value or ())
    return str(value or "")


def evidence_rows(source, document, found):
    """The page's two tables: claims the source appears to back, and candidate disputes."""
    labels = claim_labels(document)
    backed, disputes, seen = [], [], set()
    for item in found:
        kind = item.claim.partition(":")[0]
        row = {
            "claim": item.claim,
            "field": item.field or "",
            "label": LABELS.get(item.field, item.field) if kind == "person" else labels.get(item.claim, ""),
            "value": recorded_value(document, item),
            "passage": item.passage,
            "coverage": round(100 * (item.passage.coverage if item.passage else 0)),
            "others": item.passage.others if item.passage else (),
        }
        if item.backed:
            backed.append({**row, "cited": cites_source(document, item.claim, item.field, source.pk)})
        for dispute in item.disputes:
            # A place given after "born" disputes the birth place, whichever fact found the passage.
            if (item.claim, dispute.field, dispute.stated) in seen:
                continue
            seen.add((item.claim, dispute.field, dispute.stated))
            disputes.append(
                {
                    **row,
                    "dispute": dispute,
                    "disputed_field": LABELS.get(dispute.field, dispute.field),
                    "passage": dispute.passage,
                }
            )
    return {"backed": backed, "disputes": disputes, "claims": len(found)}


def claim_citations(document, claim_id, field):
    kind, _, key = claim_id.partition(":")
    if kind == "person":
        return document["citations"].get(field, [])
    collection = document["memberships"] if kind == "membership" else document["events"]
    return next((claim["citations"] for claim in collection if claim["id"] == key), [])


def cites_source(document, claim_id, field, source_id):
    """Whether the claim (or the person's fact) already cites this source."""
    return any(citation["source"] == source_id for citation in claim_citations(document, claim_id, field))


def already_cited(document, citation):
    claim_id = {"position": "membership", "event": "event", "person": "person"}[citation.claim_kind()]
    key = {"position": "position", "event": "event"}.get(citation.claim_kind())
    claim_id += ":" + (getattr(citation, key).key if key else document["id"])
    return any(
        cited["source"] == citation.source_id
        and cited["quote"] == citation.quote
        and (cited["field"] or "") == citation.field
        and cited["stance"] == citation.stance
        for cited in claim_citations(document, claim_id, citation.field)
    )


def draft_citation(source, person, found, data):
    """An unsaved Citation of the row the editor chose (`claim`, `field`, and for a dispute
    `dispute_field` and `stated`), quote and locator taken from the source's text as ranked
    again now, never from the request."""
    claim_id, field = data.get("claim", ""), data.get("field", "")
    for value, name in ((claim_id, "claim"), (field, "field")):
        clean_text(value, name)
    item = next((i for i in found if i.claim == claim_id and (i.field or "") == field), None)
    if item is None:
        raise Refused(400, "That claim is no longer in the profile; reload the page.")
    citation = Citation(person=person, source=source, field=item.field or "")
    if data.get("stance") == Citation.Stance.DISPUTES:
        dispute = next(
            (
                d
                for d in item.disputes
                if d.field == data.get("dispute_field") and d.stated == data.get("stated") and d.passage
            ),
            None,
        )
        if dispute is None:
            raise Refused(400, "This source no longer seems to dispute that claim; reload the page.")
        passage = dispute.passage
        citation.stance = Citation.Stance.DISPUTES
        citation.field, citation.stated = dispute.field, dispute.stated
    else:
        if not item.backed or item.passage is None:
            raise Refused(400, "This source no longer seems to back that claim; reload the page.")
        passage = item.passage
        citation.stance = Citation.Stance.SUPPORTS
    citation.quote, citation.locator = passage.quote, passage.locator[:200]
    kind, _, key = claim_id.partition(":")
    if kind == "membership":
        citation.position = person.positions.get(key=key)
    elif kind == "event":
        citation.event = person.events.get(key=key)
    return citation


# The citation rows of the admin -------------------------------------------------------------------


def claim_id_of(obj):
    """The claim id (as the suggest endpoint takes it) of a saved person, position or event."""
    if obj is None or obj.pk is None:
        return ""
    if isinstance(obj, Position):
        return f"membership:{obj.key}"
    if isinstance(obj, Event):
        return f"event:{obj.key}"
    if isinstance(obj, Person):
        return f"person:{obj.slug}"
    return ""


def suggesting_form(form, claim_id):
    """The citation form with its quote box naming the row's claim and the endpoint, for
    suggest.js: `data-suggest-claim` and `data-suggest-url` (with SOURCE for the chosen source)."""
    url = reverse("admin:sources_source_suggest", args=["SOURCE"])

    class SuggestingForm(form):
        class Media:
            js = ["sources/suggest.js"]
            css = {"all": ["sources/suggest.css"]}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            quote = self.fields.get("quote")
            if quote is not None and claim_id:
                quote.widget.attrs.update({"data-suggest-claim": claim_id, "data-suggest-url": url})

    SuggestingForm.__name__ = SuggestingForm.__qualname__ = form.__name__
    return SuggestingForm


class SuggestQuotesAdmin:
    """For the stand-alone citation page: the same button, for the claim the citation is saved
    with (a new citation has none yet)."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        claim = (obj.claim_object() or obj.person) if obj is not None and obj.pk else None
        return suggesting_form(form, claim_id_of(claim))


class SuggestQuotesInline:
    """For citation inlines: a "Suggest quotes" button on each row of a saved claim (the inline's
    parent: the person, a position or an event), which fills the row's quote and locator."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = suggesting_form(formset.form, claim_id_of(obj))
        return formset
