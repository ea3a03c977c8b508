"""The review page of an organization or source shows every change whole, and approval is tied
to what it showed; references (an organization's parent) are approved before what points to them."""

import pytest
from django.test import Client
from django.urls import reverse

from profiles import editing, publishing, workflow
from profiles.models import Organization
from sources.models import Source
from tests.factories import SourceFactory, cited_profile, publish
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def review_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_review", args=[record.pk])


def long_text(characters):
    """A text of distinct sentences, at least `characters` long."""
    sentences = []
    while sum(len(s) + 1 for s in sentences) < characters:
        sentences.append(f"Sentence number {len(sentences)} of the archived article says something plain.")
    return " ".join(sentences)


def propose_text(source, archived_text, user):
    record = Source.objects.get(pk=source.pk)
    record.archived_text = archived_text
    return editing.shared_record_save(record=record, user=user, reason="Fuller archive")


INSERTED = "The reviewer must see this sentence, inserted deep inside the text."


def test_a_sentence_inserted_deep_inside_a_long_archived_text_is_on_the_review_page(editor, reviewer):
    text = long_text(14_000)
    source = SourceFactory(archived_text=text)
    at = text.index(". ", 5_816) + 1  # between two sentences, past character 5,816
    propose_text(source, text[:at] + " " + INSERTED + text[at:], editor)

    page = logged_in(reviewer).get(review_url(source)).content.decode()
    # The change, in its context, in the table: the inserted words marked as inserted.
    assert f"<ins>{INSERTED}</ins>" in page
    # Both whole texts are on the page too: nothing is cut.
    assert page.count(text[-300:]) == 2 and page.count(text[:300]) == 2


def test_a_change_to_a_long_text_made_after_the_review_page_opened_is_not_approved(editor, reviewer):
    text = long_text(14_000)
    source = SourceFactory(archived_text=text)
    propose_text(source, text + " One more sentence.", editor)
    client = logged_in(reviewer)
    token = form_data(client.get(review_url(source)), "review-decision")["review_token"]
    propose_text(source, text[:10_000] + "Something else. " + text[10_000:] + " One more sentence.", editor)

    client.post(review_url(source), {"_approve": "1", "review_token": token})
    assert Source.objects.get(pk=source.pk).archived_text == text


def test_a_new_source_is_approved_only_as_the_reviewer_saw_its_whole_text(editor, reviewer):
    text = long_text(14_000)
    source = SourceFactory(archived_text=text, approved_at=None)
    seen = publishing.shared_digest(Source.objects.get(pk=source.pk))
    propose_text(source, text[:10_000] + "Unseen. " + text[10_000:], editor)
    with pytest.raises(publishing.ChangedSinceReview):
        publishing.shared_record_approve(record=source, user=reviewer, seen=seen)
    assert Source.objects.get(pk=source.pk).approved_at is None


# An organization's parent is approved before it ------------------------------------------------


def new_organization(editor, name, slug, parent=None):
    organization = Organization(name=name, slug=slug, parent=parent)
    return editing.shared_record_save(record=organization, user=editor)


def test_an_organization_moved_under_an_unapproved_parent_is_not_approved(client, editor, reviewer):
    person = cited_profile(slug="cai-qi")
    child = person.positions.first().organization
    publish(person=person, user=reviewer)
    parent = new_organization(editor, "Anything an editor writes", "unreviewed-parent")
    proposed = Organization.objects.get(pk=child.pk)
    proposed.parent = parent
    editing.shared_record_save(record=proposed, user=editor)

    reviewer_client = logged_in(reviewer)
    page = reviewer_client.get(review_url(child)).content.decode()
    assert "Anything an editor writes" in page and review_url(parent) in page  # said, with a link
    token = form_data(reviewer_client.get(review_url(child)), "review-decision")["review_token"]
    response = reviewer_client.post(review_url(child), {"_approve": "1", "review_token": token}, follow=True)
    assert "Approve “Anything an editor writes” first" in response.content.decode()
    assert Organization.objects.get(pk=child.pk).parent_id is None
    listed = client.get("/api/organizations/").json()
    assert "unreviewed-parent" not in str(listed)
    assert "part of" not in client.get(child.get_absolute_url()).content.decode()

    # Once its parent is approved, it is.
    publishing.shared_record_approve(record=parent, user=reviewer, seen=publishing.shared_digest(parent))
    publishing.shared_record_approve(record=child, user=reviewer, seen=publishing.shared_digest(child))
    assert Organization.objects.get(pk=child.pk).parent_id == parent.pk


def test_a_new_organization_inside_an_unapproved_one_is_not_approved(editor, reviewer):
    grandparent = new_organization(editor, "Province", "province")
    parent = new_organization(editor, "City", "city", parent=grandparent)
    publishing.shared_record_approve(
        record=grandparent, user=reviewer, seen=publishing.shared_digest(grandparent)
    )
    child = new_organization(editor, "District", "district", parent=parent)
    with pytest.raises(workflow.ActionRefused, match="Approve “City” first"):
        publishing.shared_record_approve(record=child, user=reviewer, seen=publishing.shared_digest(child))
    assert Organization.objects.get(pk=child.pk).approved_at is None
