"""Whole numbers written in requests (a `?page=`, a row id posted by a form), read in one place.

`str.isdigit()` is true of "²" and "١", which `int()` refuses or reads as another number, and
`int()` of a 5,000-digit string raises: a number here is ASCII digits, a bounded count of them.

Every listing (public pages, the review pages, the admin's change lists) takes its `?page=` here: a
page number is ASCII digits, at most MAX_PAGE; anything else is not a page, so that a 30-digit
number never reaches the database as an OFFSET it cannot hold (a 500 on PostgreSQL and SQLite).
"""

from django.core import paginator

# No listing here has a millionth page; a bigger number is a probe, not a page.
MAX_PAGE = 1_000_000
MAX_DIGITS = 18  # fits a 64-bit database id


def whole_number(value, *, max_digits=MAX_DIGITS):
    """The number `value` writes in ASCII digits (0 or more), or None when it writes none."""
    if isinstance(value, str) and 0 < len(value) <= max_digits and value.isascii() and value.isdigit():
        return int(value)
    return None


def page_number(value, *, default=1):
    """The page number `value` names (`default` when none is given); PageNotAnInteger when it is not
    written in digits, EmptyPage when it is 0 or beyond MAX_PAGE."""
    if value is None or value == "":
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value) if len(value) <= len(str(MAX_PAGE)) else MAX_PAGE + 1
    else:
        raise paginator.PageNotAnInteger("That page number is not a whole number.")
    if number < 1 or number > MAX_PAGE:
        raise paginator.EmptyPage("There is no such page.")
    return number


class Paginator(paginator.Paginator):
    """Django's paginator, reading its page numbers through page_number."""

    def validate_number(self, number):
        return super().validate_number(page_number(number))
