import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from profiles.dates import PartialDate, PartialDateFormField, Precision, display_date
from profiles.models import Person
from tests.factories import PersonFactory, PositionFactory


@pytest.mark.parametrize(
    ("text", "iso", "shown", "precision"),
    [
        ("1955", "1955", "1955", Precision.YEAR),
        ("1955-12", "1955-12", "December 1955", Precision.MONTH),
        ("1955-12-05", "1955-12-05", "5 December 1955", Precision.DAY),
        ("December 1955", "1955-12", "December 1955", Precision.MONTH),
        ("5 December 1955", "1955-12-05", "5 December 1955", Precision.DAY),
        ("December 5, 1955", "1955-12-05", "5 December 1955", Precision.DAY),
        ("  dec 1955 ", "1955-12", "December 1955", Precision.MONTH),
        ("2024-02-29", "2024-02-29", "29 February 2024", Precision.DAY),
    ],
)
def test_partial_dates_parse_render_and_export(text, iso, shown, precision):
    date = PartialDate.parse(text)
    assert date.isoformat() == iso
    assert str(date) == shown
    assert date.precision == precision


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1955-02-30", "February 1955 has 28 days"),
        ("2023-02-29", "February 2023 has 28 days"),
        ("2004-13", "There is no month 13"),
        ("December", "has no year"),
        ("12-05", "has no year"),
        ("5 Decembre 1955", "not the name of a month"),
        ("yesterday", "is not a date"),
        ("0000", "is not a year"),
    ],
)
def test_impossible_dates_are_refused_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        PartialDate.parse(text)


def test_precision_ranges_tell_less_precise_from_contradicting():
    day = PartialDate.parse("1955-12-05")
    assert PartialDate.parse("1955").overlaps(day)
    assert PartialDate.parse("1955-12").overlaps(day)
    assert not PartialDate.parse("1955-11").overlaps(day)
    assert not PartialDate.parse("2004-04").overlaps(PartialDate.parse("2004-06"))
    assert PartialDate.parse("1955").earliest == datetime.date(1955, 1, 1)
    assert PartialDate.parse("1955-02").latest == datetime.date(1955, 2, 28)


@pytest.mark.django_db
def test_dates_sort_chronologically_in_the_database():
    for slug, birth in [("c", "1955-12-05"), ("a", "1955"), ("b", "1955-12"), ("d", "1954-12-31")]:
        PersonFactory(slug=slug, birth_date=PartialDate.parse(birth))
    ordered = Person.objects.order_by("birth_date").values_list("slug", flat=True)
    assert list(ordered) == ["d", "a", "b", "c"]
    stored = Person.objects.get(slug="b")
    assert stored.birth_date == PartialDate(1955, 12)
    assert display_date("1955-12") == "December 1955"


def test_form_field_reports_the_error_on_the_field():
    field = PartialDateFormField(required=False)
    with pytest.raises(ValidationError) as error:
        field.clean("1955-02-30")
    assert error.value.code == "invalid_date"
    assert field.clean("") is None
    assert field.prepare_value(PartialDate(1955, 12)) == "1955-12"


@pytest.mark.django_db
def test_end_before_start_is_refused_but_a_coarser_end_in_the_same_year_is_not():
    position = PositionFactory.build(
        person=PersonFactory(), organization=None, start_date=PartialDate(1999, 5), end_date=PartialDate(1998)
    )
    with pytest.raises(ValidationError) as error:
        position.clean()
    assert "end_date" in error.value.message_dict
    position.end_date = PartialDate(1999)  # "May 1999 – 1999" is consistent
    position.clean()


@given(st.dates(min_value=datetime.date(100, 1, 1)), st.sampled_from(["year", "month", "day"]))
def test_any_partial_date_round_trips_through_iso_and_display(day, precision):
    date = PartialDate(
        day.year, day.month if precision != "year" else None, day.day if precision == "day" else None
    )
    assert PartialDate.parse(date.isoformat()) == date
    assert PartialDate.parse(str(date)) == date
    assert date.earliest <= day <= date.latest


@given(st.text(max_size=20))
def test_parsing_arbitrary_text_either_gives_a_date_or_a_value_error(text):
    try:
        date = PartialDate.parse(text)
    except ValueError:
        return
    assert PartialDate.parse(date.isoformat()) == date
