"""Who may do what to a profile, and the states a profile moves through.

The table below is the whole workflow. Every service in profiles.editing and profiles.publishing
starts with `check()`: the user's permission for the action, then the transition from the
profile's current state; it raises before anything is written. Views, admin buttons and commands
may hide a button the user cannot use, but the check here is the one that counts (as each of
Wagtail's actions calls its own `check()` before `execute()`).
"""

from django.core.exceptions import PermissionDenied, ValidationError

from profiles.models import Person

DRAFT, IN_REVIEW, PUBLISHED, PENDING = (
    Person.Status.DRAFT,
    Person.Status.IN_REVIEW,
    Person.Status.PUBLISHED,
    Person.Status.PENDING,
)
# Where a profile goes back to when it leaves review or loses its live revision: "draft" when
# nothing of it is live, "published, with pending changes" when a revision is.
WORKING = "working"

# action: {state it may start from: state it ends in}
TRANSITIONS = {
    # An edit of the working copy; a profile in review stays there (the reviewer's approval is
    # tied to the content they read, so an edit after that is caught at approval).
    "edit": {DRAFT: DRAFT, IN_REVIEW: IN_REVIEW, PUBLISHED: PENDING, PENDING: PENDING},
    "submit": {DRAFT: IN_REVIEW, PENDING: IN_REVIEW},
    # A reviewer may publish what they reviewed whether or not an editor submitted it.
    "publish": {DRAFT: PUBLISHED, IN_REVIEW: PUBLISHED, PENDING: PUBLISHED},
    "reject": {IN_REVIEW: WORKING},
    "unpublish": {PUBLISHED: DRAFT, PENDING: DRAFT, IN_REVIEW: DRAFT},
    "revert": {DRAFT: WORKING, IN_REVIEW: WORKING, PUBLISHED: WORKING, PENDING: WORKING},
    # Hiding a revision changes the state only when it hides the live one (the profile then
    # leaves the public site); see publishing.revision_hide.
    "hide": {DRAFT: DRAFT, IN_REVIEW: IN_REVIEW, PUBLISHED: PUBLISHED, PENDING: PENDING},
    "override": {DRAFT: DRAFT, IN_REVIEW: IN_REVIEW, PUBLISHED: PUBLISHED, PENDING: PENDING},
}

# The permission each action needs. Edits need the model permission of each record written,
# checked by the write guard (bioproject.writes) on every save and delete.
PERMISSIONS = {
    "edit": "profiles.change_person",
    "submit": "profiles.submit_person",
    "publish": "profiles.publish_person",
    "reject": "profiles.publish_person",
    "unpublish": "profiles.publish_person",
    "revert": "profiles.publish_person",
    "hide": "profiles.publish_person",
    "override": "profiles.publish_person",
    # Organizations and sources: the reviewers of profiles review them too.
    "approve_shared": "profiles.publish_person",
}

# Actions that change what readers see for the worse if done by mistake: a reason is required.
NEEDS_REASON = {"reject", "unpublish", "revert", "hide", "override"}


class ActionNotPermitted(PermissionDenied):
    """The user may not take this action."""


class ActionRefused(ValidationError):
    """The action does not apply now: the profile is in the wrong state, or a reason is missing."""


def may(user, action):
    """Whether the user may take the action (for showing buttons; services call check())."""
    return bool(user is not None and user.is_active and user.has_perm(PERMISSIONS[action]))


def check(action, *, user, person=None, reason=None):
    """Refuse the action unless the user may take it, the profile's state allows it and a
    reason is given where one is needed; return the state the profile moves to."""
    if not may(user, action):
        raise ActionNotPermitted(f"You may not {action.replace('_', ' ')} here.")
    if action in NEEDS_REASON and reason is not None and not reason.strip():
        raise ActionRefused("Give a reason: it is kept in the audit trail.", code="reason_required")
    if person is None:
        return None
    return next_state(action, person)


def next_state(action, person):
    """The state the profile moves to, or ActionRefused when the action does not apply now."""
    target = TRANSITIONS[action].get(person.status)
    if target is None:
        raise ActionRefused(
            f"A profile that is “{person.get_status_display()}” cannot be {PAST[action]}.",
            code="wrong_state",
        )
    if target == WORKING:
        return PENDING if person.live_revision_id else DRAFT
    return target


PAST = {
    "edit": "edited",
    "submit": "submitted for review",
    "publish": "published",
    "reject": "sent back (nobody submitted it)",
    "unpublish": "unpublished",
    "revert": "reverted",
    "hide": "changed",
    "override": "changed",
}
