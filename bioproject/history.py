"""Revision history for every editable model, with who changed what and why.

`History` is django-simple-history's `HistoricalRecords` with two additions:
- the change reason ("edit summary") and the user can be set once for a whole unit of work
  (an import, a revert) with `recording(...)`, instead of on each object; in a web request the
  admin puts the edit summary on the request (`request.edit_summary`), so an object and all its
  inlines share it, and the user comes from `HistoryRequestMiddleware`;
- extra indexes on the history table (the audit trail reads a person's history newest first).
"""

import contextlib
import contextvars

from simple_history.models import HistoricalRecords

_reason = contextvars.ContextVar("history_reason", default=None)
_user = contextvars.ContextVar("history_user", default=None)


@contextlib.contextmanager
def recording(*, reason=None, user=None):
    """Record every history row written inside the block with this reason and user."""
    reason_token = _reason.set(reason or None)
    user_token = _user.set(user)
    try:
        yield
    finally:
        _reason.reset(reason_token)
        _user.reset(user_token)


def current_reason():
    """The reason set by the innermost `recording()` block, or None."""
    return _reason.get()


class History(HistoricalRecords):
    def __init__(self, *args, indexes=(), **kwargs):
        self.extra_indexes = list(indexes)
        super().__init__(*args, **kwargs)

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        if self.extra_indexes:
            options["indexes"] = tuple(options.get("indexes", ())) + tuple(self.extra_indexes)
        return options

    def get_change_reason_for_object(self, instance, history_type, using):
        request = getattr(self.context, "request", None)
        return (
            super().get_change_reason_for_object(instance, history_type, using)
            or _reason.get()
            or getattr(request, "edit_summary", None)
        )

    def get_history_user(self, instance):
        user = _user.get()
        if user is not None and not hasattr(instance, "_history_user"):
            return user
        return super().get_history_user(instance)
