import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from profiles import editing, publishing
from profiles.diff import document_diff
from profiles.documents import person_document
from profiles.models import Event, Organization, Person, Position, PublishedRevision, ReviewAction
from sources.models import Citation
from tests.factories import CitationFactory, PositionFactory, SourceFactory, as_system, cited_profile, publish
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def change_url(person):
    return reverse("admin:profiles_person_change", args=[person.pk])


def admin_post(client, person, **changes):
    data = form_data(client.get(change_url(person)), "person_form")
    data.update(changes)
    return client.post(change_url(person), data)


def article(html):
    return html[html.index('<article class="profile">') : html.index("</article>")]


def review_post(client, person, **data):
    """Post a decision from the review screen as the reviewer who opened it now."""
    url = reverse("admin:profiles_person_review", args=[person.pk])
    token = form_data(client.get(url), "review-decision").get("review_token", "")
    return client.post(url, {"review_token": token, **data})


def public_views(client, slug="cai-qi"):
    return {
        "page": client.get(f"/people/{slug}/"),
        "json": client.get(f"/people/{slug}.json"),
        "search": client.get("/search/", {"q": "Renamed"}).content.decode(),
        "sitemap": client.get("/sitemap.xml").content.decode(),
        "feed": client.get("/feeds/revisions.atom").content.decode(),
    }


def test_never_published_person_is_a_404_everywhere(client):
    cited_profile(slug="cai-qi", name="Cai Qi")
    views = public_views(client)
    assert views["page"].status_code == views["json"].status_code == 404
    assert client.get("/people/cai-qi/revisions/").status_code == 404
    assert client.get("/people/cai-qi/revisions/1/").status_code == 404
    assert "cai-qi" not in views["sitemap"] and "Cai Qi" not in views["feed"]


