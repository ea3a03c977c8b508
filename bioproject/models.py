"""What every editable model shares."""

import re

from django.core.exceptions import ValidationError
from django.db import models

from bioproject import writes

# C0 and C1 control characters (but tab and line breaks), the invisible direction overrides and
# isolates that can make text read differently from what it says, the zero-width space and the
# byte-order mark (invisible, they make two equal-looking texts differ), and lone surrogates (no
# text can hold them: the database refuses them later). The zero-width (non-)joiners stay: scripts
# such as Persian and Devanagari need them.
FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


class CleanTextModel(models.Model):
    """Refuses control characters and direction overrides in every text field, wherever the
    record comes from (forms, imports, services), with a message on the field."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
        for field in self._meta.concrete_fields:
            if field.name in errors or (exclude and field.name in exclude):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str) and FORBIDDEN.search(value):
                character = FORBIDDEN.search(value).group()
                errors[field.name] = [
                    ValidationError(
                        "Remove the invisible control character U+%(code)04X from this text.",
                        code="control_character",
                        params={"code": ord(character)},
                    )
                ]
        if errors:
            raise ValidationError(errors)


class GuardedQuerySet(models.QuerySet):
    """Bulk writes skip save() and history: only bulk services may use them (bioproject.writes)."""

    def update(self, **kwargs):
        writes.check_bulk(self, "update")
        return super().update(**kwargs)

    def delete(self):
        writes.check_bulk(self, "delete")
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        writes.check_bulk(self, "create")
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        writes.check_bulk(self, "update")
        return super().bulk_update(objs, fields, *args, **kwargs)


class EditorialModel(CleanTextModel):
    """A record of the working copy or a shared record: written only through the services."""

    # Fields a service may change on any row without a reviewer (workflow state, notes for
    # editors, recomputed values); see bioproject.writes.check_write.
    UNREVIEWED_FIELDS = ()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        action = "add" if self._state.adding else "change"
        writes.check_write(self, action, update_fields=kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        if "person_id" in self.__dict__:
            self._stored_profile_id = self.person_id

    def delete(self, *args, **kwargs):
        writes.check_write(self, "delete")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The profile the row was read in: a row never moves to another (bioproject.writes).
        if "person_id" in instance.__dict__:
            instance._stored_profile_id = instance.person_id
        return instance

    def profile_id(self):
        """The pk of the person whose profile this record is part of (None: a shared record)."""
        return getattr(self, "person_id", None)

    def is_public_row(self):
        """Whether readers see this row as it is (an approved shared record)."""
        return False
