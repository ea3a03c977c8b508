"""Edits: the services through which every change to a working copy and to an organization or a
source is written.

- A profile's working copy (the person, other names, positions, events, citations) is edited in
  a `profile_edit()` block: the user's permission is checked for every record written (by the
  write guard, bioproject.writes), the profile is locked, history is recorded with the user and
  the reason, and at the end the workflow moves (a published profile becomes "published, with
  pending changes", so a reviewer is asked to look). `record_save()` and `record_delete()` are the
  one-record forms of it.
- Organizations and sources are shared by many profiles and shown to readers as they are once a
  reviewer approved them. `shared_record_save()` writes a new or not-yet-approved record directly,
  and keeps a change to an approved one as a PendingChange until a reviewer approves it
  (profiles.publishing.shared_record_approve).
- `check_unchanged()` is the edit-conflict check every admin form makes: the version the editor
  opened against the version now, under the lock.
"""

import contextlib
import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max, Q

from bioproject import fieldvalues, writes
from bioproject.history import recording
from profiles import audit, workflow
from profiles.documents import normalised, organization_chain_ids, person_document
from profiles.models import Organization, PendingChange, Person, PublishedRevision
from sources import evidence
from sources.models import Source
from sources.verification import source_reverify


class EditConflict(ValidationError):
    """Someone else changed the record since the editor opened it; `changes` says what."""

    def __init__(self, message, *, changes=(), latest=""):
        self.changes = list(changes)
        self.latest = latest
        super().__init__(
            [ValidationError(message, code="edit_conflict")]
            + [ValidationError(change, code="edit_conflict_detail") for change in self.changes]
        )


# Profiles ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def profile_edit(*, user, reason="", person=None, seen=None):
    """Write to working copies inside the block: permission checked on every write, each profile
    locked at its first write (or now, for `person`), history recorded with `user` and `reason`;
    with `seen` (a version token from `version_of`), refuse with EditConflict when `person` was
    edited since. On leaving, every profile written moves by the "edit" transition."""
    with writes.session(user=user, reason=reason) as opened, recording(reason=reason, user=user):
        if person is not None and person.pk is not None:
            writes.lock_profile(person.pk)
            if seen is not None:
                check_unchanged(person, seen)
        yield opened
        finish_edits(opened)


def finish_edits(opened):
    """Move every profile the session wrote by the "edit" transition (once; idempotent)."""
    touched, opened.touched = opened.touched, set()
    for person in Person.objects.filter(pk__in=touched).only("pk", "status", "live_revision"):
        target = workflow.next_state("edit", person)
        if (
            target == workflow.PENDING
            and person.status == workflow.PUBLISHED
            and unchanged_since_live(person)
        ):
            continue  # a save that changed nothing leaves nothing for a reviewer to approve
        if target != person.status:
            set_workflow(person, status=target)


def unchanged_since_live(person):
    """Whether the working copy is the live revision's document still."""
    live = (
        PublishedRevision.objects.filter(pk=person.live_revision_id)
        .values_list("document", flat=True)
        .first()
    )
    return live is not None and normalised(live) == person_document(Person.objects.get(pk=person.pk))


def set_workflow(person, **values):
    """Change workflow fields only: they are not content, so they write no content history."""
    for name, value in values.items():
        setattr(person, name, value)
    person.skip_history_when_saving = True
    try:
        person.save(update_fields=list(values))
    finally:
        del person.skip_history_when_saving


@contextlib.contextmanager
def bulk_writes(*, user, reason):
    """A session for services that write many new rows at once with their history (the
    generator's bulk_create_with_history): the user must be a reviewer, since shared records
    written this way are approved ones."""
    workflow.check("approve_shared", user=user)
    with writes.session(user=user, reason=reason, bulk=True) as opened, recording(reason=reason, user=user):
        yield opened
        finish_edits(opened)


