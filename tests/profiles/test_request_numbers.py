"""Whole numbers written in requests (a page, a row id) are ASCII digits, read in one place
(bioproject.paging): "²" and "١" are not numbers there, so no `int()` of them answers 500."""

import datetime

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from bioproject.admin import merge_untouched
from bioproject.paging import whole_number
from tests.factories import cited_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "number"),
    [("7", 7), ("0", 0), ("007", 7), ("²", None), ("١", None), ("-1", None), ("1.0", None), ("", None)],
)
def test_a_whole_number_is_ascii_digits(text, number):
    assert whole_number(text) == number


def test_a_whole_number_has_a_bounded_count_of_digits():
    assert whole_number("9" * 18) == int("9" * 18)
    assert whole_number("9" * 19) is None
    assert whole_number("9" * 5000) is None  # int() would raise: too many digits to convert


def test_a_review_override_of_a_citation_written_in_other_digits_is_404(reviewer):
    person = cited_profile(slug="cai-qi")
    client = Client()
    client.force_login(reviewer)
    url = reverse("admin:profiles_person_review", args=[person.pk])
    for number in ("²", "9" * 30):
        response = client.post(url, {"_override": "1", "citation": number, "reason": "x"})
        assert response.status_code == 404


def test_an_edit_merge_skips_row_ids_written_in_other_digits():
    person = cited_profile(slug="cai-qi")
    data = QueryDict(mutable=True)
    data.update({"name": "Cai Qi", "positions-0-id": "²", "positions-1-id": "9" * 30})
    merged = merge_untouched(data, person, datetime.datetime.now(datetime.UTC))
    assert merged["positions-0-id"] == "²" and merged["name"] == "Cai Qi"
