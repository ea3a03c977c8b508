import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger

from bioproject.paging import MAX_PAGE, page_number
from tests.factories import (
    CitationFactory,
    OrganizationFactory,
    PositionFactory,
    as_system,
    cited_profile,
    publish,
)

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def organization(reviewer):
    with as_system():
        body = OrganizationFactory(slug="state-council", name="State Council")
        person = cited_profile(slug="premier", name="Premier", positions=0, events=0)
        position = PositionFactory(person=person, organization=body, role="Premier")
        CitationFactory(person=person, position=position)
    publish(person=person, user=reviewer)
    return body


@pytest.mark.parametrize("value", [HUGE, str(MAX_PAGE + 1), "0"])
def test_an_organization_page_beyond_any_page_is_a_404(client, organization, value):
    client.raise_request_exception = False
    assert client.get(f"/organizations/state-council/?page={value}").status_code == 404


@pytest.mark.parametrize("value", ["abc", "²", "1_0", "-3", "%00", ""])
def test_an_organization_page_that_is_not_a_number_shows_the_first_page(client, organization, value):
    response = client.get(f"/organizations/state-council/?page={value}")
    assert response.status_code == 200
    assert ">Premier<" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/people/?page=",
        "/search/?q=premier&page=",
        "/sitemap.xml?p=",
    ],
)
@pytest.mark.parametrize("value", [HUGE, "²", "1_0"])
def test_other_listings_never_answer_500_to_an_odd_page(client, organization, url, value):
    client.raise_request_exception = False
    assert client.get(url + value).status_code in (200, 404)


@pytest.mark.parametrize("value", [HUGE, "²", "1_0", "0"])
def test_admin_lists_never_answer_500_to_an_odd_page(admin_client, organization, value):
    admin_client.raise_request_exception = False
    for url in ("/admin/profiles/person/", "/admin/profiles/organization/", "/admin/sources/source/"):
        assert admin_client.get(f"{url}?p={value}").status_code in (200, 302), url


def test_page_number_reads_only_plain_digits():
    assert page_number("3") == 3
    assert page_number(None) == 1 and page_number("") == 1
    for value in ("²", "٣", "1_0", " 3", "+3", "3.0", HUGE):
        with pytest.raises((PageNotAnInteger, EmptyPage)):
            page_number(value)
    with pytest.raises(EmptyPage):
        page_number("0")