def record_save(*, record, user, reason="", seen=None):
    """Validate and save one record of a profile's working copy (or a shared record)."""
    if record.profile_id() is None and not isinstance(record, Person):
        return shared_record_save(record=record, user=user, reason=reason, seen=seen)
    person = record if isinstance(record, Person) else None
    with profile_edit(user=user, reason=reason, person=person if record.pk else None, seen=seen):
        record.full_clean()
        record.save()
    return record


def record_delete(*, record, user, reason=""):
    """Delete one record of a profile's working copy, with its history."""
    records_delete(records=[record], user=user, reason=reason)


def records_delete(*, records, user, reason=""):
    """Delete several records (the admin's bulk action), one by one so that each keeps its
    history and each profile its lock and workflow state. A person who was ever published is not
    deleted: the revisions readers saw, and their review log, are the record (unpublish instead)."""
    with profile_edit(user=user, reason=reason):
        for record in records:
            if record.profile_id() is None:
                shared_record_delete(record=record, user=user, reason=reason)
                continue
            if isinstance(record, Person) and record.revisions.exists():
                raise ValidationError(
                    f"“{record}” has published revisions and is kept for the record: unpublish it instead.",
                    code="published_person",
                )
            record.delete()


def version_of(person):
    """A token for the version of a profile: when it was last edited."""
    latest = audit.latest_change(person)
    return latest.isoformat() if latest else "unchanged"


def version_moment(seen):
    """The moment a version token names (an aware datetime); ValidationError for a token no form
    of ours wrote (damaged, or without its time zone)."""
    if seen == "unchanged":
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)
    try:
        moment = datetime.datetime.fromisoformat(seen)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValidationError("The form was damaged; reload the page.", code="bad_token")
    return moment


def check_unchanged(person, seen):
    """Raise EditConflict when the profile was edited since version `seen`; call under the lock."""
    if not seen:
        return
    moment = version_moment(seen)
    latest = audit.latest_change(person)
    if latest is None or latest <= moment:
        return
    entries = audit.history_entries(audit.person_history(person, since=moment)[:20])
    changes = [
        f"{entry.record.history_user or 'someone'} {entry.action} {entry.kind} “{entry.label}”"
        + (f" ({entry.record.history_change_reason})" if entry.record.history_change_reason else "")
        + "".join(f"; {name}: {old} → {new}" for name, old, new in entry.changes[:6])
        for entry in entries
    ]
    raise EditConflict(
        "Someone changed this profile since you opened it. Your input is kept below; compare it "
        "with their changes, then save again to apply yours.",
        changes=changes,
        latest=latest.isoformat(),
    )


# Organizations and sources ------------------------------------------------------------------------


def shared_version_of(record):
    """A token for the version of an organization or source: its last change or proposal."""
    if record.pk is None:
        return ""
    moments = [record.history.aggregate(last=Max("history_date"))["last"]]
    pending = PendingChange.objects.filter(**{record_key(record): record}).first()
    if pending is not None:
        moments.append(pending.updated_at)
    moments = [moment for moment in moments if moment is not None]
    return max(moments).isoformat() if moments else "unchanged"


def check_shared_unchanged(record, seen):
    """Raise EditConflict when an organization or source changed since version `seen`; it takes
    the record's row lock, held until the save."""
    live = type(record).objects.select_for_update().get(pk=record.pk)
    latest = shared_version_of(live)
    if seen and seen != latest:  # no token: a script that read the record in this transaction
        raise EditConflict(
            f"Someone changed this {live._meta.verbose_name} since you opened it. Your input is kept "
            "below; compare it with their change, then save again to apply yours.",
            changes=shared_changes(live),
            latest=latest,
        )


def record_key(record):
    return "organization" if isinstance(record, Organization) else "source"


def pending_change(record):
    """The change waiting for review on an approved organization or source, or None."""
    if record.pk is None:
        return None
    return PendingChange.objects.filter(**{record_key(record): record}).select_related("user").first()


def with_pending(record):
    """The record as its editors see it: the approved row with the pending change applied (not
    saved)."""
    change = pending_change(record)
    if change is not None:
        fieldvalues.apply_values(record, change.values)
    return record


