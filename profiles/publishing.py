"""The editorial workflow's actions: what changes what readers see.

The tables the admin edits are the working copy. Publishing freezes the profile document into an
immutable, numbered PublishedRevision; readers see only the live revision. Each action here is
one transaction that first checks (profiles.workflow.check: the user's permission, the profile's
state, a reason where one is needed), then takes the profile's lock (the one every writer takes,
bioproject.writes), then does its work and logs a ReviewAction.

Organizations and sources are reviewed too: `shared_record_approve` puts an editor's pending
change (profiles.editing.shared_record_save) live, or approves a new record.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from bioproject import fieldvalues, writes
from bioproject.history import recording
from profiles import claims, editing, importing, notices, pages, provenance, workflow
from profiles.dates import display_date
from profiles.documents import (
    all_citations,
    normalised,
    organization_chain_ids,
    people_documents,
    person_document,
    shown_person_facts,
    working_rows,
)
from profiles.models import (
    Organization,
    PendingChange,
    Person,
    PublicSlug,
    PublishedCitation,
    PublishedPosition,
    PublishedRevision,
    ReviewAction,
)
from profiles.search import document_search_text
from sources import evidence
from sources.models import Citation, Source
from sources.verification import source_reverify


@dataclass(frozen=True)
class Problem:
    message: str
    url: str = ""


class PublishingRefused(Exception):
    """The gate refused to publish; `problems` says what to fix, with links to fix it."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


class ChangedSinceReview(PublishingRefused):
    """The working copy moved since the reviewer opened it: nothing was published."""


def _admin_url(instance):
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])


# What a reviewer approves ------------------------------------------------------------------------


