"""The evidence finder in the admin (sources/suggest.py): quotes suggested at the claim
(`/admin/sources/source/<id>/suggest/`) and what else a source says about a profile
(`/admin/sources/source/<id>/evidence/`)."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from profiles import editing
from profiles.dates import PartialDate
from profiles.models import Person
from sources.models import Citation, Source
from sources.suggest import suggest_view
from tests.factories import (
    CitationFactory,
    EventFactory,
    OrganizationFactory,
    PositionFactory,
    SourceFactory,
    UserFactory,
    cited_profile,
    publish,
)

pytestmark = pytest.mark.django_db

TEXT = """Wang Min (born December 1955) is a Chinese politician.

Career

Wang Min was born in Fuzhou in December 1955. Wang joined the Communist Party in 1975.
In 2002 he became mayor of Ningbo. Later, in March 2002, he became mayor of Ningbo again.
The weather in Ningbo was mild that year. He retired in 2010.
"""
MONTH = "Later, in March 2002, he became mayor of Ningbo again."
YEAR = "In 2002 he became mayor of Ningbo."


@pytest.fixture
def profile():
    """Wang Min: born 1955-12 in Youxi, mayor of Ningbo from 2002-03, joined the party in 1975."""
    person = cited_profile(
        name="Wang Min",
        slug="wang-min",
        birth_date=PartialDate(1955, 12),
        birth_place="Youxi",
        positions=0,
        events=0,
    )
    ningbo = OrganizationFactory(name="Ningbo Municipal People's Government", slug="ningbo")
    mayor = PositionFactory(
        person=person, organization=ningbo, role="Mayor", start_date=PartialDate(2002, 3), end_date=None
    )
    CitationFactory(person=person, position=mayor, quote="He became mayor in April 2004.")
    joined = EventFactory(person=person, date=PartialDate(1975), title="Joins the Communist Party")
    CitationFactory(person=person, event=joined, quote="He joined in 1975.")
    return person


@pytest.fixture
def source():
    return SourceFactory(id="wang-min-news", title="Wang Min profile", archived_text=TEXT)


def suggest_url(source_id):
    return reverse("admin:sources_source_suggest", args=[source_id])


def suggest(client, source_id, claim, field=None):
    params = {"claim": claim} | ({"field": field} if field else {})
    return client.get(suggest_url(source_id), params)


# Suggestions -------------------------------------------------------------------------------------


def test_every_suggestion_is_a_verbatim_passage_of_the_archived_text(client, editor, profile, source):
    client.force_login(editor)
    mayor = profile.positions.get()
    for claim, field in [
        (f"membership:{mayor.key}", None),
        (f"membership:{mayor.key}", "start_date"),
        (f"event:{profile.events.get().key}", None),
        ("person:wang-min", "birth_date"),
        ("person:wang-min", "birth_place"),
        ("person:wang-min", "name"),
    ]:
        response = suggest(client, source.pk, claim, field)
        assert response.status_code == 200, (claim, field, response.content)
        suggestions = response.json()["suggestions"]
        assert suggestions, (claim, field)
        for suggestion in suggestions:
            assert set(suggestion) == {"quote", "locator", "score", "matched"}
            assert suggestion["quote"] in TEXT
            assert source.verification_of(suggestion["quote"]) == Citation.Verification.VERIFIED
        scores = [suggestion["score"] for suggestion in suggestions]
        assert scores == sorted(scores, reverse=True)
    births = suggest(client, source.pk, "person:wang-min", "birth_date").json()["suggestions"]
    assert births[0]["quote"] == "Wang Min was born in Fuzhou in December 1955."
    assert births[0]["locator"] == "Career"
    assert "December 1955" in births[0]["matched"]


def test_a_month_precise_start_date_ranks_the_month_sentence_above_the_year_sentence(
    client, editor, profile, source
):
    client.force_login(editor)
    claim = f"membership:{profile.positions.get().key}"
    quotes = [s["quote"] for s in suggest(client, source.pk, claim, "start_date").json()["suggestions"]]
    assert quotes.index(MONTH) < quotes.index(YEAR)
    assert quotes[0] == MONTH


def test_suggestions_come_from_the_approved_text_not_a_pending_change(client, editor, profile, source):
    pending = "In June 2003, Wang was appointed mayor of Ningbo by the council."
    change = Source.objects.get(pk=source.pk)
    change.archived_text = pending
    saved = editing.shared_record_save(record=change, user=editor, reason="New text")
    assert saved.values["archived_text"] == pending  # a PendingChange: readers still see TEXT
    client.force_login(editor)
    claim = f"membership:{profile.positions.get().key}"
    quotes = [s["quote"] for s in suggest(client, source.pk, claim).json()["suggestions"]]
    assert quotes and all(quote in TEXT for quote in quotes)
    assert not any("June 2003" in quote for quote in quotes)


def test_a_source_without_archived_text_suggests_nothing(client, editor, profile):
    empty = SourceFactory(archived_text="")
    client.force_login(editor)
    response = suggest(client, empty.pk, "person:wang-min", "birth_date")
    assert response.status_code == 200 and response.json() == {"suggestions": []}


# Who may ask -------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login_page(client, profile, source):
    response = suggest(client, source.pk, "person:wang-min", "birth_date")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_signed_in_user_who_is_not_staff_is_refused(client, profile, source):
    client.force_login(UserFactory(username="reader", is_staff=False))
    response = suggest(client, source.pk, "person:wang-min", "birth_date")
    assert response.status_code == 403 and "error" in response.json()
    evidence = client.get(reverse("admin:sources_source_evidence", args=[source.pk]), {"person": "wang-min"})
    assert evidence.status_code == 403


def test_staff_without_the_view_source_permission_is_refused(client, profile, source):
    staff = UserFactory(username="clerk", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_person"))
    client.force_login(staff)
    response = suggest(client, source.pk, "person:wang-min", "birth_date")
    assert response.status_code == 403 and "error" in response.json()


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_editors_and_reviewers_get_suggestions(client, request, who, profile, source):
    client.force_login(request.getfixturevalue(who))
    response = suggest(client, source.pk, "person:wang-min", "birth_date")
    assert response.status_code == 200 and response.json()["suggestions"]


# Bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source_id", "params", "status"),
    [
        ("wang-min-news", {}, 400),
        ("wang-min-news", {"claim": "wang-min"}, 400),
        ("wang-min-news", {"claim": "office:wang-min"}, 400),
        ("wang-min-news", {"claim": "membership:"}, 400),
        ("wang-min-news", {"claim": "membership:no-such-post"}, 404),
        ("wang-min-news", {"claim": "event:no-such-event"}, 404),
        ("wang-min-news", {"claim": "person:nobody", "field": "birth_date"}, 404),
        ("wang-min-news", {"claim": "person:" + "x" * 5000, "field": "name"}, 404),
        ("wang-min-news", {"claim": "person:wang-min"}, 400),
        ("wang-min-news", {"claim": "person:wang-min", "field": "start_date"}, 400),
        ("wang-min-news", {"claim": "person:wang-min", "field": "bogus"}, 400),
        ("wang-min-news", {"claim": "MEMBERSHIP", "field": "birth_date"}, 400),
        ("no-such-source", {"claim": "person:wang-min", "field": "name"}, 404),
    ],
)
def test_bad_input_gets_a_json_error_never_a_server_error(
    client, editor, profile, source, source_id, params, status
):
    client.force_login(editor)
    response = client.get(suggest_url("SOURCE").replace("SOURCE", source_id.replace("\x00", "%00")), params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


NUL_INPUTS = [
    ("wang-min-news", {"claim": "person:wang\x00min", "field": "name"}),
    ("wang-min-news", {"claim": "person:wang-min", "field": "name\x00"}),
    ("wang\x00min", {"claim": "person:wang-min", "field": "name"}),
]


@pytest.mark.parametrize(("source_id", "params"), NUL_INPUTS)
def test_nul_bytes_are_refused_with_400(client, rf, editor, profile, source, source_id, params):
    client.force_login(editor)
    url = suggest_url("SOURCE").replace("SOURCE", source_id.replace("\x00", "%00"))
    assert client.get(url, params).status_code == 400  # by bioproject.middleware.NulByteMiddleware
    # The view refuses them too, in JSON, should a request reach it with one.
    request = rf.get(url, params)
    request.user = editor
    response = suggest_view(request, source_id)
    assert response.status_code == 400 and "NUL" in json.loads(response.content)["error"]


def test_a_field_of_another_kind_of_claim_is_refused(client, editor, profile, source):
    client.force_login(editor)
    claim = f"membership:{profile.positions.get().key}"
    response = suggest(client, source.pk, claim, "birth_date")
    assert response.status_code == 400 and "position has no field" in response.json()["error"]
    event = f"event:{profile.events.get().key}"
    assert suggest(client, source.pk, event, "start_date").status_code == 400
    assert suggest(client, source.pk, event, "date").status_code == 200


def test_only_get_is_answered(client, editor, profile, source):
    client.force_login(editor)
    response = client.post(suggest_url(source.pk) + "?claim=person:wang-min&field=name")
    assert response.status_code == 405 and response.json()["error"]


# Queries -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("claims", [1, 15])
def test_the_endpoint_runs_the_same_few_queries_whatever_the_profile_size(
    client, editor, source, claims, django_assert_max_num_queries
):
    person = cited_profile(slug="big", positions=claims, events=claims)
    client.force_login(editor)
    suggest(client, source.pk, "person:big", "name")  # warms the content types and the text's index
    position = person.positions.first()
    for claim, field in [
        (f"membership:{position.key}", "start_date"),
        (f"event:{person.events.first().key}", None),
        ("person:big", "name"),
    ]:
        with django_assert_max_num_queries(7):
            assert suggest(client, source.pk, claim, field).status_code == 200


# What else does this source say? -----------------------------------------------------------------


def evidence_url(source):
    return reverse("admin:sources_source_evidence", args=[source.pk])


def test_the_source_page_links_to_the_evidence_page_with_a_person_picker(client, editor, profile, source):
    CitationFactory(person=profile, source=source, field="summary", quote="He retired in 2010.")
    client.force_login(editor)
    change = client.get(reverse("admin:sources_source_change", args=[source.pk])).content.decode()
    assert evidence_url(source) in change
    picker = client.get(evidence_url(source))
    assert picker.status_code == 200
    page = picker.content.decode()
    assert 'name="person"' in page and '<option value="wang-min">Wang Min</option>' in page
    missing = client.get(evidence_url(source), {"person": "nobody"})
    assert missing.status_code == 404 and "nobody" in missing.content.decode()


def test_the_evidence_page_lists_backed_claims_and_candidate_disputes(
    client, editor, profile, source, django_assert_max_num_queries
):
    client.force_login(editor)
    client.get(evidence_url(source), {"person": "wang-min"})
    with django_assert_max_num_queries(14):
        response = client.get(evidence_url(source), {"person": "wang-min"})
    assert response.status_code == 200
    rows = response.context["rows"]
    mayor = f"membership:{profile.positions.get().key}"
    backed = {(row["claim"], row["field"]): row for row in rows["backed"]}
    assert (mayor, "") in backed and backed[(mayor, "")]["passage"].quote == MONTH
    assert ("person:wang-min", "birth_date") in backed
    disputes = [(row["claim"], row["dispute"].field, row["dispute"].stated) for row in rows["disputes"]]
    assert ("person:wang-min", "birth_place", "Fuzhou") in disputes
    page = response.content.decode()
    assert "Add as draft citation" in page and "Fuzhou" in page and "Youxi" in page


def test_add_as_draft_citation_saves_a_supporting_citation_through_the_services(
    client, editor, reviewer, profile, source
):
    publish(person=profile, user=reviewer)
    client.force_login(editor)
    mayor = profile.positions.get()
    response = client.post(
        evidence_url(source),
        {"person": "wang-min", "claim": f"membership:{mayor.key}", "field": "", "stance": "supports"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?person=wang-min")
    citation = Citation.objects.get(source=source)
    assert (citation.position, citation.field, citation.stance) == (mayor, "", "supports")
    assert citation.quote == MONTH and citation.locator == "Career"
    assert citation.verification == Citation.Verification.VERIFIED
    record = citation.history.get()
    assert record.history_user == editor
    assert record.history_change_reason == "Citation from the evidence finder"
    assert Person.objects.get(pk=profile.pk).status == Person.Status.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "Added a draft citation" in page and "already cites this source" in page
    again = client.post(
        evidence_url(source),
        {"person": "wang-min", "claim": f"membership:{mayor.key}", "field": "", "stance": "supports"},
        follow=True,
    )
    assert "already cites that passage" in again.content.decode()
    assert Citation.objects.filter(source=source).count() == 1


def test_add_as_draft_citation_saves_a_candidate_dispute_with_what_the_source_states(
    client, editor, profile, source
):
    client.force_login(editor)
    data = {
        "person": "wang-min",
        "claim": "person:wang-min",
        "field": "birth_place",
        "stance": "disputes",
        "dispute_field": "birth_place",
        "stated": "Fuzhou",
    }
    assert client.post(evidence_url(source), data).status_code == 302
    citation = Citation.objects.get(source=source)
    assert (citation.field, citation.stance, citation.stated) == ("birth_place", "disputes", "Fuzhou")
    assert citation.quote == "Wang Min was born in Fuzhou in December 1955."
    assert citation.history.get().history_user == editor


def test_add_as_draft_citation_takes_the_quote_from_the_source_not_the_request(
    client, editor, profile, source
):
    client.force_login(editor)
    forged = {"person": "wang-min", "claim": "person:wang-min", "field": "birth_place", "stance": "disputes"}
    response = client.post(
        evidence_url(source), {**forged, "dispute_field": "birth_place", "stated": "Paris"}
    )
    assert response.status_code == 302
    assert not Citation.objects.filter(source=source).exists()
    bogus = client.post(evidence_url(source), {**forged, "claim": "membership:nope"}, follow=True)
    assert "no longer in the profile" in bogus.content.decode()
    assert not Citation.objects.filter(source=source).exists()


def test_a_reader_without_the_add_permission_cannot_add_citations(client, profile, source):
    staff = UserFactory(username="viewer", is_staff=True)
    for codename in ("view_source", "view_person"):
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(staff)
    page = client.get(evidence_url(source), {"person": "wang-min"})
    assert page.status_code == 200 and 'value="Add as draft citation"' not in page.content.decode()
    data = {"person": "wang-min", "claim": "person:wang-min", "field": "birth_date", "stance": "supports"}
    response = client.post(evidence_url(source), data, follow=True)
    assert "Not added" in response.content.decode()
    assert not Citation.objects.filter(source=source).exists()


# The citation rows of the admin -------------------------------------------------------------------


def test_citation_rows_of_saved_claims_name_their_claim_for_the_suggest_button(client, editor, profile):
    client.force_login(editor)
    mayor, joined = profile.positions.get(), profile.events.get()
    page = client.get(reverse("admin:profiles_person_change", args=[profile.pk])).content.decode()
    assert "sources/suggest.js" in page
    url = suggest_url("SOURCE")
    for claim in ("person:wang-min", f"membership:{mayor.key}", f"event:{joined.key}"):
        assert f'data-suggest-claim="{claim}" data-suggest-url="{url}"' in page, claim
    position_page = client.get(reverse("admin:profiles_position_change", args=[mayor.pk])).content.decode()
    assert "sources/suggest.js" in position_page
    assert f'data-suggest-claim="membership:{mayor.key}"' in position_page
    event_page = client.get(reverse("admin:profiles_event_change", args=[joined.pk])).content.decode()
    assert f'data-suggest-claim="event:{joined.key}"' in event_page
    cited = mayor.citations.get()
    citation_page = client.get(reverse("admin:sources_citation_change", args=[cited.pk])).content.decode()
    assert "sources/suggest.js" in citation_page
    assert f'data-suggest-claim="membership:{mayor.key}"' in citation_page
    fact = profile.citations.get(field="birth_date")
    fact_page = client.get(reverse("admin:sources_citation_change", args=[fact.pk])).content.decode()
    assert 'data-suggest-claim="person:wang-min"' in fact_page
    new = client.get(reverse("admin:profiles_person_add")).content.decode()
    assert "data-suggest-claim" not in new  # no saved claim yet: nothing to rank against


def test_a_month_after_born_in_is_not_taken_for_a_place(client, editor, profile):
    source = SourceFactory(archived_text="Wang Min was born in December 1955 in Fuzhou. He joined in 1975.")
    client.force_login(editor)
    rows = client.get(evidence_url(source), {"person": "wang-min"}).context["rows"]
    disputes = [(row["claim"], row["dispute"].field, row["dispute"].stated) for row in rows["disputes"]]
    assert disputes == [("person:wang-min", "birth_place", "Fuzhou")]