def shared_record_save(*, record, user, reason="", seen=None):
    """Save an organization or source as an editor: a new or not yet approved record is written
    at once; a change to an approved one waits for a reviewer as a PendingChange (none when the
    values are back to the approved ones). Returns the record or the PendingChange."""
    model = type(record)
    adding = record._state.adding or record.pk is None
    with writes.session(user=user, reason=reason) as opened, recording(reason=reason, user=user):
        action = "add" if adding else "change"
        if not opened.may(record, action):
            raise writes.WriteNotAllowed(f"You may not {action} {model._meta.verbose_name_plural}.")
        live = None
        if not adding:
            check_shared_unchanged(record, seen)
            live = model.objects.get(pk=record.pk)
        record.full_clean(exclude=["id"] if not record.pk else None)
        if live is None or live.approved_at is None:
            record.save()
            if live is not None and getattr(live, "archived_text", None) != getattr(
                record, "archived_text", None
            ):
                source_reverify(source=record)
                evidence.index_for(record.archived_text)  # the evidence finder's index, built once
            return record
        proposed = fieldvalues.field_values(record, model.REVIEWED_FIELDS)
        approved = fieldvalues.field_values(live, model.REVIEWED_FIELDS)
        changed = {name: value for name, value in proposed.items() if value != approved[name]}
        unreviewed = [
            name
            for name in model.UNREVIEWED_FIELDS
            if name != "approved_at" and getattr(record, name) != getattr(live, name)
        ]
        if unreviewed:
            for name in unreviewed:
                setattr(live, name, getattr(record, name))
            live.save(update_fields=unreviewed)
        change = PendingChange.objects.filter(**{record_key(live): live}).first()
        if not changed:
            if change is not None:
                change.delete()
            return live
        if change is None:
            change = PendingChange(**{record_key(live): live}, base={})
        change.base = {name: change.base.get(name, approved[name]) for name in changed}
        change.values, change.user, change.reason = changed, user, reason or ""
        change.save()
        return change


def shared_record_delete(*, record, user, reason=""):
    """Delete an organization or source nobody approved yet; approved ones stay (profiles and
    published revisions link to them)."""
    with writes.session(user=user, reason=reason), recording(reason=reason, user=user):
        if record.approved_at is not None:
            raise ValidationError(
                f"“{record}” is approved and readers may see it; it cannot be deleted.",
                code="approved_record",
            )
        record.delete()


def shared_changes(record):
    """What changed on an organization or source lately, in words, for a conflict message."""
    lines = []
    change = pending_change(record)
    if change is not None:
        lines.append(
            f"{change.user or 'someone'} proposed: "
            + "; ".join(f"{name}: {change.base.get(name)} → {value}" for name, value in change.values.items())
        )
    last = record.history.select_related("history_user").first()
    if last is not None:
        lines.append(f"{last.history_user or 'someone'} saved it on {last.history_date:%Y-%m-%d %H:%M}")
    return lines


def shared_review_queue():
    """Organizations and sources waiting for a reviewer (new ones, and approved ones with a
    pending change), new ones first, then the oldest change: {kind, record, change}."""
    items = []
    for model in (Organization, Source):
        key = model._meta.model_name
        waiting = model.objects.filter(Q(approved_at__isnull=True) | Q(pending_change__isnull=False))
        for record in waiting.select_related("pending_change__user").order_by("pk")[:500]:
            items.append({"kind": key, "record": record, "change": getattr(record, "pending_change", None)})
    return sorted(items, key=lambda item: item["change"].created_at.isoformat() if item["change"] else "")


def pending_shared_of(document):
    """The organizations and sources a profile document cites that have changes (or are new)
    waiting for a reviewer: not part of the profile's publication until approved."""
    slugs = {slug for m in document["memberships"] for slug in organization_chain_ids(m["organization"])}
    waiting = Q(approved_at__isnull=True) | Q(pending_change__isnull=False)
    return [
        *Organization.objects.filter(waiting, slug__in=slugs).select_related("pending_change"),
        *Source.objects.filter(waiting, pk__in=[s["id"] for s in document["sources"]]).select_related(
            "pending_change"
        ),
    ]
