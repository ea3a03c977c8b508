"""The guard of the one write path.

Every write to a profile's working copy (a person, its other names, positions, events and
citations) and to an organization or a source happens inside a write session, which only the
services open (`profiles.editing`, `profiles.publishing`, `profiles.importing`). The models call
`check_write()` from `save()` and `delete()`, and their querysets from `update()`, `delete()` and
the bulk methods, so that a write from anywhere else (a form the admin saves on its own, a bulk
action, a history "revert" form, a script) fails loudly instead of reaching readers unreviewed.

Inside a session the guard also does what every write needs, wherever it comes from:
- it checks the session user's model permission for the write (add, change or delete);
- it takes the profile's lock (the person row, `SELECT … FOR UPDATE`) before the first write to
  any part of that profile in the transaction, the same lock publishing takes, so a publication
  never reads half of another transaction's work;
- it notes which profiles were written, so that the service moves their workflow state.

Records whose rows readers see directly (an approved organization or source) are written only by
the approving service, which names them with `Session.allow()`; editors' changes to them wait as
pending changes (see `profiles.editing`).
"""

import contextlib
import contextvars
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction


class WriteOutsideService(RuntimeError):
    """A tracked model was written without going through a service."""


class WriteNotAllowed(PermissionDenied):
    """The session's user may not make this write."""


class RowMoved(WriteNotAllowed):
    """A row of one profile (an other name, position, event or citation) saved into another."""


@dataclass
class Session:
    user: object
    reason: str = ""
    # Trusted code with no user (data migrations, test fixtures, the generator's bulk rows).
    system: bool = False
    # Profiles whose person row this transaction has locked, and those it wrote.
    locked: set = field(default_factory=set)
    touched: set = field(default_factory=set)
    # (model label, pk) of approved shared records the current service may write.
    allowed: set = field(default_factory=set)
    # Bulk writes (queryset update/delete, bulk_create) are for services that handle history.
    bulk: bool = False

    def allow(self, instance):
        self.allowed.add((instance._meta.label, instance.pk))

    def may(self, instance, action):
        if self.system:
            return True
        if self.user is None or not self.user.is_active:
            return False
        opts = instance._meta
        return self.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")


_session = contextvars.ContextVar("write_session", default=None)


def current():
    """The open write session, or None."""
    return _session.get()


@contextlib.contextmanager
def session(*, user, reason="", system=False, bulk=False):
    """Open a write session (nested ones join the outer session) inside one transaction."""
    outer = _session.get()
    if outer is not None:
        was_bulk = outer.bulk
        outer.bulk = outer.bulk or bulk
        try:
            with transaction.atomic():
                yield outer
        finally:
            outer.bulk = was_bulk
        return
    opened = Session(user=user, reason=reason or "", system=system, bulk=bulk)
    token = _session.set(opened)
    try:
        with transaction.atomic():
            yield opened
    finally:
        _session.reset(token)


def lock_profile(person_id):
    """Take the profile's lock for the rest of the transaction (once per session)."""
    opened = _session.get()
    if opened is not None and person_id in opened.locked:
        return
    if not connection.in_atomic_block:
        raise WriteOutsideService("A profile's lock is taken inside a transaction.")
    Person = apps.get_model("profiles", "Person")
    Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True).first()
    if opened is not None:
        opened.locked.add(person_id)


def check_write(instance, action, *, update_fields=None):
    """Refuse a write that does not come from a service, or that its user may not make; take
    the lock of the profile it belongs to."""
    opened = _session.get()
    name = f"{instance._meta.verbose_name} “{instance}”"
    if opened is None:
        raise WriteOutsideService(
            f"{name} was written outside the editorial services; use profiles.editing or "
            "profiles.publishing, which check permissions, lock the profile and record history."
        )
    if update_fields is not None and set(update_fields) <= set(instance.UNREVIEWED_FIELDS):
        return  # workflow state and editors' notes: the service that writes them checked its action
    if not opened.may(instance, action):
        raise WriteNotAllowed(f"You may not {action} {name}.")
    person_id = instance.profile_id()
    if person_id is not None and stored_profile_id(instance) not in (None, person_id):
        raise RowMoved(f"{name} belongs to another profile; a row never moves from one profile to another.")
    if person_id is not None:
        lock_profile(person_id)
        opened.touched.add(person_id)
    elif instance.pk is not None and not instance._state.adding and instance.is_public_row():
        if (instance._meta.label, instance.pk) not in opened.allowed:
            raise WriteOutsideService(
                f"{name} is approved: readers see it as it is. Changes wait for a reviewer "
                "(profiles.editing.shared_record_save)."
            )


def stored_profile_id(instance):
    """The profile a row of a profile is stored in (None: a new row, or a person)."""
    if instance.pk is None or instance._meta.model_name == "person":
        return None
    if "_stored_profile_id" in instance.__dict__:
        return instance._stored_profile_id
    stored = type(instance)._base_manager.filter(pk=instance.pk).values_list("person_id", flat=True)
    return stored.first()


def check_bulk(queryset, action):
    """Bulk writes skip save(): only services that record history themselves may use them."""
    opened = _session.get()
    if opened is None or not (opened.bulk or opened.system):
        raise WriteOutsideService(
            f"Bulk {action} of {queryset.model._meta.verbose_name_plural} outside a bulk service."
        )
