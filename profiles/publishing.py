"""The editorial workflow: submit, publish (through the gate), reject, unpublish and revert.

The tables the admin edits are the working copy. Publishing freezes the profile document into an
immutable, numbered PublishedRevision; readers see only the live revision. Each step runs in one
transaction with the person's row locked, and is logged as a ReviewAction.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from profiles import importing
from profiles.dates import display_date
from profiles.documents import person_document, shown_person_facts
from profiles.models import (
    Event,
    Organization,
    Person,
    Position,
    PublishedCitation,
    PublishedPosition,
    PublishedRevision,
    ReviewAction,
)
from profiles.rendering import profile_context
from profiles.search import document_search_text
from sources.models import Citation


@dataclass(frozen=True)
class Problem:
    message: str
    url: str = ""


class PublishingRefused(Exception):
    """The gate refused to publish; `problems` says what to fix, with links to fix it."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


def _admin_url(instance):
    meta = instance._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])


def publishing_problems(person, document):
    """Why this working copy may not be published: uncited claims and invalid records."""
    problems = []
    person_url = _admin_url(person)
    for name in shown_person_facts(document):
        if not document["citations"].get(name):
            label = Person._meta.get_field(name).verbose_name if name != "other_names" else "other names"
            problems.append(Problem(f"The person's {label} has no citation.", person_url))
    positions = {p.key: p for p in Position.objects.filter(person=person).select_related("organization")}
    events = {e.key: e for e in Event.objects.filter(person=person)}
    for membership in document["memberships"]:
        if not membership["citations"]:
            position = positions[membership["id"]]
            problems.append(Problem(f"The position “{position}” has no citation.", _admin_url(position)))
    for item in document["events"]:
        if not item["citations"]:
            event = events[item["id"]]
            problems.append(
                Problem(
                    f"The event “{item['title']}” ({display_date(item['date'])}) has no citation.",
                    _admin_url(event),
                )
            )
    records = [
        person,
        *positions.values(),
        *events.values(),
        *Citation.objects.filter(person=person).select_related("source", "position", "event"),
    ]
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


def _lock(person):
    return Person.objects.select_for_update().get(pk=person.pk)


def _set_workflow(person, **values):
    """Change workflow fields only; they are not content, so they write no content history."""
    for name, value in values.items():
        setattr(person, name, value)
    person.skip_history_when_saving = True
    try:
        person.save(update_fields=list(values))
    finally:
        del person.skip_history_when_saving


def _log(person, action, user, comment="", revision=None):
    return ReviewAction.objects.create(
        person=person, action=action, user=user, comment=comment, revision=revision
    )


def profile_submit(*, person: Person, user, note: str = "") -> ReviewAction:
    """Ask the reviewers to publish the working copy, with an optional note."""
    with transaction.atomic():
        locked = _lock(person)
        _set_workflow(locked, status=Person.Status.IN_REVIEW)
        person.status = locked.status
        return _log(locked, ReviewAction.Action.SUBMITTED, user, note)


def profile_publish(*, person: Person, user, comment: str = "") -> PublishedRevision:
    """Freeze the working copy into the next numbered revision and make it live."""
    with transaction.atomic():
        locked = _lock(person)
        document = person_document(locked)
        problems = publishing_problems(locked, document)
        live = locked.live_revision
        if live is not None and live.document == document:
            problems.append(
                Problem(f"Nothing changed since revision {live.number}, which is live.", _admin_url(locked))
            )
        if problems:
            raise PublishingRefused(problems)
        number = (locked.revisions.aggregate(last=Max("number"))["last"] or 0) + 1
        revision = PublishedRevision.objects.create(
            person=locked,
            number=number,
            document=document,
            published_at=timezone.now(),
            published_by=user,
            comment=comment,
            name=document["name"],
            native_name=document["native_name"],
            native_name_lang=document["native_name_lang"],
            search_text=document_search_text(document),
        )
        _replace_published_rows(locked, revision)
        _set_workflow(locked, live_revision=revision, status=Person.Status.PUBLISHED)
        _log(locked, ReviewAction.Action.APPROVED, user, comment, revision)
    person.live_revision, person.status = revision, locked.status
    return revision


def _replace_published_rows(person, revision):
    """Rebuild the rows organization and source pages read, from the live revision."""
    _delete_published_rows(person)
    slugs = {m["organization"]["id"] for m in revision.document["memberships"]}
    organizations = dict(Organization.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    PublishedPosition.objects.bulk_create(
        PublishedPosition(
            revision=revision,
            person=person,
            organization_id=organizations[m["organization"]["id"]],
            key=m["id"],
            role=m["role"],
            start_date=m["start_date"],
            end_date=m["end_date"],
            ended=m["ended"],
            acting=m["acting"],
        )
        for m in revision.document["memberships"]
        if m["organization"]["id"] in organizations
    )
    context = profile_context(revision.document)
    PublishedCitation.objects.bulk_create(
        PublishedCitation(
            revision=revision,
            person=person,
            source_id=reference.source["id"],
            anchor=use["anchor"],
            claim=use["claim"][:500],
            quote=use["citation"]["quote"],
            stance=use["citation"]["stance"],
        )
        for reference in context["references"]
        for use in reference.uses
    )


def _delete_published_rows(person):
    PublishedPosition.objects.filter(person=person).delete()
    PublishedCitation.objects.filter(person=person).delete()


def profile_reject(*, person: Person, user, comment: str) -> ReviewAction:
    """Send the working copy back to the editors with the reviewer's comment."""
    if not (comment or "").strip():
        raise ValidationError(
            "Say what needs fixing: a comment is required to reject.", code="comment_required"
        )
    with transaction.atomic():
        locked = _lock(person)
        status = Person.Status.PENDING if locked.live_revision_id else Person.Status.DRAFT
        _set_workflow(locked, status=status)
        person.status = status
        return _log(locked, ReviewAction.Action.REJECTED, user, comment)


def profile_unpublish(*, person: Person, user, comment: str = "") -> ReviewAction:
    """Take the profile off the public site; its revisions are kept for the record."""
    with transaction.atomic():
        locked = _lock(person)
        _delete_published_rows(locked)
        _set_workflow(locked, live_revision=None, status=Person.Status.DRAFT)
        person.live_revision, person.status = None, locked.status
        return _log(locked, ReviewAction.Action.UNPUBLISHED, user, comment)


def profile_revert(*, person: Person, user, number: int) -> ReviewAction:
    """Restore the working copy to published revision `number`; it still needs publishing."""
    with transaction.atomic():
        locked = _lock(person)
        revision = locked.revisions.get(number=number)
        reason = f"Reverted to revision {number}"
        importing.document_restore(person=locked, document=revision.document, user=user, reason=reason)
        status = Person.Status.PENDING if locked.live_revision_id else Person.Status.DRAFT
        _set_workflow(locked, status=status)
        person.status = status
        return _log(locked, ReviewAction.Action.REVERTED, user, reason, revision)


def profile_mark_edited(*, person: Person) -> None:
    """Note that the working copy of a published profile now differs from what readers see."""
    if person.status == Person.Status.PUBLISHED:
        _set_workflow(person, status=Person.Status.PENDING)