def document_digest(document):
    """A short fingerprint of a document: the review screen carries the one it showed, and
    approval refuses when the working copy no longer has it."""
    text = json.dumps(normalised(document), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def working_digest(person):
    return document_digest(person_document(person))


# The gate --------------------------------------------------------------------------------------


def document_problems(document, *, urls=None, texts=None):
    """Why a document may not be published, from the document alone: uncited claims, quotes
    the quote check does not find (unless a reviewer overrode it) and words in quotation marks
    that no cited source holds. `urls` maps claims to where they are fixed; `texts(ids)` gives
    sources' archived texts (by default read, only when there are quoted words)."""
    urls = urls or {}
    problems = []
    for name in shown_person_facts(document):
        if not document["citations"].get(name):
            problems.append(
                Problem(f"Nothing cites the person's {claims.LABELS[name]}.", urls.get("person", ""))
            )
    for membership in document["memberships"]:
        if not membership["citations"]:
            label = f"{membership['role']}, {membership['organization']['name']}"
            problems.append(
                Problem(f"The position “{label}” has no citation.", urls.get(membership["id"], ""))
            )
    for item in document["events"]:
        if not item["citations"]:
            problems.append(
                Problem(
                    f"The event “{item['title']}” ({display_date(item['date'])}) has no citation.",
                    urls.get(item["id"], ""),
                )
            )
    for citation in all_citations(document):
        if citation["verification"] == Citation.Verification.UNVERIFIED and not citation.get("override"):
            problems.append(
                Problem(
                    f"The quote “{_short(citation['quote'])}” is not in the archived text of "
                    f"{citation['source']}: correct it, or a reviewer records an override with a reason.",
                    urls.get("citations", ""),
                )
            )
    for item in provenance.misquoted(document, texts or archived_texts):
        problems.append(Problem(provenance.misquote_message(item), urls.get(item.claim or "citations", "")))
    return problems


def archived_texts(ids):
    """The archived texts of the sources named, read only for a check that needs them."""
    return dict(Source.objects.filter(pk__in=ids).values_list("pk", "archived_text"))


def _short(text, length=80):
    return text if len(text) <= length else text[: length - 1] + "…"


class ClaimUrls:
    """Where each claim of a profile is fixed in the admin, built only for the claims a problem
    names (a profile of hundreds of claims usually has none)."""

    def __init__(self, person, claims_by_key):
        self.person, self.claims = person, claims_by_key

    def get(self, key, default=""):
        if key in ("person", "citations"):
            return _admin_url(self.person)
        return _admin_url(self.claims[key]) if key in self.claims else default


def publishing_problems(person, document, *, rows=None):
    """Why this working copy may not be published: the document's problems, organizations and
    sources no reviewer has approved yet, and records that fail their own validation. `rows`
    are the working_rows the document was made of, when the caller has them."""
    rows = rows or working_rows(person)
    positions = {p.key: p for p in rows["positions"]}
    events = {e.key: e for e in rows["events"]}
    problems = document_problems(document, urls=ClaimUrls(person, {**positions, **events}))
    problems += unapproved_problems([document])
    claims_by_pk = {
        **{("position", p.pk): p for p in positions.values()},
        **{("event", e.pk): e for e in events.values()},
    }
    for citation in rows["citations"]:
        # What Citation.clean reads of its claim, from the rows at hand rather than a query each
        # (a claim of another profile is not at hand: clean fetches it, and refuses it).
        kind = "position" if citation.position_id else "event"
        claim = claims_by_pk.get((kind, citation.position_id or citation.event_id))
        if claim is not None:
            setattr(citation, kind, claim)
    records = [person, *positions.values(), *events.values(), *rows["citations"]]
    for record in records:
        # Foreign keys, unique fields and constraints are the database's own to enforce; the
        # field and cross-field rules are what an edit around the forms could have broken.
        relations = [f.name for f in record._meta.concrete_fields if f.is_relation]
        try:
            record.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for message in error.messages:
                problems.append(
                    Problem(
                        f"{record._meta.verbose_name.capitalize()} “{record}”: {message}",
                        _admin_url(record),
                    )
                )
    return problems


def unapproved_problems(documents):
    """Organizations and sources of the documents that no reviewer has approved yet."""
    slugs = {
        slug
        for document in documents
        for m in document["memberships"]
        for slug in organization_chain_ids(m["organization"])
    }
    source_ids = {s["id"] for document in documents for s in document["sources"]}
    problems = [
        Problem(
            f"The organization “{o.name}” is new and awaits review: approve it first.", shared_review_url(o)
        )
        for o in Organization.objects.filter(slug__in=slugs, approved_at__isnull=True)
    ]
    problems += [
        Problem(f"The source “{s.title}” is new and awaits review: approve it first.", shared_review_url(s))
        for s in Source.objects.filter(pk__in=source_ids, approved_at__isnull=True).only("pk", "title")
    ]
    return problems


def shared_review_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_review", args=[record.pk])


def publishing_warnings(document):
    """What a reviewer should weigh before publishing, without blocking it."""
    return [
        Problem(
            f"“{label}” is a criticism or incident about a living person resting only on "
            "encyclopedias or AI-generated text: look for a first-hand source.",
            f"#{anchor}",
        )
        for label, anchor in provenance.weak_contentious_claims(document)
    ] + [Problem(message, f"#{anchor}") for message, anchor in provenance.unexplained_overlaps(document)]


# Profiles --------------------------------------------------------------------------------------


def _log(action, user, comment="", *, person=None, revision=None, organization=None, source=None):
    return ReviewAction.objects.create(
        person=person,
        organization=organization,
        source=source,
        action=action,
        user=user,
        comment=comment,
        revision=revision,
    )


def profile_submit(*, person: Person, user, note: str = "") -> ReviewAction:
    """Ask the reviewers to publish the working copy, with an optional note."""
    workflow.check("submit", user=user)
    with writes.session(user=user) as opened:
        writes.lock_profile(person.pk)
        editing.finish_edits(opened)
        locked = Person.objects.get(pk=person.pk)
        target = workflow.next_state("submit", locked)
        editing.set_workflow(locked, status=target)
        person.status = target
        notices.profile_submitted(person=locked, user=user, note=note)
        return _log(ReviewAction.Action.SUBMITTED, user, note, person=locked)


def profile_publish(
    *, person: Person, user, comment: str = "", note: str = "", seen: str
) -> PublishedRevision:
    """Publish the working copy a reviewer read: `seen` is the digest the review screen showed
    (document_digest); if the working copy moved since, ChangedSinceReview and nothing is
    published. `comment` is the revision note readers see; `note` goes to the editors only."""
    workflow.check("publish", user=user)
    with writes.session(user=user, bulk=True) as opened:
        writes.lock_profile(person.pk)
        editing.finish_edits(opened)
        locked = Person.objects.select_related("live_revision").get(pk=person.pk)
        workflow.next_state("publish", locked)
        rows = working_rows(locked)
        document = person_document(locked, rows=rows)
        if seen != document_digest(document):
            raise ChangedSinceReview(
                [Problem("The profile changed since you opened it: review the changes again.", "")]
            )
        problems = publishing_problems(locked, document, rows=rows)
        live = locked.live_revision
        if live is not None and normalised(live.document) == document:
            problems.append(
                Problem(f"Nothing changed since revision {live.number}, which is live.", _admin_url(locked))
            )
        if problems:
            raise PublishingRefused(problems)
        (revision,) = _publish([(locked, document)], user=user, comment=comment, note=note)
        # One reviewer's decision on one profile: its editors hear of it (batches stay quiet).
        notices.profiles_published(revisions=[revision], user=user, note=note)
    person.live_revision, person.status = revision, Person.Status.PUBLISHED
    return revision


def profiles_publish(*, people, user, comment: str = "", check=True) -> list:
    """Publish many working copies at once (imports, the generator): each as profile_publish
    would, in bulk. With `check`, the document problems of any of them refuse all (the records'
    own validation ran when they were written through the services)."""
    workflow.check("publish", user=user)
    with writes.session(user=user, bulk=True) as opened:
        # Edits of this transaction (an import's) move their profiles first, not after publishing.
        editing.finish_edits(opened)
        pks = sorted(person.pk for person in people)
        locked = list(
            Person.objects.select_for_update(of=("self",))
            .filter(pk__in=pks)
            .select_related("live_revision")
            .order_by("pk")
        )
        documents = people_documents(locked)
        pairs, problems = [], []
        if check:
            problems += unapproved_problems(list(documents.values()))
        for person in locked:
            document = documents[person.pk]
            if check:
                problems += [
                    Problem(f"{person.slug}: {p.message}", p.url) for p in document_problems(document)
                ]
            live = person.live_revision
            if live is None or normalised(live.document) != document:
                pairs.append((person, document))
        if problems:
            raise PublishingRefused(problems)
        return _publish(pairs, user=user, comment=comment)


def _publish(pairs, *, user, comment, note=None):
    """Freeze each (locked person, document) into its next revision and make it live; the one
    writer behind profile_publish and profiles_publish."""
    now = timezone.now()
    numbers = dict(
        PublishedRevision.objects.filter(person__in=[p for p, _ in pairs])
        .values_list("person")
        .annotate(last=Max("number"))
    )
    reserved = _reserve_slugs(pairs)
    revisions = [
        PublishedRevision(
            person=person,
            number=numbers.get(person.pk, 0) + 1,
            document=document,
            published_at=now,
            published_by=user,
            comment=comment,
            slug=document["id"],
            name=document["name"],
            native_name=document["native_name"],
            native_name_lang=document["native_name_lang"],
            search_text=document_search_text(document),
        )
        for person, document in pairs
    ]
    # One row a statement: a batch of documents goes as one JSON array, which the driver escapes
    # character by character, slower than the round trips.
    PublishedRevision.objects.bulk_create(revisions, batch_size=1)
    _replace_published_rows(revisions)
    PublicSlug.objects.bulk_create(reserved, batch_size=1000)
    pages.store_rendered(revisions)
    for revision in revisions:
        editing.set_workflow(revision.person, live_revision=revision, status=Person.Status.PUBLISHED)
    ReviewAction.objects.bulk_create(
        [
            ReviewAction(
                person=r.person,
                action=ReviewAction.Action.APPROVED,
                user=user,
                comment=comment if note is None else note,
                revision=r,
            )
            for r in revisions
        ],
        batch_size=1000,
    )
    return revisions


def _reserve_slugs(pairs):
    """The PublicSlug rows to add so that each published slug stays its person's; refuse a slug
    another person had (a swap of two profiles' slugs, say)."""
    slugs = {document["id"]: person for person, document in pairs}
    owners = dict(
        PublicSlug.objects.filter(slug__in=slugs, person__isnull=False).values_list("slug", "person_id")
    )
    taken = [slug for slug, person in slugs.items() if owners.get(slug, person.pk) != person.pk]
    if taken:
        raise PublishingRefused(
            [
                Problem(f"The address “{slug}” belonged to another profile; choose another slug.")
                for slug in taken
            ]
        )
    return [PublicSlug(slug=slug, person=person) for slug, person in slugs.items() if slug not in owners]


def claim_rows(document):
    """(anchor, claim, citation) for every citation of a document: the claim in a few words and
    its id on the profile page."""
    for name, citations in document.get("citations", {}).items():
        for citation in citations:
            yield f"fact-{name}", claims.LABELS[name].capitalize(), citation
    for item in document["memberships"]:
        for citation in item["citations"]:
            yield f"m-{item['id']}", f"{item['role']}, {item['organization']['name']}", citation
    for item in document["events"]:
        for citation in item["citations"]:
            yield f"e-{item['id']}", item["title"], citation


def _replace_published_rows(revisions):
    """Rebuild the rows organization and source pages read, from the live revisions."""
    people = [revision.person for revision in revisions]
    _delete_published_rows(people)
    slugs = {m["organization"]["id"] for r in revisions for m in r.document["memberships"]}
    organizations = dict(Organization.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    PublishedPosition.objects.bulk_create(
        [
            PublishedPosition(
                revision=revision,
                person=revision.person,
                organization_id=organizations[m["organization"]["id"]],
                key=m["id"],
                role=m["role"],
                start_date=m["start_date"],
                end_date=m["end_date"],
                ended=m["ended"],
                acting=m["acting"],
            )
            for revision in revisions
            for m in revision.document["memberships"]
            if m["organization"]["id"] in organizations
        ],
        batch_size=1000,
    )
    PublishedCitation.objects.bulk_create(
        [
            PublishedCitation(
                revision=revision,
                person=revision.person,
                source_id=citation["source"],
                anchor=anchor,
                claim=claim[:500],
                quote=citation["quote"],
                stance=citation["stance"],
            )
            for revision in revisions
            for anchor, claim, citation in claim_rows(revision.document)
        ],
        batch_size=1000,
    )


def _delete_published_rows(people):
    PublishedPosition.objects.filter(person__in=people).delete()
    PublishedCitation.objects.filter(person__in=people).delete()


def profile_reject(*, person: Person, user, comment: str) -> ReviewAction:
    """Send a submitted working copy back to the editors with the reviewer's comment."""
    if not (comment or "").strip():
        raise workflow.ActionRefused(
            "Say what needs fixing: a comment is required to send a profile back.", code="comment_required"
        )
    workflow.check("reject", user=user)
    with writes.session(user=user):
        writes.lock_profile(person.pk)
        locked = Person.objects.get(pk=person.pk)
        target = workflow.next_state("reject", locked)
        editing.set_workflow(locked, status=target)
        person.status = target
        notices.profile_sent_back(person=locked, user=user, comment=comment)
        action = _log(ReviewAction.Action.REJECTED, user, comment, person=locked)
        action.document = person_document(locked)  # what the reviewer read, for the next review
        action.save(update_fields=["document"])
        return action


def profile_unpublish(*, person: Person, user, reason: str) -> ReviewAction:
    """Take the profile off the public site; its revisions are kept for the record."""
    workflow.check("unpublish", user=user, reason=reason or "")
    with writes.session(user=user, bulk=True):
        writes.lock_profile(person.pk)
        locked = Person.objects.get(pk=person.pk)
        if locked.live_revision_id is None:
            raise workflow.ActionRefused("The profile is not on the public site.", code="not_published")
        target = workflow.next_state("unpublish", locked)
        _delete_published_rows([locked])
        editing.set_workflow(locked, live_revision=None, status=target)
        person.live_revision, person.status = None, target
        return _log(ReviewAction.Action.UNPUBLISHED, user, reason, person=locked)


def profile_revert(*, person: Person, user, number: int, reason: str) -> ReviewAction:
    """Restore the working copy to published revision `number`; it still needs publishing.
    Organizations and sources are shared: a revert links to them and never changes them."""
    workflow.check("revert", user=user, reason=reason or "")
    with editing.profile_edit(user=user, reason=f"Reverted to revision {number}: {reason}", person=person):
        locked = Person.objects.get(pk=person.pk)
        workflow.next_state("revert", locked)
        revision = locked.revisions.get(number=number)
        if revision.hidden:
            raise workflow.ActionRefused("A hidden revision cannot be restored.", code="hidden")
        importing.document_restore(person=locked, document=normalised(revision.document), user=user)
        target = workflow.next_state("revert", locked)
        editing.set_workflow(locked, status=target)
        person.status = target
        return _log(ReviewAction.Action.REVERTED, user, reason, person=locked, revision=revision)


def revision_hide(*, revision: PublishedRevision, user, reason: str) -> ReviewAction:
    """Hide a published revision (vandalism, a defamatory line): its permalink answers 410, and
    no feed, diff or `?as_of=` shows it. Hiding the live revision takes the profile off the site."""
    workflow.check("hide", user=user, reason=reason or "")
    with writes.session(user=user, bulk=True):
        writes.lock_profile(revision.person_id)
        locked = Person.objects.get(pk=revision.person_id)
        revision = PublishedRevision.objects.get(pk=revision.pk)
        if revision.hidden:
            raise workflow.ActionRefused("This revision is hidden already.", code="hidden")
        revision.hidden_at, revision.hidden_by, revision.hidden_reason = timezone.now(), user, reason
        revision.save(update_fields=list(PublishedRevision.SUPPRESSION_FIELDS))
        if locked.live_revision_id == revision.pk:
            _delete_published_rows([locked])
            target = workflow.next_state("unpublish", locked)
            editing.set_workflow(locked, live_revision=None, status=target)
            _log(
                ReviewAction.Action.UNPUBLISHED,
                user,
                f"Its live revision was hidden: {reason}",
                person=locked,
            )
        return _log(ReviewAction.Action.HIDDEN, user, reason, person=locked, revision=revision)


def quote_digest(quote):
    """A fingerprint of a quote: the override form carries the one it showed."""
    return hashlib.sha256(quote.encode()).hexdigest()[:32]


def citation_override(*, citation: Citation, user, reason: str, seen: str) -> ReviewAction:
    """Let a quote the quote check does not find be published, with the reviewer's reason
    (readers see it as not verified against an archived copy). `seen` is the quote_digest of the
    quote the reviewer's screen showed; if the quote changed since, ChangedSinceReview."""
    workflow.check("override", user=user, reason=reason or "")
    with editing.profile_edit(user=user, reason=f"Quote check overridden: {reason}"):
        writes.lock_profile(citation.person_id)
        citation = Citation.objects.get(pk=citation.pk)
        if seen != quote_digest(citation.quote):
            raise ChangedSinceReview(
                [Problem("The quote changed since you opened the review screen: read it again.")]
            )
        citation.override_reason, citation.override_quote = reason, citation.quote
        citation.override_by, citation.override_at = user, timezone.now()
        citation.save()
        return _log(
            ReviewAction.Action.OVERRIDDEN,
            user,
            f"{_short(citation.quote)}: {reason}",
            person=citation.person,
        )


# Organizations and sources ----------------------------------------------------------------------


def shared_digest(record):
    """What the reviewer of an organization or source saw: its pending change (or, for a new
    one, its reviewed fields), each value whole, and its version."""
    change = editing.pending_change(record)
    values = change.values if change else fieldvalues.field_values(record, type(record).REVIEWED_FIELDS)
    text = json.dumps([editing.shared_version_of(record), values, record.approved_at is None], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def unapproved_references(record, values=None):
    """The records an organization refers to (its parents, as `values` would set them) that no
    reviewer has approved: readers would meet them through it, so they are approved first."""
    if not isinstance(record, Organization):
        return []
    parent_id = (values or {}).get("parent", record.parent_id)
    found, seen = [], {record.pk}
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = Organization.objects.filter(pk=parent_id).only("pk", "name", "parent", "approved_at").first()
        if parent is None:
            break
        if parent.approved_at is None:
            found.append(parent)
        parent_id = parent.parent_id
    return found


def shared_record_approve(*, record, user, comment: str = "", seen: str) -> ReviewAction:
    """Put an editor's pending change to an organization or source live, or approve a new one."""
    workflow.check("approve_shared", user=user)
    model = type(record)
    key = editing.record_key(record)
    with writes.session(user=user, bulk=True) as opened:
        live = model.objects.select_for_update().get(pk=record.pk)
        if seen != shared_digest(live):
            raise ChangedSinceReview(
                [Problem(f"The {model._meta.verbose_name} changed since you opened it.")]
            )
        change = PendingChange.objects.filter(**{key: live}).select_related("user").first()
        if change is None and live.approved_at is not None:
            raise workflow.ActionRefused("Nothing waits for review here.", code="nothing_pending")
        waiting = unapproved_references(live, change.values if change else None)
        if waiting:
            names = ", ".join(f"“{parent.name}”" for parent in waiting)
            raise workflow.ActionRefused(
                f"Approve {names} first: readers would see “{live}” as part of an organization "
                "no reviewer has approved.",
                code="unapproved_reference",
            )
        if isinstance(live, Organization) and live.approved_at is not None:
            # The address readers knew stays this organization's, redirecting to the new one.
            PublicSlug.objects.get_or_create(slug=live.slug, organization=live)
        if change is not None:
            before = fieldvalues.field_values(live, change.values)
            fieldvalues.apply_values(live, change.values)
            live.full_clean(exclude=["id"])
            opened.allow(live)
            reason = change.reason or f"Change by {change.user or 'an editor'}"
            with recording(reason=f"{reason} (approved by {user})", user=change.user or user):
                live.save()
            change.delete()
            if isinstance(live, Source) and "archived_text" in change.values:
                source_reverify(source=live)
                evidence.index_for(live.archived_text)  # the evidence finder's index, built once
            detail = "; ".join(f"{name}: {before[name]} → {value}" for name, value in change.values.items())
            comment = f"{comment} ({detail})" if comment else detail
        if live.approved_at is None:
            # The approval is logged as a review step; the record's content did not change.
            live.approved_at = timezone.now()
            live.skip_history_when_saving = True
            live.save(update_fields=["approved_at"])
            del live.skip_history_when_saving
        if isinstance(live, Organization):
            PublicSlug.objects.get_or_create(slug=live.slug, organization=live)
        return _log(ReviewAction.Action.APPROVED, user, comment, **{key: live})


def shared_record_reject(*, record, user, comment: str) -> ReviewAction:
    """Decline an editor's pending change to an organization or source (it is dropped), or send
    a new record back, with the reviewer's comment."""
    if not (comment or "").strip():
        raise workflow.ActionRefused(
            "Say why: a comment is required to decline a change.", code="comment_required"
        )
    workflow.check("approve_shared", user=user)
    key = editing.record_key(record)
    with writes.session(user=user):
        live = type(record).objects.select_for_update().get(pk=record.pk)
        PendingChange.objects.filter(**{key: live}).delete()
        return _log(ReviewAction.Action.REJECTED, user, comment, **{key: live})
