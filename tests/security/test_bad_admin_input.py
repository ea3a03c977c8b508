"""Admin inputs that were server errors: days at the ends of the calendar in the audit filters,
NUL bytes in an autocomplete term or an admin address (PostgreSQL refuses them in any text), and
invisible characters in what the admin saves. Each gets a form error or a 400/404, never a 500.
Run on PostgreSQL too: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bioproject_interop."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from profiles.models import Organization, Person
from tests.factories import OrganizationFactory, PersonFactory, SourceFactory, cited_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    client.raise_request_exception = False  # a 500 is an answer to assert on, not a test crash
    return client


def audit_urls():
    person = cited_profile(slug="cai-qi")
    return [
        reverse("admin:profiles_person_recent_changes"),
        reverse("admin:profiles_person_audit", args=[person.pk]),
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("until=9999-12-31", "until", "Give a day from 1900-01-01 to 9998-12-31."),
        ("since=0001-01-01", "since", "Give a day from 1900-01-01 to 9998-12-31."),
        ("since=0001-01-01&until=9999-12-31", "since", "Give a day from 1900-01-01 to 9998-12-31."),
        ("since=2020-01-02&until=2020-01-01", "until", "Ends before it starts."),
        ("since=not-a-day", "since", "Enter a valid date."),
        ("until=99999-01-01", "until", "Enter a valid date."),
        ("user=nobody", "user", "Select a valid choice."),
    ],
)
def test_audit_filters_out_of_range_give_a_form_error(admin_client, query, field, message):
    for url in audit_urls():
        response = admin_client.get(f"{url}?{query}")
        assert response.status_code == 200, url
        form = response.context["form"]
        assert any(text.startswith(message) for text in form.errors[field]), form.errors


def test_audit_filters_at_the_ends_of_the_range_work(admin_client):
    for url in audit_urls():
        response = admin_client.get(f"{url}?since=1900-01-01&until=9998-12-31")
        assert response.status_code == 200 and not response.context["form"].errors
        assert response.context["entries"]  # the profile's creation is inside the range


NUL_REQUESTS = [
    "/admin/autocomplete/?term=%00&app_label=profiles&model_name=position&field_name=organization",
    "/admin/autocomplete/?term=a%00b&app_label=sources&model_name=citation&field_name=source",
    "/admin/autocomplete/?app_label=profiles%00&model_name=position&field_name=organization&term=a",
    "/admin/sources/source/%00/change/",
    "/admin/sources/source/abc%00/history/",
    "/admin/profiles/organization/%00/change/",
    "/admin/profiles/person/?q=%00",
    "/admin/sources/source/?q=x%00",
    "/admin/profiles/person/recent-changes/?user=%00",
    "/admin/profiles/person/recent-changes/?since=%00",
]


@pytest.mark.parametrize("url", NUL_REQUESTS)
def test_nul_bytes_in_an_address_or_query_give_400(admin_client, url):
    SourceFactory(id="abc")
    OrganizationFactory()
    response = admin_client.get(url)
    assert response.status_code == 400
    assert response.content == b"No NUL bytes in addresses."


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/search/?q=%00", 200),
        ("/people/?page=%00", 200),
        ("/sources/%00/", 404),
        ("/people/%00/", 404),
        ("/organizations/%00/", 404),
        ("/api/people/?page=%00", 400),
        ("/api/people/?updated_since=%00", 400),
        ("/api/people/%00/", 404),
    ],
)
def test_public_pages_read_nul_bytes_harmlessly(client, url, status):
    client.raise_request_exception = False
    assert client.get(url).status_code == status


def test_a_percent_sign_that_is_not_a_nul_still_works(admin_client):
    response = admin_client.get("/admin/sources/source/?q=%2500")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "character", ["\u202e", "\u2066", "\u2069", "\ufeff", "\u200b", "\x00", "\x85", "\ud800"]
)
def test_the_models_refuse_the_invisible_characters_the_import_refuses(character):
    person = PersonFactory.build(slug="cai-qi", name=f"Cai{character}Qi")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict["name"] == [
        f"Remove the invisible control character U+{ord(character):04X} from this text."
    ]


@pytest.mark.parametrize("character", ["\u200c", "\u200d"])
def test_the_joiners_stay_allowed(character):
    PersonFactory.build(slug="cai-qi", name=f"Cai{character}Qi").full_clean()


def test_the_admin_refuses_a_bidi_isolate_in_a_person_name(admin_client):
    from tests.forms import form_data

    person = PersonFactory(slug="cai-qi", name="Cai Qi")
    change = reverse("admin:profiles_person_change", args=[person.pk])
    data = form_data(admin_client.get(change), "person_form")
    data["name"] = "Cai \u2067Qi"
    response = admin_client.post(change, data)
    assert response.status_code == 200
    assert "Remove the invisible control character U+2067" in response.content.decode()
    assert Person.objects.get().name == "Cai Qi"


def test_organization_identifiers_are_validated_in_clean():
    organization = Organization(name="State Council", slug="state-council", identifiers=[{"scheme": "x"}])
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert error.value.message_dict["identifiers"] == [
        'Entry 1: scheme "x" is not one of wikidata, opensanctions, viaf, isni, official, other',
        "Entry 1: the identifier must be non-empty text",
    ]
