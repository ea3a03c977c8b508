"""The review screen as a decision page, and what an editor is told on save and submit."""

import pytest
from django.test import Client
from django.urls import reverse

from profiles import publishing
from profiles.diff import document_diff, review_groups
from profiles.documents import person_document
from profiles.models import Event
from sources.models import Citation
from tests.factories import CitationFactory, EventFactory, SourceFactory, as_system, cited_profile, publish
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def review_page(client, person, **query):
    return client.get(reverse("admin:profiles_person_review", args=[person.pk]), query).content.decode()


def test_a_quote_edit_is_one_change_with_its_words_marked(reviewer):
    source = SourceFactory(
        publisher="Wikipedia", archived_text="Cai was born. He became mayor in April 2004. He joined in 1975."
    )
    person = cited_profile(slug="cai-qi", source=source)
    publish(person=person, user=reviewer)
    citation = Citation.objects.filter(person=person, position__isnull=False).first()
    with as_system():
        citation.quote = "He became acting mayor in April 2004."
        citation.save()
    changes = document_diff(person.live_revision.document, person_document(person))
    quote_changes = [c for c in changes if c.claim.startswith("Citation")]
    assert [c.action for c in quote_changes] == ["changed"]
    assert ("insert", "acting") in quote_changes[0].words
    assert "to Wikipedia" in quote_changes[0].claim and source.pk not in quote_changes[0].claim
    html = review_page(logged_in(reviewer), person)
    assert "<ins>acting</ins>" in html


def test_a_changed_claim_shows_its_quote_and_the_quote_check_beside_it(reviewer):
    source = SourceFactory(publisher="Xinhua", archived_text="Cai was born. In August 1997 he became mayor.")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source)
    event = EventFactory(person=person, title="Becomes mayor")
    CitationFactory(person=person, event=event, source=source, quote="In August 1997 he became mayor.")
    publish(person=person, user=reviewer)
    with as_system():
        Event.objects.filter(pk=event.pk).update(date="1997-09")
    groups = review_groups(person.live_revision.document, person_document(person))
    [group] = [g for g in groups if "Becomes mayor" in g["claim"]]
    assert group["evidence"][0]["quote"] == "In August 1997 he became mayor."
    assert group["evidence"][0]["source_name"] == "Xinhua"
    html = review_page(logged_in(reviewer), person)
    section = html[html.index("Becomes mayor") : html.index("</section>", html.index("Becomes mayor"))]
    assert "August 1997" in section and "September 1997" in section
    assert "In August 1997 he became mayor." in section and "quote found in the archived text" in section


def test_a_re_review_shows_what_changed_since_it_was_sent_back(editor, reviewer):
    person = cited_profile(slug="cai-qi", summary="A politician.", birth_place="Fujian")
    with as_system():
        CitationFactory(person=person, field="birth_place", quote="Cai was born")
    publishing.profile_submit(person=person, user=editor)
    publishing.profile_reject(person=person, user=reviewer, comment="Birth place more precisely")
    with as_system():
        person.birth_place = "Youxi County, Fujian"
        person.save()
    publishing.profile_submit(person=person, user=editor)
    client = logged_in(reviewer)
    since_sent_back = review_page(client, person)
    assert "Changes since reviewer sent it back" in since_sent_back
    assert "Youxi County, Fujian" in since_sent_back
    assert "A politician." not in since_sent_back.split("What changed")[1].split("Before it can be")[0]
    everything = review_page(client, person, since="live")
    assert "A politician." in everything.split("What changed")[1]


def test_submit_lands_on_a_page_listing_the_gates_problems_and_warnings_apart(editor):
    source = SourceFactory(kind="ai_generated")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source, birth_place="Youxi")
    with as_system():
        Citation.objects.filter(person=person, field="birth_place").delete()
        event = EventFactory(person=person, kind="criticised", title="Criticised over evictions")
        CitationFactory(person=person, event=event, source=source, quote="He joined in 1975.")
    client = logged_in(editor)
    url = reverse("admin:profiles_person_change", args=[person.pk])
    data = form_data(client.get(url), "person_form")
    page = client.post(url, {**data, "_submit_for_review": "1"}, follow=True).content.decode()
    assert "Saved and submitted for review." in page
    problems = page.index("Before a reviewer can publish it, fix:")
    warnings = page.index("Worth a look before review:")
    assert "birth place." in page[problems:warnings]
    assert "Criticised over evictions" in page[warnings:]


def test_the_edits_list_names_organizations_and_shows_no_keys_or_ids(reviewer):
    person = cited_profile(slug="cai-qi")
    position = person.positions.first()
    html = review_page(logged_in(reviewer), person)
    edits = html[html.index("<h2>Edits since") :]
    assert position.organization.name in edits
    assert position.key not in edits and f"organization: {position.organization_id}" not in edits


def test_an_editor_sees_at_the_citation_why_a_quote_fails_and_the_closest_passage(editor):
    source = SourceFactory(archived_text="Cai was born. In April 2004 he became mayor of Taizhou.")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source)
    citation = CitationFactory(
        person=person,
        field="birth_place",
        source=source,
        quote="In April 2004 he became the mayor of Taizhou.",
    )
    html = (
        logged_in(editor).get(reverse("admin:sources_citation_change", args=[citation.pk])).content.decode()
    )
    assert "not found in the source's archived text" in html
    assert '<q class="closest-passage">In April 2004 he became mayor of Taizhou.</q>' in html