def test_draft_edits_stay_invisible_to_readers_until_a_reviewer_publishes(client, editor, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    client.force_login(editor)
    assert admin_post(client, person, name="Renamed Person", edit_summary="rename").status_code == 302
    person.refresh_from_db()
    assert person.name == "Renamed Person" and person.status == Person.Status.PENDING
    client.logout()
    views = public_views(client)
    assert "Renamed" not in views["page"].content.decode()
    assert views["json"].json()["name"] == "Cai Qi"
    assert "cai-qi" not in views["search"] and "Renamed" not in views["feed"]
    publish(person=person, user=reviewer, comment="Rename checked")
    views = public_views(client)
    assert "Renamed Person" in views["page"].content.decode()
    assert views["json"].json()["revision"]["number"] == 2
    assert "cai-qi" in views["search"] and "Renamed Person: revision 2" in views["feed"]


def test_editors_cannot_publish_the_button_is_absent_and_a_post_is_refused(client, editor):
    person = cited_profile(slug="cai-qi")
    client.force_login(editor)
    html = client.get(change_url(person)).content.decode()
    assert 'name="_submit_for_review"' in html
    assert 'name="_publish"' not in html and 'name="_reject"' not in html
    data = form_data(client.get(change_url(person)), "person_form")
    assert client.post(change_url(person), {**data, "_publish": "1"}).status_code == 403
    review = reverse("admin:profiles_person_review", args=[person.pk])
    assert client.post(review, {"_publish": "1"}).status_code == 403
    assert not PublishedRevision.objects.exists()


def test_reviewer_approves_from_the_top_of_the_review_screen(client, reviewer):
    person = cited_profile(slug="cai-qi")
    client.force_login(reviewer)
    html = client.get(reverse("admin:profiles_person_review", args=[person.pk])).content.decode()
    assert 'name="_publish"' in html
    assert html.index('id="review-decision"') < html.index("What changed")
    # The change form publishes nothing: its buttons save and submit only.
    assert 'name="_publish"' not in client.get(change_url(person)).content.decode()
    assert admin_post(client, person, _publish="1").status_code == 403
    response = review_post(
        client, person, _publish="1", revision_note="Looks right", review_comment="Private: well sourced"
    )
    assert response.status_code == 302
    revision = Person.objects.get(pk=person.pk).live_revision
    assert (revision.number, revision.published_by, revision.comment) == (1, reviewer, "Looks right")
    # The public note is the revision's; the private one stays in the review log only.
    assert ReviewAction.objects.get(action="approved").comment == "Private: well sourced"
    page = client.get("/people/cai-qi/revisions/1/").content.decode()
    assert "Looks right" in page and "Private: well sourced" not in page


def test_the_gate_refuses_uncited_claims_and_links_to_each(client, reviewer):
    person = cited_profile(slug="cai-qi", birth_place="Youxi County")
    with as_system():
        Citation.objects.filter(person=person, field="birth_place").delete()
    uncited = PositionFactory(person=person, role="Mayor of Sanming")
    with pytest.raises(publishing.PublishingRefused) as refused:
        publish(person=person, user=reviewer)
    messages = [problem.message for problem in refused.value.problems]
    assert "Nothing cites the person's birth place." in messages
    assert any("Mayor of Sanming" in message for message in messages)
    assert reverse("admin:profiles_position_change", args=[uncited.pk]) in [
        p.url for p in refused.value.problems
    ]
    client.force_login(reviewer)
    response = review_post(client, person, _publish="1")
    page = client.get(response["Location"]).content.decode()
    assert "Not published. Fix these first" in page and "Mayor of Sanming" in page
    assert not PublishedRevision.objects.exists()


def test_the_gate_refuses_records_that_fail_validation(reviewer):
    person = cited_profile(slug="cai-qi")
    position = person.positions.first()
    with as_system():
        Position.objects.filter(pk=position.pk).update(end_date="1900")  # written around validation
    with pytest.raises(publishing.PublishingRefused, match="before it starts"):
        publish(person=person, user=reviewer)


def test_publishing_asks_the_same_queries_at_any_size_and_never_reads_archived_texts(reviewer):
    """The document, the review token's check and the gate read the working copy once; the
    sources come without their archived texts (tens of kilobytes each, once per citation)."""
    publish(person=cited_profile(slug="warm-up"), user=reviewer)  # the reviewer's permissions, cached
    counts = []
    for number, positions in enumerate([2, 40]):
        person = cited_profile(slug=f"person-{number}", positions=positions)
        with CaptureQueriesContext(connection) as queries:
            publish(person=person, user=reviewer)
        sql = [query["sql"] for query in queries.captured_queries]
        assert not [s for s in sql if "archived_text" in s and not s.startswith("INSERT")], sql
        counts.append(len(sql))
    assert counts[0] == counts[1], counts


def test_submit_reject_with_comment_and_resubmit(client, editor, reviewer):
    person = cited_profile(slug="cai-qi")
    client.force_login(editor)
    admin_post(client, person, _submit_for_review="1", review_comment="Please check the dates")
    person.refresh_from_db()
    assert person.status == Person.Status.IN_REVIEW
    client.force_login(reviewer)
    queue = client.get(reverse("admin:profiles_person_review_queue")).content.decode()
    assert "Please check the dates" in queue and person.name in queue
    # Rejecting needs a comment: without one it is refused and nothing changes.
    response = review_post(client, person, _reject="1", review_comment="")
    assert "a comment is required" in client.get(response["Location"]).content.decode()
    person.refresh_from_db()
    assert person.status == Person.Status.IN_REVIEW
    with pytest.raises(ValidationError):
        publishing.profile_reject(person=person, user=reviewer, comment="  ")
    review = reverse("admin:profiles_person_review", args=[person.pk])
    client.post(review, {"_reject": "1", "review_comment": "Cite the 1997 start date"})
    person.refresh_from_db()
    assert person.status == Person.Status.DRAFT
    client.force_login(editor)
    html = client.get(change_url(person)).content.decode()
    assert "Cite the 1997 start date" in html and "Sent back to the editors" in html
    admin_post(client, person, _submit_for_review="1")
    client.force_login(reviewer)
    review_post(client, person, _publish="1", review_comment="Fixed")
    person.refresh_from_db()
    assert person.status == Person.Status.PUBLISHED
    assert list(person.review_actions.values_list("action", flat=True)) == [
        "approved",
        "submitted",
        "rejected",
        "submitted",
    ]


def test_review_diff_names_every_kind_of_change(reviewer):
    source = SourceFactory(publisher="Wikipedia")
    person = cited_profile(slug="cai-qi", name="Cai Qi", positions=2, events=1, source=source)
    publish(person=person, user=reviewer)
    first, second = person.positions.order_by("start_date")
    with as_system():
        first.role = "Acting Mayor"
        first.save()
        second.delete()
        added = PositionFactory(person=person, role="Party Secretary")
        CitationFactory(person=person, position=added, source=source)
        citation = Citation.objects.filter(position=first).get()
        citation.stance, citation.stated, citation.note = "disputes", "1998", "gives 1998"
        citation.save()
        Event.objects.get(person=person).delete()
        person.birth_place = "Youxi County"
        person.save()
    changes = document_diff(person.live_revision.document, person_document(person))
    summary = {(c.action, c.claim.split(":")[0]) for c in changes}
    assert ("changed", "Position") in summary and ("removed", "Position") in summary
    assert ("added", "Position") in summary and ("removed", "Event") in summary
    assert ("added", "Birth place") in summary
    assert ("changed", "Citation of Position") in summary and ("added", "Citation of Position") in summary
    role = next(c for c in changes if c.action == "changed" and c.claim.startswith("Position"))
    assert ("role", "Mayor", "Acting Mayor") in role.fields
    stance = next(c for c in changes if c.action == "changed" and c.claim.startswith("Citation"))
    assert ("stance", "supports", "disputes") in stance.fields


def test_review_screen_shows_diff_and_edits_with_users_and_summaries(
    client, editor, reviewer, django_assert_max_num_queries
):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    client.force_login(editor)
    for number in range(3):
        admin_post(
            client,
            person,
            **{"positions-0-role": f"Mayor {number}", "edit_summary": f"Role wording {number}"},
        )
    client.force_login(reviewer)
    url = reverse("admin:profiles_person_review", args=[person.pk])
    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()
    assert "Mayor 2" in html and "Role wording 2" in html and "editor" in html
    assert "Role wording 0" in html


def test_revert_restores_deleted_claims_as_new_history(reviewer):
    person = cited_profile(slug="cai-qi", positions=2, events=1)
    first = publish(person=person, user=reviewer)
    with as_system():
        person.positions.order_by("start_date").first().delete()
        Event.objects.get(person=person).delete()
        person.name = "Wrong"
        person.save()
    assert person_document(person) != first.document
    with pytest.raises(ValidationError, match="reason"):
        publishing.profile_revert(person=person, user=reviewer, number=1, reason=" ")
    publishing.profile_revert(person=person, user=reviewer, number=1, reason="Vandalism")
    person.refresh_from_db()
    assert person_document(person) == first.document
    assert person.status == Person.Status.PENDING
    reason = "Reverted to revision 1: Vandalism"
    assert Person.history.filter(id=person.pk).first().history_change_reason == reason
    restored = Position.history.filter(person_id=person.pk, history_type="+").first()
    assert (restored.history_change_reason, restored.history_user) == (reason, reviewer)
    assert ReviewAction.objects.filter(person=person, action="reverted").exists()


def test_audit_trail_shows_inline_edits_with_users_and_summaries(client, editor, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    client.force_login(editor)
    data = form_data(client.get(change_url(person)), "person_form")
    data.update(
        {
            "positions-0-role": "Vice Mayor",
            "positions-0-citations-0-locator": "Early life",
            "edit_summary": "Wording from the source",
        }
    )
    client.post(change_url(person), data)
    with as_system():
        Position.objects.filter(person=person).last().delete()
    client.force_login(reviewer)
    url = reverse("admin:profiles_person_audit", args=[person.pk])
    html = client.get(url).content.decode()
    assert "Wording from the source" in html
    assert "<del>Mayor</del> → <ins>Vice Mayor</ins>" in html
    assert "key" not in re.sub(r"<[^>]+>", " ", html.split("Edits")[-1]).split()  # no raw keys or ids
    assert "locator" in html and "position deleted" in html
    assert "Wording from the source" not in client.get(url, {"user": "reviewer"}).content.decode()
    only_citations = client.get(url, {"kind": "citation"}).content.decode()
    assert "position changed" not in only_citations and "citation changed" in only_citations
    future = client.get(url, {"since": "2100-01-01"}).content.decode()
    assert "0 records" in future
    recent = client.get(reverse("admin:profiles_person_recent_changes")).content.decode()
    assert "Wording from the source" in recent


def test_recent_changes_name_reviews_of_organizations_and_sources(client, reviewer, editor):
    """A reviewer's decision on a shared record has no profile: the site-wide list names the
    record instead (it used to answer 500)."""
    organization = Organization(name="New body", slug="new-body")
    editing.shared_record_save(record=organization, user=editor)
    publishing.shared_record_approve(
        record=organization, user=reviewer, seen=publishing.shared_digest(organization)
    )
    client.force_login(reviewer)
    response = client.get(reverse("admin:profiles_person_recent_changes"))
    assert response.status_code == 200
    assert reverse("admin:profiles_organization_change", args=[organization.pk]) in response.content.decode()


@pytest.mark.parametrize("edits", [3, 60])
def test_audit_trail_queries_stay_constant_as_history_grows(
    client, reviewer, edits, django_assert_max_num_queries
):
    person = cited_profile(slug="cai-qi")
    position = person.positions.first()
    with as_system():
        for number in range(edits):
            position.role = f"Role {number}"
            position.save()
    client.force_login(reviewer)
    url = reverse("admin:profiles_person_audit", args=[person.pk])
    # A query per history table and per related model named on the page (never per row).
    with django_assert_max_num_queries(22):
        assert client.get(url, {"page": "1"}).status_code == 200
    assert client.get(url, {"page": "99999"}).status_code == 200
    assert client.get(url, {"since": "not a date"}).status_code == 200


def test_permalinks_never_change_after_later_edits(client, reviewer):
    person = cited_profile(slug="cai-qi", name="Cai Qi")
    publish(person=person, user=reviewer)
    first = client.get("/people/cai-qi/revisions/1/").content.decode()
    position = person.positions.first()
    with as_system():
        position.role = "Renamed post"
        position.save()
    publish(person=person, user=reviewer)
    later = client.get("/people/cai-qi/revisions/1/").content.decode()
    assert article(later) == article(first)
    # ... and as soon as a newer revision is live, the permalink says it is not the current one.
    assert "Read the current version (revision 2)" in later and "Read the current version" not in first
    assert "Renamed post" in client.get("/people/cai-qi/revisions/2/").content.decode()
    listing = client.get("/people/cai-qi/revisions/").content.decode()
    assert "/people/cai-qi/revisions/1/" in listing and "/people/cai-qi/revisions/2/" in listing


def test_as_of_shows_the_revision_live_at_the_end_of_that_day(client, reviewer):
    person = cited_profile(slug="cai-qi", name="First name")
    first = publish(person=person, user=reviewer)
    with as_system():
        person.name = "Second name"
        person.save()
    second = publish(person=person, user=reviewer)
    PublishedRevision.objects.filter(pk=first.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2024, 3, 1, 23, 0))
    )
    PublishedRevision.objects.filter(pk=second.pk).update(
        published_at=timezone.make_aware(datetime.datetime(2024, 3, 2, 9, 0))
    )
    page = client.get("/people/cai-qi/", {"as_of": "2024-03-01"}).content.decode()
    assert "First name" in page, page[page.index("<main") : page.index("<main") + 600]
    assert "Second name" in client.get("/people/cai-qi/", {"as_of": "2024-03-02"}).content.decode()
    assert client.get("/people/cai-qi/", {"as_of": "2024-02-29"}).status_code == 404
    for bad in ("yesterday", "2024-13-01", "2024-3-1", "", "9999-12-31"):
        response = client.get("/people/cai-qi/", {"as_of": bad})
        assert response.status_code in (400, 200), bad


def test_unpublish_takes_the_profile_off_the_site(client, reviewer):
    person = cited_profile(slug="cai-qi")
    publish(person=person, user=reviewer)
    with pytest.raises(ValidationError, match="reason"):
        publishing.profile_unpublish(person=person, user=reviewer, reason="")
    publishing.profile_unpublish(person=person, user=reviewer, reason="Legal review")
    assert client.get("/people/cai-qi/").status_code == 404
    assert client.get("/people/cai-qi/revisions/1/").status_code == 404
    assert "cai-qi" not in client.get("/sitemap.xml").content.decode()


def test_recent_changes_counts_at_most_its_cap(client, reviewer, monkeypatch):
    from profiles.audit import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "CAP", 5)
    cited_profile(slug="cai-qi")
    client.force_login(reviewer)
    page = client.get(reverse("admin:profiles_person_recent_changes")).content.decode()
    assert "More than 5 records" in page


def test_review_queue_queries_do_not_grow_with_the_queue(client, editor, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(reviewer)
    url = reverse("admin:profiles_person_review_queue")
    counts = []
    for size in (1, 6):
        for number in range(size):
            publishing.profile_submit(person=cited_profile(slug=f"q{size}-{number}"), user=editor)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
