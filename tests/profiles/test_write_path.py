"""The eleven side doors of the editorial-integrity review, each tried again the way a hostile
editor or a careless script would, through the admin's real URLs and forms or the services."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bioproject.writes import WriteOutsideService
from profiles import editing, publishing
from profiles.models import (
    Event,
    Organization,
    OtherName,
    PendingChange,
    Person,
    Position,
    PublishedRevision,
    ReviewAction,
)
from sources.models import Citation
from tests.factories import (
    CitationFactory,
    PositionFactory,
    SourceFactory,
    UserFactory,
    as_system,
    cited_profile,
    publish,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def review_url(person):
    return reverse("admin:profiles_person_review", args=[person.pk])


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# 1. An editor cannot publish; a viewer cannot save -------------------------------------------------


def test_the_history_revert_form_neither_publishes_nor_saves(editor, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    with as_system():
        person.name = "Vandalised"
        person.save()
    record = Person.history.filter(id=person.pk).last()
    url = reverse("admin:profiles_person_simple_history", args=[person.pk, record.history_id])
    client = logged_in(editor)
    assert client.get(url).status_code == 200  # reading an old version is fine
    data = form_data(client.get(url))
    for extra in ({"_publish": "1"}, {}):
        assert client.post(url, {**data, **extra}).status_code == 403
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_person"))
    assert logged_in(viewer).post(url, data).status_code == 403
    person.refresh_from_db()
    assert person.live_revision.number == 1 and person.name == "Vandalised"
    assert PublishedRevision.objects.count() == 1


def test_a_view_only_user_cannot_save_any_change_form(editor):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client = logged_in(viewer)
    for obj in (person, person.positions.first(), Citation.objects.first()):
        url = change_url(obj)
        data = form_data(logged_in(editor).get(url))
        assert client.post(url, data).status_code == 403, url


def test_nothing_writes_the_working_copy_outside_the_services():
    person = cited_profile(slug="cai-qi")
    person.name = "Written by a script"
    with pytest.raises(WriteOutsideService):
        person.save()
    with pytest.raises(WriteOutsideService):
        Position.objects.filter(person=person).update(role="Bulk")
    with pytest.raises(WriteOutsideService):
        Citation.objects.filter(person=person).delete()
    with pytest.raises(WriteOutsideService):
        Organization.objects.create(name="Side door", slug="side-door")


def test_services_check_the_users_permission_themselves(editor):
    person = cited_profile(slug="cai-qi")
    nobody = UserFactory(username="nobody", is_staff=True)
    with pytest.raises(PermissionDenied):
        editing.record_save(
            record=Position(person=person, role="x", organization=Organization.objects.first()), user=nobody
        )
    with pytest.raises(PermissionDenied):
        publishing.profile_publish(person=person, user=editor, seen=publishing.working_digest(person))
    with pytest.raises(PermissionDenied):
        publishing.profile_unpublish(person=person, user=editor, reason="x")


# 2. Slugs belong to published revisions -----------------------------------------------------------


def test_swapping_two_published_slugs_changes_nothing_readers_see(client, editor, reviewer):
    a = cited_profile(slug="a", name="Person A")
    b = cited_profile(slug="b", name="Person B")
    publish(person=a, user=reviewer)
    publish(person=b, user=reviewer)
    editor_client = logged_in(editor)
    for person, slug in ((a, "tmp"), (b, "a"), (a, "b")):
        person.refresh_from_db()
        data = form_data(editor_client.get(change_url(person)), "person_form")
        response = editor_client.post(change_url(person), {**data, "slug": slug})
        assert response.status_code == (302 if slug == "tmp" else 200), slug
        assert "Another profile had this address" in response.content.decode() or slug == "tmp"
    assert "Person A" in client.get("/people/a/").content.decode()
    assert "Person B" in client.get("/people/b/").content.decode()
    assert "Person A" in client.get("/people/a/revisions/1/").content.decode()


def test_a_new_slug_goes_live_when_published_and_the_old_address_redirects(client, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    with as_system():
        person.slug = "cai-qi-politician"
        person.save()
    assert client.get("/people/cai-qi/").status_code == 200  # not live before review
    assert client.get("/people/cai-qi-politician/").status_code == 404
    changes = publishing.document_digest(publishing.person_document(person))
    publishing.profile_publish(person=person, user=reviewer, seen=changes)
    for old, new in (
        ("/people/cai-qi/", "/people/cai-qi-politician/"),
        ("/people/cai-qi.json", "/people/cai-qi-politician.json"),
        ("/people/cai-qi/revisions/", "/people/cai-qi-politician/revisions/"),
        ("/people/cai-qi/revisions/1/", "/people/cai-qi-politician/revisions/1/"),
        ("/people/cai-qi/?as_of=2100-01-01", "/people/cai-qi-politician/?as_of=2100-01-01"),
    ):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get("/people/cai-qi-politician/").status_code == 200
    # The old slug stays reserved to this person.
    other = cited_profile(slug="someone", name="Someone Else")
    other.slug = "cai-qi"
    with pytest.raises(ValidationError, match="Another profile had this address"):
        editing.record_save(record=other, user=reviewer)


# 3. Approval publishes what the reviewer read -------------------------------------------------------


def test_an_edit_made_after_the_review_screen_opened_is_never_published_unseen(editor, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    reviewer_client, editor_client = logged_in(reviewer), logged_in(editor)
    token = form_data(reviewer_client.get(review_url(person)), "review-decision")["review_token"]
    data = form_data(editor_client.get(change_url(person)), "person_form")
    assert editor_client.post(change_url(person), {**data, "name": "Slipped in"}).status_code == 302
    response = reviewer_client.post(review_url(person), {"_publish": "1", "review_token": token}, follow=True)
    assert "changed since you opened it" in response.content.decode()
    assert not PublishedRevision.objects.exists()
    # Reading it again, the reviewer sees the change and may approve it.
    token = form_data(reviewer_client.get(review_url(person)), "review-decision")["review_token"]
    assert "Slipped in" in reviewer_client.get(review_url(person)).content.decode()
    reviewer_client.post(review_url(person), {"_publish": "1", "review_token": token})
    assert PublishedRevision.objects.get().document["name"] == "Slipped in"


def test_approve_is_not_offered_when_nothing_changed(reviewer):
    person = cited_profile(slug="cai-qi")
    publish(person=person, user=reviewer)
    html = logged_in(reviewer).get(review_url(person)).content.decode()
    assert 'name="_publish"' not in html and "Nothing to publish" in html


# 4. Organizations and sources are reviewed -----------------------------------------------------------


def test_an_organization_rename_waits_for_a_reviewer(client, editor, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi", summary="A politician.")
    organization = person.positions.first().organization
    publish(person=person, user=reviewer)
    editor_client = logged_in(editor)
    data = form_data(editor_client.get(change_url(organization)), "organization_form")
    response = editor_client.post(
        change_url(organization), {**data, "name": "Renamed Committee", "slug": "renamed"}, follow=True
    )
    assert "waits for a reviewer" in response.content.decode()
    organization.refresh_from_db()
    assert (organization.name, organization.slug) == (data["name"], data["slug"])
    page = client.get(f"/organizations/{data['slug']}/").content.decode()
    assert "Renamed Committee" not in page
    assert client.get("/organizations/renamed/").status_code == 404
    # The editor sees the pending value in the form; the profile's review lists it apart.
    assert "Renamed Committee" in editor_client.get(change_url(organization)).content.decode()
    review = logged_in(reviewer).get(review_url(person)).content.decode()
    assert "awaiting review" in review and "Renamed Committee" in review
    # Republishing the profile does not carry the unreviewed name along.
    with as_system():
        person.summary = "New lead"
        person.save()
    revision = publish(person=person, user=reviewer)
    assert revision.document["memberships"][0]["organization"]["name"] == data["name"]
    # The reviewer approves it from the queue; the old address then redirects.
    reviewer_client = logged_in(reviewer)
    queue = reviewer_client.get(reverse("admin:profiles_person_review_queue")).content.decode()
    assert "Renamed Committee" in queue or data["name"] in queue
    url = reverse("admin:profiles_organization_review", args=[organization.pk])
    token = form_data(reviewer_client.get(url), "review-decision")["review_token"]
    reviewer_client.post(url, {"_approve": "1", "review_token": token})
    organization.refresh_from_db()
    assert organization.name == "Renamed Committee"
    assert client.get(f"/organizations/{data['slug']}/")["Location"] == "/organizations/renamed/"
    assert ReviewAction.objects.filter(organization=organization, action="approved").exists()


def test_a_source_url_changed_to_a_phishing_address_is_not_public(client, editor, reviewer):
    source = SourceFactory(id="wikipedia", url="https://en.wikipedia.org/wiki/Cai_Qi")
    person = cited_profile(slug="cai-qi", source=source)
    publish(person=person, user=reviewer)
    editor_client = logged_in(editor)
    data = form_data(editor_client.get(change_url(source)), "source_form")
    editor_client.post(change_url(source), {**data, "url": "https://phish.example/login"})
    assert PendingChange.objects.filter(source=source).exists()
    assert "phish.example" not in client.get("/sources/wikipedia/").content.decode()
    assert "phish.example" not in client.get("/people/cai-qi/").content.decode()
    with pytest.raises(PermissionDenied):
        publishing.shared_record_approve(record=source, user=editor, seen=publishing.shared_digest(source))


def test_a_new_organization_blocks_publishing_until_approved(reviewer, editor):
    person = cited_profile(slug="cai-qi", positions=0)
    organization = Organization(name="New body", slug="new-body")
    editing.shared_record_save(record=organization, user=editor)
    CitationFactory(person=person, position=PositionFactory(person=person, organization=organization))
    with pytest.raises(publishing.PublishingRefused, match="awaits review"):
        publish(person=person, user=reviewer)
    publishing.shared_record_approve(
        record=organization, user=reviewer, seen=publishing.shared_digest(organization)
    )
    publish(person=person, user=reviewer)


def test_a_revert_never_changes_shared_records(reviewer):
    person = cited_profile(slug="cai-qi")
    organization = person.positions.first().organization
    publish(person=person, user=reviewer)
    organization.name = "Renamed later"
    change = editing.shared_record_save(record=organization, user=reviewer)
    publishing.shared_record_approve(
        record=organization, user=reviewer, seen=publishing.shared_digest(organization)
    )
    assert isinstance(change, PendingChange)
    publishing.profile_revert(person=person, user=reviewer, number=1, reason="Back to the reviewed copy")
    organization.refresh_from_db()
    assert organization.name == "Renamed later"


# 6. No silent lost updates on any admin page ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["position", "event", "citation", "othername", "organization", "source"])
def test_the_second_save_of_a_stand_alone_page_is_refused_and_keeps_the_input(editor, kind):
    person = cited_profile(slug="cai-qi")
    with as_system():
        OtherName.objects.create(person=person, name="Alias")
    obj = {
        "position": lambda: person.positions.first(),
        "event": lambda: person.events.first(),
        "citation": lambda: Citation.objects.filter(person=person).first(),
        "othername": lambda: OtherName.objects.get(person=person),
        "organization": lambda: person.positions.first().organization,
        "source": lambda: Citation.objects.filter(person=person).first().source,
    }[kind]()
    field = {
        "position": "role",
        "event": "title",
        "citation": "locator",
        "othername": "note",
        "organization": "native_name",
        "source": "author",
    }[kind]
    other = UserFactory(username="second", is_staff=True)
    other.groups.add(*editor.groups.all())
    first, second = logged_in(editor), logged_in(other)
    url = change_url(obj)
    first_form, second_form = form_data(first.get(url)), form_data(second.get(url))
    assert first.post(url, {**first_form, field: "First editor's value"}).status_code == 302
    response = second.post(url, {**second_form, field: "Second editor's value"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "since you opened it" in page and "Second editor&#x27;s value" in page
    # Saving again, having seen the conflict, applies the second editor's change.
    assert second.post(url, form_data(response)).status_code == 302


# 7. Any size of profile can be saved -------------------------------------------------------------------


def test_a_mid_size_profile_with_many_citations_saves_from_the_admin(editor):
    person = cited_profile(slug="cai-qi", positions=20, events=18)
    for position in person.positions.all():
        CitationFactory(person=person, position=position, field="start_date")
    client = logged_in(editor)
    data = form_data(client.get(change_url(person)), "person_form")
    response = client.post(change_url(person), {**data, "summary": "Saved whole", "edit_summary": "Lead"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.summary == "Saved whole"


# 8. Edit summaries and import reasons --------------------------------------------------------------------


def test_a_long_edit_summary_is_kept_whole(editor):
    person = cited_profile(slug="cai-qi")
    client = logged_in(editor)
    summary = "Birth place as the 2022 Xinhua biography gives it; the encyclopedia is less precise. " * 2
    data = form_data(client.get(change_url(person)), "person_form")
    response = client.post(
        change_url(person), {**data, "birth_place": "Youxi", "edit_summary": summary[:250]}
    )
    assert response.status_code == 302
    assert Person.history.filter(id=person.pk).first().history_change_reason == summary[:250]


def test_an_import_without_a_reason_puts_no_server_path_on_public_pages(client, reviewer, tmp_path):
    path = tmp_path / "secret-server-folder" / "profiles.json"
    path.parent.mkdir()
    call_command("export_profiles", "-o", str(tmp_path / "unused.json"))
    path.write_text(open("profiles/demo/cai-qi.json", encoding="utf-8").read(), encoding="utf-8")
    call_command("import_profiles", str(path), "--publish", "--user", reviewer.username)
    for url in ("/people/cai-qi/", "/people/cai-qi/revisions/", "/feeds/revisions.atom"):
        assert "secret-server-folder" not in client.get(url).content.decode(), url


# 9. Status never goes stale ---------------------------------------------------------------------------


def test_every_kind_of_edit_asks_for_a_new_review(editor, reviewer, tmp_path):
    person = cited_profile(slug="cai-qi")
    client = logged_in(editor)

    def published_again():
        with as_system():
            Person.objects.filter(pk=person.pk).update(status=Person.Status.PUBLISHED)

    publish(person=person, user=reviewer)
    citation = Citation.objects.filter(person=person, position__isnull=False).first()
    data = form_data(client.get(change_url(citation)))
    client.post(change_url(citation), {**data, "locator": "Career"})
    assert Person.objects.get(pk=person.pk).status == Person.Status.PENDING

    published_again()
    changelist = reverse("admin:profiles_event_changelist")
    event = person.events.first()
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert not Event.objects.filter(pk=event.pk).exists()
    assert Person.objects.get(pk=person.pk).status == Person.Status.PENDING

    published_again()
    path = tmp_path / "working.json"
    call_command("export_profiles", "-o", str(path))
    text = path.read_text().replace('"summary": ""', '"summary": "From a file"')
    path.write_text(text)
    call_command("import_profiles", str(path), "--user", editor.username)
    assert Person.objects.get(pk=person.pk).status == Person.Status.PENDING


def test_a_draft_nobody_submitted_cannot_be_sent_back(reviewer):
    person = cited_profile(slug="cai-qi")
    with pytest.raises(ValidationError, match="cannot be sent back"):
        publishing.profile_reject(person=person, user=reviewer, comment="Why?")
    assert not ReviewAction.objects.exists()


# 10. Published vandalism can be taken down ------------------------------------------------------------


def test_a_hidden_revision_leaves_the_permalink_feed_and_as_of(client, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi", summary="A politician.")
    first = publish(person=person, user=reviewer)
    with as_system():
        person.summary = "A defamatory line"
        person.save()
    bad = publish(person=person, user=reviewer, comment="vandal edit")
    with as_system():
        person.summary = "A politician."
        person.save()
    publish(person=person, user=reviewer, comment="fixed")
    with pytest.raises(ValidationError, match="reason"):
        publishing.revision_hide(revision=bad, user=reviewer, reason="")
    publishing.revision_hide(revision=bad, user=reviewer, reason="Defamatory statement about a living person")
    response = client.get("/people/cai-qi/revisions/2/")
    assert response.status_code == 410 and "defamatory" not in response.content.decode().lower()
    assert "vandal edit" not in client.get("/feeds/revisions.atom").content.decode()
    assert "vandal edit" not in client.get("/people/cai-qi/revisions/").content.decode()
    noon = timezone.make_aware(datetime.datetime(2024, 5, 2, 12))
    with as_system():
        PublishedRevision.objects.filter(pk=first.pk).update(published_at=noon - datetime.timedelta(days=1))
        PublishedRevision.objects.filter(pk=bad.pk).update(published_at=noon)
        PublishedRevision.objects.filter(number=3).update(published_at=noon + datetime.timedelta(days=2))
    assert client.get("/people/cai-qi/", {"as_of": "2024-05-02"}).status_code == 410
    assert client.get("/people/cai-qi/", {"as_of": "2024-05-01"}).status_code == 200
    audit = (
        logged_in(reviewer).get(reverse("admin:profiles_person_review", args=[person.pk])).content.decode()
    )
    assert "Defamatory statement about a living person" in audit
    assert ReviewAction.objects.filter(action="hidden", revision=bad).exists()


def test_as_of_answers_404_for_days_the_profile_was_unpublished(client, reviewer):
    person = cited_profile(slug="cai-qi", summary="A politician.")
    revision = publish(person=person, user=reviewer)
    action = publishing.profile_unpublish(person=person, user=reviewer, reason="Legal review")
    with as_system():
        person.summary = "Back"
        person.save()
    publish(person=person, user=reviewer)
    start = timezone.make_aware(datetime.datetime(2024, 1, 1, 12))
    PublishedRevision.objects.filter(pk=revision.pk).update(published_at=start)
    ReviewAction.objects.filter(pk=action.pk).update(created_at=start + datetime.timedelta(days=10))
    PublishedRevision.objects.filter(number=2).update(published_at=start + datetime.timedelta(days=20))
    assert client.get("/people/cai-qi/", {"as_of": "2024-01-05"}).status_code == 200
    assert client.get("/people/cai-qi/", {"as_of": "2024-01-15"}).status_code == 404
    assert client.get("/people/cai-qi/", {"as_of": "2024-01-25"}).status_code == 200


# Unpublish and revert need a reason, and a confirmation --------------------------------------------------


def test_unpublish_without_a_reason_or_confirmation_is_refused(reviewer):
    person = cited_profile(slug="cai-qi")
    publish(person=person, user=reviewer)
    client = logged_in(reviewer)
    for data in ({"_unpublish": "1", "reason": "Legal", "confirm": ""}, {"_unpublish": "1", "confirm": "1"}):
        page = client.post(review_url(person), data, follow=True).content.decode()
        assert re.search("confirm|reason", page, re.I)
        assert Person.objects.get(pk=person.pk).live_revision_id is not None
    revert = reverse("admin:profiles_person_revert", args=[person.pk, 1])
    # A revert asks for confirmation first, showing what the working copy would become.
    confirm = client.post(revert, {"reason": "Vandalism"})
    assert confirm.status_code == 200 and 'id="revert-confirm"' in confirm.content.decode()
    assert not ReviewAction.objects.filter(action="reverted").exists()
    client.post(revert, {"reason": " ", "confirm": "1"})
    assert not ReviewAction.objects.filter(action="reverted").exists()
    client.post(revert, {"reason": "Vandalism", "confirm": "1"})
    assert ReviewAction.objects.filter(action="reverted", comment="Vandalism").exists()


def test_an_unverified_quote_blocks_publishing_until_a_reviewer_overrides_it(reviewer):
    source = SourceFactory(archived_text="Cai was born in Youxi County.")
    person = cited_profile(slug="cai-qi", positions=0, events=0, source=source)
    bad = CitationFactory(person=person, field="name", source=source, quote="A quote the source never had")
    with pytest.raises(publishing.PublishingRefused, match="not in the archived text"):
        publish(person=person, user=reviewer)
    publishing.citation_override(
        citation=bad,
        user=reviewer,
        reason="Quoted from the print edition",
        seen=publishing.quote_digest(bad.quote),
    )
    revision = publish(person=person, user=reviewer)
    overridden = [c for c in revision.document["citations"]["name"] if c.get("override")]
    assert overridden and overridden[0]["override"] == "Quoted from the print edition"
    assert ReviewAction.objects.filter(action="overridden").exists()
    # An override holds for that quote only: an edit of the quote needs a new one.
    with as_system():
        bad.refresh_from_db()
        bad.quote = "Another invented quote"
        bad.save()
    with pytest.raises(publishing.PublishingRefused, match="not in the archived text"):
        publish(person=person, user=reviewer)


def test_a_person_ever_published_is_never_deleted(reviewer):
    person = cited_profile(slug="cai-qi")
    publish(person=person, user=reviewer)
    with pytest.raises(ValidationError, match="unpublish it instead"):
        editing.record_delete(record=person, user=reviewer, reason="Cleaning up")
    client = logged_in(reviewer)
    assert client.get(reverse("admin:profiles_person_delete", args=[person.pk])).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists() and PublishedRevision.objects.exists()


def test_a_pending_change_that_became_invalid_is_refused_with_a_message(editor, reviewer):
    parent = cited_profile(slug="a", positions=1).positions.first().organization
    child = cited_profile(slug="b", positions=1).positions.first().organization
    with as_system():
        Organization.objects.filter(pk=child.pk).update(parent=parent)
    parent.parent = child  # a cycle, proposed by an editor ...
    editing.shared_record_save(record=parent, user=editor)
    client = logged_in(reviewer)
    url = reverse("admin:profiles_organization_review", args=[parent.pk])
    token = form_data(client.get(url), "review-decision")["review_token"]
    page = client.post(url, {"_approve": "1", "review_token": token}, follow=True).content.decode()
    assert "Not approved" in page and "inside itself" in page  # ... refused at approval, no 500
    parent.refresh_from_db()
    assert parent.parent_id is None


def test_guessed_ids_on_the_review_pages_are_404s_not_500s(reviewer):
    person = cited_profile(slug="cai-qi")
    client = logged_in(reviewer)
    assert client.get("/admin/profiles/organization/abc/review/").status_code == 404
    assert client.get("/admin/sources/source/no-such-source/review/").status_code == 404
    response = client.post(review_url(person), {"_override": "1", "citation": "abc", "reason": "x"})
    assert response.status_code == 404
