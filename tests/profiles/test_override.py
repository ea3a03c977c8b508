"""A quote-check override belongs to the quote the reviewer read on the review screen."""

import pytest
from django.test import Client
from django.urls import reverse

from profiles import publishing
from sources.models import Citation
from tests.factories import CitationFactory, SourceFactory, as_system, cited_profile
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def override_form(page, citation):
    """The override form of one citation on the review screen, as a browser would post it."""
    html = page.content.decode()
    start = html.index(f'name="citation" value="{citation.pk}"')
    form = html[html.rindex("<form", 0, start) : html.index("</form>", start) + len("</form>")]
    return form_data(type("Page", (), {"content": form.encode()})())


def test_an_override_posted_from_a_screen_opened_before_the_quote_changed_is_refused(reviewer):
    source = SourceFactory(archived_text="Cai was born in Youxi County.")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source)
    bad = CitationFactory(person=person, field="name", source=source, quote="A quote the source never had")
    client = Client()
    client.force_login(reviewer)
    url = reverse("admin:profiles_person_review", args=[person.pk])
    data = override_form(client.get(url), bad)

    with as_system():  # an editor changes the quote meanwhile
        bad.refresh_from_db()
        bad.quote = "A different invented quote"
        bad.save()
    response = client.post(url, {**data, "reason": "Print edition", "_override": "1"}, follow=True)
    assert "The quote changed since you opened the review screen" in response.content.decode()
    bad.refresh_from_db()
    assert (bad.override_reason, bad.overridden) == ("", False)

    # From a screen showing the quote as it is now, the override is recorded.
    data = override_form(client.get(url), bad)
    client.post(url, {**data, "reason": "Print edition", "_override": "1"})
    bad.refresh_from_db()
    assert bad.overridden and bad.override_quote == "A different invented quote"


def test_the_service_refuses_an_override_for_a_quote_the_reviewer_did_not_see(reviewer):
    source = SourceFactory(archived_text="Cai was born in Youxi County.")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source)
    bad = CitationFactory(person=person, field="name", source=source, quote="Seen quote")
    seen = publishing.quote_digest("Seen quote")
    with as_system():
        bad.quote = "Unseen quote"
        bad.save()
    with pytest.raises(publishing.ChangedSinceReview):
        publishing.citation_override(citation=bad, user=reviewer, reason="Print edition", seen=seen)
    assert Citation.objects.get(pk=bad.pk).override_reason == ""


def test_an_override_does_not_follow_its_quote_to_another_source(reviewer):
    source = SourceFactory(archived_text="Cai was born in Youxi County.")
    other = SourceFactory(archived_text="Another text altogether.")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source)
    bad = CitationFactory(person=person, field="name", source=source, quote="Checked in print")
    publishing.citation_override(
        citation=bad, user=reviewer, reason="Print edition", seen=publishing.quote_digest(bad.quote)
    )
    with as_system():  # an editor moves the overridden quote to another source
        moved = Citation.objects.get(pk=bad.pk)
        assert moved.overridden
        moved.source = other
        moved.save()
    moved = Citation.objects.get(pk=bad.pk)
    assert (moved.override_reason, moved.override_quote, moved.overridden) == ("", "", False)
    assert moved.verification == Citation.Verification.UNVERIFIED


@pytest.mark.parametrize(
    "extra",
    [{"edit_token": "2000-01-01"}, {"edit_token": "2000-01-01T00:00:00+00:00", "foo-id": "1", "-id": "2"}],
)
def test_a_damaged_edit_token_or_row_key_is_a_form_error_not_a_500(editor, extra):
    person = cited_profile(slug="cai-qi", positions=1, events=0)
    position = person.positions.get()
    client = Client()
    client.force_login(editor)
    url = reverse("admin:profiles_position_change", args=[position.pk])
    data = {**form_data(client.get(url)), **extra, "edit_summary": "Damaged form"}
    response = client.post(url, data)
    assert response.status_code in (200, 302)
