"""Dates known to a precision: "1955", "December 1955" or "5 December 1955".

Stored as ISO 8601 partial dates ("1955", "1955-12", "1955-12-05"), which sort chronologically as
plain strings, so the database orders them without help.
"""

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
WORDS = [
    re.compile(r"^(?P<day>\d{1,2}) (?P<month>[a-z]+)\.? (?P<year>\d{3,4})$"),  # 5 December 1955
    re.compile(r"^(?P<month>[a-z]+)\.? (?P<day>\d{1,2}),? (?P<year>\d{3,4})$"),  # December 5, 1955
    re.compile(r"^(?P<month>[a-z]+)\.?,? (?P<year>\d{3,4})$"),  # December 1955
    re.compile(r"^(?P<year>\d{3,4})$"),
]


class Precision(models.TextChoices):
    YEAR = "year", "year"
    MONTH = "month", "month"
    DAY = "day", "day"


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if not 100 <= self.year <= 9999:
            raise ValueError(f"{self.year} is not a year between 100 and 9999.")
        if self.month is None and self.day is not None:
            raise ValueError("A day needs a month.")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"There is no month {self.month}: give 1 to 12.")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(
                    f"{calendar.month_name[self.month]} {self.year} has {last} days, "
                    f"so there is no day {self.day}."
                )

    @classmethod
    def parse(cls, value):
        """Read "1955", "1955-12", "1955-12-05", "December 1955" or "5 December 1955"."""
        if isinstance(value, cls):
            return value
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, str) and cls is PartialDate:
            return _parsed(value)
        return cls._parse_text(value)

    @classmethod
    def _parse_text(cls, value):
        text = " ".join(str(value).split()).strip()
        match = ISO.match(text)
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            return cls(year, month, day)
        lowered = text.lower()
        for pattern in WORDS:
            match = pattern.match(lowered)
            if match:
                parts = match.groupdict()
                month = None
                if "month" in parts:
                    month = MONTHS.get(parts["month"])
                    if month is None:
                        raise ValueError(f"{parts['month']!r} is not the name of a month.")
                day = int(parts["day"]) if parts.get("day") else None
                return cls(int(parts["year"]), month, day)
        if lowered in MONTHS or re.fullmatch(r"\d{1,2}(-\d{1,2})?|-+\d{1,2}(-\d{1,2})?", text):
            raise ValueError(f"{text!r} has no year: a date needs at least a year.")
        raise ValueError(
            f"{text!r} is not a date. Write 1955, 1955-12 or 1955-12-05 (or December 1955, 5 December 1955)."
        )

    @property
    def precision(self):
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def earliest(self):
        """The first day this date may mean."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self):
        """The last day this date may mean."""
        month = self.month or 12
        return datetime.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def isoformat(self):
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def overlaps(self, other):
        """Whether the two dates may mean the same day (one is only less precise)."""
        return self.earliest <= other.latest and other.earliest <= self.latest

    def __str__(self):
        if self.day is not None:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month is not None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def __lt__(self, other):
        return self.isoformat() < other.isoformat()


@functools.lru_cache(maxsize=4096)
def _parsed(text):
    """PartialDate.parse of a text, remembered: every date read from the database is parsed, and
    a profile's pages and its publication read the same few hundred again and again (a
    PartialDate never changes, so one can be shared)."""
    return PartialDate._parse_text(text)


def parse_partial_date(value):
    """The PartialDate for an ISO partial date string or None, else a ValidationError."""
    if value in (None, ""):
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_date") from error


def display_date(value):
    """Render an ISO partial date string ("1955-12") as a reader reads it ("December 1955")."""
    date = parse_partial_date(value)
    return str(date) if date else ""


def iso_or_none(value):
    return value.isoformat() if value else None


class PartialDateFormField(forms.CharField):
    def __init__(self, *, placeholder=None, **kwargs):
        kwargs.pop("max_length", None)  # the length check belongs to the text, not the date
        super().__init__(**kwargs)
        self.widget.attrs.update(
            maxlength="40", size="16", placeholder=placeholder or "1955, 1955-12 or 1955-12-05"
        )

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, PartialDate) else value

    def to_python(self, value):
        text = super().to_python(value)
        if len(text) > 40:
            raise ValidationError("Write a date in at most 40 characters.", code="max_length")
        return parse_partial_date(text)


class PartialDateField(models.Field):
    """A date with its precision, stored as an ISO 8601 partial date string."""

    description = "Date known to the year, month or day"

    def __init__(self, *args, placeholder=None, **kwargs):
        kwargs["max_length"] = 10
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        # An example of this field's own kind of date, shown in its empty box (not in migrations).
        self.placeholder = placeholder
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

    def get_internal_type(self):
        return "CharField"

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        return parse_partial_date(value)

    def get_prep_value(self, value):
        return iso_or_none(self.to_python(value))

    def value_to_string(self, obj):
        return iso_or_none(self.value_from_object(obj)) or ""

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": PartialDateFormField, "placeholder": self.placeholder, **kwargs}
        )
