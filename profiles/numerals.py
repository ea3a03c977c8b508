"""Whole numbers written in requests (a `?page=`, a row id posted by a form), read in one place.

`str.isdigit()` is true of "²" and "١", which `int()` refuses or reads as another number, and
`int()` of a 5,000-digit string raises: a number here is ASCII digits, a bounded count of them.
"""

# No listing has a millionth page; a larger number is a probe, not a page.
MAX_PAGE = 1_000_000
MAX_DIGITS = 18  # fits a 64-bit database id


def whole_number(value, *, max_digits=MAX_DIGITS):
    """The number `value` writes in ASCII digits (0 or more), or None when it writes none."""
    if isinstance(value, str) and 0 < len(value) <= max_digits and value.isascii() and value.isdigit():
        return int(value)
    return None


class NotAPage(ValueError):
    """The value does not write a page number (a positive whole number)."""


def page_number(value):
    """The page `value` names, 1 when it names none; NotAPage unless it is ASCII digits of a number
    from 1. A number beyond MAX_PAGE is MAX_PAGE + 1, a page no listing has."""
    if value is None:
        return 1
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = whole_number(value.lstrip("0") or "0", max_digits=len(str(MAX_PAGE)))
        if number is None:
            return MAX_PAGE + 1
    else:
        raise NotAPage("page must be a positive whole number.")
    if number < 1:
        raise NotAPage("page must be a positive whole number.")
    return min(number, MAX_PAGE + 1)
