"""What every editable model shares."""

import re

from django.core.exceptions import ValidationError
from django.db import models

# C0 and C1 control characters (but tab and line breaks), and the invisible direction overrides
# that can make text read differently from what it says.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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
