"""What a claim is, declared once: its kinds, the fields a citation can back, their labels and
which of them are dates. Read from the models (`CITABLE_FIELDS` and each field's verbose name);
every other module imports it from here.
"""

from django.db import models

from profiles.dates import PartialDateField
from profiles.models import Event, Person, Position

# The kinds of claim: a fact of the person, a position held (a "membership" in the document, as
# Popolo calls it) and an event.
MODELS = {"person": Person, "position": Position, "event": Event}

CLAIM_FIELDS = {kind: tuple(model.CITABLE_FIELDS) for kind, model in MODELS.items()}

ALL_FIELDS = tuple(dict.fromkeys(name for names in CLAIM_FIELDS.values() for name in names))


def _model_field(name):
    for model in MODELS.values():
        try:
            return model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist or a reverse relation
            continue
    return None


def _is_date(name):
    return isinstance(_model_field(name), PartialDateField)


DATE_FIELDS = frozenset(name for name in ALL_FIELDS if _is_date(name))

# Fields whose value is prose (a summary, a description): too long to repeat in a "sources differ" note.
PROSE_FIELDS = frozenset(name for name in ALL_FIELDS if isinstance(_model_field(name), models.TextField))


def label(name):
    """How an editor or reader names the field: "birth date", "other names", "start date"."""
    field = _model_field(name)
    verbose = getattr(field, "verbose_name", None) if field is not None and field.concrete else None
    return str(verbose or name.replace("_", " "))


LABELS = {name: label(name) for name in ALL_FIELDS}

FIELD_CHOICES = [(name, LABELS[name]) for name in ALL_FIELDS]
