"""E-mail notices of review steps, sent through Django's e-mail framework when NOTIFY_BY_EMAIL is on.

- A profile submitted for review: the reviewers (everyone who may publish) are told.
- A profile sent back: the editor who submitted it gets the reviewer's comment.
- A profile published: the editors who submitted it since its previous publication are told.

The publishing services call these inside their transaction; each notice goes out only once the
transaction commits (a refused or rolled-back step sends nothing), and a failing mail server is
logged, never an error for the reviewer or editor who acted.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from profiles.models import Person, ReviewAction

logger = logging.getLogger(__name__)


def enabled():
    return bool(getattr(settings, "NOTIFY_BY_EMAIL", False))


def address(path):
    """An absolute link when the site knows its address (SITE_URL), else the path."""
    return f"{settings.SITE_URL}{path}"


def reviewers(*, excluding=None):
    """Active users who may publish profiles and have an e-mail address."""
    permission = Permission.objects.filter(content_type__app_label="profiles", codename="publish_person")
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
        )
        .distinct()
    )
    if excluding is not None:
        users = users.exclude(pk=excluding.pk)
    return list(users.order_by("username"))


def send_after_commit(messages):
    """Send (subject, body, recipients) messages once the current transaction commits."""
    messages = [(subject, body, recipients) for subject, body, recipients in messages if recipients]
    if not messages:
        return

    def send():
        try:
            send_mass_mail(
                [
                    (subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
                    for subject, body, recipients in messages
                ]
            )
        except Exception:  # noqa: BLE001 - a mail server's failure must not undo a review step
            logger.exception("Could not send %d review notice(s)", len(messages))

    transaction.on_commit(send)


def profile_submitted(*, person: Person, user, note: str = "") -> None:
    """Tell the reviewers that `user` submitted `person`'s profile for review."""
    if not enabled():
        return
    body = [
        f"{user} submitted the profile of {person.name} for review.",
        f"Their note: {note}" if note else "They left no note.",
        "",
        f"Review it: {address(reverse('admin:profiles_person_review', args=[person.pk]))}",
        f"The review queue: {address(reverse('admin:profiles_person_review_queue'))}",
    ]
    recipients = [reviewer.email for reviewer in reviewers(excluding=user)]
    send_after_commit([(f"Waiting for review: {person.name}", "\n".join(body), recipients)])


def profile_sent_back(*, person: Person, user, comment: str) -> None:
    """Tell the editor who last submitted `person`'s profile that `user` sent it back, and why."""
    if not enabled():
        return
    submission = (
        ReviewAction.objects.of_person(person)
        .filter(action=ReviewAction.Action.SUBMITTED)
        .select_related("user")
        .first()
    )
    editor = submission.user if submission else None
    if editor is None or not editor.email or not editor.is_active or editor.pk == user.pk:
        return
    body = [
        f"{user} sent the profile of {person.name} back to you with this comment:",
        "",
        comment,
        "",
        f"Edit it: {address(reverse('admin:profiles_person_change', args=[person.pk]))}",
    ]
    send_after_commit([(f"Sent back to you: {person.name}", "\n".join(body), [editor.email])])


def profiles_published(*, revisions, user, note: str = "") -> None:
    """Tell the editors who submitted each newly published profile since its previous
    publication that `user` published it, with the reviewer's note to the editors."""
    if not enabled() or not revisions:
        return
    by_person = {revision.person_id: revision for revision in revisions}
    editors = {person_id: set() for person_id in by_person}
    ids = list(by_person)
    for start in range(0, len(ids), 500):  # a batch publication (an import) can be thousands
        steps = (
            ReviewAction.objects.filter(person_id__in=ids[start : start + 500])
            .filter(action__in=[ReviewAction.Action.SUBMITTED, ReviewAction.Action.APPROVED])
            .exclude(revision__in=revisions)  # the approval just logged, if it is already
            .select_related("user")
            .order_by("person_id", "-created_at", "-pk")
        )
        done = set()
        for step in steps:  # newest first, back to the previous approval
            if step.person_id in done:
                continue
            if step.action == ReviewAction.Action.APPROVED:
                done.add(step.person_id)
            elif step.user and step.user.is_active and step.user.email and step.user.pk != user.pk:
                editors[step.person_id].add(step.user.email)
    messages = []
    for person_id, revision in by_person.items():
        path = reverse("revision_detail", args=[revision.slug, revision.number])
        body = [f"{user} published the profile of {revision.name} as revision {revision.number}."]
        if note:
            body.append(f"Their note to the editors: {note}")
        if revision.comment:
            body.append(f"The revision note readers see: {revision.comment}")
        body += ["", f"Read it: {address(path)}"]
        messages.append((f"Published: {revision.name}", "\n".join(body), sorted(editors[person_id])))
    send_after_commit(messages)
